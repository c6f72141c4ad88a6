package org.osprey.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.osprey.core.io.DirectorySync;

/**
 * The spool: one file per accepted message, {@code <data_dir>/spool/queue/<ID>}: the message exactly as received
 * (CRLF, with Osprey's Received header), then the envelope as JSON, then a 16-byte trailer (the JSON's length and
 * the magic "OSPREYv1"). The envelope comes last because content checks at the end of DATA may still add to it.
 *
 * <p>A message streams into {@code spool/incoming/}; {@link Incoming#commit} writes the envelope, fsyncs the file,
 * renames it into queue/ and fsyncs that directory (group commit across sessions) — only then may SMTP say 250.
 * Files left in incoming/ after a crash were never acknowledged and are removed on start. Delivery progress lives
 * in {@code <ID>.state}.
 */
public final class Spool {
    private static final byte[] MAGIC = "OSPREYv1".getBytes(StandardCharsets.US_ASCII);
    private static final int TRAILER = 16;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path incoming;
    private final Path queue;
    private final DirectorySync directorySync;

    public Spool(Path spoolDir, DirectorySync directorySync) throws IOException {
        this.incoming = spoolDir.resolve("incoming");
        this.queue = spoolDir.resolve("queue");
        this.directorySync = directorySync;
        Files.createDirectories(incoming);
        Files.createDirectories(queue);
    }

    /** Removes what was being received when the program stopped; returns how many. */
    public int clearIncoming() throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(incoming)) {
            for (Path f : files) {
                Files.deleteIfExists(f);
                removed++;
            }
        }
        return removed;
    }

    /** Starts a new message; its bytes stream into {@link Incoming#body()}. */
    public Incoming create(String id) throws IOException {
        if (!QueueId.isValid(id)) {
            throw new IllegalArgumentException("bad queue id");
        }
        Path file = incoming.resolve(id);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        return new Incoming(id, file, channel);
    }

    /** A message being received. Exactly one of commit() or abort() ends it; close() aborts if neither ran. */
    public final class Incoming implements AutoCloseable {
        private final String id;
        private final Path file;
        private final FileChannel channel;
        private final OutputStream out;
        private boolean finished;

        private Incoming(String id, Path file, FileChannel channel) {
            this.id = id;
            this.file = file;
            this.channel = channel;
            this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
        }

        public String id() {
            return id;
        }

        /** Where the message bytes go (CRLF, unstuffed). */
        public OutputStream body() {
            return out;
        }

        /** The message written so far, for checks at the end of DATA. */
        public InputStream readBack() throws IOException {
            out.flush();
            return Files.newInputStream(file);
        }

        /** Makes the message durable and queued; after this returns the sender may be told 250. */
        public void commit(Envelope envelope) throws IOException {
            try {
                byte[] json = JSON.writeValueAsBytes(envelope);
                out.write(json);
                out.write(ByteBuffer.allocate(8).putLong(json.length).array());
                out.write(MAGIC);
                out.flush();
                DirectorySync.syncFile(channel);
                channel.close();
                Files.move(file, queue.resolve(id), StandardCopyOption.ATOMIC_MOVE);
                directorySync.sync(queue);
                finished = true;
            } finally {
                if (!finished) {
                    abort();
                }
            }
        }

        /** Drops the message (refused, or the client went away). */
        public void abort() {
            finished = true;
            try {
                channel.close();
            } catch (IOException ignored) {
                // deleting is what matters
            }
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // removed on next start at the latest
            }
        }

        @Override
        public void close() {
            if (!finished) {
                abort();
            }
        }
    }

    /** The ids of queued messages, oldest first. */
    public List<String> ids() throws IOException {
        List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(queue)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (QueueId.isValid(name)) {
                    ids.add(name);
                }
            }
        }
        ids.sort(null);
        return ids;
    }

    public Optional<Envelope> envelope(String id) throws IOException {
        if (!QueueId.isValid(id)) {
            return Optional.empty();
        }
        try (FileChannel channel = FileChannel.open(queue.resolve(id), StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer trailer = ByteBuffer.allocate(TRAILER);
            if (size < TRAILER || readFully(channel, trailer, size - TRAILER) < TRAILER
                    || !Arrays.equals(Arrays.copyOfRange(trailer.array(), 8, 16), MAGIC)) {
                throw new IOException("spool file " + id + " is damaged (no envelope trailer)");
            }
            long length = trailer.getLong(0);
            if (length <= 0 || length > size - TRAILER || length > 16 << 20) {
                throw new IOException("spool file " + id + " is damaged (bad envelope length)");
            }
            ByteBuffer json = ByteBuffer.allocate((int) length);
            readFully(channel, json, size - TRAILER - length);
            return Optional.of(JSON.readValue(json.array(), Envelope.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** The message bytes, for delivery. The caller closes the stream. */
    public InputStream message(String id, Envelope envelope) throws IOException {
        InputStream in = Files.newInputStream(queue.resolve(id));
        InputStream message = new java.io.BufferedInputStream(new BoundedInputStream(in, envelope.size()), 64 * 1024);
        return envelope.removedFields().isEmpty() ? message
                : HeaderFields.without(envelope.removedFields(), message);
    }

    public Optional<DeliveryState> state(String id) throws IOException {
        try {
            return Optional.of(JSON.readValue(Files.readAllBytes(queue.resolve(id + ".state")), DeliveryState.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Writes the delivery progress durably (tmp, fsync, rename, fsync dir). */
    public void writeState(String id, DeliveryState state) throws IOException {
        Path tmp = incoming.resolve(id + ".state");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(ByteBuffer.wrap(JSON.writeValueAsBytes(state)));
            DirectorySync.syncFile(channel);
        }
        Files.move(tmp, queue.resolve(id + ".state"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        directorySync.sync(queue);
    }

    /**
     * Removes a finished (or admin-removed) message. Not fsync'd: if the removal is lost in a crash, the message
     * is delivered again — a duplicate, never a loss.
     */
    public boolean remove(String id) throws IOException {
        if (!QueueId.isValid(id)) {
            return false;
        }
        return removeFinished(id, true);
    }

    /** As {@link #remove}; hasState false skips looking for a state file that was never written. */
    public boolean removeFinished(String id, boolean hasState) throws IOException {
        boolean existed = Files.deleteIfExists(queue.resolve(id));
        if (hasState) {
            Files.deleteIfExists(queue.resolve(id + ".state"));
            Files.deleteIfExists(queue.resolve(id + ".hold"));
        }
        return existed;
    }

    /**
     * Puts a message on hold (as postsuper -h): the queue leaves it alone until {@link #release}. A marker file
     * beside the message, so the hold survives restarts and the CLI can set it while the server runs.
     */
    public boolean hold(String id) throws IOException {
        if (!QueueId.isValid(id) || !Files.exists(queue.resolve(id))) {
            return false;
        }
        try {
            Files.createFile(queue.resolve(id + ".hold"));
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // held already
        }
        return true;
    }

    /** Ends a hold; false when the message is not held (or does not exist). */
    public boolean release(String id) throws IOException {
        return QueueId.isValid(id) && Files.deleteIfExists(queue.resolve(id + ".hold"));
    }

    public boolean isHeld(String id) {
        return Files.exists(queue.resolve(id + ".hold"));
    }

    public boolean contains(String id) {
        return QueueId.isValid(id) && Files.exists(queue.resolve(id));
    }

    /**
     * Queues a message made by Osprey itself (a bounce, a delay warning): the bytes, then the envelope, committed
     * like a received message.
     */
    public void enqueue(Envelope envelope, byte[] message) throws IOException {
        try (Incoming incoming = create(envelope.id())) {
            incoming.body().write(message);
            incoming.commit(envelope);
        }
    }

    private static int readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        int total = 0;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    /** Reads at most {@code limit} bytes of the underlying stream: the message without the trailer. */
    private static final class BoundedInputStream extends java.io.FilterInputStream {
        private long remaining;

        BoundedInputStream(InputStream in, long limit) {
            super(in);
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }
}
