package org.osprey.sieve.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PosixRegexTest {
    private static boolean find(String ere, String value) {
        return PosixRegex.compile(ere, Comparator.OCTET).matcher(value).find();
    }

    @Test
    void bracketExpressions() {
        assertThat(find("^[[:upper:]]+$", "ABC")).isTrue();
        assertThat(find("^[^[:lower:]]+$", "AB1!")).isTrue();
        assertThat(find("^[^[:lower:]]+$", "ABc")).isFalse();
        assertThat(find("^[]a]+$", "]a]")).isTrue(); // a leading ] is a member
        assertThat(find("^[a-c-]+$", "abc-")).isTrue(); // a trailing - is a member
        assertThat(find("^[\\]+$", "\\\\")).isTrue(); // backslash is literal inside brackets
        assertThat(find("^[[=e=][.f.]]+$", "ef")).isTrue();
        assertThat(find("[[:xdigit:][:space:]]", "g h")).isTrue();
        assertThat(find("^[&&x]+$", "&x")).isTrue(); // Java's && has no meaning here
    }

    @Test
    void operatorsAndEscapes() {
        assertThat(find("^(ab|cd){2}$", "abcd")).isTrue();
        assertThat(find("^a{2,}$", "aaa")).isTrue();
        assertThat(find("^a{,2}$", "a{,2}")).isTrue(); // not an interval: literal braces
        assertThat(find("a\\.b", "a.b")).isTrue();
        assertThat(find("a\\.b", "axb")).isFalse();
        assertThat(find("^\\(x\\)$", "(x)")).isTrue();
        assertThat(find("}", "}")).isTrue();
    }

    @Test
    void caseInsensitiveWithAsciiCasemap() {
        assertThat(PosixRegex.compile("^hello", Comparator.ASCII_CASEMAP).matcher("HELLO").find()).isTrue();
        assertThat(PosixRegex.compile("^hello", Comparator.OCTET).matcher("HELLO").find()).isFalse();
    }

    @Test
    void whatIsNotPosixIsRefused() {
        assertThatThrownBy(() -> PosixRegex.compile("*a", Comparator.OCTET)).hasMessageContaining("nothing to repeat");
        assertThatThrownBy(() -> PosixRegex.compile("a+?", Comparator.OCTET)).hasMessageContaining("nothing to repeat");
        assertThatThrownBy(() -> PosixRegex.compile("(?i)a", Comparator.OCTET))
                .hasMessageContaining("nothing to repeat");
        assertThatThrownBy(() -> PosixRegex.compile("\\d", Comparator.OCTET)).hasMessageContaining("not a POSIX");
        assertThatThrownBy(() -> PosixRegex.compile("(a)\\1", Comparator.OCTET)).hasMessageContaining("not a POSIX");
        assertThatThrownBy(() -> PosixRegex.compile("[[:word:]]", Comparator.OCTET))
                .hasMessageContaining("unknown character class");
        assertThatThrownBy(() -> PosixRegex.compile("[z-a]", Comparator.OCTET)).hasMessageContaining("backwards");
        assertThatThrownBy(() -> PosixRegex.compile("[ab", Comparator.OCTET)).hasMessageContaining("unterminated");
        assertThatThrownBy(() -> PosixRegex.compile("a)", Comparator.OCTET)).hasMessageContaining("unbalanced");
        assertThatThrownBy(() -> PosixRegex.compile("a\\", Comparator.OCTET))
                .hasMessageContaining("backslash at the end");
    }
}
