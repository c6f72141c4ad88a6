package org.osprey.core.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** A private key and the certificate chain that goes with it, leaf first. Checked to match when it was built. */
record CertifiedKey(List<X509Certificate> chain, PrivateKey privateKey) {

    CertifiedKey {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("empty certificate chain");
        }
    }

    X509Certificate leaf() {
        return chain.getFirst();
    }
}
