package org.osprey.sieve.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class MailDateTest {
    @Test
    void rfc5322DateTimes() {
        assertThat(MailDate.parse("Mon, 3 Jun 2024 12:14:00 +0200"))
                .contains(OffsetDateTime.parse("2024-06-03T12:14:00+02:00"));
        assertThat(MailDate.parse("3 Jun 2024 12:14 -0000")).contains(OffsetDateTime.parse("2024-06-03T12:14:00Z"));
        assertThat(MailDate.parse("  Tue, 01 Apr 1997 09:06:31 -0800 (PST)  "))
                .contains(OffsetDateTime.parse("1997-04-01T09:06:31-08:00"));
    }

    @Test
    void obsoleteForms() {
        assertThat(MailDate.parse("Sat, 01 Jan 00 23:59:59 GMT"))
                .contains(OffsetDateTime.parse("2000-01-01T23:59:59Z"));
        assertThat(MailDate.parse("1 Jan 99 00:00:00 EST")).contains(OffsetDateTime.parse("1999-01-01T00:00:00-05:00"));
        assertThat(MailDate.parse("1 Jan 103 00:00:00 PDT"))
                .contains(OffsetDateTime.parse("2003-01-01T00:00:00-07:00"));
        assertThat(MailDate.parse("1 January 2024 00:00:00 Z")).contains(OffsetDateTime.parse("2024-01-01T00:00:00Z"));
        assertThat(MailDate.parse("1 Jan 2024 00:00:00 Q")).contains(OffsetDateTime.parse("2024-01-01T00:00:00Z"));
    }

    @Test
    void notDates() {
        assertThat(MailDate.parse("Fri, 30 Feb 2024 10:00:00 +0000")).isEmpty();
        assertThat(MailDate.parse("Thu, 4 Jan 2024 01:02:03")).isEmpty(); // the zone is required
        assertThat(MailDate.parse("Thu, 4 Jan 2024 25:02:03 +0000")).isEmpty();
        assertThat(MailDate.parse("4 Foo 2024 01:02:03 +0000")).isEmpty();
        assertThat(MailDate.parse("4 Jan 2024 01:02:03 +9900")).isEmpty();
        assertThat(MailDate.parse("4 Jan 2024 01:02:03 CEST")).isEmpty();
        assertThat(MailDate.parse("")).isEmpty();
    }
}
