package org.osprey.sieve;

/**
 * A change editheader made to the message header (RFC 5293), in the order made. {@link HeaderEditor} applies a
 * list of them to the message bytes; each applies to the header as the ones before left it.
 */
public sealed interface HeaderEdit {
    /** Add a field at the top, or at the bottom when {@code last}; {@code value} is text, encoded when written. */
    record AddHeader(String name, String value, boolean last) implements HeaderEdit {
    }

    /** Delete the {@code occurrence}-th (1-based, from the top) field named {@code name} (any case). */
    record DeleteHeader(String name, int occurrence) implements HeaderEdit {
    }
}
