package org.osprey.imap.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osprey.imap.parse.CommandParser;
import org.osprey.imap.parse.ImapCommand;

class MessageSortTest {
    @TempDir
    Path home;

    TestMailbox box;

    static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    static String pad(int bytes) {
        return "x".repeat(bytes) + "\n";
    }

    @BeforeEach
    void fill() throws IOException {
        HeaderSummary.clearCache();
        box = new TestMailbox(home);
        box.add("""
                From: "Zed" <alpha@x.example>
                To: "Bob" <mike@y.example>
                Cc: c@z.example
                Subject: Re: apple
                Date: Sun, 3 Mar 2024 10:00:00 +0000

                """ + pad(500), at("2024-03-04T00:00:00Z"));
        box.add("""
                From: Alice <zulu@x.example>
                To: yankee@y.example
                Subject: banana
                Date: Fri, 1 Mar 2024 11:00:00 +0100

                """ + pad(4000), at("2024-03-01T12:00:00Z"));
        box.add("""
                From: mike@x.example
                Cc: a@z.example
                Subject: [list] Apple

                """ + pad(3000), at("2024-03-02T12:00:00Z"));
        box.add("""
                From: =?UTF-8?Q?=C3=89mile?= <bravo@x.example>
                Subject: Fwd: Cherry
                Date: Sat, 2 Mar 2024 11:00:00 +0000

                """ + pad(1000), at("2024-02-28T00:00:00Z"));
        box.add("""
                From: Kilo <kilo@x.example>
                Subject: =?ISO-8859-1?Q?apple?=
                Date: Sun, 3 Mar 2024 12:00:00 +0200

                """ + pad(2000), at("2024-03-05T00:00:00Z"));
    }

    @AfterEach
    void close() throws IOException {
        box.close();
    }

    List<Integer> sort(String criteria) throws IOException {
        return sort(criteria, "ALL");
    }

    List<Integer> sort(String criteria, String search) throws IOException {
        byte[] line = ("a SORT (" + criteria + ") UTF-8 " + search + "\r\n").getBytes(StandardCharsets.UTF_8);
        var command = (ImapCommand.Sort) CommandParser.parse(line, false);
        int[] found = MessageSearch.search(command.key(), box.context());
        return TestMailbox.numbers(MessageSort.sort(command.criteria(), found, box.context()));
    }

    @Test
    void arrival() throws Exception {
        assertThat(sort("ARRIVAL")).containsExactly(4, 2, 3, 1, 5);
        assertThat(sort("REVERSE ARRIVAL")).containsExactly(5, 1, 3, 2, 4);
    }

    @Test
    void dateIsTheSentDateInUtcOrTheInternalDate() throws Exception {
        // 2: 1 Mar 10:00Z; 4: 2 Mar 11:00Z; 3: no Date, internal 2 Mar 12:00Z; 5: 3 Mar 10:00Z; 1: 3 Mar 10:00Z
        assertThat(sort("DATE")).containsExactly(2, 4, 3, 1, 5);
        assertThat(sort("REVERSE DATE")).containsExactly(1, 5, 3, 4, 2); // the tie stays in sequence order
    }

    @Test
    void size() throws Exception {
        assertThat(sort("SIZE")).containsExactly(1, 4, 5, 3, 2);
        assertThat(sort("REVERSE SIZE")).containsExactly(2, 3, 5, 4, 1);
    }

    @Test
    void subjectIsTheBaseSubject() throws Exception {
        assertThat(sort("SUBJECT")).containsExactly(1, 3, 5, 2, 4);
        assertThat(sort("REVERSE SUBJECT")).containsExactly(4, 2, 1, 3, 5);
        assertThat(sort("SUBJECT REVERSE DATE")).containsExactly(1, 5, 3, 2, 4);
        assertThat(sort("SUBJECT ARRIVAL")).containsExactly(3, 1, 5, 2, 4);
    }

    @Test
    void addressesByLocalPart() throws Exception {
        assertThat(sort("FROM")).containsExactly(1, 4, 5, 3, 2);
        assertThat(sort("REVERSE FROM")).containsExactly(2, 3, 5, 4, 1);
        assertThat(sort("TO")).containsExactly(3, 4, 5, 1, 2); // no To sorts as ""
        assertThat(sort("REVERSE TO")).containsExactly(2, 1, 3, 4, 5);
        assertThat(sort("CC")).containsExactly(2, 4, 5, 3, 1);
        assertThat(sort("REVERSE CC")).containsExactly(1, 3, 2, 4, 5);
    }

    @Test
    void displayNamesElseAddresses() throws Exception {
        // Alice, Émile, Kilo, mike@x.example (no name), Zed
        assertThat(sort("DISPLAYFROM")).containsExactly(2, 4, 5, 3, 1);
        assertThat(sort("REVERSE DISPLAYFROM")).containsExactly(1, 3, 5, 4, 2);
        // Bob, yankee@y.example, and three without To
        assertThat(sort("DISPLAYTO")).containsExactly(3, 4, 5, 1, 2);
    }

    @Test
    void onlyTheSearchedMessagesAreSorted() throws Exception {
        assertThat(sort("REVERSE SIZE", "2:4")).containsExactly(2, 3, 4);
        assertThat(sort("SUBJECT", "NOT SUBJECT apple")).containsExactly(2, 4);
    }
}
