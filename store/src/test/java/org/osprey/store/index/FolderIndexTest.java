package org.osprey.store.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osprey.core.io.DirectorySync;

class FolderIndexTest {
    @TempDir
    Path root;

    final DirectorySync directorySync = new DirectorySync();
    final List<FolderIndex> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws IOException {
        for (FolderIndex index : opened) {
            index.close();
        }
    }

    FolderIndex open(Path folder) throws IOException {
        FolderIndex index = FolderIndex.open(folder, directorySync, "osprey.test");
        opened.add(index);
        return index;
    }

    FolderIndex reopen(FolderIndex index) throws IOException {
        index.close();
        return open(index.directory());
    }

    static Map<String, MessageEntry> byBase(FolderIndex index) throws IOException {
        return index.snapshot().messages().stream().collect(Collectors.toMap(MessageEntry::baseName,
                Function.identity()));
    }

    static List<Long> uids(FolderIndex index) throws IOException {
        return index.snapshot().messages().stream().map(MessageEntry::uid).toList();
    }

    static ByteArrayInputStream crlf(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void uidsAreGivenInFileNameOrderAndStayAcrossReopen() throws Exception {
        Path inbox = Maildirs.folder(root, "Maildir");
        String third = Maildirs.deliver(inbox, "new", 1700000300, 3, "Subject: c\n\nthree\n", null);
        String first = Maildirs.deliver(inbox, "cur", 1700000100, 1, "Subject: a\n\none\n", "2,S");
        String second = Maildirs.deliver(inbox, "new", 1700000200, 2, "Subject: b\n\ntwo\n", null);
        Maildirs.age(inbox);

        FolderIndex index = open(inbox);
        FolderSnapshot snapshot = index.snapshot();
        assertThat(snapshot.messages()).extracting(MessageEntry::baseName).containsExactly(first, second, third);
        assertThat(snapshot.messages()).extracting(MessageEntry::uid).containsExactly(1L, 2L, 3L);
        assertThat(snapshot.uidNext()).isEqualTo(4);
        assertThat(snapshot.uidValidity()).isBetween(System.currentTimeMillis() / 1000 - 5,
                System.currentTimeMillis() / 1000 + 5);
        MessageEntry a = snapshot.messages().getFirst();
        assertThat(a.flags()).containsExactly("\\Seen");
        assertThat(a.size()).isEqualTo(Files.size(inbox.resolve("cur").resolve(a.fileName())));
        assertThat(a.virtualSize()).isEqualTo(a.size() + 3);
        assertThat(a.internalDate()).isEqualTo(Files.getLastModifiedTime(inbox.resolve("cur")
                .resolve(a.fileName())).toMillis());
        assertThat(snapshot.pop3Uidl(a)).isEqualTo(String.format("00000001%08X", snapshot.uidValidity()));

        FolderIndex again = reopen(index);
        assertThat(again.snapshot().uidValidity()).isEqualTo(snapshot.uidValidity());
        assertThat(again.snapshot().messages()).isEqualTo(snapshot.messages());
        assertThat(again.sync().isEmpty()).isTrue();
    }

    @Test
    void aFileDroppedIntoNewAppearsWithTheNextUid() throws Exception {
        Path inbox = Maildirs.folder(root, "Maildir");
        Maildirs.deliver(inbox, "new", 1700000100, 1, "Subject: a\n\none\n", null);
        FolderIndex index = open(inbox);
        long modSeq = index.highestModSeq();

        // as procmail or maildrop would: no sizes in the name, CRLF counted from the content
        Maildirs.put(inbox, "new/1700000200.12345_1.other.example", "Subject: b\n\nline\r\nline\n");
        SyncResult result = index.sync();

        assertThat(result.added()).containsExactly(2L);
        MessageEntry b = index.message(2).orElseThrow();
        assertThat(b.size()).isEqualTo(23);
        assertThat(b.virtualSize()).isEqualTo(26); // three bare LFs become CRLF, the CRLF stays
        assertThat(b.modSeq()).isGreaterThan(modSeq);
        assertThat(index.changesSince(modSeq).changed()).extracting(MessageEntry::uid).containsExactly(2L);
        assertThat(index.sync().isEmpty()).isTrue();
        assertThat(reopen(index).message(2)).contains(b);
    }

    @Test
    void flagsChangedByAnotherProgramAreSeenWithANewModSeq() throws Exception {
        Path inbox = Maildirs.folder(root, "Maildir");
        String base = Maildirs.deliver(inbox, "cur", 1700000100, 1, "Subject: a\n\none\n", "2,S");
        Maildirs.deliver(inbox, "cur", 1700000200, 2, "Subject: b\n\ntwo\n", "2,");
        Maildirs.age(inbox);
        FolderIndex index = open(inbox);
        long before = index.highestModSeq();

        // mutt flags it and marks it replied
        Files.move(inbox.resolve("cur/" + base + ":2,S"), inbox.resolve("cur/" + base + ":2,FRS"));
        SyncResult result = index.sync();

        assertThat(result.flagsChanged()).containsExactly(1L);
        assertThat(result.added()).isEmpty();
        assertThat(result.expunged()).isEmpty();
        MessageEntry entry = index.message(1).orElseThrow();
        assertThat(entry.flags()).containsExactlyInAnyOrder("\\Flagged", "\\Answered", "\\Seen");
        assertThat(entry.modSeq()).isGreaterThan(before);
        assertThat(index.highestModSeq()).isEqualTo(entry.modSeq());
        assertThat(index.message(2).orElseThrow().modSeq()).isLessThanOrEqualTo(before);
        assertThat(reopen(index).message(1)).contains(entry);
    }

    @Test
    void storeRenamesTheFileWithLettersInDovecotOrder() throws Exception {
        Path inbox = Maildirs.folder(root, "Maildir");
        String base = Maildirs.deliver(inbox, "new", 1700000100, 1, "Subject: a\n\none\n", null);
        Maildirs.deliver(inbox, "cur", 1700000200, 2, "Subject: b\n\ntwo\n", "2,S");
        FolderIndex index = open(inbox);

        StoreResult added = index.storeFlags(List.of(1L), FlagMode.ADD, Set.of("\\Seen", "\\answered", "\\Flagged",
                "\\Draft", "\\Deleted", "$Forwarded", "Work", "\\Recent"), -1);

        assertThat(added.stored()).hasSize(1);
        assertThat(added.modSeq()).isPositive();
        assertThat(Maildirs.names(inbox.resolve("new"))).isEmpty();
        assertThat(Maildirs.names(inbox.resolve("cur"))).contains(base + ":2,DFPRSTa");
        assertThat(Files.readString(inbox.resolve(Keywords.FILE))).isEqualTo("0 Work\n");
        MessageEntry entry = index.message(1).orElseThrow();
        assertThat(entry.flags()).containsExactlyInAnyOrder("\\Seen", "\\Answered", "\\Flagged", "\\Draft",
                "\\Deleted", "$Forwarded", "Work");
        assertThat(entry.modSeq()).isEqualTo(added.modSeq());

        index.storeFlags(List.of(1L), FlagMode.REMOVE, Set.of("\\Deleted", "work", "NeverSeen"), -1);
        assertThat(Maildirs.names(inbox.resolve("cur"))).contains(base + ":2,DFPRS");
        index.storeFlags(List.of(1L, 2L), FlagMode.SET, Set.of("\\Seen", "Later"), -1);
        assertThat(Maildirs.names(inbox.resolve("cur"))).contains(base + ":2,Sb");
        assertThat(Files.readString(inbox.resolve(Keywords.FILE))).isEqualTo("0 Work\n1 Later\n");

        // CONDSTORE: message 2 changed after the client's MODSEQ, message 1 did not
        long clientModSeq = index.message(1).orElseThrow().modSeq();
        index.storeFlags(List.of(2L), FlagMode.ADD, Set.of("\\Flagged"), -1);
        StoreResult conditional = index.storeFlags(List.of(1L, 2L, 99L), FlagMode.ADD, Set.of("\\Answered"),
                clientModSeq);
        assertThat(conditional.modified()).containsExactly(2L);
        assertThat(conditional.missing()).containsExactly(99L);
        assertThat(conditional.stored()).extracting(MessageEntry::uid).containsExactly(1L);
        assertThat(Maildirs.names(inbox.resolve("cur"))).contains(base + ":2,RSb");

        // storing what is already there changes nothing
        StoreResult same = index.storeFlags(List.of(1L), FlagMode.ADD, Set.of("\\Seen"), -1);
        assertThat(same.modSeq()).isZero();
        assertThat(same.stored().getFirst().modSeq()).isEqualTo(conditional.modSeq());

        assertThatThrownBy(() -> index.storeFlags(List.of(1L), FlagMode.ADD, Set.of("\\Bogus"), -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> index.storeFlags(List.of(1L), FlagMode.ADD, Set.of("bad(word"), -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(reopen(index).message(1).orElseThrow().flags()).containsExactlyInAnyOrder("\\Seen",
                "\\Answered", "Later");
    }

    @Test
    void storeFollowsAFileThatAnotherProgramRenamedMeanwhile() throws Exception {
        Path inbox = Maildirs.folder(root, "Maildir");
        String base = Maildirs.deliver(inbox, "cur", 1700000100, 1, "Subject: a\n\none\n", "2,");
        Maildirs.age(inbox);
        FolderIndex index = open(inbox);
        Files.move(inbox.resolve("cur/" + base + ":2,"), inbox.resolve("cur/" + base + ":2,F"));

        StoreResult result = index.storeFlags(List.of(1L), FlagMode.ADD, Set.of("\\Seen"), -1);

        assertThat(result.stored()).hasSize(1);
        assertThat(Maildirs.names(inbox.resolve("cur"))).containsExactly(base + ":2,FS");
    }

    @Test
    void keywordsOfAnotherProgramKeepTheirLettersAndUnknownLettersSurvive() throws Exception {
        Path inbox = Maildirs.folder(root, "Maildir");
        Files.writeString(inbox.resolve(Keywords.FILE), "0 $Label1\n2 $Forwarded");
        String base = Maildirs.deliver(inbox, "cur", 1700000100, 1, "Subject: a\n\none\n", "2,SXab");
        FolderIndex index = open(inbox);

        MessageEntry entry = index.message(1).orElseThrow();
        assertThat(entry.flags()).containsExactlyInAnyOrder("\\Seen", "$Label1");

        index.storeFlags(List.of(1L), FlagMode.ADD, Set.of("$Forwarded", "Project"), -1);
        // $Forwarded is P, and Dovecot's letter for it too; Project takes the first free letter (b has no name)
        assertThat(Maildirs.names(inbox.resolve("cur"))).containsExactly(base + ":2,PSXabcd");
        assertThat(index.keywords().all()).containsExactly("$Label1", "$Forwarded", "Project");
        index.storeFlags(List.of(1L), FlagMode.REMOVE, Set.of("$Forwarded"), -1);
        assertThat(Maildirs.names(inbox.resolve("cur"))).containsExactly(base + ":2,SXabd");
    }

    @Test
    void takingRecentMovesNewToCurAndKeepsUids() throws Exception {
        Path inbox = Maildirs.folder(root, "Maildir");
        String a = Maildirs.deliver(inbox, "new", 1700000100, 1, "Subject: a\n\none\n", null);
        String b = Maildirs.deliver(inbox, "new", 1700000200, 2, "Subject: b\n\ntwo\n", null);
        FolderIndex index = open(inbox);

        SyncResult selected = index.sync(true);

        assertThat(selected.recent()).containsExactly(1L, 2L);
        assertThat(Maildirs.names(inbox.resolve("new"))).isEmpty();
        assertThat(Maildirs.names(inbox.resolve("cur"))).containsExactly(a + ":2,", b + ":2,");
        assertThat(byBase(index).get(a).uid()).isEqualTo(1);
        assertThat(index.sync(true).recent()).isEmpty();

        long appended = index.append(crlf("Subject: c\r\n\r\nthree\r\n"), Set.of(), 0);
        assertThat(index.snapshot().firstRecentUid()).isEqualTo(3);
        assertThat(index.sync(true).recent()).containsExactly(appended);
        assertThat(reopen(index).snapshot().firstRecentUid()).isEqualTo(4);
    }

    @Test
    void expungeDeletesTheFileAndTheUidIsNeverGivenAgain() throws Exception {
        Path inbox = Maildirs.folder(root, "Maildir");
        Maildirs.deliver(inbox, "cur", 1700000100, 1, "Subject: a\n\none\n", "2,S");
        Maildirs.deliver(inbox, "cur", 1700000200, 2, "Subject: b\n\ntwo\n", "2,T");
        Maildirs.deliver(inbox, "cur", 1700000300, 3, "Subject: c\n\nthree\n", "2,T");
        FolderIndex index = open(inbox);
        long before = index.highestModSeq();

        assertThat(index.expungeDeleted(List.of(1L, 2L))).containsExactly(2L);
        assertThat(index.expunge(List.of(3L, 42L))).containsExactly(3L);

        assertThat(Maildirs.names(inbox.resolve("cur"))).hasSize(1);
        Changes changes = index.changesSince(before);
        assertThat(changes.expunged()).containsExactly(2L, 3L);
        assertThat(changes.expungedComplete()).isTrue();
        assertThat(index.sync().isEmpty()).isTrue();

        FolderIndex again = reopen(index);
        assertThat(uids(again)).containsExactly(1L);
        assertThat(again.uidNext()).isEqualTo(4);
        assertThat(again.changesSince(before).expunged()).containsExactly(2L, 3L);
        Maildirs.deliver(inbox, "new", 1700000400, 4, "Subject: d\n\nfour\n", null);
        assertThat(again.sync().added()).containsExactly(4L);
    }

    @Test
    void filesDeletedByAnotherProgramAreReportedExpunged() throws Exception {
        Path inbox = Maildirs.folder(root, "Maildir");
        String a = Maildirs.deliver(inbox, "cur", 1700000100, 1, "Subject: a\n\none\n", "2,S");
        Maildirs.deliver(inbox, "cur", 1700000200, 2, "Subject: b\n\ntwo\n", "2,S");
        Maildirs.age(inbox);
        FolderIndex index = open(inbox);

        Files.delete(inbox.resolve("cur/" + a + ":2,S"));

        assertThat(index.sync().expunged()).containsExactly(1L);
        assertThatThrownBy(() -> index.openMessage(1)).isInstanceOf(NoSuchFileException.class);
        try (FileChannel channel = index.openMessage(2)) {
            assertThat(new String(Channels.newInputStream(channel).readAllBytes())).contains("two");
        }
    }

    @Test
    void appendWritesLfWithFlagsAndDateAndCopyLinksIntoTheTarget() throws Exception {
        Path maildir = Maildirs.folder(root, "Maildir");
        Path archive = Maildirs.folder(maildir, ".Archive");
        Maildirs.deliver(archive, "cur", 1700000100, 1, "Subject: old\n\nold\n", "2,S");
        FolderIndex inbox = open(maildir);
        FolderIndex target = open(archive);

        long date = 1_700_000_000_000L;
        long uid = inbox.append(crlf("Subject: hi\r\n\r\nbody\r\n"), Set.of("\\Seen", "Work"), date);

        MessageEntry entry = inbox.message(uid).orElseThrow();
        assertThat(uid).isEqualTo(1);
        assertThat(entry.inNew()).isFalse();
        assertThat(entry.info()).isEqualTo("2,Sa");
        assertThat(entry.internalDate()).isEqualTo(date);
        Path file = maildir.resolve("cur").resolve(entry.fileName());
        assertThat(Files.readString(file)).isEqualTo("Subject: hi\n\nbody\n");
        assertThat(entry.size()).isEqualTo(18);
        assertThat(entry.virtualSize()).isEqualTo(21);
        assertThat(entry.fileName()).contains(",S=18,W=21:2,Sa").contains("osprey.test");
        assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(date);
        assertThat(Maildirs.names(maildir.resolve("tmp"))).isEmpty();

        // the target has its own keyword letters: Work must be named there too
        Files.writeString(archive.resolve(Keywords.FILE), "0 Other\n");
        List<Copied> copied = inbox.copyTo(target, List.of(uid, 77L));

        assertThat(copied).containsExactly(new Copied(1, 2));
        MessageEntry copy = target.message(2).orElseThrow();
        assertThat(copy.flags()).containsExactlyInAnyOrder("\\Seen", "Work");
        assertThat(copy.info()).isEqualTo("2,Sb");
        assertThat(copy.internalDate()).isEqualTo(date);
        assertThat(copy.size()).isEqualTo(entry.size());
        assertThat(copy.baseName()).isNotEqualTo(entry.baseName());
        Path copyFile = archive.resolve("cur").resolve(copy.fileName());
        assertThat(Files.isSameFile(copyFile, file)).as("hard link").isTrue();
        assertThat(Maildirs.names(archive.resolve("tmp"))).isEmpty();

        assertThat(reopen(target).message(2)).contains(copy);
        assertThat(reopen(inbox).message(1)).contains(entry);
    }

    @Test
    void aTornLastLineIsCutOffAndNothingElseIsLost() throws Exception {
        Path inbox = Maildirs.folder(root, "Maildir");
        Maildirs.deliver(inbox, "new", 1700000100, 1, "Subject: a\n\none\n", null);
        Maildirs.deliver(inbox, "new", 1700000200, 2, "Subject: b\n\ntwo\n", null);
        FolderIndex index = open(inbox);
        index.storeFlags(List.of(1L), FlagMode.ADD, Set.of("\\Seen"), -1);
        long appended = index.append(crlf("Subject: c\r\n\r\nthree\r\n"), Set.of("\\Flagged"), 0);
        FolderSnapshot before = index.snapshot();
        index.close();
        Path log = inbox.resolve(FolderIndex.LOG_FILE);

        // a crash in the middle of the next append: half a record, no newline
        Files.write(log, "1c2d3e4f M 4 9 1700000000000 10 12 cur 1700000".getBytes(StandardCharsets.US_ASCII),
                StandardOpenOption.APPEND);
        long tornSize = Files.size(log);
        FolderIndex again = open(inbox);

        assertThat(again.snapshot()).isEqualTo(before);
        assertThat(again.message(appended).orElseThrow().flags()).containsExactly("\\Flagged");
        assertThat(Files.size(log)).isLessThan(tornSize);

        // and the repaired log takes appends that survive another reopen
        long next = again.append(crlf("Subject: d\r\n\r\nfour\r\n"), Set.of(), 0);
        assertThat(next).isEqualTo(appended + 1);
        FolderIndex third = reopen(again);
        assertThat(third.uidValidity()).isEqualTo(before.uidValidity());
        assertThat(uids(third)).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void aLastRecordCutInTheMiddleIsDroppedAndItsFileFoundAgain() throws Exception {
        Path inbox = Maildirs.folder(root, "Maildir");
        Maildirs.deliver(inbox, "new", 1700000100, 1, "Subject: a\n\none\n", null);
        FolderIndex index = open(inbox);
        long uidValidity = index.uidValidity();
        index.close();
        Path log = inbox.resolve(FolderIndex.LOG_FILE);
        Maildirs.deliver(inbox, "new", 1700000200, 2, "Subject: b\n\ntwo\n", null);
        index = open(inbox);
        assertThat(uids(index)).containsExactly(1L, 2L);
        index.close();

        // cut the log in the middle of the record that gave UID 2 (and whatever followed)
        List<String> lines = Files.readAllLines(log);
        int record = indexOfLineContaining(lines, " M 2 ");
        String text = String.join("\n", lines.subList(0, record)) + "\n" + lines.get(record).substring(0, 20);
        Files.writeString(log, text);

        FolderIndex again = open(inbox);
        assertThat(again.uidValidity()).isEqualTo(uidValidity);
        assertThat(uids(again)).containsExactly(1L, 2L); // found in new/ again, and given the same next UID
    }

    @Test
    void aDamagedLineInTheMiddleRebuildsWithANewUidValidity() throws Exception {
        Path inbox = Maildirs.folder(root, "Maildir");
        Maildirs.deliver(inbox, "new", 1700000100, 1, "Subject: a\n\none\n", null);
        Maildirs.deliver(inbox, "cur", 1700000200, 2, "Subject: b\n\ntwo\n", "2,FS");
        Maildirs.deliver(inbox, "cur", 1700000300, 3, "Subject: c\n\nthree\n", "2,S");
        FolderIndex index = open(inbox);
        index.expunge(List.of(1L));
        long uidValidity = index.uidValidity();
        index.close();

        Path log = inbox.resolve(FolderIndex.LOG_FILE);
        List<String> lines = new ArrayList<>(Files.readAllLines(log));
        int record = indexOfLineContaining(lines, " M 2 ");
        lines.set(record, lines.get(record).replace(":2,FS", ":2,FT")); // a flipped bit: checksum no longer fits
        Files.write(log, lines);

        FolderIndex rebuilt = open(inbox);
        assertThat(rebuilt.uidValidity()).isGreaterThan(uidValidity);
        assertThat(rebuilt.snapshot().messages()).extracting(MessageEntry::uid).containsExactly(1L, 2L);
        assertThat(rebuilt.message(1).orElseThrow().flags()).containsExactlyInAnyOrder("\\Flagged", "\\Seen");
        assertThat(inbox.resolve(FolderIndex.LOG_FILE + ".damaged")).exists();
        assertThat(reopen(rebuilt).uidValidity()).isGreaterThan(uidValidity);
    }

    @Test
    void theLogIsCompactedWhenMostOfItIsHistory() throws Exception {
        Path inbox = Maildirs.folder(root, "Maildir");
        for (int i = 0; i < 2500; i++) {
            Files.createFile(inbox.resolve("cur/" + (1700000000 + i) + ".M" + i + "P1Q1.host,S=100,W=104:2,"));
        }
        FolderIndex index = open(inbox);
        Path log = inbox.resolve(FolderIndex.LOG_FILE);
        long initial = Files.size(log);
        List<Long> all = uids(index);

        index.storeFlags(all, FlagMode.ADD, Set.of("\\Seen"), -1);
        index.storeFlags(all, FlagMode.ADD, Set.of("\\Flagged"), -1);
        index.expunge(all.subList(0, 10));

        assertThat(Files.size(log)).isLessThan(initial * 3 / 2);
        FolderSnapshot before = index.snapshot();
        FolderIndex again = reopen(index);
        assertThat(again.snapshot()).isEqualTo(before);
        Changes changes = again.changesSince(1);
        assertThat(changes.expungedComplete()).isFalse(); // forgotten with the compacted history
        assertThat(again.message(11).orElseThrow().flags()).containsExactlyInAnyOrder("\\Seen", "\\Flagged");
    }

    @Test
    void aFolderIsOpenedOncePerProcess() throws Exception {
        Path inbox = Maildirs.folder(root, "Maildir");
        open(inbox);
        assertThatThrownBy(() -> FolderIndex.open(inbox, directorySync)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theRegistrySharesOneInstancePerFolder() throws Exception {
        Path inbox = Maildirs.folder(root, "Maildir");
        Path sent = Maildirs.folder(inbox, ".Sent");
        try (var indexes = new FolderIndexes(directorySync, "osprey.test", 1)) {
            var first = indexes.acquire(inbox);
            var second = indexes.acquire(inbox.resolve("../Maildir"));
            assertThat(second.index()).isSameAs(first.index());
            first.close();
            second.close();
            var third = indexes.acquire(inbox);
            assertThat(third.index()).as("kept while idle").isSameAs(first.index());
            third.close();
            indexes.acquire(sent).close(); // evicts INBOX: only one idle index is kept
            assertThat(indexes.openCount()).isEqualTo(1);
            var fourth = indexes.acquire(inbox);
            assertThat(fourth.index()).isNotSameAs(first.index());
            assertThatThrownBy(() -> first.index().snapshot()).isInstanceOf(IllegalStateException.class);
            fourth.close();
        }
    }

    static int indexOfLineContaining(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no line with " + text + " in " + lines);
    }
}
