package org.osprey.imap.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class HeaderParsingTest {

    static String base(String subject) {
        return BaseSubject.of(subject).text();
    }

    @Test
    void baseSubjectRemovesLeadersTrailersBlobsAndForwardWrappers() {
        assertThat(base("Re: Fwd: [list] Re: hello (fwd)")).isEqualTo("hello");
        assertThat(BaseSubject.of("Re: hello").replyOrForward()).isTrue();
        assertThat(BaseSubject.of("hello (fwd)").replyOrForward()).isTrue();
        assertThat(base("[list] hello")).isEqualTo("hello");
        assertThat(BaseSubject.of("[list] hello").replyOrForward()).isFalse();
        assertThat(base("[fwd: Re: hi]")).isEqualTo("hi");
        assertThat(BaseSubject.of("[Fwd: hi]").replyOrForward()).isTrue();
        assertThat(base("[list]")).isEqualTo("[list]"); // removing the blob would leave nothing
        assertThat(base("[a] [b] ")).isEqualTo("[b]");
        assertThat(base("  re :  spaced   out  ")).isEqualTo("spaced out");
        assertThat(base("Re[2]: counted")).isEqualTo("counted");
        assertThat(base("RE: [x] FW: Fwd:  shout")).isEqualTo("shout");
        assertThat(base("Reply: not a leader")).isEqualTo("Reply: not a leader");
        assertThat(BaseSubject.of("Reply: not a leader").replyOrForward()).isFalse();
        assertThat(base("tabs\tand\r\n continuations")).isEqualTo("tabs and continuations");
        assertThat(base("Re: [fwd: [list] topic (fwd)]")).isEqualTo("topic");
        assertThat(base("")).isEmpty();
        assertThat(base("Re:")).isEmpty();
    }

    @Test
    void datesInTheFormsMailersWrite() {
        assertThat(DateHeader.parse("Mon, 1 Jan 2024 23:30:00 -0500"))
                .isEqualTo(OffsetDateTime.of(2024, 1, 1, 23, 30, 0, 0, ZoneOffset.ofHours(-5)));
        assertThat(DateHeader.parse("1 Jan 2024 23:30 +0130"))
                .isEqualTo(OffsetDateTime.of(2024, 1, 1, 23, 30, 0, 0, ZoneOffset.ofHoursMinutes(1, 30)));
        assertThat(DateHeader.parse("Tue, 02 Jan 24 10:00:00 EST (Eastern)"))
                .isEqualTo(OffsetDateTime.of(2024, 1, 2, 10, 0, 0, 0, ZoneOffset.ofHours(-5)));
        assertThat(DateHeader.parse("2 Jan 99 10:00:00 GMT"))
                .isEqualTo(OffsetDateTime.of(1999, 1, 2, 10, 0, 0, 0, ZoneOffset.UTC));
        assertThat(DateHeader.parse("Wednesday, 3 January 2024 10:00:00"))
                .isEqualTo(OffsetDateTime.of(2024, 1, 3, 10, 0, 0, 0, ZoneOffset.UTC));
        assertThat(DateHeader.parse("Jan 5 2024 10:00:60 +0000").getSecond()).isEqualTo(59);
        assertThat(DateHeader.parse("5-Jan-2024 10:00:00+0200"))
                .isEqualTo(OffsetDateTime.of(2024, 1, 5, 10, 0, 0, 0, ZoneOffset.ofHours(2)));
        assertThat(DateHeader.parse("31 Feb 2024 10:00:00 +0000")).isNull();
        assertThat(DateHeader.parse("yesterday")).isNull();
        assertThat(DateHeader.parse("")).isNull();
        assertThat(DateHeader.parse(null)).isNull();
        assertThat(DateHeader.parse("1 Jan 2024")).isNull();
    }

    @Test
    void unicodeCasemapFoldsCaseAndCompatibilityFormsButNotAccents() {
        assertThat(UnicodeCasemap.key("Hello")).isEqualTo(UnicodeCasemap.key("hELLO"));
        assertThat(UnicodeCasemap.key("\u00e9")).isEqualTo(UnicodeCasemap.key("E\u0301"));
        assertThat(UnicodeCasemap.key("\u01c6")).isEqualTo(UnicodeCasemap.key("\u01c4"));
        assertThat(UnicodeCasemap.key("\ufb01le")).isEqualTo(UnicodeCasemap.key("FILE"))
                .isEqualTo(UnicodeCasemap.key("file"));
        assertThat(UnicodeCasemap.key("e")).isNotEqualTo(UnicodeCasemap.key("\u00e9"));
        assertThat(UnicodeCasemap.contains("Jörg Müller", "MÜLL")).isTrue();
        assertThat(UnicodeCasemap.compare(UnicodeCasemap.key("apple"), UnicodeCasemap.key("Banana"))).isNegative();
        assertThat(UnicodeCasemap.compare("\ud83d\ude00", "\uffff")).isPositive(); // code point order
        assertThat(UnicodeCasemap.compare("", "a")).isNegative();
    }

    @Test
    void headerFieldsAreUnfoldedAndReadAsUtf8OrLatin1() {
        byte[] block = ("Subject: one\r\n two\r\nX-Latin: caf\u00e9\r\nX-Utf8: caf\u00e9\r\nFrom line\r\n"
                + "To:\tx@y\r\n\r\nbody: not a field\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] utf8 = "caf\u00e9".getBytes(StandardCharsets.UTF_8);
        String text = new String(block, StandardCharsets.ISO_8859_1).replace("X-Utf8: caf\u00e9",
                "X-Utf8: " + new String(utf8, StandardCharsets.ISO_8859_1));
        MessageHeader header = MessageHeader.parse(text.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(header.first("subject")).isEqualTo("one two");
        assertThat(header.first("X-Latin")).isEqualTo("café");
        assertThat(header.first("X-Utf8")).isEqualTo("café");
        assertThat(header.first("To")).isEqualTo("x@y");
        assertThat(header.has("body")).isFalse();
        assertThat(header.fields()).hasSize(4);
    }

    @Test
    void messageIdsSkipCommentsAndJunk() {
        assertThat(MessageIds.parse("<a@b> <c@d>")).containsExactly("a@b", "c@d");
        assertThat(MessageIds.parse("(comment <x@y>) <a @ b>")).containsExactly("a@b");
        assertThat(MessageIds.parse("\"quoted <q@r>\" <a@b>")).containsExactly("a@b");
        assertThat(MessageIds.parse("<> <nope> <@x> <a@b")).isEmpty();
        assertThat(MessageIds.parse(null)).isEmpty();
    }
}
