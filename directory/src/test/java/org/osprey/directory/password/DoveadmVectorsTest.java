package org.osprey.directory.password;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Checks Passwords against values real Dovecot wrote; see the header of password/doveadm-vectors.txt. */
class DoveadmVectorsTest {

    record Vector(String scheme, String password, String stored) {
        /** The data after the "{SCHEME}" prefix. */
        String data() {
            return stored.substring(stored.indexOf('}') + 1);
        }

        boolean isArgon2() {
            return data().startsWith("$argon2");
        }

        @Override
        public String toString() {
            return scheme + " " + password + " " + stored;
        }
    }

    static List<Vector> vectors() {
        try (InputStream in = DoveadmVectorsTest.class.getResourceAsStream("/password/doveadm-vectors.txt")) {
            assertThat(in).as("password/doveadm-vectors.txt on the test classpath").isNotNull();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<Vector> vectors = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split("\t", -1);
                assertThat(fields).as("SCHEME<TAB>password<TAB>hash: %s", line).hasSize(3);
                vectors.add(new Vector(fields[0], fields[1], fields[2]));
            }
            return vectors;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every vector except Argon2, which is slow (m=64 MiB) and so kept to one, for the extra variations. */
    static List<Vector> cheapVectors() {
        List<Vector> cheap = new ArrayList<>(vectors().stream().filter(v -> !v.isArgon2()).toList());
        cheap.add(vectors().stream().filter(Vector::isArgon2).findFirst().orElseThrow());
        return cheap;
    }

    /** The modular-crypt vectors, which also verify without a "{SCHEME}" prefix. */
    static List<Vector> bareVectors() {
        return cheapVectors().stream().filter(v -> v.data().startsWith("$")).toList();
    }

    @Test
    void fileCoversEverySchemeWithTwoPasswordsOneOfThemNonAscii() {
        Set<String> schemes = Set.of("BLF-CRYPT", "SHA512-CRYPT", "SHA256-CRYPT", "MD5-CRYPT", "ARGON2ID", "ARGON2I",
                "SSHA512", "SSHA256", "SSHA", "SHA512", "SHA256", "SHA", "PLAIN", "CLEARTEXT", "CRYPT",
                "SSHA512.HEX", "SSHA256.HEX", "SSHA.HEX", "SHA512.HEX", "SHA256.HEX", "SHA.HEX");
        for (String scheme : schemes) {
            Set<String> passwords = vectors().stream()
                    .filter(v -> v.scheme().equals(scheme))
                    .map(Vector::password)
                    .collect(Collectors.toSet());
            assertThat(passwords).as(scheme).hasSizeGreaterThanOrEqualTo(2)
                    .anyMatch(p -> !StandardCharsets.US_ASCII.newEncoder().canEncode(p));
        }
        // CRYPT is also covered with the $6$, $5$ and $1$ formats, and bcrypt with $2a$ and $2b$.
        assertThat(vectors()).extracting(Vector::stored)
                .anyMatch(s -> s.startsWith("{CRYPT}$6$"))
                .anyMatch(s -> s.startsWith("{CRYPT}$5$"))
                .anyMatch(s -> s.startsWith("{CRYPT}$1$"))
                .anyMatch(s -> s.startsWith("{BLF-CRYPT}$2a$"))
                .anyMatch(s -> s.startsWith("{BLF-CRYPT}$2b$"));
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void verifiesWithItsPassword(Vector vector) {
        assertThat(Passwords.verify(vector.stored(), vector.password())).isTrue();
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void failsWithAnotherPassword(Vector vector) {
        // Changed at the front: bcrypt ignores everything after byte 72, so a changed end might still match.
        assertThat(Passwords.verify(vector.stored(), "X" + vector.password())).isFalse();
        if (!vector.isArgon2()) { // a second Argon2 run at 64 MiB would only slow the suite down
            assertThat(Passwords.verify(vector.stored(), vector.password().toUpperCase(Locale.ROOT))).isFalse();
        }
    }

    @ParameterizedTest
    @MethodSource("bareVectors")
    void verifiesModularCryptWithoutSchemePrefix(Vector vector) {
        assertThat(Passwords.verify(vector.data(), vector.password())).isTrue();
        assertThat(Passwords.verify(vector.data(), "X" + vector.password())).isFalse();
    }

    @ParameterizedTest
    @MethodSource("cheapVectors")
    void schemeNamesAreCaseInsensitive(Vector vector) {
        String scheme = vector.stored().substring(1, vector.stored().indexOf('}'));
        String lower = "{" + scheme.toLowerCase(Locale.ROOT) + "}" + vector.data();
        assertThat(Passwords.verify(lower, vector.password())).isTrue();
    }
}
