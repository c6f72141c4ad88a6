package org.osprey.imap;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.osprey.imap.mime.CachedStructure;
import org.osprey.imap.mime.ImapMessage;
import org.osprey.imap.mime.ImapStrings;
import org.osprey.imap.mime.Structures;
import org.osprey.imap.mime.UnknownTransferEncodingException;
import org.osprey.imap.parse.FetchItem;
import org.osprey.imap.parse.ImapCommand;
import org.osprey.imap.parse.Section;
import org.osprey.store.index.FlagMode;
import org.osprey.store.index.MaildirFlags;
import org.osprey.store.index.MessageEntry;
import org.osprey.store.index.StoreResult;

/**
 * FETCH and UID FETCH (RFC 9051 §6.4.5, RFC 3516 BINARY, RFC 7162 CHANGEDSINCE/VANISHED, RFC 8970 PREVIEW).
 * Flags, sizes and dates come from the index; ENVELOPE and BODYSTRUCTURE from the structure cache; body sections
 * from the file, which is parsed at most once per message per command, and whole messages are streamed.
 */
final class FetchCommand {
    private static final DateTimeFormatter INTERNAL_DATE =
            DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss xx", Locale.ENGLISH);
    /** Whole messages up to this size are converted in memory; bigger ones are streamed twice (count, copy). */
    private static final long IN_MEMORY = 1024 * 1024;

    private final ImapSession session;
    private final SelectedFolder selected;

    FetchCommand(ImapSession session) {
        this.session = session;
        this.selected = session.selected;
    }

    String run(ImapCommand.Fetch c) throws ImapException, IOException {
        if (c.vanished() && !session.qresync) {
            throw ImapException.bad("VANISHED needs QRESYNC enabled");
        }
        List<FetchItem> items = new ArrayList<>(c.items());
        if (c.uid() && !items.contains(FetchItem.Simple.UID)) {
            items.addFirst(FetchItem.Simple.UID);
        }
        if (c.changedSince().isPresent() || items.contains(FetchItem.Simple.MODSEQ)) {
            session.condstore = true;
            if (c.changedSince().isPresent() && !items.contains(FetchItem.Simple.MODSEQ)) {
                items.add(FetchItem.Simple.MODSEQ);
            }
        }
        int[] positions = selected.positions(c.set(), c.uid());
        if (c.vanished()) {
            String vanished = new Qresync(session).vanishedSince(c.changedSince().getAsLong(), c.set());
            if (!vanished.isEmpty()) {
                session.out.untagged("VANISHED (EARLIER) " + vanished);
            }
        }
        Set<Long> seenNow = markSeen(items, positions, c.changedSince().orElse(-1));
        boolean addFlags = !seenNow.isEmpty() && !items.contains(FetchItem.Simple.FLAGS);
        boolean missing = false;
        OutputStream out = session.out.stream();
        for (int p : positions) {
            MessageEntry entry = selected.at(p);
            if (c.changedSince().isPresent() && entry.modSeq() <= c.changedSince().getAsLong()) {
                continue;
            }
            try {
                writeMessage(out, p, entry, items, addFlags && seenNow.contains(entry.uid()));
            } catch (NoSuchFileException e) {
                missing = true; // expunged by another session meanwhile; the header was not written yet
            }
        }
        session.sendUpdates(c.uid());
        if (missing) {
            return "NO [EXPUNGEISSUED] Some of the requested messages no longer exist";
        }
        return "OK " + c.name() + " completed";
    }

    /** Sets \Seen on messages whose body is fetched without PEEK (RFC 9051 §6.4.5); returns the UIDs changed. */
    private Set<Long> markSeen(List<FetchItem> items, int[] positions, long changedSince) throws IOException {
        boolean setsSeen = !selected.readOnly && items.stream().anyMatch(item -> switch (item) {
            case FetchItem.BodySection s -> !s.peek();
            case FetchItem.Binary b -> !b.peek();
            case FetchItem.Simple s -> s == FetchItem.Simple.RFC822 || s == FetchItem.Simple.RFC822_TEXT;
            default -> false;
        });
        if (!setsSeen) {
            return Set.of();
        }
        List<Long> unseen = new ArrayList<>();
        for (int p : positions) {
            MessageEntry entry = selected.at(p);
            if (!entry.has(MaildirFlags.SEEN) && entry.modSeq() > changedSince) {
                unseen.add(entry.uid());
            }
        }
        if (unseen.isEmpty()) {
            return Set.of();
        }
        StoreResult result = selected.index().storeFlags(unseen, FlagMode.ADD, Set.of("\\Seen"), -1);
        selected.replace(result.stored());
        session.protocol.signals.changed(selected.directory);
        return Set.copyOf(unseen);
    }

    private void writeMessage(OutputStream out, int position, MessageEntry entry, List<FetchItem> items,
                              boolean addFlags) throws IOException, ImapException {
        // everything that may fail (a vanished file) is computed before the first byte of this response
        MessageParts parts = new MessageParts(entry);
        try {
            writeMessage(out, position, entry, items, addFlags, parts);
        } finally {
            parts.close();
        }
    }

    private void writeMessage(OutputStream out, int position, MessageEntry entry, List<FetchItem> items,
                              boolean addFlags, MessageParts parts) throws IOException, ImapException {
        List<byte[]> rendered = new ArrayList<>(items.size() + 1);
        for (FetchItem item : items) {
            rendered.add(render(item, entry, parts));
        }
        if (addFlags) {
            rendered.add(("FLAGS " + selected.flagList(entry)).getBytes(StandardCharsets.US_ASCII));
        }
        out.write(("* " + (position + 1) + " FETCH (").getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < rendered.size(); i++) {
            if (i > 0) {
                out.write(' ');
            }
            byte[] piece = rendered.get(i);
            if (piece == null) {
                parts.streamWhole(out, items.get(i));
            } else {
                out.write(piece);
            }
        }
        out.write(")\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** One item's bytes; null for a whole message too big to hold, which {@link MessageParts} streams. */
    private byte[] render(FetchItem item, MessageEntry entry, MessageParts parts) throws IOException, ImapException {
        return switch (item) {
            case FetchItem.Simple simple -> switch (simple) {
                case UID -> ascii("UID " + entry.uid());
                case FLAGS -> ascii("FLAGS " + selected.flagList(entry));
                case INTERNALDATE -> ascii("INTERNALDATE \"" + INTERNAL_DATE.format(
                        Instant.ofEpochMilli(entry.internalDate()).atZone(session.protocol.zone)) + "\"");
                case RFC822_SIZE -> ascii("RFC822.SIZE " + parts.size());
                case MODSEQ -> ascii("MODSEQ (" + entry.modSeq() + ")");
                case ENVELOPE -> concat("ENVELOPE ", parts.structure().envelope());
                case BODYSTRUCTURE -> concat("BODYSTRUCTURE ", parts.structure().bodyStructure());
                case BODY -> concat("BODY ", parts.structure().body());
                case RFC822 -> parts.whole("RFC822", Optional.empty());
                case RFC822_HEADER -> literal("RFC822.HEADER ", parts.parsed().section(
                        new Section(List.of(), Section.Kind.HEADER, List.of())));
                case RFC822_TEXT -> literal("RFC822.TEXT ", parts.parsed().section(
                        new Section(List.of(), Section.Kind.TEXT, List.of())));
            };
            case FetchItem.BodySection s -> {
                String label = "BODY[" + s.section().spec() + "]"
                        + s.partial().map(pa -> "<" + pa.offset() + ">").orElse("") + " ";
                if (s.section().equals(Section.ALL)) {
                    yield parts.whole(label.strip(), s.partial());
                }
                yield literal(label, partial(parts.parsed().section(s.section()), s.partial()));
            }
            case FetchItem.Binary b -> {
                byte[] decoded;
                try {
                    decoded = b.part().isEmpty() ? parts.parsed().crlfBytes() : parts.parsed().binary(b.part());
                } catch (UnknownTransferEncodingException e) {
                    throw ImapException.no("UNKNOWN-CTE", "Unknown Content-Transfer-Encoding");
                }
                String label = "BINARY[" + partSpec(b.part()) + "]"
                        + b.partial().map(pa -> "<" + pa.offset() + ">").orElse("") + " ";
                yield literal8(label, partial(decoded, b.partial()));
            }
            case FetchItem.BinarySize bs -> {
                long size;
                try {
                    size = bs.part().isEmpty() ? parts.size() : parts.parsed().binarySize(bs.part());
                } catch (UnknownTransferEncodingException e) {
                    throw ImapException.no("UNKNOWN-CTE", "Unknown Content-Transfer-Encoding");
                }
                yield ascii("BINARY.SIZE[" + partSpec(bs.part()) + "] " + size);
            }
            case FetchItem.Preview _ -> {
                var text = new java.io.ByteArrayOutputStream();
                ImapStrings.nstring(text, parts.parsed().preview());
                yield concat("PREVIEW ", text.toByteArray());
            }
        };
    }

    private static String partSpec(List<Integer> part) {
        StringBuilder out = new StringBuilder();
        for (int p : part) {
            if (!out.isEmpty()) {
                out.append('.');
            }
            out.append(p);
        }
        return out.toString();
    }

    private static byte[] partial(byte[] bytes, Optional<FetchItem.Partial> partial) {
        if (partial.isEmpty()) {
            return bytes;
        }
        long offset = partial.get().offset();
        if (offset >= bytes.length) {
            return new byte[0];
        }
        int end = (int) Math.min(bytes.length, offset + partial.get().length());
        return java.util.Arrays.copyOfRange(bytes, (int) offset, end);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(String prefix, byte[] rest) {
        byte[] head = ascii(prefix);
        byte[] all = java.util.Arrays.copyOf(head, head.length + rest.length);
        System.arraycopy(rest, 0, all, head.length, rest.length);
        return all;
    }

    static byte[] literal(String prefix, byte[] content) {
        return concat(prefix + "{" + content.length + "}\r\n", content);
    }

    /** RFC 3516: a literal8 (~{n}) when the content holds NUL, which a normal literal must not. */
    private static byte[] literal8(String prefix, byte[] content) {
        for (byte b : content) {
            if (b == 0) {
                return concat(prefix + "~{" + content.length + "}\r\n", content);
            }
        }
        return literal(prefix, content);
    }

    /** One message's data for one FETCH: the cached structure and the parsed file, each made only when asked. */
    private final class MessageParts {
        private final MessageEntry entry;
        private CachedStructure structure;
        private ImapMessage parsed;

        MessageParts(MessageEntry entry) {
            this.entry = entry;
        }

        long size() {
            return entry.virtualSize();
        }

        CachedStructure structure() throws IOException {
            if (structure == null) {
                structure = parsed != null ? parsed.structure() : Structures.of(selected.index(), entry);
            }
            return structure;
        }

        ImapMessage parsed() throws IOException {
            if (parsed == null) {
                try (FileChannel file = selected.index().openMessage(entry.uid())) {
                    parsed = ImapMessage.parse(Channels.newInputStream(file).readAllBytes());
                }
            }
            return parsed;
        }

        /** BODY[] and RFC822: in memory when small, else null and streamed by {@link #streamWhole}. */
        byte[] whole(String label, Optional<FetchItem.Partial> partial) throws IOException {
            if (parsed != null || entry.virtualSize() <= IN_MEMORY) {
                return literal(label + " ", partial(parsed().crlfBytes(), partial));
            }
            if (file == null) {
                // kept open until streamed: a file unlinked meanwhile stays readable, so the literal stays whole
                file = selected.index().openMessage(entry.uid());
                length = CrlfMessage.length(file);
            }
            streamed.add(new Streamed(label, partial));
            return null;
        }

        private record Streamed(String label, Optional<FetchItem.Partial> partial) {
        }

        private final List<Streamed> streamed = new ArrayList<>();
        private FileChannel file;
        private long length;

        void streamWhole(OutputStream out, FetchItem item) throws IOException {
            Streamed next = streamed.removeFirst();
            long offset = Math.min(length, next.partial().map(FetchItem.Partial::offset).orElse(0L));
            long count = Math.min(length - offset, next.partial().map(FetchItem.Partial::length).orElse(Long.MAX_VALUE));
            out.write(ascii(next.label() + " {" + count + "}\r\n"));
            CrlfMessage.write(file, out, offset, count);
            if (streamed.isEmpty()) {
                file.close();
                file = null;
            }
        }

        void close() throws IOException {
            if (file != null) {
                file.close();
            }
        }
    }
}
