package org.osprey.filter.dkim;

import java.io.OutputStream;
import java.util.Optional;

/**
 * The two DKIM canonicalization algorithms (RFC 6376 §3.4), for header fields and for the body. Signers and
 * verifiers both use these, so what Osprey signs and what it verifies are canonicalized by the same code.
 */
public enum Canonicalization {
    /** §3.4.1 and §3.4.3: header fields exactly as received; the body less its trailing empty lines. */
    SIMPLE("simple"),
    /** §3.4.2 and §3.4.4: case and white space normalized; survives most re-folding and re-spacing in transit. */
    RELAXED("relaxed");

    private final String tag;

    Canonicalization(String tag) {
        this.tag = tag;
    }

    /** The name in the c= tag: "simple" or "relaxed". */
    public String tag() {
        return tag;
    }

    /**
     * One header field canonicalized: {@code field} is its raw bytes (name, colon, value with its folds) without
     * the final line break; the result has none either.
     */
    public byte[] header(byte[] field) {
        return this == SIMPLE ? field.clone() : RelaxedHeader.canonicalize(field);
    }

    /** A stream that writes the canonical form of the body written to it into {@code sink}; close it at the end. */
    public OutputStream body(OutputStream sink) {
        return this == SIMPLE ? new SimpleBody(sink) : new RelaxedBody(sink);
    }

    /** "simple" or "relaxed", in any case. */
    public static Optional<Canonicalization> of(String tag) {
        for (Canonicalization c : values()) {
            if (c.tag.equalsIgnoreCase(tag)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
