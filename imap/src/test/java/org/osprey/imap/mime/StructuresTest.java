package org.osprey.imap.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osprey.core.io.DirectorySync;
import org.osprey.store.Folders;
import org.osprey.store.index.FolderIndex;
import org.osprey.store.index.MessageEntry;

class StructuresTest {
    @TempDir
    Path root;

    @Test
    void encodeDecode() throws IOException {
        CachedStructure s = sample("04-nested-rfc822.eml").structure();
        assertThat(CachedStructure.decode(s.encode())).contains(s);
        assertThat(CachedStructure.decode(new byte[0])).isEmpty();
        assertThat(CachedStructure.decode(null)).isEmpty();
        byte[] encoded = s.encode();
        assertThat(CachedStructure.decode(java.util.Arrays.copyOf(encoded, encoded.length - 1))).isEmpty();
        assertThat(CachedStructure.decode(java.util.Arrays.copyOf(encoded, encoded.length + 1))).isEmpty();
        encoded[1] = 99; // another version
        assertThat(CachedStructure.decode(encoded)).isEmpty();
        var random = new java.util.Random(1);
        for (int i = 0; i < 1000; i++) {
            byte[] garbage = new byte[random.nextInt(64)];
            random.nextBytes(garbage);
            if (garbage.length > 1) {
                garbage[0] = 'S';
                garbage[1] = 1;
            }
            CachedStructure.decode(garbage); // never throws
        }
    }

    @Test
    void streamingParseGivesWhatTheInMemoryParseGives() throws IOException {
        for (String name : List.of("01-simple.eml", "03-mixed-attachment.eml", "04-nested-rfc822.eml",
                "08-crlf.eml", "21-deep-nesting.eml", "22-garbage.eml", "28-rfc822-tight-boundaries.eml")) {
            byte[] stored = ImapMessageDovecotTest.sample(name);
            // one byte at a time, to cross every buffer boundary
            InputStream trickle = new InputStream() {
                int at;

                @Override
                public int read() {
                    return at < stored.length ? stored[at++] & 0xff : -1;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    if (at >= stored.length) {
                        return -1;
                    }
                    b[off] = stored[at++];
                    return 1;
                }
            };
            assertThat(ImapMessage.structure(trickle)).as(name).isEqualTo(ImapMessage.parse(stored).structure());
        }
    }

    @Test
    void parsedOnceThenFromTheCache() throws IOException {
        Path folder = root.resolve("Maildir");
        Folders.createMaildir(folder);
        try (FolderIndex index = FolderIndex.open(folder, new DirectorySync(), "osprey.test")) {
            byte[] stored = ImapMessageDovecotTest.sample("04-nested-rfc822.eml");
            long uid = index.append(new ByteArrayInputStream(CrlfInputStream.convert(stored)), Set.of(), 0);
            MessageEntry entry = index.message(uid).orElseThrow();
            CachedStructure first = Structures.of(index, entry);
            assertThat(first).isEqualTo(ImapMessage.parse(stored).structure());
            assertThat(index.cache().get(uid)).isPresent();

            // the message file changes behind our back (it never does): the cached answer proves no re-parse
            Path file = folder.resolve(entry.relativePath());
            Files.writeString(file, "Subject: other\n\nx\n");
            assertThat(Structures.of(index, entry)).isEqualTo(first);

            // a cache entry that does not decode is a miss
            index.cache().put(uid, "garbage".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(Structures.of(index, entry).envelope(), StandardCharsets.US_ASCII))
                    .contains("\"other\"");
        }
    }

    @Test
    void aMessageOverSixtyFourMebibytesGetsAStructure() throws IOException {
        Path folder = root.resolve("Maildir");
        Folders.createMaildir(folder);
        try (FolderIndex index = FolderIndex.open(folder, new DirectorySync(), "osprey.test")) {
            String head = "From: big@example.com\r\nSubject: big\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n"
                    + "--B\r\nContent-Type: text/plain\r\n\r\nsee attachment\r\n--B\r\nContent-Type: "
                    + "application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n";
            byte[] line = ("QUJD".repeat(19) + "\r\n").getBytes(StandardCharsets.US_ASCII); // 78 octets
            long lines = (65L << 20) / line.length;
            InputStream body = new InputStream() {
                long left = lines * line.length;

                @Override
                public int read() {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = (int) Math.min(len, left);
                    for (int i = 0; i < n; i++) {
                        long pos = lines * line.length - left + i;
                        b[off + i] = line[(int) (pos % line.length)];
                    }
                    left -= n;
                    return n;
                }
            };
            InputStream message = new SequenceInputStream(Collections.enumeration(List.of(
                    new ByteArrayInputStream(head.getBytes(StandardCharsets.US_ASCII)), body,
                    new ByteArrayInputStream("--B--\r\n".getBytes(StandardCharsets.US_ASCII)))));
            long uid = index.append(message, Set.of(), 0);
            MessageEntry entry = index.message(uid).orElseThrow();
            assertThat(entry.virtualSize()).isGreaterThan(64L << 20);
            CachedStructure s = Structures.of(index, entry);
            String structure = new String(s.bodyStructure(), StandardCharsets.US_ASCII);
            long attachment = lines * line.length - 2; // the CRLF before the boundary is the boundary's
            assertThat(structure).isEqualTo("((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 14 0 NIL "
                    + "NIL NIL NIL)(\"application\" \"octet-stream\" NIL NIL NIL \"base64\" " + attachment
                    + " NIL NIL NIL NIL) \"mixed\" (\"boundary\" \"B\") NIL NIL NIL)");
        }
    }

    private static ImapMessage sample(String name) throws IOException {
        return ImapMessage.parse(ImapMessageDovecotTest.sample(name));
    }
}
