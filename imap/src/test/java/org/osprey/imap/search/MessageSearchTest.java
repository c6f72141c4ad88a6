package org.osprey.imap.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osprey.store.index.FlagMode;
import org.osprey.store.search.FullTextIndex;

class MessageSearchTest {
    @TempDir
    Path home;

    TestMailbox box;
    long uid1;
    long uid2;
    long uid3;
    long uid4;
    long uid5;

    static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @BeforeEach
    void fill() throws IOException {
        box = new TestMailbox(home);
        uid1 = box.add("""
                From: =?ISO-8859-1?Q?J=F6rg_M=FCller?= <joerg@example.de>
                To: alice@example.org
                Subject: =?UTF-8?B?R3LDvMOfZSBhdXMgS8O2bG4=?=
                Date: Mon, 1 Jan 2024 23:30:00 -0500
                Message-ID: <one@example.de>

                Plain text about Lucene indexing.
                """, at("2024-01-02T10:00:00Z"), "\\Seen");
        uid2 = box.add("""
                From: Bob <bob@example.com>
                To: carol@example.net
                Cc: dave@example.org
                Bcc: eve@example.org
                Subject: Re: [list] Meeting notes
                Date: 15 Feb 2024 08:00:00 +0100
                MIME-Version: 1.0
                Content-Type: multipart/alternative; boundary="sep"

                --sep
                Content-Type: text/plain; charset=utf-8
                Content-Transfer-Encoding: quoted-printable

                We had caf=C3=A9 cr=C3=A8me at the me=
                eting.
                --sep
                Content-Type: text/plain; charset=iso-8859-1
                Content-Transfer-Encoding: base64

                %s
                --sep--
                """.formatted(Base64.getEncoder().encodeToString("Die Stra\u00dfe ist lang".getBytes(
                StandardCharsets.ISO_8859_1))), at("2024-02-15T07:00:00Z"), "\\Flagged", "\\Answered", "$Work");
        uid3 = box.add("""
                From: carol@example.net
                Subject: html
                X-Custom: Yes indeed
                Content-Type: text/html; charset=utf-8

                <html><body><p>Hidden <b>treasure</b> inside, 50%% off!!</p></body></html>
                %s
                """.formatted("<!-- padding -->\n".repeat(250)), at("2024-03-01T12:00:00Z"), "\\Deleted", "\\Draft");
        ByteArrayOutputStream latin = new ByteArrayOutputStream();
        latin.writeBytes("""
                From: dave@example.org
                Subject: =?ISO-8859-1?B?Q2Fm6SDgIFBhcmlz?=
                Date: Sun, 10 Mar 2024 09:00:00 +0000
                Content-Type: text/plain; charset=utf-8
                Content-Transfer-Encoding: base64

                """.replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII));
        latin.writeBytes((Base64.getEncoder().encodeToString("The secret code is 42.".getBytes(
                StandardCharsets.UTF_8)) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        uid4 = box.addBytes(latin.toByteArray(), at("2024-03-10T09:00:00Z"));
        uid5 = box.add("""
                From: Eve <eve@example.org>
                Subject: Schöne Grüße

                Ünïcödé text with ß and Ǆ digraph, in ISO: none.
                """, at("2024-03-11T09:00:00Z"));
    }

    @AfterEach
    void close() throws IOException {
        box.close();
    }

    @Test
    void sequenceNumbersIncludingStarAndSavedResult() throws Exception {
        assertThat(box.search("ALL")).containsExactly(1, 2, 3, 4, 5);
        assertThat(box.search("2:3")).containsExactly(2, 3);
        assertThat(box.search("4:2")).containsExactly(2, 3, 4);
        assertThat(box.search("3:*")).containsExactly(3, 4, 5);
        assertThat(box.search("*")).containsExactly(5);
        assertThat(box.search("*:9")).containsExactly(5);
        assertThat(box.search("7")).isEmpty();
        assertThat(box.search("$")).isEmpty();
        box.saved.addAll(Set.of(uid2, uid4, 999L));
        assertThat(box.search("$")).containsExactly(2, 4);
        assertThat(box.search("1,$")).containsExactly(1, 2, 4);
    }

    @Test
    void uidSets() throws Exception {
        assertThat(box.search("UID " + uid2 + ":*")).containsExactly(2, 3, 4, 5);
        assertThat(box.search("UID *")).containsExactly(5);
        assertThat(box.search("UID " + uid1 + "," + uid3)).containsExactly(1, 3);
        assertThat(box.search("UID 1000:2000")).isEmpty();
        assertThat(box.search("UID 1000:*")).containsExactly(5); // "*" is the largest UID in use
        box.saved.add(uid3);
        assertThat(box.search("UID $")).containsExactly(3);
    }

    @Test
    void flagsKeywordsAndRecent() throws Exception {
        assertThat(box.search("SEEN")).containsExactly(1);
        assertThat(box.search("UNSEEN")).containsExactly(2, 3, 4, 5);
        assertThat(box.search("FLAGGED")).containsExactly(2);
        assertThat(box.search("UNFLAGGED")).containsExactly(1, 3, 4, 5);
        assertThat(box.search("ANSWERED")).containsExactly(2);
        assertThat(box.search("UNANSWERED")).containsExactly(1, 3, 4, 5);
        assertThat(box.search("DELETED")).containsExactly(3);
        assertThat(box.search("UNDELETED")).containsExactly(1, 2, 4, 5);
        assertThat(box.search("DRAFT")).containsExactly(3);
        assertThat(box.search("UNDRAFT")).containsExactly(1, 2, 4, 5);
        assertThat(box.search("KEYWORD $Work")).containsExactly(2);
        assertThat(box.search("KEYWORD $work")).containsExactly(2);
        assertThat(box.search("UNKEYWORD $Work")).containsExactly(1, 3, 4, 5);
        assertThat(box.search("KEYWORD NeverUsed")).isEmpty();
        assertThat(box.search("UNKEYWORD NeverUsed")).containsExactly(1, 2, 3, 4, 5);
        box.recent.addAll(Set.of(uid1, uid4));
        assertThat(box.search("RECENT")).containsExactly(1, 4);
        assertThat(box.search("NEW")).containsExactly(4);
        assertThat(box.search("OLD")).containsExactly(2, 3, 5);
    }

    @Test
    void headerFieldsAreDecodedAndMatchedAsSubstringsIgnoringCase() throws Exception {
        assertThat(box.search("FROM \"müller\"")).containsExactly(1);
        assertThat(box.search("FROM \"JÖRG MÜ\"")).containsExactly(1);
        assertThat(box.search("FROM muller")).isEmpty(); // i;unicode-casemap keeps accents
        assertThat(box.search("FROM joerg@EXAMPLE")).containsExactly(1);
        assertThat(box.search("FROM example")).containsExactly(1, 2, 3, 4, 5);
        assertThat(box.search("SUBJECT \"köln\"")).containsExactly(1);
        assertThat(box.search("SUBJECT \"GRÜSSE\"")).isEmpty(); // ß has no one-letter titlecase
        assertThat(box.search("SUBJECT \"grüße\"")).containsExactly(1, 5);
        assertThat(box.search("SUBJECT \"café à\"")).containsExactly(4); // ISO-8859-1 B encoded-word
        assertThat(box.search("SUBJECT meeting")).containsExactly(2);
        assertThat(box.search("TO carol")).containsExactly(2);
        assertThat(box.search("CC dave")).containsExactly(2);
        assertThat(box.search("BCC eve")).containsExactly(2);
        assertThat(box.search("HEADER X-Custom \"\"")).containsExactly(3);
        assertThat(box.search("HEADER x-custom \"yes IND\"")).containsExactly(3);
        assertThat(box.search("HEADER Date \"\"")).containsExactly(1, 2, 4);
        assertThat(box.search("HEADER Message-ID <one@")).containsExactly(1);
        assertThat(box.search("HEADER X-Missing \"\"")).isEmpty();
        assertThat(box.search("SUBJECT \"\"")).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void bodyAndTextComeFromTheFullTextIndex() throws Exception {
        assertThat(box.search("BODY lucene")).containsExactly(1);
        assertThat(box.search("BODY \"café crème\"")).containsExactly(2); // quoted-printable, UTF-8
        assertThat(box.search("BODY meeting")).containsExactly(2); // soft line break joined
        assertThat(box.search("BODY \"straße\"")).containsExactly(2); // base64, ISO-8859-1
        assertThat(box.search("BODY treasure")).containsExactly(3); // html
        assertThat(box.search("BODY html")).isEmpty(); // markup is not text
        assertThat(box.search("BODY \"secret code\"")).containsExactly(4); // base64
        assertThat(box.search("BODY \"köln\"")).isEmpty(); // only in the header
        assertThat(box.search("TEXT \"köln\"")).containsExactly(1);
        assertThat(box.search("TEXT carol")).containsExactly(2, 3);
        assertThat(box.search("BODY TREAS")).containsExactly(3); // word prefixes
        assertThat(box.search("BODY easure")).isEmpty(); // documented deviation: not inside words
        assertThat(box.search("BODY \"\"")).containsExactly(1, 2, 3, 4, 5);
        assertThat(box.search("BODY \"unicode\"")).containsExactly(5); // accents folded by the index
        assertThat(box.search("BODY \"dz\"")).containsExactly(5); // compatibility forms folded too
    }

    @Test
    void punctuationOnlyIsSearchedInTheMessages() throws Exception {
        assertThat(box.search("BODY \"%\"")).containsExactly(3);
        assertThat(box.search("BODY \"!!\"")).containsExactly(3);
    }

    @Test
    void withoutAFullTextIndexMessagesAreScannedForSubstrings() throws Exception {
        box.fullText.close();
        box.fullText = null;
        assertThat(box.search("BODY easure")).containsExactly(3);
        assertThat(box.search("BODY \"CAFÉ CR\"")).containsExactly(2);
        assertThat(box.search("BODY \"straße\"")).containsExactly(2);
        assertThat(box.search("TEXT \"köln\"")).containsExactly(1);
        assertThat(box.search("BODY \"köln\"")).isEmpty();
    }

    @Test
    void aFailingFullTextIndexFallsBackToScanning() throws Exception {
        box.fullText.close(); // still in the context: every call fails
        assertThat(box.search("BODY treasure")).containsExactly(3);
        box.fullText = null;
    }

    @Test
    void aDeletedFullTextIndexIsRebuilt() throws Exception {
        assertThat(box.search("BODY treasure")).containsExactly(3);
        box.fullText.close();
        try (Stream<Path> files = Files.walk(FullTextIndex.location(home))) {
            for (Path p : files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
        box.fullText = FullTextIndex.open(home);
        assertThat(box.search("BODY treasure")).containsExactly(3);
        assertThat(box.fullText.count("", box.inbox.uidValidity())).isEqualTo(5);
    }

    @Test
    void expungedMessagesAreDroppedFromTheIndexAndNotFound() throws Exception {
        assertThat(box.search("BODY treasure")).containsExactly(3);
        box.view = box.inbox.snapshot().messages(); // this session has not been told yet
        box.inbox.expunge(List.of(uid3));
        assertThat(box.search("BODY treasure")).isEmpty();
        assertThat(box.search("HEADER X-Custom \"\"")).isEmpty();
        assertThat(box.search("ALL")).containsExactly(1, 2, 3, 4, 5);
        assertThat(box.fullText.count("", box.inbox.uidValidity())).isEqualTo(4);
        long uid6 = box.add("Subject: later\n\nanother treasure\n", 0);
        box.view = null;
        assertThat(box.search("BODY treasure")).containsExactly(5);
        assertThat(box.inbox.snapshot().messages().get(4).uid()).isEqualTo(uid6);
    }

    @Test
    void internalDatesInTheServerZone() throws Exception {
        assertThat(box.search("ON 2-Jan-2024")).containsExactly(1);
        assertThat(box.search("BEFORE 2-Jan-2024")).isEmpty();
        assertThat(box.search("SINCE 1-Mar-2024")).containsExactly(3, 4, 5);
        assertThat(box.search("BEFORE 1-Mar-2024")).containsExactly(1, 2);
        box.zone = ZoneOffset.ofHours(-12);
        assertThat(box.search("ON 1-Jan-2024")).containsExactly(1);
        assertThat(box.search("ON 2-Jan-2024")).isEmpty();
    }

    @Test
    void sentDatesIgnoreTheirZoneAndFallBackToTheInternalDate() throws Exception {
        assertThat(box.search("SENTON 1-Jan-2024")).containsExactly(1); // 23:30 -0500 is 2 Jan in UTC
        assertThat(box.search("SENTBEFORE 2-Jan-2024")).containsExactly(1);
        assertThat(box.search("SENTON 15-Feb-2024")).containsExactly(2);
        assertThat(box.search("SENTON 1-Mar-2024")).containsExactly(3); // no Date header
        assertThat(box.search("SENTSINCE 10-Mar-2024")).containsExactly(4, 5);
    }

    @Test
    void sizesAndModSeq() throws Exception {
        assertThat(box.search("LARGER 3000")).containsExactly(3);
        assertThat(box.search("SMALLER 3000")).containsExactly(1, 2, 4, 5);
        long size = box.inbox.snapshot().messages().getFirst().virtualSize();
        assertThat(box.search("LARGER " + size)).doesNotContain(1);
        assertThat(box.search("SMALLER " + size)).doesNotContain(1);

        box.inbox.storeFlags(List.of(uid2), FlagMode.ADD, Set.of("\\Seen"), -1);
        long modSeq = box.inbox.message(uid2).orElseThrow().modSeq();
        assertThat(box.search("MODSEQ " + modSeq)).containsExactly(2);
        assertThat(box.search("MODSEQ \"/flags/\\\\seen\" all " + modSeq)).containsExactly(2);
        assertThat(MessageSearch.usesModSeq(TestMailbox.key("OR SEEN MODSEQ 5"))).isTrue();
        assertThat(MessageSearch.usesModSeq(TestMailbox.key("SEEN"))).isFalse();
        int[] found = MessageSearch.search(TestMailbox.key("SEEN"), box.context());
        assertThat(MessageSearch.highestModSeq(found, box.context())).isEqualTo(modSeq);
    }

    @Test
    void notOrAnd() throws Exception {
        assertThat(box.search("NOT SEEN")).containsExactly(2, 3, 4, 5);
        assertThat(box.search("OR FROM bob BODY treasure")).containsExactly(2, 3);
        assertThat(box.search("SEEN FROM \"müller\"")).containsExactly(1);
        assertThat(box.search("SEEN FROM bob")).isEmpty();
        assertThat(box.search("OR (SEEN LARGER 3000) KEYWORD $Work")).containsExactly(2);
        assertThat(box.search("OR (SEEN SMALLER 3000) KEYWORD $Work")).containsExactly(1, 2);
        assertThat(box.search("NOT (OR SEEN FLAGGED)")).containsExactly(3, 4, 5);
        assertThat(box.search("UNDELETED TEXT example.org NOT BODY lucene")).containsExactly(2, 4, 5);
        assertThat(box.search("2:4 OR SUBJECT html SENTON 10-Mar-2024")).containsExactly(3, 4);
    }
}
