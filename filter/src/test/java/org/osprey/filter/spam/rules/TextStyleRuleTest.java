package org.osprey.filter.spam.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.osprey.filter.spam.rules.TestMail.mail;
import static org.osprey.filter.spam.rules.TestMail.tests;

import org.junit.jupiter.api.Test;

class TextStyleRuleTest {
    @Test
    void threeShoutedLinesAreShouting() {
        String shouting = """
            THIS IS THE OFFER OF THE CENTURY
            YOU WILL NEVER SEE PRICES THIS LOW AGAIN
            READ ON TO FIND OUT HOW TO GET IT
            """;
        assertThat(tests(mail(shouting))).containsExactly("BODY_SHOUTING");
        assertThat(TextStyleRule.shoutedLines(shouting)).isEqualTo(3);
    }

    @Test
    void headingsAndShortCapitalsAreNotShouting() {
        assertThat(tests(mail("""
            MINUTES OF THE BOARD MEETING
            FYI
            PS: RSVP ASAP
            The board met on Friday and agreed the budget.
            AGENDA FOR NEXT TIME: TO BE DECIDED
            """))).isEmpty();
    }

    @Test
    void manyDollarFiguresFire() {
        assertThat(tests(mail("Pay $19.95 instead of $49.95, or $ 99 for three; shipping $5, tax $0.\n")))
            .containsExactly("BODY_DOLLAR_AMOUNTS");
        assertThat(tests(mail("The lunch was $12 and the taxi $30.\n"))).isEmpty();
        assertThat(TextStyleRule.dollarAmounts("$ $$ US$ $5 $ 6")).isEqualTo(2);
    }
}
