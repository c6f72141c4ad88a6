package org.osprey.delivery.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DkimKeysTest {
    @TempDir
    Path data;

    @Test
    void generatedKeysAreStoredPrivatelyWithTheirRecordBeside() throws IOException {
        var keys = new DkimKeys(data);
        DkimKey rsa = keys.generate("Example.ORG", "osprey", DkimAlgorithm.RSA);
        DkimKey ed = keys.generate("example.org", "osprey-ed25519", DkimAlgorithm.ED25519);

        Path dir = data.resolve("dkim/example.org");
        assertThat(dir.resolve("osprey.rsa.key")).exists();
        assertThat(dir.resolve("osprey-ed25519.ed25519.key")).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("osprey.rsa.key"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("dkim"))))
                .isEqualTo("rwx------");
        assertThat(Files.readString(dir.resolve("osprey.rsa.key"))).startsWith("-----BEGIN PRIVATE KEY-----\n")
                .endsWith("-----END PRIVATE KEY-----\n");
        assertThat(Files.readString(dir.resolve("osprey.rsa.txt"))).isEqualTo(rsa.zoneRecord() + "\n");
        assertThat(Files.readString(dir.resolve("osprey-ed25519.ed25519.txt"))).isEqualTo(ed.zoneRecord() + "\n");
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("osprey.rsa.key",
                    "osprey.rsa.txt", "osprey-ed25519.ed25519.key", "osprey-ed25519.ed25519.txt");
        }

        assertThat(rsa.domain()).isEqualTo("example.org");
        assertThat(rsa.dnsName()).isEqualTo("osprey._domainkey.example.org");
        assertThat(rsa.txtValue()).startsWith("v=DKIM1; k=rsa; p=MIIBIjAN");
        assertThat(ed.txtValue()).startsWith("v=DKIM1; k=ed25519; p=");
        assertThat(Base64.getDecoder().decode(ed.publicKey())).hasSize(32);

        var loaded = keys.load("EXAMPLE.org");
        assertThat(loaded).extracting(DkimKey::algorithm).containsExactlyInAnyOrder(DkimAlgorithm.RSA,
                DkimAlgorithm.ED25519);
        // The public key is derived from the private key again, and comes out the same.
        assertThat(loaded).extracting(DkimKey::txtValue).containsExactlyInAnyOrder(rsa.txtValue(), ed.txtValue());
        assertThat(keys.signingKeys("example.org")).extracting(DkimKey::algorithm)
                .containsExactly(DkimAlgorithm.RSA, DkimAlgorithm.ED25519);
    }

    @Test
    void anExistingKeyIsNeverReplaced() throws IOException {
        var keys = new DkimKeys(data);
        keys.generate("example.org", "s1", DkimAlgorithm.ED25519);
        byte[] before = Files.readAllBytes(keys.keyFile("example.org", "s1", DkimAlgorithm.ED25519));
        assertThatThrownBy(() -> keys.generate("example.org", "S1", DkimAlgorithm.ED25519))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(keys.keyFile("example.org", "s1", DkimAlgorithm.ED25519)).hasBinaryContent(before);
        // A selector names one DNS record, so another algorithm cannot share it either.
        assertThatThrownBy(() -> keys.generate("example.org", "s1", DkimAlgorithm.RSA))
                .isInstanceOf(FileAlreadyExistsException.class).hasMessageEndingWith("s1.ed25519.key");
        assertThat(keys.keyFile("example.org", "s1", DkimAlgorithm.RSA)).doesNotExist();
        assertThat(DkimAlgorithm.RSA.defaultSelector()).isNotEqualTo(DkimAlgorithm.ED25519.defaultSelector());
    }

    @Test
    void namesThatAreNotLdhLabelsAreRefused() {
        var keys = new DkimKeys(data);
        for (String bad : new String[] {"", ".", "..", "../etc", "a/b", "a\\b", "a..b", "-a.org", "a-.org",
                "a_b.org", "a b.org", "a.org/..", "a\u0000.org", "x".repeat(64) + ".org"}) {
            assertThatThrownBy(() -> keys.generate(bad, "osprey", DkimAlgorithm.ED25519)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> keys.generate("example.org", bad, DkimAlgorithm.ED25519)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> keys.load(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(data.resolve("dkim")).doesNotExist();
        assertThat(DkimKeys.domainName("B\u00fccher.Example.")).isEqualTo("xn--bcher-kva.example");
        assertThat(DkimKeys.selectorName("Mail.2026-01")).isEqualTo("mail.2026-01");
    }

    @Test
    void aDomainWithoutKeysHasNone() throws IOException {
        assertThat(new DkimKeys(data).load("example.org")).isEmpty();
        assertThat(new DkimKeys(data).signingKeys("example.org")).isEmpty();
    }

    @Test
    void theOldestKeyOfEachAlgorithmSignsSoARotationNeverSignsWithAnUnpublishedKey() throws IOException {
        var keys = new DkimKeys(data);
        keys.generate("example.org", "new", DkimAlgorithm.RSA);
        keys.generate("example.org", "old", DkimAlgorithm.RSA);
        Files.setLastModifiedTime(keys.keyFile("example.org", "old", DkimAlgorithm.RSA),
                FileTime.from(Instant.parse("2024-01-01T00:00:00Z")));
        assertThat(keys.signingKeys("example.org")).extracting(DkimKey::selector).containsExactly("old");
        assertThat(keys.load("example.org")).extracting(DkimKey::selector).containsExactly("old", "new");

        Files.delete(keys.keyFile("example.org", "old", DkimAlgorithm.RSA));
        assertThat(keys.signingKeys("example.org")).extracting(DkimKey::selector).containsExactly("new");
    }

    @Test
    void aPkcs1RsaKeyFromOpendkimIsRead() throws Exception {
        var generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        var pair = generator.generateKeyPair();
        byte[] pkcs1 = PrivateKeyInfo.getInstance(pair.getPrivate().getEncoded()).parsePrivateKey().toASN1Primitive()
                .getEncoded();
        Path dir = Files.createDirectories(data.resolve("dkim/example.org"));
        Files.writeString(dir.resolve("mail.rsa.key"), "-----BEGIN RSA PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pkcs1)
                + "\n-----END RSA PRIVATE KEY-----\n");
        // Files that are not keys are passed over.
        Files.writeString(dir.resolve("mail.rsa.txt"), "not a key");
        Files.writeString(dir.resolve("README.key"), "not ours");
        Files.writeString(dir.resolve(".mail.ed25519.key.tmp-1"), "half written");

        var loaded = new DkimKeys(data).load("example.org");
        assertThat(loaded).hasSize(1);
        assertThat(loaded.getFirst().selector()).isEqualTo("mail");
        assertThat(loaded.getFirst().publicKey()).isEqualTo(Base64.getEncoder().encodeToString(pair.getPublic()
                .getEncoded()));
    }

    @Test
    void aDamagedKeyFileIsAnErrorNamingTheFile() throws IOException {
        Path dir = Files.createDirectories(data.resolve("dkim/example.org"));
        Files.writeString(dir.resolve("broken.ed25519.key"), "-----BEGIN PRIVATE KEY-----\nAAAA\n"
                + "-----END PRIVATE KEY-----\n", StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> new DkimKeys(data).load("example.org")).isInstanceOf(IOException.class)
                .hasMessageContaining("broken.ed25519.key");
    }

    @Test
    void longRecordsAreSplitIntoDnsStringsOfAtMost255Characters() throws IOException {
        DkimKey rsa = new DkimKeys(data).generate("example.org", "osprey", DkimAlgorithm.RSA);
        assertThat(rsa.txtStrings()).hasSize(2).allSatisfy(s -> assertThat(s.length()).isLessThanOrEqualTo(255));
        assertThat(String.join("", rsa.txtStrings())).isEqualTo(rsa.txtValue());
        assertThat(rsa.zoneRecord()).isEqualTo("osprey._domainkey.example.org. IN TXT ( \"" + rsa.txtStrings()
                .get(0) + "\" \"" + rsa.txtStrings().get(1) + "\" )");
        assertThat(rsa.toString()).doesNotContain("modulus").doesNotContain("private exponent");
    }
}
