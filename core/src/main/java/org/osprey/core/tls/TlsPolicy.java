package org.osprey.core.tls;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * Which protocols and cipher suites the server accepts: TLS 1.3 with every suite the JDK has, and TLS 1.2 with
 * forward secret AEAD suites only (ECDHE with AES-GCM or ChaCha20-Poly1305), in the server's order of preference.
 * Nothing older: mail clients that cannot do TLS 1.2 are long gone, and the rest is where the known attacks live.
 */
final class TlsPolicy {

    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private TlsPolicy() {
    }

    /** Parameters for server sockets of this context; a fresh object, the caller may keep it. */
    static SSLParameters serverParameters(SSLContext context) {
        SSLParameters supported = context.getSupportedSSLParameters();
        Set<String> supportedProtocols = Set.of(supported.getProtocols());
        String[] protocols = PROTOCOLS.stream().filter(supportedProtocols::contains).toArray(String[]::new);
        // the JDK lists its suites strongest first, which is the order we want to prefer them in
        List<String> all = Arrays.asList(supported.getCipherSuites());
        String[] suites = Stream.concat(all.stream().filter(TlsPolicy::isTls13Suite),
                all.stream().filter(TlsPolicy::isTls12Suite))
            .toArray(String[]::new);
        if (protocols.length == 0 || suites.length == 0) {
            throw new IllegalStateException("this JDK supports neither TLS 1.3 nor TLS 1.2 with AEAD suites");
        }
        SSLParameters parameters = new SSLParameters(suites, protocols);
        parameters.setUseCipherSuitesOrder(true);
        parameters.setNeedClientAuth(false);
        return parameters;
    }

    /** TLS 1.3 suite names have no key exchange in them ("TLS_AES_128_GCM_SHA256"); 1.3 suites are all AEAD. */
    static boolean isTls13Suite(String suite) {
        return suite.startsWith("TLS_") && !suite.contains("_WITH_") && !suite.endsWith("_SCSV");
    }

    static boolean isTls12Suite(String suite) {
        return suite.startsWith("TLS_ECDHE_")
            && (suite.contains("_WITH_AES_128_GCM_") || suite.contains("_WITH_AES_256_GCM_")
                || suite.contains("_WITH_CHACHA20_POLY1305_"));
    }
}
