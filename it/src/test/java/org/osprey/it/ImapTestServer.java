package org.osprey.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.eclipse.angus.mail.imap.IMAPStore;

/**
 * The built server as its own process with SMTP, IMAP (STARTTLS) and IMAPS on free loopback ports, for tests that
 * drive real IMAP clients. Users are made with the CLI before {@link #start()}, so the server knows them at once;
 * test mail comes in over SMTP, as it would in production; clients trust the self-signed certificate the server
 * made on first start ({@link #certificate()}).
 */
final class ImapTestServer implements AutoCloseable {
    static final String DOMAIN = "example.org";
    private static final AtomicInteger MESSAGE_IDS = new AtomicInteger();

    final Path dir;
    final int smtpPort;
    final int imapPort;
    final int imapsPort;
    private final ServerProcess process;
    private final Cli cli;

    ImapTestServer(Path dir, String extraConfig) throws IOException {
        this.dir = dir;
        this.smtpPort = ServerProcess.freePort();
        this.imapPort = ServerProcess.freePort();
        this.imapsPort = ServerProcess.freePort();
        this.process = new ServerProcess(dir, smtpPort, TestConfigs.withImap("127.0.0.1:" + smtpPort,
                "127.0.0.1:" + imapPort, "127.0.0.1:" + imapsPort, extraConfig));
        this.cli = new Cli(process.config);
        assertThat(cli.run("domain", "add", DOMAIN).status()).isZero();
    }

    ImapTestServer(Path dir) throws IOException {
        this(dir, "");
    }

    /** Adds a mailbox with the given password; {@code quota} as the CLI takes it ("0" is none, "10M"). */
    ImapTestServer addUser(String address, String password, String quota) {
        Cli.Result result = cli.runWithInput(password + "\n", "user", "add", address, "--quota", quota,
                "--password-stdin");
        assertThat(result.status()).as(result.err()).isZero();
        return this;
    }

    ImapTestServer start() throws Exception {
        process.start();
        for (int port : new int[] {imapPort, imapsPort}) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                    .until(() -> {
                        try (var s = new Socket("127.0.0.1", port)) {
                            return true;
                        }
                    });
        }
        assertThat(certificate()).as("self-signed certificate made on first start").exists();
        return this;
    }

    /** The self-signed certificate (PEM) the server presents on IMAPS and after STARTTLS. */
    Path certificate() {
        return dir.resolve("data/tls/cert.pem");
    }

    /** The user's Maildir under the store root: {@code <data_dir>/vmail/<domain>/<local>/Maildir}. */
    Path maildir(String address) {
        int at = address.indexOf('@');
        return dir.resolve("data/vmail").resolve(address.substring(at + 1)).resolve(address.substring(0, at))
                .resolve("Maildir");
    }

    Path log() {
        return process.log;
    }

    /**
     * Stops the server and fails if it logged a WARN or an ERROR: an internal error, a damaged index or a search that
     * fell back to reading messages is a bug even when the client shrugged it off.
     */
    void closeAndCheckLog() throws IOException {
        close();
        try (Stream<String> lines = Files.lines(process.log)) {
            assertThat(lines.filter(line -> line.contains(" ERROR ") || line.contains(" WARN ")).toList())
                    .as("warnings and errors in the server log").isEmpty();
        }
    }

    /** Sends one plain-text message over SMTP; it is in the INBOX once {@link #awaitInbox} says so. */
    void deliver(String to, String subject, String body) throws IOException {
        try (var smtp = new SimpleSmtpClient("127.0.0.1", smtpPort)) {
            String reply = smtp.send("sender@example.net", to, message("Sender <sender@example.net>", to, subject,
                    body));
            assertThat(reply).startsWith("250");
        }
    }

    static String message(String from, String to, String subject, String body) {
        return "From: " + from + "\r\n"
                + "To: <" + to + ">\r\n"
                + "Subject: " + subject + "\r\n"
                + "Date: " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT))
                + "\r\n"
                + "Message-ID: <it-" + MESSAGE_IDS.incrementAndGet() + "." + System.nanoTime() + "@example.net>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "\r\n"
                + body.replace("\n", "\r\n").replace("\r\r\n", "\r\n") + "\r\n";
    }

    /** Waits until the user's INBOX holds {@code count} message files (new/ and cur/). */
    void awaitInbox(String address, int count) {
        Path maildir = maildir(address);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> files(maildir.resolve("new")) + files(maildir.resolve("cur")) == count);
    }

    static long files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.count();
        }
    }

    /** An Angus Mail IMAPS connection for checking what a client did on the server side. */
    IMAPStore imaps(String user, String password) throws MessagingException {
        Properties props = new Properties();
        props.put("mail.imaps.ssl.trust", "*");
        props.put("mail.imaps.ssl.checkserveridentity", "false"); // the certificate names mx.example.org
        props.put("mail.imaps.connectiontimeout", "10000");
        props.put("mail.imaps.timeout", "120000");
        IMAPStore store = (IMAPStore) Session.getInstance(props).getStore("imaps");
        store.connect("127.0.0.1", imapsPort, user, password);
        return store;
    }

    @Override
    public void close() {
        process.close();
    }
}
