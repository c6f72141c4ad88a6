package org.osprey.core.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** The client side for tests: a JDK client that trusts exactly the given certificates and checks the hostname. */
public final class TestTls {

    /** What the client saw of a finished handshake. */
    record ClientView(String protocol, String cipherSuite, List<X509Certificate> peerChain) {

        X509Certificate leaf() {
            return peerChain.getFirst();
        }
    }

    private TestTls() {
    }

    /** A client context whose only trust anchors are these certificates (the JDK's CA list is not used). */
    public static SSLContext trusting(List<X509Certificate> chain) {
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            for (int i = 0; i < chain.size(); i++) {
                anchors.setCertificateEntry("trusted-" + i, chain.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Handshakes with 127.0.0.1:port as if it were hostname (SNI and the certificate check use that name). */
    static ClientView handshake(SSLContext client, int port, String hostname) throws IOException {
        return handshake(client, port, hostname, _ -> { });
    }

    static ClientView handshake(SSLContext client, int port, String hostname, Consumer<SSLSocket> configure)
            throws IOException {
        Socket plain = new Socket(InetAddress.getLoopbackAddress(), port);
        plain.setSoTimeout(5_000);
        try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(plain, hostname, port, true)) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            configure.accept(socket);
            socket.startHandshake();
            // the server writes one byte after its side of the handshake is done
            if (socket.getInputStream().read() != 'k') {
                throw new IOException("server did not confirm the handshake");
            }
            SSLSession session = socket.getSession();
            return new ClientView(session.getProtocol(), session.getCipherSuite(),
                List.of((X509Certificate[]) session.getPeerCertificates()));
        }
    }

    static void only(SSLSocket socket, String protocol, String... cipherSuites) {
        socket.setEnabledProtocols(new String[] {protocol});
        if (cipherSuites.length > 0) {
            socket.setEnabledCipherSuites(cipherSuites);
        }
    }
}
