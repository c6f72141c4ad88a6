package org.osprey.imap.mime;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes an ENVELOPE (RFC 9051 §7.5.2, RFC 3501 §7.4.2) from a message header: date, subject, from, sender,
 * reply-to, to, cc, bcc, in-reply-to, message-id. Values are the header's raw text (unfolded, not decoded), as
 * Dovecot 2.3 gives them: the subject without trailing whitespace, the others as they are; of a field that occurs
 * twice the last counts, but address fields that occur twice are joined. Sender and reply-to default to from when
 * absent or empty (RFC 3501 §7.4.2); an absent field is NIL, an empty one "" (address lists: NIL).
 */
final class EnvelopeWriter {
    private EnvelopeWriter() {
    }

    static void write(ByteArrayOutputStream out, Header header) {
        List<AddressParser.Address> from = addresses(header, "from");
        List<AddressParser.Address> sender = addresses(header, "sender");
        List<AddressParser.Address> replyTo = addresses(header, "reply-to");
        out.write('(');
        ImapStrings.nstring(out, header.last("date"));
        out.write(' ');
        ImapStrings.nstring(out, trailingWhitespaceTrimmed(header.last("subject")));
        out.write(' ');
        addresses(out, from);
        out.write(' ');
        addresses(out, sender.isEmpty() ? from : sender);
        out.write(' ');
        addresses(out, replyTo.isEmpty() ? from : replyTo);
        out.write(' ');
        addresses(out, addresses(header, "to"));
        out.write(' ');
        addresses(out, addresses(header, "cc"));
        out.write(' ');
        addresses(out, addresses(header, "bcc"));
        out.write(' ');
        ImapStrings.nstring(out, header.last("in-reply-to"));
        out.write(' ');
        ImapStrings.nstring(out, header.last("message-id"));
        out.write(')');
    }

    private static List<AddressParser.Address> addresses(Header header, String field) {
        List<byte[]> values = header.all(field);
        if (values.size() == 1) {
            return AddressParser.parse(values.getFirst());
        }
        List<AddressParser.Address> joined = new ArrayList<>();
        for (byte[] value : values) {
            joined.addAll(AddressParser.parse(value));
        }
        return joined;
    }

    private static byte[] trailingWhitespaceTrimmed(byte[] value) {
        if (value == null) {
            return null;
        }
        int end = value.length;
        while (end > 0 && (value[end - 1] == ' ' || value[end - 1] == '\t')) {
            end--;
        }
        return end == value.length ? value : Arrays.copyOf(value, end);
    }

    private static void addresses(ByteArrayOutputStream out, List<AddressParser.Address> list) {
        if (list.isEmpty()) {
            ImapStrings.nil(out);
            return;
        }
        out.write('(');
        for (AddressParser.Address a : list) {
            out.write('(');
            ImapStrings.nstring(out, a.name());
            out.write(' ');
            ImapStrings.nstring(out, a.route());
            out.write(' ');
            ImapStrings.nstring(out, a.mailbox());
            out.write(' ');
            ImapStrings.nstring(out, a.host());
            out.write(')');
        }
        out.write(')');
    }
}
