package org.osprey.filter.spf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 7208 §7.4's own examples, and the syntax errors that make a record a permerror. */
class SpfMacroTest {
    private static SpfMacro.Context context(String ip) {
        return new SpfMacro.Context("strong-bad@email.example.com", "strong-bad", "email.example.com",
            InetAddress.ofLiteral(ip), "mx.example.org", "mybox.example.net", 1_000_000_000L, d -> "unknown");
    }

    private static String expand(String macro, String ip) throws SpfException {
        return SpfMacro.expand(macro, context(ip), "email.example.com", false);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "%{s}|strong-bad@email.example.com",
        "%{o}|email.example.com",
        "%{d}|email.example.com",
        "%{d4}|email.example.com",
        "%{d3}|email.example.com",
        "%{d2}|example.com",
        "%{d1}|com",
        "%{dr}|com.example.email",
        "%{d2r}|example.email",
        "%{l}|strong-bad",
        "%{l-}|strong.bad",
        "%{lr}|strong-bad",
        "%{lr-}|bad.strong",
        "%{l1r-}|strong",
        "%{ir}.%{v}._spf.%{d2}|3.2.0.192.in-addr._spf.example.com",
        "%{lr-}.lp._spf.%{d2}|bad.strong.lp._spf.example.com",
        "%{lr-}.lp.%{ir}.%{v}._spf.%{d2}|bad.strong.lp.3.2.0.192.in-addr._spf.example.com",
        "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}|3.2.0.192.in-addr.strong.lp._spf.example.com",
        "%{d2}.trusted-domains.example.net|example.com.trusted-domains.example.net",
    })
    void rfc7208Section74ExamplesForIpv4(String macro, String expected) throws SpfException {
        assertThat(expand(macro, "192.0.2.3")).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "%{ir}.%{v}._spf.%{d2}|1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com",
        "%{c}|2001:db8::cb01",
        "%{i}|2.0.0.1.0.d.b.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.c.b.0.1",
    })
    void rfc7208Section74ExamplesForIpv6(String macro, String expected) throws SpfException {
        String explain = SpfMacro.expand(macro, context("2001:db8::cb01"), "email.example.com", true);
        assertThat(explain).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "%%|%",
        "%_|' '",
        "%-|%20",
        "%{S}|strong-bad%40email.example.com",
        "%{L}|strong-bad",
        "%{h}|mx.example.org",
        "%{p}|unknown",
        "%{v}|in-addr",
        "%{l+}|strong-bad",
        "%{s=}|strong-bad@email.example.com",
    })
    void escapesAndOtherLetters(String macro, String expected) throws SpfException {
        assertThat(expand(macro, "192.0.2.3")).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "%{c} rejected by %{r} at %{t}|192.0.2.3 rejected by mybox.example.net at 1000000000",
        "%{i} is not one of %{d} designated mail servers.|192.0.2.3 is not one of email.example.com designated"
            + " mail servers.",
    })
    void explanationLettersOnlyInExplanations(String macro, String expected) throws SpfException {
        assertThat(SpfMacro.expand(macro, context("192.0.2.3"), "email.example.com", true)).isEqualTo(expected);
        if (macro.contains("%{c}")) {
            assertThatThrownBy(() -> expand(macro, "192.0.2.3")).isInstanceOf(SpfException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"%", "%x", "%{", "%{d", "%{}", "%{q}", "%{d0}", "%{d2x}", "%{d*}", "a b"})
    void malformedMacroIsPermerror(String macro) {
        assertThatThrownBy(() -> expand(macro, "192.0.2.3"))
            .isInstanceOfSatisfying(SpfException.class,
                e -> assertThat(e.code()).isEqualTo(SpfResult.Code.PERMERROR));
    }

    @org.junit.jupiter.api.Test
    void longExpansionIsCutFromTheLeftTo253() throws SpfException {
        String spec = "%{l}.%{l}.%{l}.%{l}.%{l}.%{l}.%{l}.%{l}.%{l}.%{l}.%{l}.%{l}.%{l}.%{l}.%{l}.%{l}.%{l}.%{l}"
            + ".%{l}.%{l}.%{l}.%{l}.%{l}.%{l}.%{l}.example.com";
        String out = SpfMacro.domain(spec, context("192.0.2.3"), "email.example.com");
        assertThat(out.length()).isLessThanOrEqualTo(253);
        assertThat(out).startsWith("strong-bad.").endsWith(".example.com");
    }
}
