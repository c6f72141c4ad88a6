package org.osprey.core.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads a PEM certificate chain and an unencrypted PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC) and checks that
 * the key belongs to the first certificate. Objects of the other kind in either file are skipped, so one combined
 * file can be given for both. Every failure is a {@link TlsException} with a one-line message naming the file.
 */
final class PemFiles {

    private PemFiles() {
    }

    static CertifiedKey read(Path certChainFile, Path privateKeyFile) throws TlsException {
        List<X509Certificate> chain = readChain(certChainFile);
        PrivateKey key = readPrivateKey(privateKeyFile);
        checkMatch(chain.getFirst(), key, certChainFile, privateKeyFile);
        return new CertifiedKey(chain, key);
    }

    static List<X509Certificate> readChain(Path file) throws TlsException {
        String what = "TLS certificate file " + file;
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(open(file, what))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof X509CertificateHolder holder) {
                    chain.add(converter.getCertificate(holder));
                }
            }
        } catch (CertificateException e) {
            throw new TlsException(what + ": invalid certificate (" + oneLine(e) + ")", e);
        } catch (IOException e) {
            throw new TlsException(what + ": not valid PEM (" + oneLine(e) + ")", e);
        }
        if (chain.isEmpty()) {
            throw new TlsException(what + ": no PEM certificate (-----BEGIN CERTIFICATE-----) found");
        }
        return chain;
    }

    static PrivateKey readPrivateKey(Path file) throws TlsException {
        String what = "TLS private key file " + file;
        PrivateKeyInfo found = null;
        try (PEMParser parser = new PEMParser(open(file, what))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                PrivateKeyInfo info = switch (o) {
                    case PrivateKeyInfo pkcs8 -> pkcs8;
                    case PEMKeyPair pair -> pair.getPrivateKeyInfo(); // PKCS#1 RSA or SEC1 EC
                    case PEMEncryptedKeyPair _, PKCS8EncryptedPrivateKeyInfo _ ->
                        throw new TlsException(what + ": the private key is encrypted; give an unencrypted key"
                            + " (readable by the mail server only)");
                    // "openssl ecparam -genkey" puts an EC PARAMETERS block before the key, and certificates are
                    // skipped so that one combined file can serve as both
                    default -> null;
                };
                if (info != null) {
                    if (found != null) {
                        throw new TlsException(what + ": more than one private key in the file");
                    }
                    found = info;
                }
            }
        } catch (IOException e) {
            throw new TlsException(what + ": not valid PEM (" + oneLine(e) + ")", e);
        }
        if (found == null) {
            throw new TlsException(what + ": no PEM private key (-----BEGIN PRIVATE KEY-----) found");
        }
        try {
            return new JcaPEMKeyConverter().getPrivateKey(found);
        } catch (IOException | RuntimeException e) {
            throw new TlsException(what + ": unusable private key (" + oneLine(e) + ")", e);
        }
    }

    /** A signature made with the key must verify with the leaf's public key: works for every key type alike. */
    private static void checkMatch(X509Certificate leaf, PrivateKey key, Path certFile, Path keyFile)
            throws TlsException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> throw new TlsException("TLS private key file " + keyFile + ": unsupported key algorithm "
                + key.getAlgorithm() + " (use RSA or EC)");
        };
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        boolean matches;
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            PublicKey publicKey = leaf.getPublicKey();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            // typically an RSA key against an EC certificate or the other way round
            matches = false;
        }
        if (!matches) {
            throw new TlsException("TLS private key file " + keyFile + ": the key does not match the first"
                + " certificate in " + certFile + " (" + leaf.getSubjectX500Principal().getName() + ")");
        }
    }

    private static Reader open(Path file, String what) throws TlsException {
        try {
            // Latin-1 never fails to decode, so binary junk shows up as "no PEM found" rather than a charset error
            return Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new TlsException(what + ": file does not exist", e);
        } catch (AccessDeniedException e) {
            throw new TlsException(what + ": permission denied", e);
        } catch (IOException e) {
            throw new TlsException(what + ": cannot read (" + oneLine(e) + ")", e);
        }
    }

    static String oneLine(Throwable e) {
        String message = e.getMessage();
        String text = message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
        return text.strip().replaceAll("\\s*[\\r\\n]+\\s*", "; ");
    }
}
