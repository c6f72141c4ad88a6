package org.osprey.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code osprey dkim} run as a shell would: its own stdout, stderr and exit status, the keys on disk. */
class DkimCommandTest {
    @TempDir
    Path tmp;
    Path config;
    Path data;

    record Result(int status, String out, String err) {
    }

    @BeforeEach
    void writeConfig() throws IOException {
        data = tmp.resolve("data");
        config = Files.writeString(tmp.resolve("osprey.toml"), "data_dir = \"" + data + "\"\n");
    }

    private Result osprey(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--config");
        all.add(config.toString());
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status = Main.execute(all.toArray(String[]::new), new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The quoted strings of the zone-file line for {@code name}, joined: the TXT record's text. */
    private static String txtOf(String output, String name) {
        for (String line : output.lines().toList()) {
            if (line.startsWith(name + ". IN TXT ( ")) {
                var text = new StringBuilder();
                Matcher string = Pattern.compile("\"([^\"]*)\"").matcher(line);
                while (string.find()) {
                    assertThat(string.group(1).length()).isLessThanOrEqualTo(255);
                    text.append(string.group(1));
                }
                assertThat(line).endsWith(" )");
                return text.toString();
            }
        }
        throw new AssertionError("no record for " + name + " in:\n" + output);
    }

    @Test
    void generateWritesTheKeyAndPrintsTheRecordToPublish() throws IOException {
        Result rsa = osprey("dkim", "generate", "Example.ORG");
        assertThat(rsa.status()).as(rsa.err()).isZero();
        assertThat(rsa.err()).isEmpty();
        Path key = data.resolve("dkim/example.org/osprey.rsa.key");
        assertThat(key).exists();
        assertThat(rsa.out()).contains("; rsa key " + key + "\n")
                .contains("; Osprey signs mail from example.org with this key from now on");
        String text = txtOf(rsa.out(), "osprey._domainkey.example.org");
        assertThat(text).startsWith("v=DKIM1; k=rsa; p=MIIBIjAN");
        // The .txt file beside the key holds the same record.
        assertThat(Files.readString(data.resolve("dkim/example.org/osprey.rsa.txt")))
                .contains("osprey._domainkey.example.org. IN TXT");
        // Every line but the record is a zone-file comment, so the output can be pasted into a zone whole.
        assertThat(rsa.out().lines()).allSatisfy(line -> assertThat(line).matches("(;|osprey\\._domainkey).*"));

        Result ed = osprey("dkim", "generate", "example.org", "--algorithm", "ed25519");
        assertThat(ed.status()).as(ed.err()).isZero();
        assertThat(txtOf(ed.out(), "osprey-ed25519._domainkey.example.org")).matches(
                "v=DKIM1; k=ed25519; p=[A-Za-z0-9+/]{43}=");
        assertThat(data.resolve("dkim/example.org/osprey-ed25519.ed25519.key")).exists();

        Result show = osprey("dkim", "show", "example.org");
        assertThat(show.status()).as(show.err()).isZero();
        assertThat(txtOf(show.out(), "osprey._domainkey.example.org")).isEqualTo(text);
        assertThat(txtOf(show.out(), "osprey-ed25519._domainkey.example.org"))
                .isEqualTo(txtOf(ed.out(), "osprey-ed25519._domainkey.example.org"));
        assertThat(show.out()).contains("osprey.rsa.key, signing").contains("osprey-ed25519.ed25519.key, signing");
    }

    @Test
    void anExistingKeyIsNotOverwritten() throws IOException {
        assertThat(osprey("dkim", "generate", "example.org", "--selector", "mail").status()).isZero();
        Path key = data.resolve("dkim/example.org/mail.rsa.key");
        byte[] before = Files.readAllBytes(key);

        Result again = osprey("dkim", "generate", "example.org", "--selector", "mail");
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.out()).isEmpty();
        assertThat(again.err()).startsWith("osprey: selector mail of example.org has a key already: " + key);
        assertThat(key).hasBinaryContent(before);

        // the same selector with the other algorithm would be a second record at the same DNS name
        Result other = osprey("dkim", "generate", "example.org", "--selector", "mail", "--algorithm", "ED25519");
        assertThat(other.status()).isEqualTo(1);
        assertThat(other.err()).contains("has a key already");
    }

    @Test
    void aSecondKeyOfTheSameAlgorithmWaitsForTheFirstToBeDeleted() {
        assertThat(osprey("dkim", "generate", "example.org", "--selector", "old").status()).isZero();
        Result second = osprey("dkim", "generate", "example.org", "--selector", "new");
        assertThat(second.status()).isZero();
        assertThat(second.out()).contains("; mail stays signed with the older rsa key (selector old)");
        assertThat(osprey("dkim", "show", "example.org").out()).contains("old.rsa.key, signing")
                .contains("new.rsa.key, not signing");
    }

    @Test
    void badNamesAndUnknownDomainsAreRefused() {
        for (String bad : new String[] {"../etc", "a/b", "ex ample.org", "a..b"}) {
            Result result = osprey("dkim", "generate", bad);
            assertThat(result.status()).as(bad).isEqualTo(1);
            assertThat(result.err()).as(bad).startsWith("osprey: not a valid domain name");
        }
        Result selector = osprey("dkim", "generate", "example.org", "--selector", "../../x");
        assertThat(selector.status()).isEqualTo(1);
        assertThat(selector.err()).startsWith("osprey: not a valid selector");
        assertThat(data.resolve("dkim")).doesNotExist();

        Result none = osprey("dkim", "show", "example.net");
        assertThat(none.status()).isEqualTo(1);
        assertThat(none.err()).isEqualTo("osprey: no DKIM key for example.net (make one with: osprey dkim generate"
                + " example.net)\n");

        Result algorithm = osprey("dkim", "generate", "example.org", "--algorithm", "dsa");
        assertThat(algorithm.status()).isEqualTo(1);
        assertThat(algorithm.err()).contains("--algorithm");
    }
}
