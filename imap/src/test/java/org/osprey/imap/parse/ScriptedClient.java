package org.osprey.imap.parse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A fake client on the far side of the reader, playing a script the way a real one would: a segment after
 * {@link #WAIT} is only sent once the server has sent a continuation ("+"), and {@link #POISON} marks bytes the
 * server must never read (it fails the test if it does). Also the session's {@link LiteralHandler}: it counts
 * continuations and keeps APPEND messages in memory (or as the given receiver decides).
 */
final class ScriptedClient extends InputStream implements LiteralHandler {
    static final Object WAIT = new Object();
    static final Object POISON = new Object();

    private record Segment(byte[] bytes, boolean waits, boolean poison) {
    }

    interface Receiver {
        MessageData receive(InputStream body, long size) throws IOException;
    }

    private final List<Segment> segments = new ArrayList<>();
    private int index;
    private int offset;
    private int released;
    private int waitsPassed;
    int continuations;
    int unexpectedContinuations;
    final List<String> admitted = new ArrayList<>();
    final List<MessageData> received = new ArrayList<>();
    Receiver receiver = (body, size) -> new MessageData.InMemory(body.readAllBytes());
    ImapParseException refuseMessages;

    ScriptedClient(Object... script) {
        boolean waits = false;
        boolean poison = false;
        for (Object part : script) {
            if (part == WAIT) {
                waits = true;
            } else if (part == POISON) {
                poison = true;
            } else {
                segments.add(new Segment(((String) part).getBytes(StandardCharsets.UTF_8), waits, poison));
                waits = false;
            }
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int off, int length) {
        while (index < segments.size() && offset == segments.get(index).bytes().length) {
            index++;
            offset = 0;
        }
        if (index == segments.size()) {
            return -1;
        }
        Segment segment = segments.get(index);
        if (offset == 0) {
            if (segment.poison()) {
                throw new AssertionError("the server read bytes it should have refused");
            }
            if (segment.waits()) {
                if (waitsPassed == released) {
                    throw new AssertionError("the server read a synchronizing literal before sending \"+\"");
                }
                waitsPassed++;
            }
        }
        int n = Math.min(length, segment.bytes().length - offset);
        System.arraycopy(segment.bytes(), offset, target, off, n);
        offset += n;
        return n;
    }

    @Override
    public void sendContinuation() {
        continuations++;
        long waits = segments.stream().filter(Segment::waits).count();
        if (released < waits && released == waitsPassed) {
            released++;
        } else {
            unexpectedContinuations++;
        }
    }

    @Override
    public void admitMessage(String mailbox, long size, boolean binary) {
        admitted.add(mailbox + " " + size + (binary ? " binary" : ""));
        if (refuseMessages != null) {
            throw refuseMessages;
        }
    }

    @Override
    public MessageData receiveMessage(InputStream body, long size) throws IOException {
        MessageData data = receiver.receive(body, size);
        received.add(data);
        return data;
    }
}
