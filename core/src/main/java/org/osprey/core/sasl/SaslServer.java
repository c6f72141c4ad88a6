package org.osprey.core.sasl;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The server side of one SASL exchange for PLAIN (RFC 4616) and LOGIN (draft-murchison-sasl-login). A protocol
 * feeds it the client's decoded responses and sends back the challenges, base64-encoded in its own framing, until
 * {@link #credentials()} is present. Passwords are never logged.
 */
public final class SaslServer {
    /** The mechanisms offered, in the order clients should prefer them. */
    public static final List<String> MECHANISMS = List.of("PLAIN", "LOGIN");

    private static final int MAX_FIELD = 1024;
    private final String mechanism;
    private int step;
    private String username;
    private Credentials result;

    private SaslServer(String mechanism) {
        this.mechanism = mechanism;
    }

    /** Starts an exchange; throws for a mechanism Osprey does not offer. */
    public static SaslServer start(String mechanism) throws SaslException {
        String upper = mechanism.toUpperCase(Locale.ROOT);
        if (!MECHANISMS.contains(upper)) {
            throw new SaslException("unsupported mechanism");
        }
        return new SaslServer(upper);
    }

    public String mechanism() {
        return mechanism;
    }

    /** The challenge to send before the client's first response (when it sent no initial response). */
    public byte[] initialChallenge() {
        return mechanism.equals("LOGIN") ? bytes("Username:") : new byte[0];
    }

    /**
     * Takes one client response; returns the next challenge, or empty when the exchange is complete and
     * {@link #credentials()} holds the result.
     */
    public Optional<byte[]> respond(byte[] response) throws SaslException {
        if (result != null) {
            throw new SaslException("exchange already complete");
        }
        if (mechanism.equals("PLAIN")) {
            result = parsePlain(response);
            return Optional.empty();
        }
        if (step++ == 0) {
            username = text(response);
            return Optional.of(bytes("Password:"));
        }
        result = new Credentials("LOGIN", "", username, text(response));
        return Optional.empty();
    }

    public Optional<Credentials> credentials() {
        return Optional.ofNullable(result);
    }

    private static Credentials parsePlain(byte[] message) throws SaslException {
        int first = indexOf(message, 0);
        int second = first < 0 ? -1 : indexOf(message, first + 1);
        if (first < 0 || second < 0 || indexOf(message, second + 1) >= 0) {
            throw new SaslException("PLAIN message must be authzid NUL authcid NUL password");
        }
        String authzid = text(slice(message, 0, first));
        String authcid = text(slice(message, first + 1, second));
        String password = text(slice(message, second + 1, message.length));
        if (authcid.isEmpty()) {
            throw new SaslException("empty user name");
        }
        return new Credentials("PLAIN", authzid, authcid, password);
    }

    private static int indexOf(byte[] data, int from) {
        for (int i = from; i < data.length; i++) {
            if (data[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] slice(byte[] data, int from, int to) {
        byte[] out = new byte[to - from];
        System.arraycopy(data, from, out, 0, out.length);
        return out;
    }

    private static String text(byte[] data) throws SaslException {
        if (data.length > MAX_FIELD) {
            throw new SaslException("field too long");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data)).toString();
        } catch (CharacterCodingException e) {
            throw new SaslException("not valid UTF-8");
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
