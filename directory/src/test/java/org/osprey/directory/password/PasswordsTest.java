package org.osprey.directory.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

class PasswordsTest {
    private static final String NON_ASCII = "pässwörd ☃";
    // Real doveadm output from doveadm-vectors.txt, reused to build variants.
    private static final String BLF_SECRET = "{BLF-CRYPT}$2y$05$NQgweKeGwtrgdUxhn3IS7u.MCYRZxHMSQ8PGj7STkCA3PG2SKViXS";
    private static final String SHA512_CRYPT_SECRET = "{SHA512-CRYPT}$6$5iy5vreaNPJIEypz$RWsj3GmwsTiCQlLvuqaEXjUALGeTGXozGDfX"
            + "JjeSTP8RL1s9SEy1ihT771u6GhQ.QhBg9sCiYR7ljsuEs80Wd1";
    private static final String SHA_SECRET = "{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=";

    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger passwordsLog = (Logger) LoggerFactory.getLogger(Passwords.class);

    @BeforeEach
    void captureLog() {
        logged.start();
        passwordsLog.addAppender(logged);
    }

    @AfterEach
    void releaseLog() {
        passwordsLog.detachAppender(logged);
    }

    @ParameterizedTest
    @EnumSource(PasswordScheme.class)
    void hashThenVerifyRoundTrips(PasswordScheme scheme) {
        for (String password : new String[] {"secret", NON_ASCII}) {
            String stored = Passwords.hash(password, scheme);
            assertThat(Passwords.verify(stored, password)).as(stored).isTrue();
            assertThat(Passwords.verify(stored, password + "!")).as(stored).isFalse();
            assertThat(Passwords.isWeak(stored)).isFalse();
        }
    }

    @Test
    void newArgon2idHashesUseTheOwaspParametersAndFreshSalts() {
        String first = Passwords.hash("secret", PasswordScheme.ARGON2ID);
        String second = Passwords.hash("secret", PasswordScheme.ARGON2ID);
        // 16-byte salt and 32-byte hash: 22 and 43 base64 characters without padding.
        String format = "\\{ARGON2ID}\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}";
        assertThat(first).matches(format);
        assertThat(second).matches(format).isNotEqualTo(first);
    }

    @Test
    void newBcryptHashesUseCost10AndThe2yPrefixAndFreshSalts() {
        String first = Passwords.hash("secret", PasswordScheme.BLF_CRYPT);
        String second = Passwords.hash("secret", PasswordScheme.BLF_CRYPT);
        String format = "\\{BLF-CRYPT}\\$2y\\$10\\$[./A-Za-z0-9]{53}";
        assertThat(first).matches(format);
        assertThat(second).matches(format).isNotEqualTo(first);
    }

    @Test
    void hashRefusesAnEmptyPassword() {
        assertThatThrownBy(() -> Passwords.hash("", PasswordScheme.BLF_CRYPT))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emptyOrNullPasswordNeverMatches() {
        assertThat(Passwords.verify("{PLAIN}", "")).isFalse();
        assertThat(Passwords.verify(BLF_SECRET, "")).isFalse();
        assertThat(Passwords.verify(BLF_SECRET, null)).isFalse();
        assertThat(Passwords.verify(null, "secret")).isFalse();
    }

    @Test
    void bcryptLikeCryptBlowfishReadsOnlyTheFirst72Bytes() {
        String stored = Passwords.hash("a".repeat(72), PasswordScheme.BLF_CRYPT);
        assertThat(Passwords.verify(stored, "a".repeat(72) + "ignored")).isTrue();
        assertThat(Passwords.verify(stored, "a".repeat(71))).isFalse();
    }

    @Test
    void readsArgon2WithAnyCostSaltAndHashLength() throws Exception {
        // Cheap parameters, an 8-byte salt and a 16-byte hash, as another libsodium user might have written.
        var salt = "saltsalt".getBytes(StandardCharsets.US_ASCII);
        var hash = new org.bouncycastle.crypto.generators.Argon2BytesGenerator();
        hash.init(new org.bouncycastle.crypto.params.Argon2Parameters.Builder(
                org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_i)
                .withVersion(org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(64).withIterations(1).withParallelism(2).withSalt(salt).build());
        byte[] out = new byte[16];
        hash.generateBytes("secret".getBytes(StandardCharsets.UTF_8), out);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        String stored = "$argon2i$v=19$m=64,t=1,p=2$" + b64.encodeToString(salt) + "$" + b64.encodeToString(out);

        assertThat(Passwords.verify("{ARGON2I}" + stored, "secret")).isTrue();
        assertThat(Passwords.verify("{ARGON2ID}" + stored, "secret")).as("libsodium reads the variant").isTrue();
        assertThat(Passwords.verify(stored, "secret")).isTrue();
        assertThat(Passwords.verify("{ARGON2I}" + stored.replace("t=1", "t=2"), "secret")).isFalse();
    }

    @Test
    void cryptSchemesGoByTheDataAsDovecotsCrypt3Does() {
        String sha512 = SHA512_CRYPT_SECRET.substring("{SHA512-CRYPT}".length());
        assertThat(Passwords.verify("{CRYPT}" + sha512, "secret")).isTrue();
        assertThat(Passwords.verify("{SHA256-CRYPT}" + sha512, "secret")).isTrue();
        // BLF-CRYPT and MD5-CRYPT are not crypt(3) in Dovecot and take only their own format.
        assertThat(Passwords.verify("{BLF-CRYPT}" + sha512, "secret")).isFalse();
        assertThat(Passwords.verify("{MD5-CRYPT}" + sha512, "secret")).isFalse();
    }

    @Test
    void digestEncodingSuffixes() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest("secret".getBytes(StandardCharsets.UTF_8));
        String hex = HexFormat.of().formatHex(digest);
        String b64 = Base64.getEncoder().encodeToString(digest);
        assertThat(Passwords.verify("{SHA256.HEX}" + hex, "secret")).isTrue();
        assertThat(Passwords.verify("{SHA256.HEX}" + hex.toUpperCase(), "secret")).isTrue();
        assertThat(Passwords.verify("{SHA256}" + hex, "secret")).as("hex guessed from the length").isTrue();
        assertThat(Passwords.verify("{SHA256.B64}" + b64, "secret")).isTrue();
        assertThat(Passwords.verify("{sha256.base64}" + b64, "secret")).isTrue();
        assertThat(Passwords.verify("{SHA1}" + SHA_SECRET.substring(5), "secret")).isTrue();
        assertThat(Passwords.verify("{CLEAR}secret", "secret")).isTrue();
    }

    static Stream<String> malformed() {
        String sha512 = SHA512_CRYPT_SECRET.substring("{SHA512-CRYPT}".length());
        return Stream.of(
                "",
                "{}secret",
                "{PLAIN",
                "no prefix at all",
                "{UNKNOWN}secret",
                "{SHA256.XYZ}K7gNU3sdo+OL0wNhqoVWhr3g6s1xYv72ol/pe/Unols=",
                "{BLF-CRYPT.HEX}" + BLF_SECRET.substring(11),
                // digests: empty, bad base64, missing padding, truncated, bad hex, salted without salt
                "{SHA256}",
                "{SHA256}not*base64!",
                "{SHA256}K7gNU3sdo+OL0wNhqoVWhr3g6s1xYv72ol/pe/Unols",
                "{SHA256}K7gNU3sdo+OL0wNhqoVWhr3g6s1xYv72",
                "{SHA.HEX}e5e9fa1ba31ecd1ae84f75caaa474f3a663f05fz",
                "{SHA.HEX}e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f",
                "{SSHA}5en6G6MezRroT3XKqkdPOmY/BfQ=",
                // crypt strings: truncated, bad cost, wrong format for the scheme, unsupported formats
                BLF_SECRET.substring(0, BLF_SECRET.length() - 5),
                "{BLF-CRYPT}$2y$99$NQgweKeGwtrgdUxhn3IS7u.MCYRZxHMSQ8PGj7STkCA3PG2SKViXS",
                "{BLF-CRYPT}$2x$05$NQgweKeGwtrgdUxhn3IS7u.MCYRZxHMSQ8PGj7STkCA3PG2SKViXS",
                "{BLF-CRYPT}" + sha512,
                SHA512_CRYPT_SECRET.substring(0, SHA512_CRYPT_SECRET.length() - 1),
                "{SHA512-CRYPT}$6$5iy5vreaNPJIEypz$",
                "{MD5-CRYPT}$1$toolongsalt$Z3eK9eEij4tP5H05xtogj1",
                "{CRYPT}abJnggxhB/yWI",
                "$y$j9T$F5Jx5fExrKuPp53xLKQ..1$X3DX6M94c7o.9agCG9G317fhZg9SqC.5i5rd.RhAtQ7",
                "{CRYPT}$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$c2FsdHNhbHRzYWx0c2FsdA",
                // argon2: missing hash, bad base64, short hash, unsupported version/variant, absurd costs
                "{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$3v4wCFk/9viRHSF8C5lh7Q",
                "{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$3v4w*Fk/9viRHSF8C5lh7Q$hamCyFhlhyUWq0SlxtE/aOCrb1UNSwkI",
                "{ARGON2ID}$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$A",
                "{ARGON2ID}$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$YWI",
                "{ARGON2ID}$argon2id$v=16$m=64,t=1,p=1$c2FsdHNhbHQ$c2FsdHNhbHRzYWx0c2FsdA",
                "{ARGON2ID}$argon2d$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$c2FsdHNhbHRzYWx0c2FsdA",
                "{ARGON2ID}$argon2id$v=19$m=4,t=1,p=1$c2FsdHNhbHQ$c2FsdHNhbHRzYWx0c2FsdA",
                "{ARGON2ID}$argon2id$v=19$m=9999999999,t=1,p=1$c2FsdHNhbHQ$c2FsdHNhbHRzYWx0c2FsdA",
                "{ARGON2ID}$argon2id$v=19$m=64,t=0,p=1$c2FsdHNhbHQ$c2FsdHNhbHRzYWx0c2FsdA",
                "{ARGON2ID}$argon2id$v=19$m=64,t=1,p=1$c2FsdA$c2FsdHNhbHRzYWx0c2FsdA");
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void malformedValuesAreFalseAndLogOneWarningWithoutTheValue(String stored) {
        assertThat(Passwords.verify(stored, "hunter2")).isFalse();

        assertThat(logged.list).hasSize(1);
        ILoggingEvent event = logged.list.getFirst();
        assertThat(event.getLevel()).isEqualTo(Level.WARN);
        String message = event.getFormattedMessage();
        assertThat(message).doesNotContain("hunter2");
        String data = stored.substring(stored.indexOf('}') + 1);
        if (data.length() > 4) {
            assertThat(message).doesNotContain(data);
        }
    }

    @Test
    void warningNamesTheScheme() {
        Passwords.verify("{ssha256}AAAA", "hunter2");
        Passwords.verify("{NOPE}whatever", "hunter2");
        Passwords.verify("{BAD\nSCHEME}whatever", "hunter2");
        assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage).satisfiesExactly(
                m -> assertThat(m).contains("{SSHA256}"),
                m -> assertThat(m).contains("{NOPE}"),
                m -> assertThat(m).contains("(unprintable)").doesNotContain("\n"));
    }

    @Test
    void aWrongPasswordIsNotWorthALogLine() {
        assertThat(Passwords.verify(BLF_SECRET, "wrong")).isFalse();
        assertThat(Passwords.verify(SHA_SECRET, "wrong")).isFalse();
        assertThat(logged.list).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{PLAIN}secret", "{CLEARTEXT}secret", "{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=",
            "{SSHA}YHzSs0UZMLREgqVmMRbuCkMTTR5vq11A", "{MD5-CRYPT}$1$QDp5HOVv$Z3eK9eEij4tP5H05xtogj1",
            "{SHA256-CRYPT}$5$gFu6omxqNr5uC7yA$tpIHnQvMGAdUPey0wQ8IYta0n/2BaSrwoWQ5ZbGc6R0",
            "{ARGON2I}$argon2i$v=19$m=32768,t=4,p=1$4p37F1swaTnRmqRGH+DM5Q$bwvOfXbaejIABLy0naaVb5A8DcrsLdYypcv6iGKH+ig",
            "{CRYPT}$1$htifaFEg$biSB.CEexWu8Dasa8Z0rM0", "{UNKNOWN}x", "", "secret"})
    void readOnlySchemesAreWeak(String stored) {
        assertThat(Passwords.isWeak(stored)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            BLF_SECRET,
            "{CRYPT}$2y$05$.A8xgqJvgmdkwmrlIPVlRuvNdWty68bsKdxYAdpIt33i1ss5ZnmlG",
            "{blf-crypt}$2b$05$AmBUnQCSURKie80/DVGv8ewU0scJ4Ahr2IiAZibUhFCqkDilHOlR2",
            "$2y$05$.A8xgqJvgmdkwmrlIPVlRuvNdWty68bsKdxYAdpIt33i1ss5ZnmlG",
            "{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$3v4wCFk/9viRHSF8C5lh7Q$hamCyFhlhyUWq0SlxtE/aOCrb1UNSwkIvWOBuKjc/gk",
            "$argon2id$v=19$m=65536,t=3,p=1$3v4wCFk/9viRHSF8C5lh7Q$hamCyFhlhyUWq0SlxtE/aOCrb1UNSwkIvWOBuKjc/gk"})
    void writableSchemesAreNotWeak(String stored) {
        assertThat(Passwords.isWeak(stored)).isFalse();
    }

    @Test
    void parsesConfigValues() {
        assertThat(PasswordScheme.parse("ARGON2ID")).isEqualTo(PasswordScheme.ARGON2ID);
        assertThat(PasswordScheme.parse("argon2id")).isEqualTo(PasswordScheme.ARGON2ID);
        assertThat(PasswordScheme.parse("BLF-CRYPT")).isEqualTo(PasswordScheme.BLF_CRYPT);
        assertThat(PasswordScheme.parse("Blf-Crypt")).isEqualTo(PasswordScheme.BLF_CRYPT);
        for (String bad : new String[] {"SHA512-CRYPT", "BLF_CRYPT", "", "PLAIN"}) {
            assertThatThrownBy(() -> PasswordScheme.parse(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ARGON2ID or BLF-CRYPT");
        }
        assertThatThrownBy(() -> PasswordScheme.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
