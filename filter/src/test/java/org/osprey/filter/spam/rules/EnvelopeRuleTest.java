package org.osprey.filter.spam.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.osprey.filter.spam.rules.TestMail.BODY;
import static org.osprey.filter.spam.rules.TestMail.findings;
import static org.osprey.filter.spam.rules.TestMail.mail;
import static org.osprey.filter.spam.rules.TestMail.parse;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.osprey.filter.Findings;

class EnvelopeRuleTest {
    private static Set<String> tests(String message, String sender, String recipient, String... found) {
        Findings before = new Findings();
        for (String test : found) {
            before.add(test, "found by a network check");
        }
        Set<String> names = new TreeSet<>();
        findings(parse(message), sender, List.of(recipient), before).all().forEach(f -> names.add(f.test()));
        names.removeAll(List.of(found));
        return names;
    }

    @Test
    void aFromOfTheRecipientsDomainSentFromElsewhereIsForged() {
        String message = mail(BODY, "From: IT Support <it@example.net>");
        assertThat(tests(message, "bulk@sender.example", "bob@example.net"))
            .containsExactly("FROM_RECIPIENT_DOMAIN_FORGED");
        // a subdomain of the recipient's domain is the same organisation
        assertThat(tests(mail(BODY, "From: IT <it@corp.example.net>"), "bulk@sender.example", "bob@example.net"))
            .containsExactly("FROM_RECIPIENT_DOMAIN_FORGED");
    }

    @Test
    void aSignatureOrDmarcPassOfTheFromDomainVouchesForIt() {
        String message = mail(BODY, "From: News <news@example.net>");
        assertThat(tests(message, "bounce-7@esp.example", "bob@example.net")).containsExactly(
            "FROM_RECIPIENT_DOMAIN_FORGED");
        assertThat(tests(message, "bounce-7@esp.example", "bob@example.net", "DKIM_VALID_AU")).isEmpty();
        assertThat(tests(message, "bounce-7@esp.example", "bob@example.net", "DMARC_PASS")).isEmpty();
    }

    @Test
    void theSameOrganisationListsAndBouncesAreNotJudged() {
        String message = mail(BODY, "From: Alice <alice@example.org>");
        assertThat(tests(message, "alice@mail.example.org", "bob@example.net")).isEmpty();
        assertThat(tests(mail(BODY, "From: Alice <alice@example.org>", "List-Id: <dev.lists.example.com>"),
            "dev-bounces@lists.example.com", "bob@example.net")).isEmpty();
        assertThat(tests(message, "", "bob@example.net")).isEmpty();
        assertThat(tests(message, "owner@other.example", "bob@example.net")).isEmpty();
        assertThat(tests(message, "owner@other.example", "carol@example.org")).containsExactly(
            "FROM_RECIPIENT_DOMAIN_FORGED");
    }
}
