package org.osprey.store.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osprey.core.io.DirectorySync;

class IndexFormatsTest {
    @TempDir
    Path root;

    @Test
    void infoLettersAreWrittenInAsciiOrderKeepingUnknownOnes() {
        int bits = MaildirFlags.SEEN | MaildirFlags.ANSWERED | MaildirFlags.DRAFT | MaildirFlags.bitOf('c')
                | MaildirFlags.bitOf('a');
        assertThat(MaildirFlags.info(null, bits)).isEqualTo("2,DRSac");
        assertThat(MaildirFlags.info("2,XSz", MaildirFlags.FLAGGED)).isEqualTo("2,FX");
        assertThat(MaildirFlags.info("1,whatever", 0)).isEqualTo("2,");
        assertThat(MaildirFlags.parse("2,FX")).isEqualTo(MaildirFlags.FLAGGED);
        assertThat(MaildirFlags.parse(null)).isZero();
        assertThat(MaildirFlags.parse("1,S")).isZero();
    }

    @Test
    void namesAndBitsMapBothWays() {
        Keywords keywords = Keywords.EMPTY.with("Work", 0).with("$Forwarded", 0);
        int bits = MaildirFlags.bits(List.of("\\SEEN", "\\Deleted", "work", "\\Recent"), keywords, false);
        assertThat(bits).isEqualTo(MaildirFlags.SEEN | MaildirFlags.DELETED | MaildirFlags.bitOf('a'));
        assertThat(MaildirFlags.names(bits, keywords)).containsExactlyInAnyOrder("\\Deleted", "\\Seen", "Work");
        assertThat(MaildirFlags.bits(List.of("$Forwarded"), keywords, false))
                .isEqualTo(MaildirFlags.PASSED | MaildirFlags.bitOf('b'));
        assertThat(MaildirFlags.names(MaildirFlags.PASSED, Keywords.EMPTY)).containsExactly("$Forwarded");
        assertThat(MaildirFlags.keywordsToDefine(List.of("\\Seen", "Work", "New", "$forwarded"), keywords))
                .containsExactly("New");
        assertThatThrownBy(() -> MaildirFlags.bits(List.of("Other"), keywords, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(MaildirFlags.bits(List.of("Other"), keywords, true)).isZero();
    }

    @Test
    void aFolderHoldsTwentySixKeywords() throws Exception {
        Keywords keywords = Keywords.EMPTY;
        for (int i = 0; i < 26; i++) {
            keywords = keywords.with("k" + i, 0);
        }
        assertThat(keywords.isFull()).isTrue();
        Keywords full = keywords;
        assertThatThrownBy(() -> full.with("one-too-many", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(full.with("K3", 0)).isSameAs(full);

        full.write(root, new DirectorySync());
        assertThat(Keywords.read(root)).isEqualTo(full);
        assertThat(Files.readAllLines(root.resolve(Keywords.FILE))).startsWith("0 k0", "1 k1");
    }

    @Test
    void dovecotUidListsOfVersionThreeAndOneAreRead() {
        DovecotUidList v3 = DovecotUidList.parse("""
                3 G3085f01b7f11094c501100008c4a11c1 N7 V1275660208
                5 :1276528487.M364837P9451.kurkku,S=1355,W=1394:2,S
                9 W2481 S2400 G00ff :1276533073.M242911P3632.kurkku
                """);
        assertThat(v3.uidValidity()).isEqualTo(1275660208L);
        assertThat(v3.nextUid()).isEqualTo(10); // N is written lazily: the last UID counts too
        assertThat(v3.uids()).containsEntry("1276528487.M364837P9451.kurkku,S=1355,W=1394", 5L)
                .containsEntry("1276533073.M242911P3632.kurkku", 9L);

        DovecotUidList v1 = DovecotUidList.parse("1 1100000000 20\n3 1100000001.123.host:2,S\n");
        assertThat(v1.uidValidity()).isEqualTo(1100000000L);
        assertThat(v1.nextUid()).isEqualTo(20);
        assertThat(v1.uids()).containsEntry("1100000001.123.host", 3L);

        assertThat(DovecotUidList.parse("2 1 2\n")).isNull();
        assertThat(DovecotUidList.parse("3 N5\n")).isNull(); // no UIDVALIDITY: nothing to keep
    }

    @Test
    void logRecordsSurviveTheRoundTripAndBadLinesAreCaught() throws Exception {
        List<LogRecord> records = List.of(new LogRecord.Header(LogRecord.VERSION, 1795331205L),
                new LogRecord.Message(7, 12, 1_700_000_000_123L, 452, 467, false,
                        "1795328160.M966597P19384Q1.host,S=452,W=467", "2,FS"),
                new LogRecord.Message(8, 13, -5, 0, 0, true, "odd name with spaces é", null),
                new LogRecord.Expunge(7, 14), new LogRecord.Next(9, 14), new LogRecord.Recent(8),
                new LogRecord.SyncPoint(1_795_331_205_123_456_789L, 1_795_331_210_000L, 0, 0));
        Path file = root.resolve("log");
        try (IndexLog log = IndexLog.create(file, new DirectorySync(), records)) {
            List<LogRecord> read = new ArrayList<>();
            assertThat(log.replay(read::add).status()).isEqualTo(IndexLog.Status.OK);
            assertThat(read).isEqualTo(records);
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(text.lines().toList().get(1)).endsWith(
                " M 7 12 1700000000123 452 467 cur 1795328160.M966597P19384Q1.host,S=452,W=467:2,FS");

        // a bad last line is a torn tail; a bad line with good ones after it is damage
        Files.writeString(file, text + "0000000 X 1 2\n");
        try (IndexLog log = IndexLog.open(file, new DirectorySync())) {
            assertThat(log.replay(r -> { }).status()).isEqualTo(IndexLog.Status.TORN_TAIL);
        }
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(text);
        Files.writeString(file, text.replace(" X 7 14", " X 7 15"));
        try (IndexLog log = IndexLog.open(file, new DirectorySync())) {
            assertThat(log.replay(r -> { }).status()).isEqualTo(IndexLog.Status.DAMAGED);
        }
        Files.writeString(file, "");
        try (IndexLog log = IndexLog.open(file, new DirectorySync())) {
            assertThat(log.replay(r -> { }).status()).isEqualTo(IndexLog.Status.EMPTY);
        }
    }

    @Test
    void lfWriterTurnsCrlfIntoLfAndCountsTheCrlfSize() throws Exception {
        Path file = root.resolve("msg");
        var written = LfMessageWriter.write(file, List.of("Return-Path: <a@b.example>"),
                new java.io.ByteArrayInputStream("Subject: x\r\n\r\nbare\rcr\r\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(Files.readString(file)).isEqualTo("Return-Path: <a@b.example>\nSubject: x\n\nbare\rcr\n");
        assertThat(written.size()).isEqualTo(Files.size(file));
        assertThat(written.virtualSize()).isEqualTo(Files.size(file) + 4);
        assertThat(LfMessageWriter.virtualSize(file)).isEqualTo(written.virtualSize());
        assertThatThrownBy(() -> LfMessageWriter.write(file, List.of(), java.io.InputStream.nullInputStream()))
                .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
        assertThat(file).exists(); // a failed write never deletes someone else's file
    }

    @Test
    void aFoldedHeaderLineIsWrittenWithLfOnlyAndCountedPerLine() throws Exception {
        Path file = root.resolve("folded");
        var written = LfMessageWriter.write(file, List.of("Authentication-Results: mx.example.org;\r\n\tspf=pass"),
                new java.io.ByteArrayInputStream("Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(Files.readString(file))
                .isEqualTo("Authentication-Results: mx.example.org;\n\tspf=pass\nSubject: x\n\nbody\n");
        assertThat(written.virtualSize()).isEqualTo(Files.size(file) + 5);
        assertThat(LfMessageWriter.virtualSize(file)).isEqualTo(written.virtualSize());
    }
}
