package org.osprey.imap.mime;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Writes an ENVELOPE (RFC 9051 §7.5.2, RFC 3501 §7.4.2) from a message header: date, subject, from, sender,
 * reply-to, to, cc, bcc, in-reply-to, message-id. Values are the header's raw text (unfolded, not decoded); when a
 * field occurs twice the last counts, as in Dovecot. Sender and reply-to default to from when absent or empty
 * (RFC 3501 §7.4.2); an absent field is NIL, an empty one "" (address lists: NIL).
 */
final class EnvelopeWriter {
    private EnvelopeWriter() {
    }

    static void write(ByteArrayOutputStream out, Header header) {
        List<AddressParser.Address> from = AddressParser.parse(header.last("from"));
        List<AddressParser.Address> sender = AddressParser.parse(header.last("sender"));
        List<AddressParser.Address> replyTo = AddressParser.parse(header.last("reply-to"));
        out.write('(');
        ImapStrings.nstring(out, header.last("date"));
        out.write(' ');
        ImapStrings.nstring(out, header.last("subject"));
        out.write(' ');
        addresses(out, from);
        out.write(' ');
        addresses(out, sender.isEmpty() ? from : sender);
        out.write(' ');
        addresses(out, replyTo.isEmpty() ? from : replyTo);
        out.write(' ');
        addresses(out, AddressParser.parse(header.last("to")));
        out.write(' ');
        addresses(out, AddressParser.parse(header.last("cc")));
        out.write(' ');
        addresses(out, AddressParser.parse(header.last("bcc")));
        out.write(' ');
        ImapStrings.nstring(out, header.last("in-reply-to"));
        out.write(' ');
        ImapStrings.nstring(out, header.last("message-id"));
        out.write(')');
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
