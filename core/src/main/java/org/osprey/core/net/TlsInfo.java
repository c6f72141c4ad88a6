package org.osprey.core.net;

/** What a TLS session negotiated, for Received headers and logs: "TLSv1.3", "TLS_AES_256_GCM_SHA384". */
public record TlsInfo(String protocol, String cipherSuite) {
}
