package org.osprey.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaildirNamesTest {

    @Test
    void deliveryOrderComparesSecondsAndMicrosecondsAsNumbers() {
        List<String> names = new ArrayList<>(List.of(
                "1700000001.M5P1.host", "1700000000.M100005P1.host", "1700000000.M99812P1.host",
                "999999999.M1P1.host", "1700000000.M99812P1Q2.host", "1700000000.P1.host"));
        names.sort(MaildirNames.DELIVERY_ORDER);
        assertThat(names).containsExactly("999999999.M1P1.host", "1700000000.M99812P1.host",
                "1700000000.M99812P1Q2.host", "1700000000.M100005P1.host", "1700000000.P1.host",
                "1700000001.M5P1.host");
    }

    @Test
    void namesMadeOneAfterAnotherSortInTheOrderTheyWereMade() {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            made.add(MaildirNames.unique("host"));
        }
        List<String> sorted = new ArrayList<>(made);
        sorted.sort(MaildirNames.DELIVERY_ORDER);
        // within one microsecond the Q counter decides; it only grows, but as text "Q10" < "Q9"
        assertThat(sorted).isEqualTo(made);
    }
}
