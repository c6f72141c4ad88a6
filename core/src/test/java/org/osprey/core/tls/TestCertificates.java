package org.osprey.core.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/** Certificates and PEM files for tests, made with BouncyCastle so no openssl is needed. */
final class TestCertificates {

    /** A certificate and its key pair. */
    record Issued(X509Certificate certificate, KeyPair keys) {

        PrivateKey privateKey() {
            return keys.getPrivate();
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private TestCertificates() {
    }

    /** A self-signed server certificate for hostname, valid from an hour ago for a day. */
    static Issued selfSigned(String keyAlgorithm, String hostname) {
        Instant now = Instant.now();
        return selfSigned(keyAlgorithm, hostname, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
    }

    static Issued selfSigned(String keyAlgorithm, String hostname, Instant notBefore, Instant notAfter) {
        KeyPair keys = keyPair(keyAlgorithm);
        return sign(new X500Name("CN=" + hostname), keys, hostname, false, new X500Name("CN=" + hostname),
            keys.getPrivate(), notBefore, notAfter);
    }

    static Issued certificateAuthority(String name) {
        KeyPair keys = keyPair("RSA");
        Instant now = Instant.now();
        return sign(new X500Name("CN=" + name), keys, null, true, new X500Name("CN=" + name), keys.getPrivate(),
            now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
    }

    static Issued issue(Issued ca, String keyAlgorithm, String hostname) {
        Instant now = Instant.now();
        X500Name issuer = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
        return sign(new X500Name("CN=" + hostname), keyPair(keyAlgorithm), hostname, false, issuer,
            ca.privateKey(), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
    }

    static KeyPair keyPair(String algorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("EC")) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator.initialize(2048);
            }
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Issued sign(X500Name subject, KeyPair keys, String hostname, boolean ca, X500Name issuer,
            PrivateKey issuerKey, Instant notBefore, Instant notAfter) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                new BigInteger(64, RANDOM).setBit(0), Date.from(notBefore), Date.from(notAfter), subject,
                keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (hostname != null) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, hostname)));
            }
            String algorithm = issuerKey.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            var signer = new JcaContentSignerBuilder(algorithm).build(issuerKey);
            return new Issued(new JcaX509CertificateConverter().getCertificate(builder.build(signer)), keys);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void writeCertificates(Path file, X509Certificate... chain) throws IOException {
        StringBuilder text = new StringBuilder();
        for (X509Certificate certificate : chain) {
            try {
                text.append(pem("CERTIFICATE", certificate.getEncoded()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        Files.writeString(file, text, StandardCharsets.US_ASCII);
    }

    /** "BEGIN PRIVATE KEY". */
    static void writePkcs8(Path file, PrivateKey key) throws IOException {
        Files.writeString(file, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
    }

    /** "BEGIN RSA PRIVATE KEY", as openssl genrsa writes it. */
    static void writePkcs1(Path file, PrivateKey rsaKey) throws IOException {
        byte[] pkcs1 = PrivateKeyInfo.getInstance(rsaKey.getEncoded()).parsePrivateKey().toASN1Primitive()
            .getEncoded();
        Files.writeString(file, pem("RSA PRIVATE KEY", pkcs1), StandardCharsets.US_ASCII);
    }

    /**
     * "BEGIN EC PARAMETERS" then "BEGIN EC PRIVATE KEY" with curve and public key inside, as openssl ecparam -genkey
     * writes it. Built by hand: the JDK's PKCS#8 encoding leaves both out of the inner SEC1 structure.
     */
    static void writeSec1(Path file, KeyPair ecKeys) throws IOException {
        SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(ecKeys.getPublic().getEncoded());
        ASN1ObjectIdentifier curve = (ASN1ObjectIdentifier) publicKey.getAlgorithm().getParameters();
        int bits = ((ECPublicKey) ecKeys.getPublic()).getParams().getOrder().bitLength();
        var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(bits, ((ECPrivateKey) ecKeys.getPrivate()).getS(),
            publicKey.getPublicKeyData(), curve);
        Files.writeString(file, pem("EC PARAMETERS", curve.getEncoded()) + pem("EC PRIVATE KEY", sec1.getEncoded()),
            StandardCharsets.US_ASCII);
    }

    /** Writes a pair as a renewal would and moves both modification times forward, past any the test saw. */
    static void replace(Path certFile, Path keyFile, Issued pair, Instant mtime) throws IOException {
        writeCertificates(certFile, pair.certificate());
        writePkcs8(keyFile, pair.privateKey());
        touch(certFile, mtime);
        touch(keyFile, mtime);
    }

    static void touch(Path file, Instant mtime) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(mtime));
    }

    static String pem(String type, byte[] der) {
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            writer.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return text.toString();
    }

    static List<X509Certificate> chainOf(Issued... certificates) {
        return Arrays.stream(certificates).map(Issued::certificate).toList();
    }
}
