package org.osprey.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.dom.address.MailboxList;
import org.apache.james.mime4j.field.address.DefaultAddressParser;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.osprey.delivery.HeaderFields;

/**
 * The header section of a submitted message, unfolded, as far as submission needs it: which fields are there
 * (Date, Message-ID are added when missing, RFC 6409 §8.2/§8.3) and the addresses in From:. Reads at most
 * {@link HeaderFields#LIMIT}; a header longer than that is treated as ending there.
 */
final class SubmittedHeader {
    private final Map<String, String> fields;

    private SubmittedHeader(Map<String, String> fields) {
        this.fields = fields;
    }

    /** Reads the header section; the stream is left after it (or at the limit). */
    static SubmittedHeader read(InputStream in) throws IOException {
        return new SubmittedHeader(HeaderFields.read(in));
    }

    boolean has(String name) {
        return fields.containsKey(name);
    }

    /** The From: field's value, if present. */
    Optional<String> from() {
        return Optional.ofNullable(fields.get("from"));
    }

    /** The addresses of From:, or empty when the field is missing; null when it cannot be parsed. */
    static List<String> addresses(String fromValue) {
        try {
            MailboxList list = DefaultAddressParser.DEFAULT.parseAddressList(fromValue, DecodeMonitor.STRICT)
                    .flatten();
            List<String> result = new ArrayList<>();
            for (Mailbox mailbox : list) {
                result.add(mailbox.getAddress());
            }
            return result;
        } catch (Exception e) {
            return null;
        }
    }
}
