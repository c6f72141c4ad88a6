package org.osprey.sieve.match;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GlobTest {
    private static String[] match(String pattern, String value) {
        return Glob.compile(pattern, Comparator.ASCII_CASEMAP).match(value, Budget.unlimited());
    }

    @Test
    void wildcardsAndAnchoring() {
        assertThat(match("*", "")).containsExactly("", "");
        assertThat(match("?", "")).isNull();
        assertThat(match("a?c", "abc")).containsExactly("abc", "b");
        assertThat(match("a*", "xa")).isNull(); // anchored at the start
        assertThat(match("*a", "ab")).isNull(); // and at the end
        assertThat(match("**", "ab")).containsExactly("ab", "", "ab");
    }

    @Test
    void capturesAreAsShortAsPossible() {
        // RFC 5229 §3.2 examples
        assertThat(match("*<*@*", "Sieve <sieve@ietf.org>")).containsExactly("Sieve <sieve@ietf.org>", "Sieve ",
                "sieve", "ietf.org>");
        assertThat(match("[*] *", "[acme-users] [fwd] version 1.0 is out"))
                .containsExactly("[acme-users] [fwd] version 1.0 is out", "acme-users", "[fwd] version 1.0 is out");
        assertThat(match("coyote@**.com", "coyote@ACME.Example.COM"))
                .containsExactly("coyote@ACME.Example.COM", "", "ACME.Example");
        assertThat(match("*.*", "a.b.c")).containsExactly("a.b.c", "a", "b.c");
    }

    @Test
    void backslashMakesTheNextCharacterLiteral() {
        assertThat(match("a\\*b", "a*b")).isNotNull();
        assertThat(match("a\\*b", "axb")).isNull();
        assertThat(match("\\?", "?")).isNotNull();
        assertThat(match("\\\\", "\\")).isNotNull();
        assertThat(match("\\x", "x")).isNotNull();
        assertThat(match("a\\", "a\\")).isNotNull(); // a trailing backslash stands for itself
    }

    @Test
    void comparatorsFoldAsciiOnly() {
        assertThat(match("HELLO*", "hello world")).isNotNull();
        assertThat(Glob.compile("HELLO*", Comparator.OCTET).match("hello", Budget.unlimited())).isNull();
        assertThat(match("Ä*", "ä")).isNull();
    }

    @Test
    void questionMarkIsOneCodePoint() {
        assertThat(match("a?b", "a\uD83D\uDE00b")).containsExactly("a\uD83D\uDE00b", "\uD83D\uDE00");
        assertThat(match("*?", "\uD83D\uDE00")).containsExactly("\uD83D\uDE00", "", "\uD83D\uDE00");
    }

    @Test
    void manyStarsOnALongValueStayLinearish() {
        String value = "a".repeat(20_000);
        long start = System.nanoTime();
        assertThat(match("*a*a*a*a*a*a*a*a*a*b", value)).isNull();
        assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
    }
}
