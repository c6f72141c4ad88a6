package org.osprey.filter.spam.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.osprey.filter.spam.rules.TestMail.BODY;
import static org.osprey.filter.spam.rules.TestMail.findings;
import static org.osprey.filter.spam.rules.TestMail.mail;
import static org.osprey.filter.spam.rules.TestMail.score;
import static org.osprey.filter.spam.rules.TestMail.tests;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class BodyPhraseRuleTest {
    @Test
    void eachFamilyFiresOnItsPhrases() {
        assertThat(tests(mail("To be removed from our mailing list, reply with REMOVE in the subject.\n")))
            .containsExactly("REMOVE_INSTRUCTIONS");
        assertThat(tests(mail("This message is not spam: you agreed to receive it.\n")))
            .containsExactly("NOT_SPAM_CLAIM");
        assertThat(tests(mail("Sent under Bill s.1618 Title III.\n"))).containsExactly("NOT_SPAM_CLAIM");
        assertThat(tests(mail("Be your own boss and earn extra income from home.\n")))
            .containsExactly("MONEY_MAKING");
        assertThat(tests(mail("Prices go up soon. Act now.\n"))).containsExactly("URGENCY");
        assertThat(tests(mail("Try it risk-free, with our money back guarantee.\n"))).containsExactly("GUARANTEE");
        assertThat(tests(mail("We consolidate your debt in a week.\n"))).containsExactly("LOAN_DEBT");
        assertThat(tests(mail("Cheap Viagra here.\n"))).containsExactly("PILLS");
        assertThat(tests(mail("Congratulations! You have won our monthly draw.\n"))).containsExactly("PRIZE");
        assertThat(tests(mail("Reach 5,000,000 email addresses with our bulk email service.\n")))
            .containsExactly("ADDRESS_LISTS");
        assertThat(tests(mail("Save up to 70% with free shipping on every order.\n"))).containsExactly("SALES_PITCH");
        assertThat(tests(mail("Dear Friend,\nI write to you today.\n"))).containsExactly("DEAR_STRANGER");
    }

    @Test
    void advanceFeeFraudNeedsTwoDifferentPhrases() {
        assertThat(tests(mail("I am the next of kin named in the will.\n"))).isEmpty();
        assertThat(tests(mail("""
            I am the next of kin of a deceased client of my bank and I seek your assistance in this transfer,
            in strict confidence, of US$ 21.5 million.
            """))).containsExactly("ADVANCE_FEE");
        assertThat(findings(mail("next of kin, next of kin, next of kin\n")).all()).isEmpty();
        // two variants of one phrase are one phrase
        assertThat(tests(mail("My late husband and my late father left me their house.\n"))).isEmpty();
    }

    @Test
    void phrasesAreFoundAcrossLineBreaksCaseAndTheSubject() {
        assertThat(tests(mail("IF YOU WISH TO BE\n   REMOVED, WRITE US.\n"))).contains("REMOVE_INSTRUCTIONS");
        assertThat(tests(mail(BODY, "Subject: Lower your monthly payments"))).containsExactly("LOAN_DEBT");
    }

    @Test
    void phrasesInHtmlAreFoundInItsVisibleText() {
        String html = "<html><body><p>Make <b>money</b> fast, <i>act&nbsp;now</i></p></body></html>";
        String body = Base64.getMimeEncoder().encodeToString(html.getBytes(StandardCharsets.UTF_8)) + "\n";
        assertThat(tests(mail(body, "Content-Type: text/html; charset=utf-8", "Content-Transfer-Encoding: base64")))
            .contains("MONEY_MAKING", "URGENCY");
    }

    @Test
    void hostileTextIsSearchedInLinearTime() {
        String digits = "1,".repeat(30_000) + " email addresses\n";
        String dollars = "$1,".repeat(20_000) + " per week\n";
        long start = System.nanoTime();
        tests(mail(digits));
        tests(mail(dollars));
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(2));
    }

    @Test
    void ordinaryWordsInsideOtherWordsDoNotFire() {
        assertThat(tests(mail("The proactnow tool; our removalist moves on Friday.\n")))
            .isEmpty();
    }

    @Test
    void anAdvanceFeeLetterScoresHighFromPhrasesAlone() {
        String letter = """
            Dear Sir/Madam,

            I am the chief accountant of the Central Bank of a country you know. I seek a foreign partner for the
            transfer of the sum of USD 35 million left by a deceased client who had no next of kin. You will keep
            20% of the total sum. This business proposal is in strict confidence and risk free.

            Reply today.
            """;
        assertThat(tests(mail(letter))).contains("DEAR_STRANGER", "ADVANCE_FEE", "GUARANTEE", "URGENCY");
        assertThat(score(mail(letter))).isGreaterThanOrEqualTo(4.0);
    }
}
