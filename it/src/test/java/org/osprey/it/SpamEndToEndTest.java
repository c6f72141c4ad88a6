package org.osprey.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spam filter end to end with the built server: the global Bayes database trained with {@code osprey spam
 * learn}, a spammy message over SMTP lands in Junk with X-Spam-Status Yes (the shipped global Sieve rule files it),
 * a ham message with a forged X-Spam-Flag stays in INBOX without it, GTUBE is refused at DATA with 550 5.7.1, and a
 * user moving a message into Junk over IMAP teaches that user's database, and the decisions show in the counters.
 */
class SpamEndToEndTest {
    /** Made-up vocabularies, one per class, and words both use (nothing here comes from any spam corpus). */
    private static final String[] SPAM_WORDS = ("winner prize lottery casino jackpot pills pharmacy discount cheap"
            + " offer limited guaranteed bitcoin investment profit click unsubscribe viagra replica watches loan"
            + " approved credit congratulations claim urgent bonus free deal exclusive miracle").split(" ");
    private static final String[] HAM_WORDS = ("meeting agenda project review quarterly budget draft minutes"
            + " schedule colleague deadline report lunch tomorrow attached presentation slides team office thanks"
            + " regards conference travel itinerary invoice contract proposal feedback").split(" ");
    private static final String[] COMMON = ("the and for you with this that have from your are will our not all"
            + " can more about time new").split(" ");

    @TempDir
    Path dir;

    @Test
    void spamGoesToJunkForgedHeadersAreRemovedGtubeIsRefusedAndAMoveIntoJunkIsLearned() throws Exception {
        int smtp = ServerProcess.freePort();
        int imaps = ServerProcess.freePort();
        String config = TestConfigs.withImap("127.0.0.1:" + smtp, "", "127.0.0.1:" + imaps, "");
        Random random = new Random(20261205);
        Path spamDir = Files.createDirectories(dir.resolve("train-spam"));
        Path hamDir = Files.createDirectories(dir.resolve("train-ham"));
        for (int i = 0; i < 220; i++) {
            Files.writeString(spamDir.resolve("s" + i), message(random, true, i, ""));
            Files.writeString(hamDir.resolve("h" + i), message(random, false, i, ""));
        }
        try (ServerProcess server = new ServerProcess(dir, smtp, config)) {
            Cli cli = new Cli(server.config);
            assertThat(cli.run("domain", "add", "example.org").status()).isZero();
            assertThat(cli.runWithInput("john-secret\n", "user", "add", "john@example.org", "--password-stdin")
                    .status()).isZero();
            Cli.Result learned = cli.run("spam", "learn", "--spam", spamDir.toString());
            assertThat(learned.status()).as(learned.err()).isZero();
            assertThat(learned.out()).contains("learned 220 spam");
            assertThat(cli.run("spam", "learn", "--ham", hamDir.toString()).out()).contains("learned 220 ham");
            assertThat(cli.run("spam", "status").out()).contains("220 spam, 220 ham");
            server.start();

            try (var client = new SimpleSmtpClient("127.0.0.1", smtp)) {
                assertThat(client.send("promo@offers.example", "john@example.org",
                        message(random, true, 1000, "X-Spam-Status: No, score=-5.0\r\n"))).startsWith("250");
                assertThat(client.send("colleague@partner.example", "john@example.org",
                        message(random, false, 1001, "X-Spam-Flag: YES\r\n"))).startsWith("250");
                String refused = client.send("gtube@offers.example", "john@example.org",
                        "From: gtube@offers.example\r\nSubject: test\r\n\r\n"
                                + "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X\r\n");
                assertThat(refused).startsWith("550 5.7.1").contains("spam");
            }
            Path maildir = dir.resolve("data/vmail/example.org/john/Maildir");
            await().atMost(Duration.ofSeconds(20)).until(() -> files(maildir.resolve(".Junk")).size() == 1
                    && files(maildir).size() == 1);
            String junk = Files.readString(files(maildir.resolve(".Junk")).getFirst());
            assertThat(junk).contains("X-Spam-Flag: YES").contains("X-Spam-Status: Yes, score=")
                    .doesNotContain("X-Spam-Status: No");
            String inbox = Files.readString(files(maildir).getFirst());
            assertThat(inbox).contains("X-Spam-Status: No, score=").doesNotContain("X-Spam-Flag: YES");

            // the user disagrees with the filter and moves the ham message into Junk: learned as that user's spam
            String moved = PythonScript.run(Duration.ofSeconds(30), "imap_move_to_junk.py", String.valueOf(imaps),
                    "john@example.org", "john-secret", "message");
            assertThat(moved).contains("moved: 1");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(cli.run("spam", "status", "--user", "john@example.org").out())
                            .contains("john@example.org's database: 1 spam, 0 ham"));
            // every decision is counted; the running server writes its counters for `osprey metrics` every 15 s
            await().atMost(Duration.ofSeconds(25)).untilAsserted(() -> assertThat(cli.run("metrics").out())
                    .contains("osprey_spam_verdicts_total{result=\"reject\"} 1")
                    .contains("osprey_spam_verdicts_total{result=\"spam\"} 1")
                    .contains("osprey_filter_decisions_total{stage=\"data\",result=\"reject\"} 1"));
        }
    }

    /** A message of one class: a subject and 40-80 words, 30% of them the class's own. */
    private static String message(Random random, boolean spam, int n, String extraHeader) {
        String[] own = spam ? SPAM_WORDS : HAM_WORDS;
        List<String> words = new ArrayList<>();
        int length = 40 + random.nextInt(40);
        for (int i = 0; i < length; i++) {
            words.add(random.nextInt(10) < 3 ? own[random.nextInt(own.length)] : COMMON[random.nextInt(COMMON.length)]);
        }
        String from = spam ? "promo@offers.example" : "colleague@partner.example";
        return "From: " + from + "\r\nTo: john@example.org\r\nDate: Sat, 5 Dec 2026 10:00:00 +0000\r\n"
                + "Message-ID: <" + n + "." + (spam ? "s" : "h") + "@example.net>\r\n"
                + "Subject: " + (spam ? "your " + own[random.nextInt(own.length)] + " offer" : "quarterly message " + n)
                + "\r\n" + extraHeader + "\r\n" + String.join(" ", words) + "\r\n";
    }

    private static List<Path> files(Path folder) throws Exception {
        List<Path> all = new ArrayList<>();
        for (String sub : List.of("new", "cur")) {
            Path d = folder.resolve(sub);
            if (Files.isDirectory(d)) {
                try (Stream<Path> list = Files.list(d)) {
                    list.forEach(all::add);
                }
            }
        }
        return all;
    }
}
