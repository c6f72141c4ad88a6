package org.osprey.delivery.dkim;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.osprey.filter.dkim.Canonicalization;

/**
 * Signs an outgoing message with DKIM (RFC 6376; ed25519-sha256 from RFC 8463): one DKIM-Signature field per key,
 * c=relaxed/relaxed, with d=, s=, t=, h= and bh=. The message is read once as a stream: the header fields that get
 * signed are kept, every other byte of the header and the whole body only pass through the canonicalizer and the
 * hash, so the body is never held in memory.
 *
 * <p>Signed fields (§5.4.1's recommendation plus the MIME ones): From, Sender, Reply-To, To, Cc, Subject, Date,
 * Message-ID, In-Reply-To, References, MIME-Version, Content-Type, Content-Transfer-Encoding, the Resent-* fields and
 * every List-* field, each as often as it occurs. From is listed once more than it occurs (§5.4.2), so nobody can
 * add a From that receivers would show while the signature still verifies.
 *
 * <p>The returned fields go on top of the message unchanged; each is one string starting "DKIM-Signature: ",
 * folded with CRLF TAB, with no CRLF at its end. Thread-safe.
 */
public final class DkimSigner {
    private static final Set<String> SIGNED = Set.of("from", "sender", "reply-to", "to", "cc", "subject", "date",
            "message-id", "in-reply-to", "references", "mime-version", "content-type", "content-transfer-encoding",
            "resent-date", "resent-from", "resent-sender", "resent-to", "resent-cc", "resent-message-id");
    private static final byte[] CRLF = {'\r', '\n'};
    /** Fold before a line would pass this many characters (RFC 5322 §2.1.1 recommends at most 78). */
    private static final int LINE = 76;

    private final Clock clock;

    /** {@code clock} gives t=, the signing time (RFC 6376 §3.5). */
    public DkimSigner(Clock clock) {
        this.clock = clock;
    }

    /**
     * Reads the whole message (CRLF line ends, header and body) and returns one DKIM-Signature field per key, in
     * the keys' order; empty when there are no keys. The keys' domain is d=: normally the From address's domain,
     * which is what DMARC aligns with. The stream is read to its end but not closed.
     */
    public List<String> sign(InputStream message, List<DkimKey> keys) throws IOException {
        if (keys.isEmpty()) {
            return List.of();
        }
        InputStream in = message instanceof BufferedInputStream ? message : new BufferedInputStream(message, 65536);
        List<Field> fields = readSignedFields(in);
        String bodyHash = Base64.getEncoder().encodeToString(hashBody(in));

        long time = clock.instant().getEpochSecond();
        var headerNames = new ArrayList<String>();
        for (Field field : fields) {
            headerNames.add(field.name());
        }
        headerNames.add("from"); // over-signing: one more From than there is (RFC 6376 §5.4.2, §8.15)
        byte[] signedHeaders = signedHeaderData(fields, headerNames);

        var result = new ArrayList<String>();
        for (DkimKey key : keys) {
            String unsigned = unsignedField(key, time, headerNames, bodyHash);
            byte[] signature = signature(key, signedHeaders, unsigned);
            result.add(unsigned + foldSignature(Base64.getEncoder().encodeToString(signature), unsigned));
        }
        return result;
    }

    /** A header field kept for signing: its lower-case name and its raw bytes without the final line end. */
    private record Field(String name, byte[] raw) {
    }

    /**
     * Reads up to and including the empty line that ends the header, keeping only the fields in {@link #SIGNED}
     * and List-*. Leaves the stream at the first byte of the body.
     */
    private static List<Field> readSignedFields(InputStream in) throws IOException {
        var fields = new ArrayList<Field>();
        ByteArrayOutputStream current = null;
        String currentName = null;
        var line = new ByteArrayOutputStream(256);
        while (readLine(in, line)) {
            byte[] bytes = line.toByteArray();
            int content = contentLength(bytes);
            if (content == 0) {
                break; // the empty line between header and body
            }
            if (bytes[0] == ' ' || bytes[0] == '\t') {
                if (current != null) {
                    current.write(CRLF);
                    current.write(bytes, 0, content);
                }
                continue;
            }
            if (current != null) {
                fields.add(new Field(currentName, current.toByteArray()));
                current = null;
            }
            String name = fieldName(bytes, content);
            if (name != null && (SIGNED.contains(name) || name.startsWith("list-"))) {
                currentName = name;
                current = new ByteArrayOutputStream(content + 16);
                current.write(bytes, 0, content);
            }
        }
        if (current != null) {
            fields.add(new Field(currentName, current.toByteArray()));
        }
        return fields;
    }

    /** Reads one line including its LF into {@code line}; false at the end of the stream with nothing read. */
    private static boolean readLine(InputStream in, ByteArrayOutputStream line) throws IOException {
        line.reset();
        int b;
        while ((b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n') {
                return true;
            }
        }
        return line.size() > 0;
    }

    /** The length of the line without its CRLF or LF. */
    private static int contentLength(byte[] line) {
        int n = line.length;
        if (n > 0 && line[n - 1] == '\n') {
            n--;
            if (n > 0 && line[n - 1] == '\r') {
                n--;
            }
        }
        return n;
    }

    /** The lower-case field name before the colon (WSP before the colon allowed), or null if there is no colon. */
    private static String fieldName(byte[] line, int length) {
        for (int i = 0; i < length; i++) {
            if (line[i] == ':') {
                return new String(line, 0, i, StandardCharsets.ISO_8859_1).strip().toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    private static byte[] hashBody(InputStream in) throws IOException {
        MessageDigest digest = sha256();
        var sink = new DigestOutputStream(OutputStream.nullOutputStream(), digest);
        try (var body = Canonicalization.RELAXED.body(sink)) {
            in.transferTo(body);
        }
        return digest.digest();
    }

    /**
     * The header part of the signed data (RFC 6376 §5.4.2): for each name in h=, the next instance of that field
     * counting from the bottom, canonicalized, with CRLF; a name with no instance left adds nothing.
     */
    private static byte[] signedHeaderData(List<Field> fields, List<String> names) {
        Map<String, List<Field>> byName = new HashMap<>();
        for (Field field : fields) {
            byName.computeIfAbsent(field.name(), n -> new ArrayList<>()).add(field);
        }
        Map<String, Integer> used = new HashMap<>();
        var out = new ByteArrayOutputStream();
        for (String name : names) {
            List<Field> instances = byName.getOrDefault(name, List.of());
            int usedSoFar = used.merge(name, 1, Integer::sum) - 1;
            int index = instances.size() - 1 - usedSoFar;
            if (index >= 0) {
                out.writeBytes(Canonicalization.RELAXED.header(instances.get(index).raw()));
                out.writeBytes(CRLF);
            }
        }
        return out.toByteArray();
    }

    /**
     * The field up to and including "b=", folded. It is signed as it stands (§3.7: the DKIM-Signature field with an
     * empty b= value, no CRLF after it); the signature is then appended, and a verifier removes it again with the
     * white space around it, so folding inside the b= value is safe.
     */
    private static String unsignedField(DkimKey key, long time, List<String> headerNames, String bodyHash) {
        var folder = new Folder("DKIM-Signature:");
        folder.tag("v=1;");
        folder.tag("a=" + key.algorithm().tag() + ";");
        folder.tag("c=relaxed/relaxed;");
        folder.tag("d=" + key.domain() + ";");
        folder.tag("s=" + key.selector() + ";");
        folder.tag("t=" + time + ";");
        // FWS is allowed around the colons of h= (§3.5), so a long list folds after any colon.
        var h = new ArrayList<String>();
        for (int i = 0; i < headerNames.size(); i++) {
            h.add((i == 0 ? "h=" : "") + headerNames.get(i) + (i == headerNames.size() - 1 ? ";" : ":"));
        }
        folder.pieces(h);
        folder.tag("bh=" + bodyHash + ";");
        folder.tag("b=");
        return folder.text();
    }

    private static String foldSignature(String signature, String unsigned) {
        int lastLine = unsigned.length() - unsigned.lastIndexOf('\n') - 1 + 7; // the TAB counted as 8 columns
        var out = new StringBuilder();
        int room = Math.max(8, LINE - lastLine);
        int start = 0;
        while (start < signature.length()) {
            int end = Math.min(signature.length(), start + room);
            if (start > 0) {
                out.append("\r\n\t");
            }
            out.append(signature, start, end);
            start = end;
            room = LINE - 8;
        }
        return out.toString();
    }

    private static byte[] signature(DkimKey key, byte[] signedHeaders, String unsignedField)
            throws IOException {
        byte[] ownField = Canonicalization.RELAXED.header(unsignedField.getBytes(StandardCharsets.US_ASCII));
        try {
            return switch (key.algorithm()) {
                case RSA -> {
                    Signature rsa = Signature.getInstance("SHA256withRSA");
                    rsa.initSign(key.privateKey());
                    rsa.update(signedHeaders);
                    rsa.update(ownField);
                    yield rsa.sign();
                }
                case ED25519 -> {
                    // RFC 8463 §3: PureEdDSA over the SHA-256 hash of the data, not over the data itself.
                    MessageDigest digest = sha256();
                    digest.update(signedHeaders);
                    digest.update(ownField);
                    Signature ed = Signature.getInstance("Ed25519");
                    ed.initSign(key.privateKey());
                    ed.update(digest.digest());
                    yield ed.sign();
                }
            };
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot sign with " + key + ": " + e.getMessage(), e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Lays tags out on lines of at most {@link #LINE} columns, folding with CRLF TAB between them. */
    private static final class Folder {
        private final StringBuilder text;
        private int column;

        Folder(String start) {
            text = new StringBuilder(start);
            column = start.length();
        }

        void tag(String tag) {
            if (column + 1 + tag.length() > LINE) {
                text.append("\r\n\t");
                column = 8;
            } else {
                text.append(' ');
                column++;
            }
            text.append(tag);
            column += tag.length();
        }

        /** Pieces written without space between them, folded between any two. */
        void pieces(List<String> pieces) {
            boolean first = true;
            for (String piece : pieces) {
                if (first) {
                    tag(piece);
                    first = false;
                    continue;
                }
                if (column + piece.length() > LINE) {
                    text.append("\r\n\t");
                    column = 8;
                }
                text.append(piece);
                column += piece.length();
            }
        }

        String text() {
            return text.toString();
        }
    }
}
