package org.osprey.imap;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.osprey.core.net.Line;
import org.osprey.imap.parse.CommandReader;
import org.osprey.imap.parse.ImapCommand;

/**
 * IDLE (RFC 2177): the client waits for news. A second virtual thread reads the client's DONE while this one
 * sleeps until the folder is signalled (a delivery or another session's change, {@link MailboxSignals}) or the
 * poll interval passes (for changes made by other programs), then sends what changed. Only this thread writes;
 * only the reader reads, so the connection is never used by both for the same direction.
 */
final class IdleCommand {
    /** How often an idle session looks at its folder without a signal: changes by other programs (mutt, scripts). */
    private static final long POLL_SECONDS = 15;

    private final ImapSession session;

    IdleCommand(ImapSession session) {
        this.session = session;
    }

    String run(ImapCommand.Idle c) throws ImapException, IOException {
        session.out.continuation("idling");
        session.out.flush();
        Semaphore wake = new Semaphore(0);
        Runnable signal = wake::release;
        Path folder = session.selected == null ? null : session.selected.directory;
        if (folder != null) {
            session.protocol.signals.subscribe(folder, signal);
        }
        var reader = new DoneReader(session, wake);
        Thread thread = Thread.ofVirtual().name("imap-idle-reader").start(reader);
        try {
            // changes that happened between the last command and the subscription
            session.sendUpdates(true);
            session.out.flush();
            while (!reader.finished) {
                try {
                    wake.tryAcquire(POLL_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while idling", e);
                }
                wake.drainPermits();
                if (reader.finished) {
                    break;
                }
                session.sendUpdates(true);
                session.out.flush();
            }
        } finally {
            if (folder != null) {
                session.protocol.signals.unsubscribe(folder, signal);
            }
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (reader.failure != null) {
            throw reader.failure;
        }
        if (!CommandReader.isDone(reader.line)) {
            throw ImapException.bad("Expected DONE");
        }
        return session.ok("IDLE terminated");
    }

    private static final class DoneReader implements Runnable {
        private final ImapSession session;
        private final Semaphore wake;
        volatile boolean finished;
        volatile Line line;
        volatile IOException failure;

        DoneReader(ImapSession session, Semaphore wake) {
            this.session = session;
            this.wake = wake;
        }

        @Override
        public void run() {
            try {
                line = session.connection.input().readLine(1024);
            } catch (IOException e) {
                failure = e;
            } catch (RuntimeException e) {
                failure = new IOException(e);
            } finally {
                finished = true;
                wake.release();
            }
        }
    }
}
