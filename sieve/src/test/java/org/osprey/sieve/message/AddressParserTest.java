package org.osprey.sieve.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AddressParserTest {
    private static List<String> specs(String value) {
        return AddressParser.parseList(value).stream().map(a -> a.valid() ? a.addrSpec() : "!" + a.text()).toList();
    }

    @Test
    void listsNamesAndAngles() {
        assertThat(specs("John Doe <john@example.org>, jane@example.org")).containsExactly("john@example.org",
                "jane@example.org");
        assertThat(specs("\"Doe, John\" <john@example.org>")).containsExactly("john@example.org");
        assertThat(specs(" (comment) john@example.org (another (nested) one)")).containsExactly("john@example.org");
        assertThat(specs("=?UTF-8?Q?J=C3=BCrgen?= <j@example.de>")).containsExactly("j@example.de");
    }

    @Test
    void groupsGiveTheirMembersOnly() {
        assertThat(specs("undisclosed-recipients:;")).isEmpty();
        assertThat(specs("team: a@example.com, b@example.com;, c@example.com"))
                .containsExactly("a@example.com", "b@example.com", "c@example.com");
    }

    @Test
    void quotedLocalPartsAndLiterals() {
        List<MailAddress> list = AddressParser.parseList("\"john doe\"@example.org, x@[192.0.2.1]");
        assertThat(list.getFirst().localPart()).isEqualTo("john doe");
        assertThat(list.getFirst().addrSpec()).isEqualTo("\"john doe\"@example.org");
        assertThat(list.get(1).domain()).isEqualTo("[192.0.2.1]");
    }

    @Test
    void sourceRoutesAreDropped() {
        assertThat(specs("<@a.example,@b.example:user@c.example>")).containsExactly("user@c.example");
    }

    @Test
    void invalidItemsKeepTheirText() {
        assertThat(specs("root, not an address, a@, @b, a@b@c, <>")).containsExactly("!root", "!not an address",
                "!a@", "!@b", "!a@b@c");
    }

    @Test
    void singleSieveAddress() {
        assertThat(AddressParser.parseSingle("Fred <fred@example.net>")).get()
                .extracting(MailAddress::addrSpec).isEqualTo("fred@example.net");
        assertThat(AddressParser.parseSingle("fred@example.net")).isPresent();
        assertThat(AddressParser.parseSingle("a@example.net, b@example.net")).isEmpty();
        assertThat(AddressParser.parseSingle("g: a@example.net;")).isEmpty();
        assertThat(AddressParser.parseSingle("fred")).isEmpty();
        assertThat(AddressParser.parseSingle("")).isEmpty();
    }

    @Test
    void envelopePaths() {
        MailAddress to = AddressParser.parseEnvelope("<john+tag@Example.org>");
        assertThat(to.localPart()).isEqualTo("john+tag");
        assertThat(to.domain()).isEqualTo("Example.org");
        assertThat(AddressParser.parseEnvelope("@relay:u@example.org").addrSpec()).isEqualTo("u@example.org");
        assertThat(AddressParser.parseEnvelope("\"a b\"@example.org").localPart()).isEqualTo("a b");
        assertThat(AddressParser.parseEnvelope("postmaster").valid()).isFalse();
    }
}
