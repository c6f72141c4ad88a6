package org.osprey.imap.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.osprey.imap.parse.CommandParser;
import org.osprey.imap.parse.FetchItem;
import org.osprey.imap.parse.ImapCommand;

/**
 * Every FETCH answer of a real Dovecot (2.3.19.1) for the sample messages in {@code samples/}, recorded in
 * {@code dovecot-golden.txt} by {@code dovecot-golden.py} (run it again after adding a sample), compared with
 * ours: ENVELOPE, BODYSTRUCTURE and BODY after reading both as IMAP data (so a quoted string and a literal of the
 * same octets are equal), sections, BINARY and PREVIEW octet for octet. Where we answer differently on purpose the
 * case is listed in {@link #DIFFERENT} with the reason, and checked to still differ, so the list stays true.
 */
class ImapMessageDovecotTest {

    /** Sample and item (as in the golden file) → why our answer is not Dovecot's. */
    private static final Map<String, String> DIFFERENT = differences();

    private static Map<String, String> differences() {
        var d = new java.util.HashMap<String, String>();
        String rfc2231 = "RFC 2231 parameters decoded: (\"name\" \"Q4 Résumé part.pdf\"); Dovecot sends name* "
                + "undecoded";
        d.put("03-mixed-attachment.eml BODYSTRUCTURE", rfc2231);
        d.put("03-mixed-attachment.eml BODY", rfc2231);
        d.put("20-encoded-params.eml BODYSTRUCTURE", rfc2231);
        d.put("20-encoded-params.eml BODY", rfc2231);
        String lenient = "invalid base64/quoted-printable decoded leniently; Dovecot answers NO [PARSE]";
        for (String part : List.of("1", "2", "2.1", "1.1")) {
            d.put("12-bad-encodings.eml BINARY.PEEK[" + part + "]", lenient);
            d.put("12-bad-encodings.eml BINARY.SIZE[" + part + "]",
                    "Dovecot fails every BINARY.SIZE of the message with UNKNOWN-CTE when one part has it");
        }
        d.put("12-bad-encodings.eml PREVIEW", lenient + " (Dovecot's preview stops at the bad octets)");
        d.put("17-digest.eml PREVIEW", "attached messages are not previewed; Dovecot shows the digest's headers");
        d.put("20-encoded-params.eml PREVIEW", "attachments are not previewed");
        d.put("26-ext-fields.eml PREVIEW", "attachments are not previewed");
        d.put("24-rfc822-base64.eml BINARY.SIZE[1]", "Dovecot answers 0 although BINARY[1] has 58 octets");
        d.put("24-rfc822-base64.eml BODY.PEEK[1.HEADER.FIELDS.NOT_(SUBJECT)]", "the encapsulated header cut "
                + "by a boundary gives its line break to the boundary; Dovecot's HEADER.FIELDS.NOT keeps it");
        d.put("25-odd-header-lines.eml ENVELOPE", "empty elements of an address list are left out; Dovecot "
                + "reports each as MISSING_MAILBOX@MISSING_DOMAIN");
        d.put("27-nul-and-cr.eml ENVELOPE", "a NUL in a header is sent as 0x80; Dovecot sends U+FFFD");
        return Map.copyOf(d);
    }

    record Golden(String sample, String item, String kind, byte[] data) {
    }

    @TestFactory
    Stream<DynamicTest> sameAsDovecot() throws IOException {
        return golden().stream().map(g -> DynamicTest.dynamicTest(g.sample + " " + g.item, () -> check(g)));
    }

    private static void check(Golden g) throws IOException {
        ImapMessage message = ImapMessage.parse(sample(g.sample));
        String key = g.sample + " " + g.item;
        String reason = DIFFERENT.get(key);
        if (reason != null) {
            assertThat(ours(message, g)).as("%s is listed as different (%s)", key, reason)
                    .isNotEqualTo(dovecots(g));
            return;
        }
        if (g.kind.equals("err") && new String(g.data, StandardCharsets.US_ASCII).startsWith("[UNKNOWN-CTE]")) {
            assertThatThrownBy(() -> compute(message, g.item)).isInstanceOf(UnknownTransferEncodingException.class);
            return;
        }
        assertThat(ours(message, g)).as(key).isEqualTo(dovecots(g));
    }

    private static String dovecots(Golden g) {
        return switch (g.kind) {
            case "raw" -> ImapValue.canonical(g.data);
            case "data" -> text(g.data);
            case "nil" -> "NIL";
            default -> "error " + text(g.data);
        };
    }

    private static String ours(ImapMessage message, Golden g) {
        try {
            byte[] value = compute(message, g.item);
            return g.kind.equals("raw") ? ImapValue.canonical(value) : text(value);
        } catch (UnknownTransferEncodingException e) {
            return "error " + e.getMessage();
        }
    }

    /** Our answer to one FETCH item, as the octets of its value. */
    static byte[] compute(ImapMessage message, String item) throws UnknownTransferEncodingException {
        switch (item) {
            case "ENVELOPE" -> {
                return message.envelope();
            }
            case "BODYSTRUCTURE" -> {
                return message.bodyStructure(true);
            }
            case "BODY" -> {
                return message.bodyStructure(false);
            }
            case "RFC822.SIZE" -> {
                return Integer.toString(message.crlfBytes().length).getBytes(StandardCharsets.US_ASCII);
            }
            case "PREVIEW" -> {
                return message.preview().getBytes(StandardCharsets.UTF_8);
            }
            default -> {
            }
        }
        var fetch = (ImapCommand.Fetch) CommandParser.parse(
                ("a FETCH 1 (" + item.replace('_', ' ') + ")\r\n").getBytes(StandardCharsets.US_ASCII), false);
        return switch (fetch.items().getFirst()) {
            case FetchItem.BodySection b -> message.section(b.section());
            case FetchItem.Binary b -> message.binary(b.part());
            case FetchItem.BinarySize b ->
                    Long.toString(message.binarySize(b.part())).getBytes(StandardCharsets.US_ASCII);
            default -> throw new IllegalArgumentException(item);
        };
    }

    static byte[] sample(String name) throws IOException {
        try (InputStream in = ImapMessageDovecotTest.class.getResourceAsStream("samples/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    static List<Golden> golden() throws IOException {
        byte[] all;
        try (InputStream in = ImapMessageDovecotTest.class.getResourceAsStream("dovecot-golden.txt")) {
            all = in.readAllBytes();
        }
        List<Golden> records = new ArrayList<>();
        int i = indexOf(all, '\n', 0) + 1; // the comment line
        while (i < all.length) {
            int nl = indexOf(all, '\n', i);
            String[] head = new String(all, i, nl - i, StandardCharsets.US_ASCII).split(" ");
            int length = Integer.parseInt(head[4]);
            byte[] data = java.util.Arrays.copyOfRange(all, nl + 1, nl + 1 + length);
            records.add(new Golden(head[1], head[2], head[3], data));
            i = nl + 1 + length + 1;
        }
        return records;
    }

    private static int indexOf(byte[] b, char c, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return b.length;
    }

    private static String text(byte[] b) {
        var out = new StringBuilder();
        for (byte x : b) {
            int u = x & 0xff;
            if (u >= 0x20 && u < 0x7f || u == '\n') {
                out.append((char) u);
            } else if (u == '\r') {
                out.append("\\r");
            } else {
                out.append(String.format("\\x%02x", u));
            }
        }
        return out.toString();
    }
}
