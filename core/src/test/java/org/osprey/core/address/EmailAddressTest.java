package org.osprey.core.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressTest {
    @Test
    void plainAddress() throws Exception {
        EmailAddress a = EmailAddress.parse("John.Doe@Example.ORG");
        assertThat(a.localPart()).isEqualTo("John.Doe");
        assertThat(a.domain()).isEqualTo("example.org");
        assertThat(a.key()).isEqualTo("john.doe@example.org");
        assertThat(a.toString()).isEqualTo("John.Doe@example.org");
        assertThat(a.needsSmtpUtf8()).isFalse();
    }

    @Test
    void idnDomainIsKeptAsAlabelAndShownAsUlabel() throws Exception {
        EmailAddress a = EmailAddress.parse("anna@Bücher.example");
        assertThat(a.domain()).isEqualTo("xn--bcher-kva.example");
        assertThat(a.unicodeForm()).isEqualTo("anna@bücher.example");
        assertThat(EmailAddress.parse("anna@xn--bcher-kva.example").key()).isEqualTo(a.key());
    }

    @Test
    void utf8LocalPartsAreAllowed() throws Exception {
        EmailAddress a = EmailAddress.parse("jürgen@example.org");
        assertThat(a.needsSmtpUtf8()).isTrue();
        assertThat(a.key()).isEqualTo("jürgen@example.org");
        assertThat(EmailAddress.parse("用户@例子.广告").domain()).startsWith("xn--");
    }

    @Test
    void quotedLocalPartsAreDecodedAndQuotedBackOnlyWhenNeeded() throws Exception {
        assertThat(EmailAddress.parse("\"john\"@example.org").toString()).isEqualTo("john@example.org");
        EmailAddress spaced = EmailAddress.parse("\"john doe\"@example.org");
        assertThat(spaced.localPart()).isEqualTo("john doe");
        assertThat(spaced.toString()).isEqualTo("\"john doe\"@example.org");
        assertThat(EmailAddress.parse("\"a\\\"b\"@example.org").localPart()).isEqualTo("a\"b");
    }

    @Test
    void allAtextCharactersAreValid() throws Exception {
        assertThat(EmailAddress.parse("!#$%&'*+-/=?^_`{|}~@example.org").localPart())
                .isEqualTo("!#$%&'*+-/=?^_`{|}~");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "john", "@example.org", "john@", "john@@example.org", ".john@example.org",
            "john.@example.org", "jo..hn@example.org", "jo hn@example.org", "john@exa mple.org",
            "john@-example.org", "john@example..org", "john@exam_ple.org", "jo\r\nhn@example.org",
            "\"unterminated@example.org", "john@[127.0.0.1]", "\"\"@example.org"})
    void invalidAddressesAreRefused(String text) {
        assertThatThrownBy(() -> EmailAddress.parse(text)).isInstanceOf(AddressException.class);
    }

    @Test
    void lengthLimitsOfRfc5321() {
        String local64 = "a".repeat(64);
        assertThat(catchParse(local64 + "@example.org")).isNull();
        assertThat(catchParse("a".repeat(65) + "@example.org")).hasMessageContaining("64 octets");
        // 64 two-byte characters are 128 octets: too long although only 64 characters.
        assertThat(catchParse("ü".repeat(64) + "@example.org")).hasMessageContaining("64 octets");
        String longDomain = ("a".repeat(60) + ".").repeat(5) + "org";
        assertThat(catchParse("john@" + longDomain)).isInstanceOf(AddressException.class);
    }

    @Test
    void domainNamesConvertBothWays() throws Exception {
        assertThat(DomainName.toAscii("MÜNCHEN.de.")).isEqualTo("xn--mnchen-3ya.de");
        assertThat(DomainName.toUnicode("xn--mnchen-3ya.de")).isEqualTo("münchen.de");
        assertThatThrownBy(() -> DomainName.toAscii("a..b")).isInstanceOf(AddressException.class);
    }

    private static Exception catchParse(String text) {
        try {
            EmailAddress.parse(text);
            return null;
        } catch (AddressException e) {
            return e;
        }
    }
}
