package org.osprey.filter.spam.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.osprey.filter.Findings;
import org.osprey.filter.mail.ParsedMessage;

/**
 * Test messages written for these tests: a plain, correct personal mail as it arrives at our MX, which a test
 * changes field by field, and the score the rules give.
 */
final class TestMail {
    static final String US = "mx.osprey.test";

    private TestMail() {
    }

    /**
     * The base message with the given fields replacing the fields of the same name ("Name:" with nothing after it
     * removes them; a name given twice gives two fields) and the given body after a blank line.
     */
    static String mail(String body, String... fields) {
        Map<String, List<String>> header = new LinkedHashMap<>();
        put(header, "Received", "from mail.example.org (mail.example.org [198.51.100.7]) by " + US
            + " with ESMTPS id 4ZxQ; Fri, 04 Dec 2026 11:00:05 +0000");
        header.get("received").add("Received: from [192.168.1.20] (unknown [192.168.1.20]) by mail.example.org with ESMTPSA"
            + " id 1a2b; Fri, 4 Dec 2026 12:00:01 +0100");
        put(header, "From", "Alice Example <alice@example.org>");
        put(header, "To", "Bob <bob@example.net>");
        put(header, "Subject", "Lunch on Friday");
        put(header, "Date", "Fri, 4 Dec 2026 12:00:00 +0100");
        put(header, "Message-ID", "<d3adb33f-1@example.org>");
        put(header, "MIME-Version", "1.0");
        put(header, "Content-Type", "text/plain; charset=UTF-8; format=flowed");
        put(header, "Content-Transfer-Encoding", "8bit");
        Set<String> replaced = new TreeSet<>();
        for (String field : fields) {
            int colon = field.indexOf(':');
            String name = field.substring(0, colon);
            String key = name.toLowerCase(Locale.ROOT);
            String value = field.substring(colon + 1).strip();
            if (replaced.add(key)) {
                header.remove(key);
            }
            if (!value.isEmpty()) {
                header.computeIfAbsent(key, k -> new ArrayList<>()).add(name + ": " + value);
            }
        }
        StringBuilder text = new StringBuilder();
        for (List<String> lines : header.values()) {
            for (String line : lines) {
                text.append(line).append("\r\n");
            }
        }
        return text.append("\r\n").append(body.replace("\r\n", "\n").replace("\n", "\r\n")).toString();
    }

    private static void put(Map<String, List<String>> header, String name, String value) {
        header.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(name + ": " + value);
    }

    static final String BODY = """
        Hi Bob,

        shall we meet for lunch on Friday at noon? The new place on Main Street
        has a menu online: https://www.example-bistro.test/menu

        Alice
        """;

    static ParsedMessage parse(String message) {
        try {
            return ParsedMessage.parse(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)),
                10 * 1024 * 1024);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the rules find, the envelope sender being the From address (as for most mail) and bob the recipient. */
    static Findings findings(String message) {
        ParsedMessage parsed = parse(message);
        String sender = Addresses.first(parsed.header().value("From").orElse("")).address();
        return findings(parsed, sender, List.of("bob@example.net"), new Findings());
    }

    /** What the rules add to {@code findings} (what network checks found before) for this envelope. */
    static Findings findings(ParsedMessage message, String sender, List<String> recipients, Findings findings) {
        int before = findings.all().size();
        RuleSet.defaults().evaluate(new RuleContext(null, sender, recipients, message, US), findings);
        for (Findings.Finding f : findings.all().subList(before, findings.all().size())) {
            assertThat(RuleSet.defaultScores()).as("score of " + f.test()).containsKey(f.test());
        }
        return findings;
    }

    /** The names that fired. */
    static Set<String> tests(String message) {
        Set<String> names = new TreeSet<>();
        findings(message).all().forEach(f -> names.add(f.test()));
        return names;
    }

    static double score(String message) {
        Map<String, Double> scores = RuleSet.defaultScores();
        return findings(message).all().stream().mapToDouble(f -> scores.get(f.test())).sum();
    }
}
