package org.osprey.core.tls;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the key pair read from two PEM files and swaps in a new pair when either file changes, so a renewed
 * certificate is used without a new SSLContext. The files are looked at during a handshake, at most once a second;
 * a replacement that cannot be read or does not match is logged once and the current pair stays in service.
 * Server side only: the client methods choose nothing.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {

    private static final Logger log = LoggerFactory.getLogger(ReloadingKeyManager.class);
    private static final long CHECK_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final String ALIAS_PREFIX = "osprey-";

    /** What a file looked like: size and file key as well, so a same-second replace or a rename is noticed too. */
    private record FileStamp(FileTime modified, long size, Object fileKey) {

        static final FileStamp MISSING = new FileStamp(null, -1, null);

        static FileStamp of(Path file) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                return new FileStamp(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
            } catch (IOException e) {
                // half-way through a renewal a file may be gone for a moment; reading it will say what is wrong
                return MISSING;
            }
        }
    }

    private record Stamps(FileStamp certChain, FileStamp privateKey) {
    }

    /** A pair in service. The alias carries the generation so that a handshake keeps the pair it chose. */
    private record Served(String alias, CertifiedKey key, Stamps stamps) {
    }

    private final Path certChainFile;
    private final Path privateKeyFile;
    private final ReentrantLock checking = new ReentrantLock();
    private volatile Served current;
    // the pair before the last swap, for a handshake that chose its alias just before the swap
    private volatile Served previous;
    private volatile long nextCheckNanos;
    // guarded by checking
    private long generation;
    private Stamps lastFailure;

    private ReloadingKeyManager(Path certChainFile, Path privateKeyFile, Served first) {
        this.certChainFile = certChainFile;
        this.privateKeyFile = privateKeyFile;
        this.current = first;
        this.previous = first;
        this.nextCheckNanos = System.nanoTime() + CHECK_INTERVAL_NANOS;
    }

    /** Reads the pair now; bad files are the caller's problem, there is nothing to fall back to yet. */
    static ReloadingKeyManager open(Path certChainFile, Path privateKeyFile) throws TlsException {
        // stamps before contents: a change while reading is then seen at the next check and read again
        Stamps stamps = stamp(certChainFile, privateKeyFile);
        CertifiedKey key = PemFiles.read(certChainFile, privateKeyFile);
        warnIfNotValidNow(key, certChainFile);
        return new ReloadingKeyManager(certChainFile, privateKeyFile, new Served(ALIAS_PREFIX + 0, key, stamps));
    }

    /** The chain a handshake starting now would get (without looking at the files). */
    List<X509Certificate> chain() {
        return current.key().chain();
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return choose(keyType);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        Served served = current;
        return matches(served, keyType) ? new String[] {served.alias()} : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Served served = find(alias);
        return served == null ? null : served.key().chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Served served = find(alias);
        return served == null ? null : served.key().privateKey();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return null;
    }

    private String choose(String keyType) {
        reloadIfChanged();
        Served served = current;
        return matches(served, keyType) ? served.alias() : null;
    }

    /**
     * JSSE asks once per key type it could use ("RSA", "RSASSA-PSS", "EC", ...) and then checks the key's algorithm
     * equals it; answering only for our own type keeps it from being offered for a signature scheme it cannot do.
     */
    private static boolean matches(Served served, String keyType) {
        return keyType == null || keyType.equals(served.key().privateKey().getAlgorithm());
    }

    private Served find(String alias) {
        Served now = current;
        if (now.alias().equals(alias)) {
            return now;
        }
        Served before = previous;
        return before.alias().equals(alias) ? before : null;
    }

    private void reloadIfChanged() {
        long now = System.nanoTime();
        // one handshake checks, the others go on with the current pair rather than queue behind file reads
        if (now - nextCheckNanos < 0 || !checking.tryLock()) {
            return;
        }
        try {
            if (now - nextCheckNanos < 0) {
                return;
            }
            Stamps stamps = stamp(certChainFile, privateKeyFile);
            if (!stamps.equals(current.stamps()) && !stamps.equals(lastFailure)) {
                reload(stamps);
            }
            // counted from the end of the check, so a slow disk cannot make checks run back to back
            nextCheckNanos = System.nanoTime() + CHECK_INTERVAL_NANOS;
        } finally {
            checking.unlock();
        }
    }

    private void reload(Stamps stamps) {
        CertifiedKey key;
        try {
            key = PemFiles.read(certChainFile, privateKeyFile);
        } catch (TlsException e) {
            // remembered so the warning comes once per bad state, not once a second
            lastFailure = stamps;
            log.warn("New TLS certificate not used, still serving {}: {}", describe(current.key()), e.getMessage());
            return;
        }
        lastFailure = null;
        generation++;
        Served next = new Served(ALIAS_PREFIX + generation, key, stamps);
        previous = current;
        current = next;
        log.info("TLS certificate reloaded from {}: now serving {}", certChainFile, describe(key));
        warnIfNotValidNow(key, certChainFile);
    }

    private static Stamps stamp(Path certChainFile, Path privateKeyFile) {
        return new Stamps(FileStamp.of(certChainFile), FileStamp.of(privateKeyFile));
    }

    private static String describe(CertifiedKey key) {
        X509Certificate leaf = key.leaf();
        return leaf.getSubjectX500Principal().getName() + " (valid until " + leaf.getNotAfter().toInstant() + ")";
    }

    /** Serving an expired certificate beats serving none, but the administrator should hear about it. */
    private static void warnIfNotValidNow(CertifiedKey key, Path certChainFile) {
        X509Certificate leaf = key.leaf();
        try {
            leaf.checkValidity();
        } catch (CertificateException e) {
            log.warn("TLS certificate in {} is not valid now: {} (valid {} to {})", certChainFile,
                PemFiles.oneLine(e), leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
        }
    }
}
