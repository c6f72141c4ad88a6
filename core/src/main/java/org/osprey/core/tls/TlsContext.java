package org.osprey.core.tls;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The server certificate and TLS policy shared by every listener (STARTTLS and implicit TLS alike). Made once at
 * start; the certificate files are watched and a renewed pair is served without a restart (see {@link #fromPem}).
 * Only TLS 1.3 and TLS 1.2 with ECDHE AEAD suites are accepted. Thread safe.
 */
public final class TlsContext {
    static {
        // Client-initiated TLS 1.2 renegotiation is a cheap CPU DoS and no mail client needs it. JSSE reads this
        // property once, so it is set here, before Osprey creates any TLS context.
        if (System.getProperty("jdk.tls.rejectClientInitiatedRenegotiation") == null) {
            System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
        }
    }

    private final ReloadingKeyManager keyManager;
    private final SSLSocketFactory socketFactory;
    private final SSLParameters parameters;

    private TlsContext(ReloadingKeyManager keyManager) throws TlsException {
        this.keyManager = keyManager;
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            // no trust managers: clients are not asked for certificates
            context.init(new KeyManager[] {keyManager}, new TrustManager[0], null);
            this.socketFactory = context.getSocketFactory();
            this.parameters = TlsPolicy.serverParameters(context);
        } catch (GeneralSecurityException e) {
            throw new TlsException("cannot set up TLS: " + PemFiles.oneLine(e), e);
        }
    }

    /**
     * Serves the PEM certificate chain (leaf first) and the unencrypted PEM private key (PKCS#8, PKCS#1 RSA or SEC1
     * EC) at these paths. Both files are read again when either changes (looked at no more than once a second, when
     * a handshake starts), so a renewed certificate is served without a restart; if the new files are unreadable or
     * do not match, the old pair stays in service and one warning is logged.
     *
     * @throws TlsException the files cannot be used now; the message names the file and the problem in one line
     */
    public static TlsContext fromPem(Path certChain, Path privateKey) throws TlsException {
        return new TlsContext(ReloadingKeyManager.open(certChain, privateKey));
    }

    /**
     * For when no certificate is configured: serves a self-signed certificate for {@code hostname} kept in
     * {@code dir} (cert.pem, key.pem with mode 0600), made on the first start and made again only when it is
     * missing, unusable, expired or for another hostname. The files are then served as {@link #fromPem} does.
     */
    public static TlsContext selfSigned(Path dir, String hostname) throws TlsException {
        SelfSignedCertificate.PemPaths files = SelfSignedCertificate.ensure(dir, hostname);
        return fromPem(files.certChain(), files.privateKey());
    }

    /**
     * Wraps an accepted plain socket as a server-mode TLS socket with this policy; closing it closes the plain one.
     * The caller starts the handshake ({@link SSLSocket#startHandshake()}). For STARTTLS, anything the client sent in
     * clear text after the command must have been thrown away before this call.
     */
    public SSLSocket wrapServer(Socket plain) throws IOException {
        // this overload makes a server-mode socket; null: no bytes were consumed from the stream
        SSLSocket socket = (SSLSocket) socketFactory.createSocket(plain, null, true);
        socket.setUseClientMode(false);
        socket.setSSLParameters(parameters);
        return socket;
    }

    /** The certificate chain currently served, leaf first. */
    public List<X509Certificate> certificateChain() {
        return keyManager.chain();
    }
}
