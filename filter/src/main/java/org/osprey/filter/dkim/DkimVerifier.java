package org.osprey.filter.dkim;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osprey.filter.dkim.DkimKeyRecord.KeyException;
import org.osprey.filter.dkim.DkimResult.Code;
import org.osprey.filter.dns.TxtLookup;

/**
 * Verifies the DKIM signatures of a received message (RFC 6376 §6; ed25519-sha256 from RFC 8463), in two steps so
 * the DNS part can run concurrently and within a time budget: {@link #read} reads the message once, parses each
 * DKIM-Signature (at most {@code maxSignatures}, from the top: each costs a key lookup, and a sender could add
 * hundreds), hashes the body for each and builds the signed header data; {@link #verify(Pending)} fetches the key
 * and checks the signature. The body is streamed through the canonicalizers and hashes, never held in memory; l=
 * (hash only the first l octets of the canonical body) is honoured. Thread-safe.
 */
public final class DkimVerifier {
    public static final int DEFAULT_MAX_SIGNATURES = 5;
    /** A header section larger than this is not verified (the SMTP size limit bounds the whole message anyway). */
    static final int MAX_HEADER = 1024 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final Pattern B_TAG = Pattern.compile("(^|;)([ \t\r\n]*b[ \t\r\n]*=)[^;]*");
    private static final Pattern D_TAG = Pattern.compile("(?:^|;)[ \t\r\n]*d[ \t\r\n]*=[ \t\r\n]*([^; \t\r\n]*)");

    private final TxtLookup keys;
    private final Clock clock;
    private final int maxSignatures;

    public DkimVerifier(TxtLookup keys, Clock clock, int maxSignatures) {
        this.keys = keys;
        this.clock = clock;
        this.maxSignatures = maxSignatures;
    }

    /** A signature read from the message and ready for its key: either already decided, or waiting for the key. */
    public static final class Pending {
        private final DkimSignature signature;
        private final DkimResult decided;
        private final byte[] signedData;

        private Pending(DkimSignature signature, DkimResult decided, byte[] signedData) {
            this.signature = signature;
            this.decided = decided;
            this.signedData = signedData;
        }

        /** The signing domain, or "" when the signature could not be read. */
        public String domain() {
            return signature != null ? signature.domain() : decided.domain();
        }

        /** The result when no key is needed to know it (broken syntax, wrong body hash), else null. */
        public DkimResult decided() {
            return decided;
        }

        /** The result when the key lookup could not finish in time. */
        public DkimResult temporaryError(String reason) {
            return decided != null ? decided : DkimResult.of(Code.TEMPERROR, signature, reason, false);
        }
    }

    /** Reads and verifies every signature, one after the other. */
    public List<DkimResult> verify(InputStream message) throws IOException {
        List<DkimResult> results = new ArrayList<>();
        for (Pending pending : read(message)) {
            results.add(verify(pending));
        }
        return results;
    }

    /**
     * Reads the message (CRLF line ends) to its end, not closing it; one entry per DKIM-Signature field verified,
     * top first; none when it has no signature.
     */
    public List<Pending> read(InputStream message) throws IOException {
        InputStream in = message instanceof BufferedInputStream ? message : new BufferedInputStream(message, 65536);
        List<RawField> fields = readHeader(in);
        List<Pending> pending = new ArrayList<>();
        List<BodyHash> hashes = new ArrayList<>();
        for (RawField field : fields) {
            if (!field.name().equals("dkim-signature")) {
                continue;
            }
            if (pending.size() == maxSignatures) {
                break;
            }
            String value = field.value();
            DkimSignature signature;
            try {
                signature = DkimSignature.parse(value);
            } catch (IllegalArgumentException e) {
                pending.add(new Pending(null, broken(value, e.getMessage()), null));
                hashes.add(null);
                continue;
            }
            long now = clock.instant().getEpochSecond();
            if (signature.expires().isPresent() && signature.expires().getAsLong() < now) {
                pending.add(new Pending(null, DkimResult.of(Code.FAIL, signature, "signature expired", false), null));
                hashes.add(null);
                continue;
            }
            byte[] signedData = signedData(fields, field, signature);
            pending.add(new Pending(signature, null, signedData));
            hashes.add(new BodyHash(signature.bodyCanon(), signature.bodyLength().orElse(-1)));
        }
        if (pending.isEmpty()) {
            return List.of();
        }
        List<OutputStream> bodies = new ArrayList<>();
        for (BodyHash hash : hashes) {
            if (hash != null) {
                bodies.add(hash.input);
            }
        }
        try (var tee = new Tee(bodies)) {
            in.transferTo(tee);
        }
        List<Pending> result = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            Pending p = pending.get(i);
            BodyHash hash = hashes.get(i);
            if (hash == null) {
                result.add(p);
            } else if (hash.tooShort()) {
                result.add(new Pending(p.signature, DkimResult.of(Code.FAIL, p.signature,
                        "body shorter than l=", false), null));
            } else if (!MessageDigest.isEqual(hash.digest(), p.signature.bodyHash())) {
                result.add(new Pending(p.signature, DkimResult.of(Code.FAIL, p.signature,
                        "body hash did not verify", false), null));
            } else {
                result.add(p);
            }
        }
        return result;
    }

    /** Fetches the key of one read signature and checks the signature (§6.1.2, §6.1.3). Never throws. */
    public DkimResult verify(Pending pending) {
        if (pending.decided != null) {
            return pending.decided;
        }
        DkimSignature signature = pending.signature;
        DkimKeyRecord key;
        switch (keys.lookup(signature.keyName())) {
            case TxtLookup.Answer.Failed failed -> {
                return DkimResult.of(Code.TEMPERROR, signature, "key lookup: " + failed.reason(), false);
            }
            case TxtLookup.Answer.NotFound notFound -> {
                return DkimResult.of(Code.PERMERROR, signature, "no key for signature", false);
            }
            case TxtLookup.Answer.Found found -> {
                KeyException problem = null;
                key = null;
                for (String text : found.texts()) { // §3.6.2.2: more than one record is ambiguous; use one that works
                    try {
                        key = DkimKeyRecord.parse(text);
                        break;
                    } catch (KeyException e) {
                        problem = problem == null ? e : problem;
                    }
                }
                if (key == null) {
                    return DkimResult.of(problem.revoked() ? Code.FAIL : Code.PERMERROR, signature,
                            problem.getMessage(), false);
                }
            }
        }
        if (!key.fits(signature.algorithm())) {
            return DkimResult.of(Code.PERMERROR, signature, "key type " + key.keyType() + " does not fit a="
                    + signature.algorithm(), key.testing());
        }
        if (key.strict() && !signature.identity().toLowerCase(Locale.ROOT).endsWith("@" + signature.domain())) {
            return DkimResult.of(Code.PERMERROR, signature, "key allows no subdomain in i= (t=s)", key.testing());
        }
        boolean valid;
        try {
            valid = switch (signature.algorithm()) {
                case DkimSignature.RSA_SHA256 -> {
                    Signature rsa = Signature.getInstance("SHA256withRSA");
                    rsa.initVerify(key.key());
                    rsa.update(pending.signedData);
                    yield rsa.verify(signature.signature());
                }
                default -> {
                    // RFC 8463 §3: Ed25519 signs the SHA-256 hash of the data, not the data itself
                    Signature ed = Signature.getInstance("Ed25519");
                    ed.initVerify(key.key());
                    ed.update(sha256().digest(pending.signedData));
                    yield ed.verify(signature.signature());
                }
            };
        } catch (GeneralSecurityException | RuntimeException e) {
            valid = false; // e.g. a signature of the wrong length for the key
        }
        return valid ? DkimResult.of(Code.PASS, signature, "", key.testing())
                : DkimResult.of(Code.FAIL, signature, "signature did not verify", key.testing());
    }

    /** A header field as received: lower-case name, raw bytes without the final CRLF (folds kept). */
    private record RawField(String name, byte[] raw) {
        String value() {
            String text = new String(raw, StandardCharsets.ISO_8859_1);
            return text.substring(text.indexOf(':') + 1);
        }
    }

    private static List<RawField> readHeader(InputStream in) throws IOException {
        List<RawField> fields = new ArrayList<>();
        var current = new ByteArrayOutputStream();
        var line = new ByteArrayOutputStream(256);
        int total = 0;
        while (readLine(in, line)) {
            total += line.size();
            if (total > MAX_HEADER) {
                throw new IOException("header section larger than " + MAX_HEADER + " bytes");
            }
            byte[] bytes = line.toByteArray();
            int length = bytes.length;
            if (length >= 2 && bytes[length - 2] == '\r' && bytes[length - 1] == '\n') {
                length -= 2;
            } else if (length >= 1 && bytes[length - 1] == '\n') {
                length -= 1;
            }
            if (length == 0) {
                break; // the empty line before the body
            }
            if ((bytes[0] == ' ' || bytes[0] == '\t') && current.size() > 0) {
                current.write(CRLF);
                current.write(bytes, 0, length);
                continue;
            }
            add(fields, current);
            current.write(bytes, 0, length);
        }
        add(fields, current);
        return fields;
    }

    private static void add(List<RawField> fields, ByteArrayOutputStream current) {
        if (current.size() == 0) {
            return;
        }
        byte[] raw = current.toByteArray();
        current.reset();
        int colon = 0;
        while (colon < raw.length && raw[colon] != ':') {
            colon++;
        }
        if (colon == raw.length) {
            return; // not a header field; it can neither be signed nor sign
        }
        String name = new String(raw, 0, colon, StandardCharsets.ISO_8859_1).strip().toLowerCase(Locale.ROOT);
        fields.add(new RawField(name, raw));
    }

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

    /**
     * The data the signature covers (§3.7): each field named in h=, the next instance counting from the bottom
     * (§5.4.2), canonicalized, with CRLF (a name with no instance left adds nothing); then the DKIM-Signature field
     * itself with the value of b= made empty, canonicalized, without CRLF.
     */
    private static byte[] signedData(List<RawField> fields, RawField own, DkimSignature signature) {
        Map<String, Integer> next = new HashMap<>();
        var out = new ByteArrayOutputStream();
        for (String name : signature.headers()) {
            int from = next.getOrDefault(name, fields.size() - 1);
            int i = from;
            while (i >= 0 && !fields.get(i).name().equals(name)) {
                i--;
            }
            next.put(name, i - 1);
            if (i >= 0) {
                out.writeBytes(signature.headerCanon().header(fields.get(i).raw()));
                out.writeBytes(CRLF);
            }
        }
        String raw = new String(own.raw(), StandardCharsets.ISO_8859_1);
        int colon = raw.indexOf(':');
        Matcher m = B_TAG.matcher(raw.substring(colon + 1));
        String value = m.replaceFirst(r -> Matcher.quoteReplacement(r.group(1) + r.group(2)));
        out.writeBytes(signature.headerCanon().header(
                (raw.substring(0, colon + 1) + value).getBytes(StandardCharsets.ISO_8859_1)));
        return out.toByteArray();
    }

    /** A result for a signature that could not be parsed, naming its d= if that much can be read. */
    private static DkimResult broken(String value, String problem) {
        Matcher d = D_TAG.matcher(value);
        String domain = d.find() ? d.group(1).toLowerCase(Locale.ROOT) : "";
        return new DkimResult(Code.PERMERROR, domain, "", "", "", "", "bad signature: " + problem, false);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** One signature's body hash: canonicalizer, then at most {@code limit} octets (-1: all) into SHA-256. */
    private static final class BodyHash {
        final MessageDigest digest = sha256();
        final long limit;
        long canonical;
        final OutputStream input;

        BodyHash(Canonicalization canon, long limit) {
            this.limit = limit;
            this.input = canon.body(new OutputStream() {
                @Override
                public void write(int b) {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) {
                    long room = limit < 0 ? length : Math.max(0, Math.min(length, limit - canonical));
                    digest.update(bytes, offset, (int) room);
                    canonical += length;
                }
            });
        }

        /** §6.1.3: an l= larger than the canonical body fails the signature. */
        boolean tooShort() {
            return limit >= 0 && canonical < limit;
        }

        byte[] digest() {
            return digest.digest();
        }
    }

    /** Writes what it is given to every stream in a list; closing it closes them all. */
    private static final class Tee extends OutputStream {
        private final List<OutputStream> sinks;

        Tee(List<OutputStream> sinks) {
            this.sinks = sinks;
        }

        @Override
        public void write(int b) throws IOException {
            for (OutputStream sink : sinks) {
                sink.write(b);
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            for (OutputStream sink : sinks) {
                sink.write(bytes, offset, length);
            }
        }

        @Override
        public void close() throws IOException {
            for (OutputStream sink : sinks) {
                sink.close();
            }
        }
    }
}
