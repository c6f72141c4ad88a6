package org.osprey.sieve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conformance table: every case in {@code conformance/*.txt} is a script (with the scripts it includes, and
 * global before/after scripts), a message and its envelope, and the expected outcome, one line per action,
 * header edit, note or error (rendered by {@link ActionText}). A compile error is expected as
 * {@code compile-error: line L, column C: ...}.
 *
 * <p>File format: {@code === message NAME} ... {@code === end} defines a message (lines get CRLF);
 * {@code --- NAME} starts a case; {@code key: value} lines set message, from, to, recipient, spam, virus, now,
 * zone, seen (duplicate ids already recorded, "handle|id"), mailboxes, addresses, size, max-redirects,
 * max-actions, max-time-ms; {@code script:},
 * {@code personal NAME:}, {@code global NAME:}, {@code before:}, {@code after:} and {@code expect:} start blocks
 * that run to the next such line.
 */
class ConformanceTest {
    private static final Pattern BLOCK = Pattern.compile("(script|expect|before|after|personal \\S+|global \\S+):");
    private static final List<String> FILES = List.of("base.txt", "extensions.txt", "variables.txt", "errors.txt",
            "mime.txt");

    record Case(String file, String name, Map<String, String> settings, Map<String, String> blocks,
                Map<String, byte[]> messages) {
    }

    static Stream<Named<Case>> cases() throws IOException {
        List<Named<Case>> all = new ArrayList<>();
        Map<String, byte[]> messages = new HashMap<>();
        for (String file : FILES) {
            List<String> lines = read("conformance/" + file);
            int i = 0;
            while (i < lines.size()) {
                String line = lines.get(i);
                if (line.startsWith("=== message ")) {
                    String name = line.substring(12).strip();
                    var text = new StringBuilder();
                    i++;
                    while (!lines.get(i).equals("=== end")) {
                        text.append(lines.get(i++)).append("\r\n");
                    }
                    messages.put(name, text.toString().getBytes(StandardCharsets.UTF_8));
                    i++;
                } else if (line.startsWith("--- ")) {
                    String name = line.substring(4).strip();
                    Map<String, String> settings = new LinkedHashMap<>();
                    Map<String, String> blocks = new LinkedHashMap<>();
                    i++;
                    while (i < lines.size() && !lines.get(i).startsWith("--- ") && !lines.get(i).startsWith("=== ")) {
                        String l = lines.get(i);
                        if (BLOCK.matcher(l).matches()) {
                            String block = l.substring(0, l.length() - 1);
                            var text = new StringBuilder();
                            i++;
                            while (i < lines.size() && !BLOCK.matcher(lines.get(i)).matches()
                                    && !lines.get(i).startsWith("--- ") && !lines.get(i).startsWith("=== ")) {
                                text.append(lines.get(i++)).append("\n");
                            }
                            blocks.put(block, text.toString());
                            continue;
                        }
                        if (!l.isBlank() && !l.startsWith("#")) {
                            int colon = l.indexOf(':');
                            settings.put(l.substring(0, colon).strip(), l.substring(colon + 1).strip());
                        }
                        i++;
                    }
                    all.add(Named.of(file + ": " + name, new Case(file, name, settings, blocks, messages)));
                } else {
                    i++;
                }
            }
        }
        return all.stream();
    }

    private static List<String> read(String resource) throws IOException {
        try (InputStream in = ConformanceTest.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void conformance(Case c) {
        List<String> expected = c.blocks().getOrDefault("expect", "").lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(outcome(c)).as("case %s", c.name()).containsExactlyElementsOf(expected);
    }

    static List<String> outcome(Case c) {
        Map<String, String> s = c.settings();
        IncludeResolver resolver = (location, name) -> Optional.ofNullable(c.blocks().get(
                (location == ScriptLocation.GLOBAL ? "global " : "personal ") + name));
        SieveCompiler compiler = new SieveCompiler();
        List<CompiledScript> scripts = new ArrayList<>();
        try {
            for (String block : List.of("before", "script", "after")) {
                String text = c.blocks().get(block);
                if (text != null) {
                    ScriptLocation location = block.equals("script") ? ScriptLocation.PERSONAL : ScriptLocation.GLOBAL;
                    scripts.add(compiler.compile(location, block, text, resolver));
                }
            }
        } catch (SieveException e) {
            return List.of("compile-error: " + e.getMessage());
        }
        byte[] message = c.messages().get(s.getOrDefault("message", "plain"));
        assertThat(message).as("message %s", s.get("message")).isNotNull();
        Clock clock = Clock.fixed(Instant.parse(s.getOrDefault("now", "2024-06-03T10:15:30Z")),
                ZoneId.of(s.getOrDefault("zone", "UTC")));
        Set<String> seen = s.containsKey("seen") ? Set.of(s.get("seen").split(" *, *")) : Set.of();
        Set<String> mailboxes = s.containsKey("mailboxes") ? Set.of(s.get("mailboxes").split(" *, *"))
                : Set.of("INBOX");
        long size = s.containsKey("size") ? Long.parseLong(s.get("size")) : message.length;
        var builder = MessageContext.builder(MessageSource.of(message), size)
                .envelopeFrom(s.getOrDefault("from", "sender@example.com").replace("<>", ""))
                .envelopeTo(s.getOrDefault("to", "john@example.org"))
                .clock(clock)
                .duplicates((handle, id) -> seen.contains(handle + "|" + id))
                .mailboxes(mailboxes::contains);
        if (s.containsKey("recipient")) {
            builder.recipient(s.get("recipient"));
        }
        SieveLimits d = SieveLimits.DEFAULT;
        builder.limits(new SieveLimits(Integer.parseInt(s.getOrDefault("max-redirects", "" + d.maxRedirects())),
                Integer.parseInt(s.getOrDefault("max-actions", "" + d.maxActions())),
                java.time.Duration.ofMillis(Long.parseLong(s.getOrDefault("max-time-ms", "" + d.maxTime().toMillis()))),
                d.maxIncludeDepth(), d.vacationDefault(), d.vacationMax(), d.duplicateDefault(), d.duplicateMax()));
        if (s.containsKey("addresses")) {
            builder.userAddresses(List.of(s.get("addresses").split(" *, *")));
        }
        if (s.containsKey("spam")) {
            builder.spamPercent(Integer.parseInt(s.get("spam")));
        }
        if (s.containsKey("virus")) {
            builder.virusLevel(Integer.parseInt(s.get("virus")));
        }
        return ActionText.lines(new SieveInterpreter().evaluate(scripts, builder.build()));
    }

}
