package org.osprey.imap.mime;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * What FETCH ENVELOPE, BODYSTRUCTURE and BODY answer for one message, each as it follows the item name in the
 * response, kept so a folder's messages are parsed once ({@link Structures}). The arrays are not copied: do not
 * modify them.
 *
 * <p>{@link #encode} gives a versioned byte form: {@code 'S', version, then three (int32 length, octets)}. {@link
 * #decode} accepts exactly that and nothing else, so an old version or garbage is a cache miss, never an error.
 *
 * @param envelope      the ENVELOPE, a parenthesized list
 * @param bodyStructure the BODYSTRUCTURE (with extension data)
 * @param body          the BODY (without extension data)
 */
public record CachedStructure(byte[] envelope, byte[] bodyStructure, byte[] body) {
    private static final byte MAGIC = 'S';
    private static final byte VERSION = 1;

    public CachedStructure {
        if (envelope == null || bodyStructure == null || body == null) {
            throw new NullPointerException("structure parts must not be null");
        }
    }

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(2 + 12 + envelope.length + bodyStructure.length + body.length);
        b.put(MAGIC).put(VERSION);
        for (byte[] part : new byte[][] {envelope, bodyStructure, body}) {
            b.putInt(part.length).put(part);
        }
        return b.array();
    }

    /** The structure {@code encoded} holds, or empty when it is not one this version wrote. */
    public static Optional<CachedStructure> decode(byte[] encoded) {
        if (encoded == null || encoded.length < 14 || encoded[0] != MAGIC || encoded[1] != VERSION) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(encoded, 2, encoded.length - 2);
        byte[][] parts = new byte[3][];
        for (int i = 0; i < 3; i++) {
            if (b.remaining() < 4) {
                return Optional.empty();
            }
            int length = b.getInt();
            if (length < 0 || length > b.remaining()) {
                return Optional.empty();
            }
            parts[i] = new byte[length];
            b.get(parts[i]);
        }
        if (b.hasRemaining()) {
            return Optional.empty();
        }
        return Optional.of(new CachedStructure(parts[0], parts[1], parts[2]));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CachedStructure c && Arrays.equals(envelope, c.envelope)
                && Arrays.equals(bodyStructure, c.bodyStructure) && Arrays.equals(body, c.body);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(envelope) + Arrays.hashCode(bodyStructure)) + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "CachedStructure[envelope=" + new String(envelope, StandardCharsets.UTF_8) + ", bodyStructure="
                + new String(bodyStructure, StandardCharsets.UTF_8) + "]";
    }
}
