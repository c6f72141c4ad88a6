package org.osprey.delivery.dkim;

import java.io.IOException;
import java.net.IDN;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.osprey.core.io.DirectorySync;

/**
 * The DKIM keys on disk: {@code <data_dir>/dkim/<domain>/<selector>.<rsa|ed25519>.key}, a PKCS#8 PEM private key
 * (mode 0600, directories 0700), and beside it {@code <selector>.<rsa|ed25519>.txt}, the zone-file line to publish.
 * The .key file is the truth: the public key and the record are derived from it on every load, so a lost or stale
 * .txt file changes nothing. A PKCS#1 RSA key ("BEGIN RSA PRIVATE KEY", as older opendkim-genkey wrote) dropped
 * in under that name is read too.
 *
 * <p>Domains and selectors are lower-cased, IDNs turned into A-labels, and anything but LDH labels refused, so a
 * name can never reach outside its directory. A key file appears whole or not at all (written aside, fsync'd, then
 * linked into place), and {@link #generate} never replaces an existing one.
 */
public final class DkimKeys {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> KEY_MODE = PosixFilePermissions.fromString("rw-------");
    private static final int RSA_BITS = 2048;
    private static final String KEY_SUFFIX = ".key";

    private final Path root;

    /** {@code dataDir} is the server's data_dir; the keys live in its "dkim" folder. */
    public DkimKeys(Path dataDir) {
        this.root = dataDir.resolve("dkim");
    }

    /** The folder of one domain's keys; the domain is normalized and checked as by {@link #domainName}. */
    public Path directory(String domain) {
        return root.resolve(domainName(domain));
    }

    /** Where the private key of this selector and algorithm lives (whether or not it exists). */
    public Path keyFile(String domain, String selector, DkimAlgorithm algorithm) {
        return directory(domain).resolve(selectorName(selector) + "." + algorithm.keyType() + KEY_SUFFIX);
    }

    /**
     * Makes a new key pair (RSA 2048 or Ed25519) and stores it with its record beside it.
     *
     * @throws FileAlreadyExistsException (with the existing key's path) when the selector already has a key, of
     *                                    either algorithm
     * @throws IllegalArgumentException   when the domain or the selector is not a valid DNS name
     */
    public DkimKey generate(String domain, String selector, DkimAlgorithm algorithm) throws IOException {
        String name = domainName(domain);
        String sel = selectorName(selector);
        Path directory = root.resolve(name);
        Path target = directory.resolve(sel + "." + algorithm.keyType() + KEY_SUFFIX);
        for (DkimAlgorithm any : DkimAlgorithm.values()) {
            // One selector, one DNS record, one key (RFC 6376 §3.6.2.2 leaves several records at a name undefined),
            // so a selector that has a key of either algorithm is taken. Checked before the (slow) RSA generation;
            // for the same algorithm the link below is the real guard.
            Path taken = directory.resolve(sel + "." + any.keyType() + KEY_SUFFIX);
            if (Files.exists(taken)) {
                throw new FileAlreadyExistsException(taken.toString());
            }
        }
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm.jcaName());
            if (algorithm == DkimAlgorithm.RSA) {
                generator.initialize(RSA_BITS);
            }
            pair = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make " + algorithm.jcaName() + " keys", e);
        }
        DkimKey key;
        try {
            key = new DkimKey(name, sel, algorithm, pair.getPrivate(), publicKeyText(pair.getPrivate(), algorithm));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive the public key of a new " + algorithm.jcaName() + " key",
                    e);
        }

        createPrivateDirectory(root);
        createPrivateDirectory(directory);
        Path temp = directory.resolve("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
                + System.nanoTime());
        try {
            writeDurably(temp, pem(pair.getPrivate().getEncoded()), posix() ? KEY_MODE : null);
            // A hard link fails when the target exists, so two generators racing cannot replace each other's key.
            Files.createLink(target, temp);
        } finally {
            Files.deleteIfExists(temp);
        }
        Files.writeString(directory.resolve(sel + "." + algorithm.keyType() + ".txt"), key.zoneRecord() + "\n",
                StandardCharsets.US_ASCII);
        new DirectorySync().sync(directory);
        return key;
    }

    /**
     * Every key of the domain, oldest file first (ties by selector), RSA and Ed25519 alike; empty when it has none.
     *
     * @throws IOException naming the file when a key file cannot be read or parsed
     */
    public List<DkimKey> load(String domain) throws IOException {
        String name = domainName(domain);
        Path directory = root.resolve(name);
        record Found(Path file, String selector, DkimAlgorithm algorithm, FileTime modified) {
        }
        var found = new ArrayList<Found>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + KEY_SUFFIX)) {
            for (Path file : files) {
                String fileName = file.getFileName().toString();
                if (fileName.startsWith(".")) {
                    continue;
                }
                String stem = fileName.substring(0, fileName.length() - KEY_SUFFIX.length());
                int dot = stem.lastIndexOf('.');
                if (dot <= 0) {
                    continue;
                }
                var algorithm = DkimAlgorithm.ofKeyType(stem.substring(dot + 1));
                String selector = stem.substring(0, dot);
                if (algorithm.isEmpty() || !isDnsName(selector)) {
                    continue;
                }
                found.add(new Found(file, selector, algorithm.get(), Files.getLastModifiedTime(file)));
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        found.sort(Comparator.comparing(Found::modified).thenComparing(Found::selector));
        var keys = new ArrayList<DkimKey>();
        for (Found f : found) {
            keys.add(read(f.file(), name, f.selector(), f.algorithm()));
        }
        return keys;
    }

    /**
     * The keys to sign the domain's mail with: one per algorithm, RSA first, each the oldest key of its algorithm.
     * Oldest, so that a key rotation is safe: generate the new key, publish its record, wait for the DNS, then
     * delete the old key file; mail is signed with a published key all along. A domain that is not a valid DNS
     * name has no keys (no exception), so a caller can pass any From domain.
     */
    public List<DkimKey> signingKeys(String domain) throws IOException {
        List<DkimKey> all;
        try {
            all = load(domain);
        } catch (IllegalArgumentException e) {
            return List.of(); // a From domain that is no DNS name (an address literal, garbage) has no keys
        }
        Map<DkimAlgorithm, DkimKey> first = new EnumMap<>(DkimAlgorithm.class);
        for (DkimKey key : all) {
            first.putIfAbsent(key.algorithm(), key);
        }
        return List.copyOf(first.values());
    }

    /**
     * The domain as DKIM names it in d= and in the key's file path: IDNs as A-labels (RFC 5890), lower case, only
     * LDH labels.
     *
     * @throws IllegalArgumentException for anything else (empty labels, "..", "/", "_", spaces)
     */
    public static String domainName(String domain) {
        String name = domain.strip();
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        try {
            name = IDN.toASCII(name, 0).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid domain name: " + printable(domain));
        }
        if (!isDnsName(name)) {
            throw new IllegalArgumentException("not a valid domain name: " + printable(domain));
        }
        return name;
    }

    /** A selector is a DNS name of its own (RFC 6376 §3.1), dots allowed; lower-cased. */
    public static String selectorName(String selector) {
        String name = selector.strip().toLowerCase(Locale.ROOT);
        if (!isDnsName(name)) {
            throw new IllegalArgumentException("not a valid selector (letters, digits, '-' and '.'): "
                    + printable(selector));
        }
        return name;
    }

    private static boolean isDnsName(String name) {
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    private static String printable(String text) {
        return text.replaceAll("[^ -~]", "?");
    }

    private static DkimKey read(Path file, String domain, String selector, DkimAlgorithm algorithm)
            throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        try {
            PrivateKey privateKey = parsePem(text, algorithm);
            return new DkimKey(domain, selector, algorithm, privateKey, publicKeyText(privateKey, algorithm));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("cannot read the " + algorithm.keyType() + " DKIM key " + file + ": "
                    + e.getMessage(), e);
        }
    }

    private static PrivateKey parsePem(String text, DkimAlgorithm algorithm) throws GeneralSecurityException,
            IOException {
        String type;
        if (text.contains("-----BEGIN PRIVATE KEY-----")) {
            type = "PRIVATE KEY";
        } else if (algorithm == DkimAlgorithm.RSA && text.contains("-----BEGIN RSA PRIVATE KEY-----")) {
            type = "RSA PRIVATE KEY";
        } else {
            throw new IllegalArgumentException("no \"BEGIN PRIVATE KEY\" PEM block");
        }
        int start = text.indexOf("-----BEGIN " + type + "-----") + ("-----BEGIN " + type + "-----").length();
        int end = text.indexOf("-----END " + type + "-----", start);
        if (end < 0) {
            throw new IllegalArgumentException("the PEM block has no END line");
        }
        byte[] der = Base64.getMimeDecoder().decode(text.substring(start, end));
        if (type.equals("RSA PRIVATE KEY")) {
            // PKCS#1 RSAPrivateKey: wrap it into the PKCS#8 envelope the JDK's KeyFactory reads.
            der = new PrivateKeyInfo(new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                    ASN1Primitive.fromByteArray(der)).getEncoded();
        }
        return KeyFactory.getInstance(algorithm.jcaName()).generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    /**
     * The p= text of the key's public half: base64 of the SubjectPublicKeyInfo for RSA (as opendkim-genkey and
     * every verifier use), of only the 32 key bytes for Ed25519 (RFC 8463 §4.2).
     */
    static String publicKeyText(PrivateKey key, DkimAlgorithm algorithm) throws GeneralSecurityException {
        if (algorithm == DkimAlgorithm.RSA) {
            if (!(key instanceof RSAPrivateCrtKey crt)) {
                throw new GeneralSecurityException("the RSA key lacks its public exponent (not a CRT key)");
            }
            byte[] spki = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(crt.getModulus(),
                    crt.getPublicExponent())).getEncoded();
            return Base64.getEncoder().encodeToString(spki);
        }
        if (!(key instanceof EdECPrivateKey ed)) {
            throw new GeneralSecurityException("not an Ed25519 key");
        }
        byte[] seed = ed.getBytes().orElseThrow(() -> new GeneralSecurityException("the Ed25519 key has no bytes"));
        // The JDK cannot derive an Ed25519 public key from the private one; BouncyCastle can (RFC 8032 §5.1.5).
        return Base64.getEncoder().encodeToString(new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey()
                .getEncoded());
    }

    private static byte[] pem(byte[] pkcs8) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs8);
        return ("-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static void createPrivateDirectory(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            if (posix()) {
                FileAttribute<?> mode = PosixFilePermissions.asFileAttribute(DIRECTORY_MODE);
                try {
                    Files.createDirectories(directory, mode);
                } catch (FileAlreadyExistsException e) {
                    // made by a concurrent generate: fine, its mode is set below
                }
            } else {
                Files.createDirectories(directory);
            }
        }
        if (posix()) {
            // Also tightens a folder someone made by hand: private keys must not be readable by other users.
            Files.setPosixFilePermissions(directory, DIRECTORY_MODE);
        }
    }

    private static void writeDurably(Path file, byte[] data, Set<PosixFilePermission> mode) throws IOException {
        FileAttribute<?>[] attributes = mode == null ? new FileAttribute<?>[0]
                : new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)};
        try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), attributes)) {
            ByteBuffer buffer = ByteBuffer.wrap(data);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            DirectorySync.syncFile(channel);
        }
        if (mode != null) {
            // The umask may have taken bits off at creation; it can only have made the mode stricter, but say it.
            Files.setPosixFilePermissions(file, mode);
        }
    }
}
