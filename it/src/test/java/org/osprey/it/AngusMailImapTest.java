package org.osprey.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.event.MessageCountAdapter;
import jakarta.mail.event.MessageCountEvent;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.search.AndTerm;
import jakarta.mail.search.BodyTerm;
import jakarta.mail.search.FlagTerm;
import jakarta.mail.search.FromStringTerm;
import jakarta.mail.search.NotTerm;
import jakarta.mail.search.OrTerm;
import jakarta.mail.search.SearchTerm;
import jakarta.mail.search.SubjectTerm;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.angus.mail.imap.AppendUID;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jakarta Mail as Angus Mail implements it, the IMAP client of most Java programs: IMAPStore over IMAPS (trusting
 * the self-signed certificate) and over IMAP with STARTTLS; folders, a multipart message delivered by SMTP (sent
 * with Angus's own SMTP transport), flags, APPEND to Drafts, COPY and MOVE with their UIDs, SEARCH with Jakarta
 * search terms, EXPUNGE, and IDLE woken by a delivery. One server; each test has its own user.
 */
class AngusMailImapTest {
    private static final String PASSWORD = "angus-secret";

    @TempDir
    static Path dir;
    static ImapTestServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = new ImapTestServer(dir);
        for (String user : List.of("reader", "organizer", "idler", "starttls")) {
            server.addUser(user + "@example.org", PASSWORD, "0");
        }
        server.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.closeAndCheckLog();
        }
    }

    @Test
    void listsFoldersAndReadsAMultipartMessage() throws Exception {
        byte[] attachment = new byte[3000];
        for (int i = 0; i < attachment.length; i++) {
            attachment[i] = (byte) (i * 31 + i / 256);
        }
        send("reader@example.org", "Quarterly report", "Please find the report attached.\nGrüße, Alice\n",
                attachment);
        server.awaitInbox("reader@example.org", 1);

        try (IMAPStore store = connect("reader@example.org", "imaps")) {
            assertThat(store.hasCapability("IDLE")).isTrue();
            assertThat(store.hasCapability("MOVE")).isTrue();
            assertThat(store.hasCapability("UIDPLUS")).isTrue();
            Folder[] folders = store.getDefaultFolder().list("*");
            assertThat(Arrays.stream(folders).map(Folder::getFullName))
                    .containsExactlyInAnyOrder("INBOX", "Drafts", "Sent", "Junk", "Trash");
            assertThat(((IMAPFolder) store.getFolder("Sent")).getAttributes()).contains("\\Sent");
            assertThat(((IMAPFolder) store.getFolder("Trash")).getAttributes()).contains("\\Trash");
            assertThat(store.getDefaultFolder().getSeparator()).isEqualTo('.');

            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            assertThat(inbox.getMode()).isEqualTo(Folder.READ_WRITE);
            assertThat(inbox.getMessageCount()).isEqualTo(1);
            assertThat(inbox.getUnreadMessageCount()).isEqualTo(1);
            Message message = inbox.getMessage(1);
            assertThat(message.getSubject()).isEqualTo("Quarterly report");
            assertThat(((InternetAddress) message.getFrom()[0]).getAddress()).isEqualTo("alice@example.net");
            assertThat(((InternetAddress) message.getFrom()[0]).getPersonal()).isEqualTo("Alice Adams");
            assertThat(message.getReceivedDate()).isNotNull();
            assertThat(message.isMimeType("multipart/mixed")).isTrue();

            Multipart parts = (Multipart) message.getContent();
            assertThat(parts.getCount()).isEqualTo(2);
            assertThat(parts.getBodyPart(0).isMimeType("text/plain")).isTrue();
            assertThat((String) parts.getBodyPart(0).getContent())
                    .isEqualToIgnoringNewLines("Please find the report attached.Grüße, Alice");
            Part chart = parts.getBodyPart(1);
            assertThat(chart.isMimeType("image/png")).isTrue();
            assertThat(chart.getDisposition()).isEqualToIgnoringCase(Part.ATTACHMENT);
            assertThat(chart.getFileName()).isEqualTo("chart.png");
            assertThat(chart.getSize()).as("BODYSTRUCTURE size of the base64 text").isBetween(4000, 4200);
            try (InputStream in = chart.getInputStream()) {
                assertThat(in.readAllBytes()).isEqualTo(attachment);
            }
            // Reading the content fetched BODY[...] parts, which set \Seen (RFC 9051 §6.4.5).
            assertThat(inbox.getMessage(1).isSet(Flags.Flag.SEEN)).isTrue();
            inbox.close(false);
        }
    }

    @Test
    void flagsAppendCopyMoveSearchAndExpunge() throws Exception {
        String user = "organizer@example.org";
        send(user, "Quarterly report", "The pelican numbers are in.\nGrüße aus Köln\n", null);
        server.awaitInbox(user, 1);
        send(user, "Lunch plans", "Noon at the harbour.\n", null);
        server.awaitInbox(user, 2);
        send(user, "Report draft v2", "See the attached draft.\n", null);
        server.awaitInbox(user, 3);

        try (IMAPStore store = connect(user, "imaps")) {
            IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            Message[] messages = inbox.getMessages();
            assertThat(messages).extracting(Message::getSubject)
                    .containsExactly("Quarterly report", "Lunch plans", "Report draft v2");
            long[] uids = Arrays.stream(messages).mapToLong(m -> uid(inbox, m)).toArray();

            // flags
            messages[0].setFlag(Flags.Flag.FLAGGED, true);
            messages[1].setFlags(new Flags("$Work"), true);
            messages[1].setFlag(Flags.Flag.SEEN, true);
            try (IMAPStore second = connect(user, "imaps")) {
                IMAPFolder seenElsewhere = (IMAPFolder) second.getFolder("INBOX");
                seenElsewhere.open(Folder.READ_ONLY);
                assertThat(seenElsewhere.getMessageByUID(uids[0]).isSet(Flags.Flag.FLAGGED)).isTrue();
                Flags flags = seenElsewhere.getMessageByUID(uids[1]).getFlags();
                assertThat(flags.contains("$Work")).isTrue();
                assertThat(flags.contains(Flags.Flag.SEEN)).isTrue();
                assertThat(flags.contains(Flags.Flag.FLAGGED)).isFalse();
                seenElsewhere.close(false);
            }

            // search
            assertThat(subjects(inbox, new SubjectTerm("report")))
                    .containsExactly("Quarterly report", "Report draft v2");
            assertThat(subjects(inbox, new BodyTerm("harbour"))).containsExactly("Lunch plans");
            // No non-ASCII BodyTerm here: Angus Mail 2.0.5 always sends ENABLE UTF8=ACCEPT and then writes search
            // strings with ASCIIUtility.getBytes, i.e. "Grüße" goes out as the ISO-8859-1 bytes "Gr\xFC\xDFe",
            // which is not UTF-8 and matches nothing. python_imaplib.py covers SEARCH CHARSET UTF-8.
            assertThat(subjects(inbox, new AndTerm(new SubjectTerm("report"), new BodyTerm("draft"))))
                    .containsExactly("Report draft v2");
            assertThat(subjects(inbox, new OrTerm(new BodyTerm("pelican"), new BodyTerm("harbour"))))
                    .containsExactly("Quarterly report", "Lunch plans");
            assertThat(subjects(inbox, new NotTerm(new SubjectTerm("report")))).containsExactly("Lunch plans");
            assertThat(subjects(inbox, new FlagTerm(new Flags(Flags.Flag.FLAGGED), true)))
                    .containsExactly("Quarterly report");
            assertThat(subjects(inbox, new FlagTerm(new Flags("$Work"), true))).containsExactly("Lunch plans");
            assertThat(subjects(inbox, new FlagTerm(new Flags(Flags.Flag.SEEN), false)))
                    .containsExactly("Quarterly report", "Report draft v2");
            assertThat(subjects(inbox, new FromStringTerm("alice@example.net"))).hasSize(3);

            // APPEND to Drafts
            IMAPFolder drafts = (IMAPFolder) store.getFolder("Drafts");
            MimeMessage draft = new MimeMessage(Session.getInstance(new Properties()));
            draft.setFrom(new InternetAddress(user));
            draft.setRecipients(Message.RecipientType.TO, "someone@example.net");
            draft.setSubject("Unfinished thoughts");
            draft.setText("To be continued.\n", "UTF-8");
            draft.setFlag(Flags.Flag.DRAFT, true);
            AppendUID[] appended = drafts.appendUIDMessages(new Message[] {draft});
            assertThat(appended).hasSize(1);
            assertThat(appended[0]).as("APPENDUID").isNotNull();
            drafts.open(Folder.READ_ONLY);
            assertThat(drafts.getUIDValidity()).isEqualTo(appended[0].uidvalidity);
            Message stored = drafts.getMessageByUID(appended[0].uid);
            assertThat(stored.getSubject()).isEqualTo("Unfinished thoughts");
            assertThat(stored.isSet(Flags.Flag.DRAFT)).isTrue();
            assertThat(((String) stored.getContent()).strip()).isEqualTo("To be continued.");
            drafts.close(false);

            // COPY to a new folder
            IMAPFolder work = (IMAPFolder) store.getFolder("Work");
            assertThat(work.exists()).isFalse();
            assertThat(work.create(Folder.HOLDS_MESSAGES)).isTrue();
            AppendUID[] copied = inbox.copyUIDMessages(new Message[] {messages[1]}, work);
            assertThat(copied).hasSize(1);
            assertThat(copied[0]).as("COPYUID").isNotNull();
            work.open(Folder.READ_ONLY);
            Message copy = work.getMessageByUID(copied[0].uid);
            assertThat(copy.getSubject()).isEqualTo("Lunch plans");
            assertThat(copy.getFlags().contains("$Work")).as("COPY keeps keywords").isTrue();
            work.close(false);
            assertThat(inbox.getMessageCount()).isEqualTo(3);

            // MOVE to Trash
            IMAPFolder trash = (IMAPFolder) store.getFolder("Trash");
            AppendUID[] moved = inbox.moveUIDMessages(new Message[] {messages[2]}, trash);
            assertThat(moved).hasSize(1);
            assertThat(moved[0]).as("COPYUID from MOVE").isNotNull();
            // Angus keeps message numbers stable and marks the moved message expunged (it saw * 3 EXPUNGE).
            assertThat(messages[2].isExpunged()).isTrue();
            assertThat(subjects(inbox, new SubjectTerm("draft v2"))).as("gone from INBOX on the server").isEmpty();
            trash.open(Folder.READ_ONLY);
            assertThat(trash.getMessageByUID(moved[0].uid).getSubject()).isEqualTo("Report draft v2");
            trash.close(false);

            // EXPUNGE
            Message first = inbox.getMessageByUID(uids[0]);
            first.setFlag(Flags.Flag.DELETED, true);
            Message[] expunged = inbox.expunge();
            assertThat(expunged).contains(first);
            assertThat(first.isExpunged()).isTrue();
            assertThat(subjects(inbox, new SubjectTerm("quarterly"))).as("gone on the server").isEmpty();
            assertThat(inbox.getMessageByUID(uids[1]).getSubject()).isEqualTo("Lunch plans");
            inbox.close(false);

            assertThat(messageCount(store, "INBOX")).isEqualTo(1);
            assertThat(messageCount(store, "Work")).isEqualTo(1);
            assertThat(messageCount(store, "Trash")).isEqualTo(1);
            assertThat(messageCount(store, "Drafts")).isEqualTo(1);
        }
    }

    @Test
    void idleIsWokenByADelivery() throws Exception {
        String user = "idler@example.org";
        try (IMAPStore store = connect(user, "imaps")) {
            IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            assertThat(inbox.getMessageCount()).isZero();
            var added = new CountDownLatch(1);
            var subject = new AtomicReference<String>();
            inbox.addMessageCountListener(new MessageCountAdapter() {
                @Override
                public void messagesAdded(MessageCountEvent event) {
                    try {
                        subject.set(event.getMessages()[0].getSubject());
                    } catch (MessagingException e) {
                        subject.set(e.toString());
                    }
                    added.countDown();
                }
            });
            var failure = new AtomicReference<Exception>();
            Thread idler = Thread.ofVirtual().start(() -> {
                try {
                    while (added.getCount() > 0) {
                        inbox.idle(true);
                    }
                } catch (MessagingException e) {
                    failure.set(e);
                }
            });
            Thread.sleep(500); // let the client get into IDLE; a delivery before it would be reported at once anyway
            long start = System.nanoTime();
            send(user, "Wake up", "A new message while idling.\n", null);
            assertThat(added.await(10, TimeUnit.SECONDS)).as("messagesAdded within 10 s").isTrue();
            System.out.printf("Angus Mail IDLE: new message announced %d ms after the SMTP delivery started%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            idler.join(10_000);
            assertThat(failure.get()).isNull();
            assertThat(subject.get()).isEqualTo("Wake up");
            assertThat(inbox.getMessageCount()).isEqualTo(1);
            inbox.close(false);
        }
    }

    @Test
    void startTlsIsRequiredOnThePlainPort() throws Exception {
        String user = "starttls@example.org";
        Properties props = properties();
        props.put("mail.imap.starttls.enable", "false");
        props.put("mail.imap.starttls.required", "false");
        Session clear = Session.getInstance(props);
        assertThatThrownBy(() -> clear.getStore("imap").connect("127.0.0.1", server.imapPort, user, PASSWORD))
                .as("LOGINDISABLED and no AUTH= before STARTTLS").isInstanceOf(MessagingException.class)
                .hasMessage("No login methods supported!");

        try (IMAPStore store = connect(user, "imap")) {
            assertThat(store.hasCapability("STARTTLS")).as("not offered again after STARTTLS").isFalse();
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            assertThat(inbox.getMessageCount()).isZero();
            inbox.close(false);
        }
    }

    private static Properties properties() {
        Properties props = new Properties();
        for (String protocol : List.of("imap", "imaps")) {
            // the certificate names mx.example.org; we connect to 127.0.0.1
            props.put("mail." + protocol + ".ssl.trust", "*");
            props.put("mail." + protocol + ".ssl.checkserveridentity", "false");
            props.put("mail." + protocol + ".connectiontimeout", "10000");
            props.put("mail." + protocol + ".timeout", "30000");
        }
        props.put("mail.imap.starttls.enable", "true");
        props.put("mail.imap.starttls.required", "true");
        return props;
    }

    private static IMAPStore connect(String user, String protocol) throws MessagingException {
        IMAPStore store = (IMAPStore) Session.getInstance(properties()).getStore(protocol);
        store.connect("127.0.0.1", protocol.equals("imaps") ? server.imapsPort : server.imapPort, user, PASSWORD);
        return store;
    }

    /** Sends by SMTP with Angus's own transport, as an application would. */
    private static void send(String to, String subject, String text, byte[] attachment) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(server.smtpPort));
        props.put("mail.smtp.localhost", "client.example.net");
        Session session = Session.getInstance(props);
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("alice@example.net", "Alice Adams"));
        message.setRecipients(Message.RecipientType.TO, to);
        message.setSubject(subject, "UTF-8");
        if (attachment == null) {
            message.setText(text, "UTF-8");
        } else {
            var body = new MimeBodyPart();
            body.setText(text, "UTF-8");
            var file = new MimeBodyPart();
            file.setDataHandler(new jakarta.activation.DataHandler(
                    new jakarta.mail.util.ByteArrayDataSource(attachment, "image/png")));
            file.setFileName("chart.png");
            file.setDisposition(Part.ATTACHMENT);
            message.setContent(new MimeMultipart(body, file));
        }
        message.setSentDate(new java.util.Date());
        Transport.send(message);
    }

    private static long uid(IMAPFolder folder, Message message) {
        try {
            return folder.getUID(message);
        } catch (MessagingException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> subjects(Folder folder, SearchTerm term) throws MessagingException {
        return Arrays.stream(folder.search(term)).map(m -> {
            try {
                return m.getSubject();
            } catch (MessagingException e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    private static int messageCount(IMAPStore store, String name) throws MessagingException {
        return store.getFolder(name).getMessageCount(); // STATUS on a closed folder
    }
}
