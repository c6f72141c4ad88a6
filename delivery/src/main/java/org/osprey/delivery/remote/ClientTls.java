package org.osprey.delivery.remote;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.osprey.core.tls.TlsException;

/**
 * The client side of TLS for outgoing SMTP: one context that accepts any certificate (opportunistic and required
 * TLS, where an unchecked certificate still beats clear text, RFC 7435) and one that checks the chain against a
 * trust store and the name against the host we meant to reach (verified). SNI names the host. Protocols and cipher
 * suites are the JDK's defaults, which already exclude SSL 3, TLS 1.0/1.1 and the broken suites. Thread safe.
 */
public final class ClientTls {
    private final SSLContext anyCertificate;
    private final SSLContext verifying;

    private ClientTls(SSLContext verifying) throws GeneralSecurityException {
        this.anyCertificate = SSLContext.getInstance("TLS");
        this.anyCertificate.init(null, new TrustManager[] {new AnyCertificate()}, null);
        this.verifying = verifying;
    }

    /** Verified TLS trusts the JDK's CA certificates (its cacerts, or what javax.net.ssl.trustStore names). */
    public static ClientTls systemTrust() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            SSLContext verifying = SSLContext.getInstance("TLS");
            verifying.init(null, factory.getTrustManagers(), null);
            return new ClientTls(verifying);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make a TLS client context: " + e.getMessage(), e);
        }
    }

    /** Verified TLS trusts exactly these certificates (CAs, or a peer's self-signed certificate). */
    public static ClientTls trusting(Collection<X509Certificate> trusted) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (X509Certificate cert : trusted) {
                store.setCertificateEntry("trusted-" + i++, cert);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            SSLContext verifying = SSLContext.getInstance("TLS");
            verifying.init(null, factory.getTrustManagers(), null);
            return new ClientTls(verifying);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot make a TLS client context: " + e.getMessage(), e);
        }
    }

    /**
     * Verified TLS trusts the PEM certificates in this file (a CA bundle as Postfix's smtp_tls_CAfile).
     *
     * @throws TlsException the file cannot be read or holds no certificate; the message names the file
     */
    public static ClientTls trustingPem(Path caFile) throws TlsException {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(caFile)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new TlsException("TLS CA file " + caFile + ": cannot read (" + e.getMessage() + ")", e);
        } catch (GeneralSecurityException e) {
            throw new TlsException("TLS CA file " + caFile + ": not PEM certificates (" + e.getMessage() + ")", e);
        }
        if (certs.isEmpty()) {
            throw new TlsException("TLS CA file " + caFile + ": no certificate found");
        }
        return trusting(certs.stream().map(X509Certificate.class::cast).toList());
    }

    /**
     * A client TLS socket over a connected one (closing it closes the plain one), not yet shaken hands. With
     * {@code verify}, the handshake fails unless the chain is trusted and the certificate names
     * {@code peer.hostname()} (RFC 6125 rules, wildcards in the left-most label only).
     */
    SSLSocket wrap(Socket plain, Peer peer, boolean verify) throws IOException {
        SSLContext context = verify ? verifying : anyCertificate;
        SSLSocket socket = (SSLSocket) context.getSocketFactory()
            .createSocket(plain, peer.hostname(), peer.port(), true);
        socket.setUseClientMode(true);
        SSLParameters parameters = socket.getSSLParameters();
        if (verify) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (!Route.isIpLiteral(peer.hostname())) {
            try {
                parameters.setServerNames(List.of(new SNIHostName(peer.hostname())));
            } catch (IllegalArgumentException e) {
                // not a name SNI can carry; the handshake goes on without it
            }
        }
        socket.setSSLParameters(parameters);
        return socket;
    }

    /** Accepts every certificate: opportunistic TLS protects against passive listeners only, by design. */
    private static final class AnyCertificate extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
