package org.osprey.core.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.net.IDN;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a self-signed certificate for one hostname in a directory (cert.pem, key.pem): reuses the files while they
 * are usable, valid now and name the hostname, and otherwise makes a new RSA 2048 pair valid for three years. The
 * key file is written with mode 0600 before anyone can read it, and both files are replaced atomically.
 */
final class SelfSignedCertificate {

    /** Where the pair is. */
    record PemPaths(Path certChain, Path privateKey) {
    }

    private static final Logger log = LoggerFactory.getLogger(SelfSignedCertificate.class);
    private static final String CERT_FILE = "cert.pem";
    private static final String KEY_FILE = "key.pem";
    private static final int RSA_BITS = 2048;
    private static final int VALIDITY_YEARS = 3;
    private static final int SAN_DNS_NAME = 2;
    private static final int SAN_IP_ADDRESS = 7;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> WORLD_READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private SelfSignedCertificate() {
    }

    static PemPaths ensure(Path dir, String hostname) throws TlsException {
        String name = normalize(hostname);
        PemPaths files = new PemPaths(dir.resolve(CERT_FILE), dir.resolve(KEY_FILE));
        String reason = reasonToMakeNew(files, name);
        if (reason == null) {
            return files;
        }
        KeyPair pair;
        X509Certificate cert;
        try {
            pair = newKeyPair();
            cert = newCertificate(pair, name);
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new TlsException("self-signed TLS certificate for " + name + ": cannot make it ("
                + PemFiles.oneLine(e) + ")", e);
        }
        try {
            Files.createDirectories(dir);
            // a stop between the two writes leaves a pair that does not match, which the next start replaces
            write(files.privateKey(), pem("PRIVATE KEY", pair.getPrivate().getEncoded()), OWNER_ONLY);
            write(files.certChain(), pem("CERTIFICATE", cert.getEncoded()), WORLD_READABLE);
        } catch (IOException | CertificateEncodingException e) {
            throw new TlsException("self-signed TLS certificate in " + dir + ": cannot write ("
                + PemFiles.oneLine(e) + ")", e);
        }
        log.info("Made a self-signed TLS certificate for {} in {} ({}), SHA-256 fingerprint {}", name, dir, reason,
            fingerprint(cert));
        return files;
    }

    /** The SHA-256 fingerprint as browsers and openssl show it: upper-case hex pairs joined by colons. */
    static String fingerprint(X509Certificate cert) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint a certificate", e);
        }
    }

    /** Null when the files can be served as they are, else why not (for the log line). */
    private static String reasonToMakeNew(PemPaths files, String name) {
        if (!Files.exists(files.certChain()) || !Files.exists(files.privateKey())) {
            return "there was none";
        }
        CertifiedKey existing;
        try {
            existing = PemFiles.read(files.certChain(), files.privateKey());
        } catch (TlsException e) {
            // these are our own files: a new pair is what the administrator would make by hand anyway
            log.warn("Replacing the unusable self-signed TLS certificate: {}", e.getMessage());
            return "the old files were unusable";
        }
        X509Certificate leaf = existing.leaf();
        try {
            leaf.checkValidity();
        } catch (CertificateException e) {
            return "the old one was not valid now, " + PemFiles.oneLine(e);
        }
        if (!namesHost(leaf, name)) {
            return "the old one was for " + leaf.getSubjectX500Principal().getName();
        }
        return null;
    }

    private static boolean namesHost(X509Certificate cert, String name) {
        Collection<List<?>> names;
        try {
            names = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return false;
        }
        if (names == null) {
            return false;
        }
        InetAddress address = ipLiteral(name);
        for (List<?> entry : names) {
            int type = (Integer) entry.get(0);
            String value = String.valueOf(entry.get(1));
            if (address == null && type == SAN_DNS_NAME && value.equalsIgnoreCase(name)) {
                return true;
            }
            if (address != null && type == SAN_IP_ADDRESS && address.equals(ipLiteral(value))) {
                return true;
            }
        }
        return false;
    }

    /** The hostname as it goes into the certificate: ASCII (IDNA), lower case, without a root dot. */
    private static String normalize(String hostname) throws TlsException {
        String name = hostname == null ? "" : hostname.strip();
        // "mx.example.com." is the same host, but clients compare the name without the root dot
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.isEmpty()) {
            throw new TlsException("self-signed TLS certificate: no hostname given");
        }
        if (ipLiteral(name) != null) {
            return name;
        }
        try {
            return IDN.toASCII(name).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new TlsException("self-signed TLS certificate: invalid hostname " + hostname + " ("
                + PemFiles.oneLine(e) + ")", e);
        }
    }

    private static InetAddress ipLiteral(String text) {
        try {
            return InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static KeyPair newKeyPair() throws NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(RSA_BITS);
        return generator.generateKeyPair();
    }

    private static X509Certificate newCertificate(KeyPair pair, String name)
            throws GeneralSecurityException, OperatorCreationException, CertIOException {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, name).build();
        Instant now = Instant.now();
        // an hour back for clients whose clock is a little behind ours
        Date notBefore = Date.from(now.minus(1, ChronoUnit.HOURS));
        Date notAfter = Date.from(now.atOffset(ZoneOffset.UTC).plusYears(VALIDITY_YEARS).toInstant());
        // positive, at most 20 octets, unpredictable: what RFC 5280 and the CA/B forum ask of serials
        BigInteger serial = new BigInteger(159, new SecureRandom()).setBit(0);
        InetAddress address = ipLiteral(name);
        GeneralName altName = address == null
            ? new GeneralName(GeneralName.dNSName, name)
            : new GeneralName(GeneralName.iPAddress, new DEROctetString(address.getAddress()));

        X509v3CertificateBuilder builder =
            new JcaX509v3CertificateBuilder(subject, serial, notBefore, notAfter, subject, pair.getPublic());
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(altName));
        // not a CA: Firefox and Thunderbird refuse a CA certificate used as a server's own
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true,
            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        builder.addExtension(Extension.subjectKeyIdentifier, false,
            extensions.createSubjectKeyIdentifier(pair.getPublic()));
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    /**
     * Writes next to the target and renames over it, so a reader never sees half a file. The temporary file is
     * created owner-only, and gets its final mode before the rename.
     */
    private static void write(Path target, String content, Set<PosixFilePermission> mode) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        Path temp = posix
            ? Files.createTempFile(dir, "." + target.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(OWNER_ONLY))
            : Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            Files.writeString(temp, content, StandardCharsets.US_ASCII);
            if (posix) {
                Files.setPosixFilePermissions(temp, mode);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
