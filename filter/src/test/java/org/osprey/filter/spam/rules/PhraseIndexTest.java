package org.osprey.filter.spam.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PhraseIndexTest {
    private static List<String> found(PhraseIndex index, String text) {
        List<String> found = new ArrayList<>();
        index.find(text, phrase -> true, (phrase, match) -> found.add(phrase + ":" + match));
        return found;
    }

    @Test
    void phrasesMatchAtWordStartsOnly() {
        PhraseIndex index = new PhraseIndex(List.of("act now", "remov(?:e|al)"));
        assertThat(found(index, "act now, proact now, or removal")).containsExactly("0:act now", "1:removal");
        assertThat(found(index, "act")).isEmpty();
        assertThat(found(index, "a")).isEmpty();
    }

    @Test
    void aPhraseMayStartWithPunctuationOrADigit() {
        PhraseIndex index = new PhraseIndex(List.of("\\$ ?\\d+ per week", "[\"']remove[\"']", "\\d+% off"));
        assertThat(found(index, "earn $500 per week; write \"remove\"; 20% off"))
            .containsExactly("0:$500 per week", "1:\"remove\"", "2:20% off");
    }

    @Test
    void aPhraseAnchoredAtTheLineStartMatchesOnlyThere() {
        PhraseIndex index = new PhraseIndex(List.of("^\\W*dear friend"));
        assertThat(found(index, "dear friend,\n-- dear friend\nmy dear friend")).containsExactly("0:dear friend",
            "0:-- dear friend");
    }

    @Test
    void textOutsideAsciiIsSearchedToo() {
        PhraseIndex index = new PhraseIndex(List.of("caf\u00e9 gratuit", "\u00e9t\u00e9"));
        assertThat(found(index, "un caf\u00e9 gratuit cet \u00e9t\u00e9")).containsExactly("0:caf\u00e9 gratuit",
            "1:\u00e9t\u00e9");
    }

    @Test
    void everyCharacterIsJudgedAsItself() {
        PhraseIndex index = new PhraseIndex(List.of("\u00fcber alles", "\u20ac ?\\d+", "a\u0080b", "[\u201c\"]free"));
        assertThat(found(index, "\u00fcber alles for \u20ac 100, a\u0080b, \u201cfree\u201d"))
            .containsExactly("0:\u00fcber alles", "1:\u20ac 100", "2:a\u0080b", "3:\u201cfree");
        assertThat(found(index, "a")).isEmpty();
        assertThat(found(index, "\u00e9")).isEmpty();
    }

    @Test
    void phrasesNotWantedAreNotTried() {
        PhraseIndex index = new PhraseIndex(List.of("act now", "order now"));
        List<String> found = new ArrayList<>();
        index.find("act now and order now", phrase -> phrase == 1, (phrase, match) -> found.add(match));
        assertThat(found).containsExactly("order now");
    }
}
