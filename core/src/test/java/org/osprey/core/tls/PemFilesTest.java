package org.osprey.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TlsContext#fromPem}: the key formats admins have, chains, and one-line errors naming the file. */
class PemFilesTest {

    private static final String HOST = "mail.example.test";

    @TempDir
    Path dir;

    private Path certFile() {
        return dir.resolve("fullchain.pem");
    }

    private Path keyFile() {
        return dir.resolve("privkey.pem");
    }

    @Test
    void pkcs1RsaKeyIsServed() throws Exception {
        TestCertificates.Issued pair = TestCertificates.selfSigned("RSA", HOST);
        TestCertificates.writeCertificates(certFile(), pair.certificate());
        TestCertificates.writePkcs1(keyFile(), pair.privateKey());
        assertThat(Files.readString(keyFile())).startsWith("-----BEGIN RSA PRIVATE KEY-----");

        TlsContext tls = TlsContext.fromPem(certFile(), keyFile());

        assertThat(tls.certificateChain()).containsExactly(pair.certificate());
        assertHandshakeServes(tls, pair);
    }

    @Test
    void sec1EcKeyIsServedOverTls13AndTls12() throws Exception {
        TestCertificates.Issued pair = TestCertificates.selfSigned("EC", HOST);
        TestCertificates.writeCertificates(certFile(), pair.certificate());
        TestCertificates.writeSec1(keyFile(), pair.keys());
        assertThat(Files.readString(keyFile()))
            .startsWith("-----BEGIN EC PARAMETERS-----")
            .contains("-----BEGIN EC PRIVATE KEY-----");

        TlsContext tls = TlsContext.fromPem(certFile(), keyFile());

        assertHandshakeServes(tls, pair);
        try (TlsTestServer server = new TlsTestServer(tls)) {
            TestTls.ClientView view = TestTls.handshake(TestTls.trusting(tls.certificateChain()), server.port(),
                HOST, socket -> TestTls.only(socket, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"));
            assertThat(view.cipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
        }
    }

    @Test
    void pkcs8EcKeyIsServed() throws Exception {
        TestCertificates.Issued pair = TestCertificates.selfSigned("EC", HOST);
        TestCertificates.writeCertificates(certFile(), pair.certificate());
        TestCertificates.writePkcs8(keyFile(), pair.privateKey());

        assertHandshakeServes(TlsContext.fromPem(certFile(), keyFile()), pair);
    }

    @Test
    void fullChainIsSentAndValidatesAgainstTheCaAlone() throws Exception {
        TestCertificates.Issued ca = TestCertificates.certificateAuthority("Osprey Test CA");
        TestCertificates.Issued leaf = TestCertificates.issue(ca, "RSA", HOST);
        TestCertificates.writeCertificates(certFile(), leaf.certificate(), ca.certificate());
        TestCertificates.writePkcs8(keyFile(), leaf.privateKey());

        TlsContext tls = TlsContext.fromPem(certFile(), keyFile());

        assertThat(tls.certificateChain()).containsExactly(leaf.certificate(), ca.certificate());
        try (TlsTestServer server = new TlsTestServer(tls)) {
            TestTls.ClientView view = TestTls.handshake(TestTls.trusting(List.of(ca.certificate())), server.port(),
                HOST);
            assertThat(view.peerChain()).containsExactly(leaf.certificate(), ca.certificate());
        }
    }

    @Test
    void oneCombinedFileCanServeAsBoth() throws Exception {
        TestCertificates.Issued pair = TestCertificates.selfSigned("RSA", HOST);
        Path combined = dir.resolve("combined.pem");
        Files.writeString(combined, TestCertificates.pem("PRIVATE KEY", pair.privateKey().getEncoded())
            + TestCertificates.pem("CERTIFICATE", pair.certificate().getEncoded()));

        assertThat(TlsContext.fromPem(combined, combined).certificateChain()).containsExactly(pair.certificate());
    }

    @Test
    void garbageCertificateFileIsNamedInTheError() throws Exception {
        TestCertificates.Issued pair = TestCertificates.selfSigned("RSA", HOST);
        Files.writeString(certFile(), "this is not a certificate\n");
        TestCertificates.writePkcs8(keyFile(), pair.privateKey());

        assertThatThrownBy(() -> TlsContext.fromPem(certFile(), keyFile()))
            .isInstanceOf(TlsException.class)
            .hasMessageContaining(certFile().toString())
            .hasMessageContaining("no PEM certificate")
            .hasMessageNotContaining("\n");
    }

    @Test
    void brokenBase64IsNamedInTheError() throws Exception {
        TestCertificates.Issued pair = TestCertificates.selfSigned("RSA", HOST);
        TestCertificates.writeCertificates(certFile(), pair.certificate());
        Files.writeString(keyFile(), "-----BEGIN PRIVATE KEY-----\nnot*base64!\n-----END PRIVATE KEY-----\n");

        assertThatThrownBy(() -> TlsContext.fromPem(certFile(), keyFile()))
            .isInstanceOf(TlsException.class)
            .hasMessageStartingWith("TLS private key file " + keyFile())
            .hasMessageNotContaining("\n");
    }

    @Test
    void missingKeyFileIsNamedInTheError() throws Exception {
        TestCertificates.Issued pair = TestCertificates.selfSigned("RSA", HOST);
        TestCertificates.writeCertificates(certFile(), pair.certificate());

        assertThatThrownBy(() -> TlsContext.fromPem(certFile(), keyFile()))
            .isInstanceOf(TlsException.class)
            .hasMessage("TLS private key file " + keyFile() + ": file does not exist");
    }

    @Test
    void keyOfAnotherCertificateIsRefused() throws Exception {
        TestCertificates.Issued pair = TestCertificates.selfSigned("RSA", HOST);
        TestCertificates.Issued other = TestCertificates.selfSigned("RSA", HOST);
        TestCertificates.writeCertificates(certFile(), pair.certificate());
        TestCertificates.writePkcs8(keyFile(), other.privateKey());

        assertThatThrownBy(() -> TlsContext.fromPem(certFile(), keyFile()))
            .isInstanceOf(TlsException.class)
            .hasMessageContaining(keyFile().toString())
            .hasMessageContaining("does not match");
    }

    @Test
    void ecKeyForAnRsaCertificateIsRefused() throws Exception {
        TestCertificates.Issued pair = TestCertificates.selfSigned("RSA", HOST);
        TestCertificates.writeCertificates(certFile(), pair.certificate());
        TestCertificates.writePkcs8(keyFile(), TestCertificates.keyPair("EC").getPrivate());

        assertThatThrownBy(() -> TlsContext.fromPem(certFile(), keyFile()))
            .isInstanceOf(TlsException.class)
            .hasMessageContaining("does not match");
    }

    @Test
    void encryptedKeyIsRefusedWithAHint() throws Exception {
        TestCertificates.Issued pair = TestCertificates.selfSigned("RSA", HOST);
        TestCertificates.writeCertificates(certFile(), pair.certificate());
        byte[] encrypted = new EncryptedPrivateKeyInfo(
            new AlgorithmIdentifier(PKCSObjectIdentifiers.id_PBES2, DERNull.INSTANCE), new byte[64]).getEncoded();
        Files.writeString(keyFile(), TestCertificates.pem("ENCRYPTED PRIVATE KEY", encrypted));

        assertThatThrownBy(() -> TlsContext.fromPem(certFile(), keyFile()))
            .isInstanceOf(TlsException.class)
            .hasMessageContaining(keyFile().toString())
            .hasMessageContaining("encrypted");
    }

    private static void assertHandshakeServes(TlsContext tls, TestCertificates.Issued pair) throws Exception {
        try (TlsTestServer server = new TlsTestServer(tls)) {
            TestTls.ClientView view = TestTls.handshake(TestTls.trusting(tls.certificateChain()), server.port(),
                HOST);
            assertThat(view.protocol()).isEqualTo("TLSv1.3");
            assertThat(view.leaf()).isEqualTo(pair.certificate());
        }
    }
}
