package org.osprey.filter.dkim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.osprey.filter.dns.TestDnsServer;

/**
 * Debian's python3-dkim (dkimpy), an independent DKIM implementation, driven from the tests: it signs test messages
 * with keys made here (so the verifier is tried on third-party signatures, RSA and Ed25519, relaxed and simple, with
 * and without l=), and canonicalizes test inputs so ours can be compared byte for byte. Needs python3-dkim and
 * python3-nacl (for ed25519), as .ci/run installs them.
 */
public final class Dkimpy {
    private static final String SIGN = """
            import sys, dkim
            message = open(sys.argv[1], 'rb').read()
            key = open(sys.argv[4], 'rb').read()
            canon = tuple(c.encode() for c in sys.argv[6].split('/'))
            headers = None if sys.argv[8] == '-' else [h.encode() for h in sys.argv[8].split(':')]
            signature = dkim.sign(message, sys.argv[2].encode(), sys.argv[3].encode(), key,
                                  signature_algorithm=sys.argv[5].encode(), canonicalize=canon,
                                  include_headers=headers, length=sys.argv[7] == '1')
            sys.stdout.buffer.write(signature)
            """;

    private static final String CANONICALIZE = """
            import sys, base64
            from dkim.canonicalization import Relaxed, Simple
            for line in sys.stdin:
                kind, algorithm, data = line.rstrip('\\n').split(' ')
                data = base64.b64decode(data)
                c = Relaxed if algorithm == 'relaxed' else Simple
                if kind == 'body':
                    out = c.canonicalize_body(data)
                else:
                    name, value = data.split(b':', 1)
                    (n, v), = c.canonicalize_headers([(name, value)])
                    out = n + b':' + v
                    if algorithm == 'relaxed':
                        out = out[:-2]
                print(base64.b64encode(out).decode())
            """;

    private Dkimpy() {
    }

    /** A signing key of a test domain: the key pair and the record receivers find at selector._domainkey.domain. */
    public record Key(String domain, String selector, String algorithm, KeyPair pair) {
        /** The TXT record: "v=DKIM1; k=rsa; p=..." (Ed25519: the raw 32 key bytes, RFC 8463 §4.2). */
        public String record() {
            byte[] spki = pair.getPublic().getEncoded();
            return algorithm.startsWith("rsa")
                    ? "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(spki)
                    : "v=DKIM1; k=ed25519; p=" + Base64.getEncoder().encodeToString(
                            Arrays.copyOfRange(spki, spki.length - 32, spki.length));
        }

        public String dnsName() {
            return selector + "._domainkey." + domain;
        }

        /** Serves the key record, split into strings of 255 characters as long records are. */
        public Key publish(TestDnsServer dns) {
            String text = record();
            List<String> strings = new ArrayList<>();
            for (int i = 0; i < text.length(); i += 255) {
                strings.add(text.substring(i, Math.min(text.length(), i + 255)));
            }
            dns.txtStrings(dnsName(), strings.toArray(String[]::new));
            return this;
        }

        /** What dkimpy takes: PKCS#8 PEM for RSA, base64 of the 32-byte seed for Ed25519. */
        String privateKeyText() {
            byte[] pkcs8 = pair.getPrivate().getEncoded();
            if (algorithm.startsWith("rsa")) {
                return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                        .encodeToString(pkcs8) + "\n-----END PRIVATE KEY-----\n";
            }
            return Base64.getEncoder().encodeToString(Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length));
        }
    }

    public static Key rsa(String domain, String selector) throws GeneralSecurityException {
        return rsa(domain, selector, 2048);
    }

    public static Key rsa(String domain, String selector, int bits) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits);
        return new Key(domain, selector, "rsa-sha256", generator.generateKeyPair());
    }

    public static Key ed25519(String domain, String selector) throws GeneralSecurityException {
        return new Key(domain, selector, "ed25519-sha256", KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
    }

    /** The message with dkimpy's DKIM-Signature on top (c= "relaxed/simple" etc., l= if asked). */
    public static byte[] sign(Path work, byte[] message, Key key, String canonicalization, boolean length)
            throws IOException, InterruptedException {
        return sign(work, message, key, canonicalization, length, null);
    }

    /** As {@link #sign(Path, byte[], Key, String, boolean)}, signing only the named fields (null: dkimpy's choice). */
    public static byte[] sign(Path work, byte[] message, Key key, String canonicalization, boolean length,
                              List<String> headers) throws IOException, InterruptedException {
        Files.createDirectories(work);
        Path script = Files.writeString(work.resolve("sign.py"), SIGN);
        Path file = Files.write(work.resolve("message.eml"), message);
        Path keyFile = Files.writeString(work.resolve("key.txt"), key.privateKeyText());
        byte[] signature = run(List.of(python(), script.toString(), file.toString(), key.selector(), key.domain(),
                keyFile.toString(), key.algorithm(), canonicalization, length ? "1" : "0",
                headers == null ? "-" : String.join(":", headers)), new byte[0]);
        byte[] signed = Arrays.copyOf(signature, signature.length + message.length);
        System.arraycopy(message, 0, signed, signature.length, message.length);
        return signed;
    }

    /** dkimpy's canonicalization ("relaxed" or "simple") of each input: "body" as bodies, "header" as one field. */
    static List<byte[]> canonicalize(Path work, String kind, String algorithm, List<byte[]> inputs)
            throws IOException, InterruptedException {
        Files.createDirectories(work);
        Path script = Files.writeString(work.resolve("canonicalize.py"), CANONICALIZE);
        var stdin = new StringBuilder();
        for (byte[] input : inputs) {
            stdin.append(kind).append(' ').append(algorithm).append(' ')
                    .append(Base64.getEncoder().encodeToString(input)).append('\n');
        }
        var out = new ArrayList<byte[]>();
        String lines = new String(run(List.of(python(), script.toString()),
                stdin.toString().getBytes(StandardCharsets.US_ASCII)), StandardCharsets.US_ASCII);
        for (String line : lines.lines().toList()) {
            out.add(Base64.getDecoder().decode(line));
        }
        return out;
    }

    /** Debian's interpreter, where python3-dkim is installed (a python3 earlier on the PATH may lack it). */
    private static String python() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    private static byte[] run(List<String> command, byte[] stdin) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command.getFirst() + ": this test needs Python with dkimpy"
                    + " (Debian: apt-get install python3 python3-dkim python3-nacl)", e);
        }
        try (var in = process.getOutputStream()) {
            in.write(stdin);
        }
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish");
        }
        if (process.exitValue() != 0) {
            throw new AssertionError(command + " failed (exit " + process.exitValue() + "; is dkimpy installed?"
                    + " Debian: apt-get install python3-dkim python3-nacl): "
                    + new String(out, StandardCharsets.UTF_8));
        }
        return out;
    }
}
