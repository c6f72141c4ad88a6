package org.osprey.store.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osprey.core.io.DirectorySync;

/** A Maildir that Dovecot served keeps its UIDs, UIDVALIDITY and keywords when Osprey takes it over. */
class DovecotImportTest {
    private static final Path DOVEADM = Path.of("/usr/bin/doveadm");

    @TempDir
    Path root;

    @Test
    void takesOverUidsUidValidityAndKeywordsFromAHandWrittenUidList() throws Exception {
        Path inbox = Maildirs.folder(root, "Maildir");
        Files.writeString(inbox.resolve("dovecot-uidlist"), """
                3 V1275660208 N25022 G3085f01b7f11094c501100008c4a11c1
                25006 :1276528487.M364837P9451.kurkku,S=1355,W=1394:2,
                25010 :1276528490.M1P1.kurkku,S=10,W=11
                25017 W2481 :1276533073.M242911P3632.kurkku:2,F
                25018 G0123abcd W10 S9 :1276533080.M1P1.kurkku
                """);
        Files.writeString(inbox.resolve(Keywords.FILE), "0 Important\n");
        Maildirs.put(inbox, "cur/1276528487.M364837P9451.kurkku,S=1355,W=1394:2,S", "Subject: a\n\n");
        Maildirs.put(inbox, "cur/1276533073.M242911P3632.kurkku:2,Fa", "Subject: b\n\nb\n");
        Maildirs.put(inbox, "new/1276533080.M1P1.kurkku", "Subject: c\n\n");
        Maildirs.put(inbox, "new/1276600000.M5P5.kurkku", "Subject: d\n\n"); // arrived after Dovecot's time
        long before = System.currentTimeMillis();

        try (FolderIndex index = FolderIndex.open(inbox, new DirectorySync(), "osprey.test")) {
            FolderSnapshot snapshot = index.snapshot();
            assertThat(snapshot.uidValidity()).isEqualTo(1275660208L);
            assertThat(snapshot.messages()).extracting(MessageEntry::uid).containsExactly(25006L, 25017L, 25018L,
                    25022L);
            assertThat(snapshot.uidNext()).isEqualTo(25023);
            assertThat(snapshot.messages().get(1).flags()).containsExactlyInAnyOrder("\\Flagged", "Important");
            assertThat(snapshot.messages().get(1).virtualSize()).isEqualTo(17); // no W= in the name: counted
            assertThat(snapshot.messages().getFirst().size()).isEqualTo(1355); // S= is trusted, as Dovecot does
            // above any MODSEQ Dovecot can have handed out, so CONDSTORE clients miss nothing
            assertThat(snapshot.highestModSeq()).isGreaterThanOrEqualTo(before);
            assertThat(snapshot.pop3Uidl(snapshot.messages().getFirst())).isEqualTo("000061AE4C0907B0");
            assertThat(index.sync(true).recent()).containsExactly(25022L);
        }
    }

    @Test
    void takesOverWhatRealDovecotWrote() throws Exception {
        assertThat(DOVEADM).as("this test runs Dovecot's doveadm (Debian package dovecot-core) at " + DOVEADM
                + "; install it to run the test").isExecutable();
        Path home = root.resolve("home");
        Path maildir = Maildirs.folder(home, "Maildir");
        Maildirs.deliver(maildir, "new", 1700000100, 1, "Subject: one\n\nbody\n", null);
        String second = Maildirs.deliver(maildir, "new", 1700000200, 2, "Subject: two\n\nbody\n", null);
        Maildirs.deliver(maildir, "cur", 1700000300, 3, "Subject: three\n\nbody\n", "2,S");
        Dovecot dovecot = new Dovecot(root, home);

        dovecot.run("fetch", "uid flags", "mailbox", "INBOX", "all");
        dovecot.run("expunge", "mailbox", "INBOX", "uid", "1");
        // an older file name arriving later: Dovecot numbers by arrival, not by name
        String late = Maildirs.deliver(maildir, "new", 1700000050, 4, "Subject: late\n\nbody\n", null);
        dovecot.chown();
        dovecot.run("flags", "add", "\\Seen $Label1 Work", "mailbox", "INBOX", "uid", "2");
        dovecot.run("flags", "add", "\\Flagged Work", "mailbox", "INBOX", "uid", "4");
        Map<String, Fetched> expected = dovecot.fetch();
        String status = dovecot.run("mailbox", "status", "uidvalidity uidnext", "INBOX");
        long uidValidity = Long.parseLong(field(status, "uidvalidity"));
        long uidNext = Long.parseLong(field(status, "uidnext"));
        assertThat(expected).hasSize(3);
        assertThat(expected.get(late).uid()).isEqualTo(4);
        assertThat(maildir.resolve("dovecot-uidlist")).exists();
        assertThat(maildir.resolve(Keywords.FILE)).exists();

        try (FolderIndex index = FolderIndex.open(maildir, new DirectorySync(), "osprey.test")) {
            FolderSnapshot snapshot = index.snapshot();
            assertThat(snapshot.uidValidity()).isEqualTo(uidValidity);
            assertThat(snapshot.uidNext()).isEqualTo(uidNext);
            Map<String, Fetched> actual = new LinkedHashMap<>();
            for (MessageEntry e : snapshot.messages()) {
                actual.put(e.baseName(), new Fetched(e.uid(), new TreeSet<>(e.flags())));
            }
            assertThat(actual).isEqualTo(expected);
            assertThat(actual.get(second).flags()).containsExactlyInAnyOrder("\\Seen", "$Label1", "Work");

            // and what Osprey stores, Dovecot reads the same way
            index.storeFlags(List.of(3L), FlagMode.ADD, Set.of("Work", "$Label2"), -1);
        }
        dovecot.chown();
        assertThat(dovecot.fetch().values()).extracting(Fetched::uid, Fetched::flags)
                .contains(org.assertj.core.groups.Tuple.tuple(3L, new TreeSet<>(Set.of("\\Seen", "Work",
                        "$Label2"))));
    }

    record Fetched(long uid, Set<String> flags) {
    }

    private static String field(String status, String name) {
        Matcher m = Pattern.compile(name + "=(\\d+)").matcher(status);
        assertThat(m.find()).as("%s in %s", name, status).isTrue();
        return m.group(1);
    }

    /** Runs doveadm on a private configuration: Maildir under a home of its own, no daemon, no root. */
    private static final class Dovecot {
        private final Path home;
        private final Path config;
        private final boolean root;

        Dovecot(Path testRoot, Path home) throws IOException, InterruptedException {
            this.home = home;
            this.config = home.resolve("dovecot.conf");
            this.root = "root".equals(System.getProperty("user.name"));
            Files.createDirectories(home.resolve("run"));
            String uid = root ? "65534" : String.valueOf(Files.getAttribute(home, "unix:uid"));
            String gid = root ? "65534" : String.valueOf(Files.getAttribute(home, "unix:gid"));
            Files.writeString(config, """
                    mail_location = maildir:%1$s/Maildir
                    mail_uid = %2$s
                    mail_gid = %3$s
                    first_valid_uid = 0
                    first_valid_gid = 0
                    ssl = no
                    base_dir = %1$s/run
                    log_path = %1$s/dovecot.log
                    """.formatted(home, uid, gid));
            // Dovecot refuses to run as root: it switches to mail_uid, which must reach the Maildir. Only the
            // test's own directories are opened up (chmod would also drop the sticky bit of a /tmp).
            for (Path p = home; p.startsWith(testRoot); p = p.getParent()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            assertThat(Files.getPosixFilePermissions(testRoot.getParent()))
                    .as("mail_uid must be able to pass " + testRoot.getParent())
                    .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
            chown();
        }

        void chown() throws IOException, InterruptedException {
            if (root) {
                exec(List.of("chown", "-R", "65534:65534", home.toString()));
            }
        }

        String run(String... args) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of(DOVEADM.toString(), "-c", config.toString()));
            command.addAll(List.of(args));
            return exec(command);
        }

        private String exec(List<String> command) throws IOException, InterruptedException {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("HOME", home.toString());
            builder.environment().put("USER", "john");
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
            String log = Files.exists(home.resolve("dovecot.log")) ? Files.readString(home.resolve("dovecot.log")) : "";
            assertThat(process.exitValue()).as("%s failed:%n%s%n%s", command, output, log).isZero();
            return output;
        }

        /** Base name → UID and flags (without \Recent), as Dovecot reports them. */
        Map<String, Fetched> fetch() throws IOException, InterruptedException {
            String output = run("fetch", "uid flags guid", "mailbox", "INBOX", "all");
            Map<String, Fetched> messages = new LinkedHashMap<>();
            long uid = 0;
            Set<String> flags = Set.of();
            for (String line : output.split("\n")) {
                if (line.startsWith("uid: ")) {
                    uid = Long.parseLong(line.substring(5).strip());
                } else if (line.startsWith("flags:")) {
                    flags = new TreeSet<>();
                    for (String flag : line.substring(6).strip().split(" ")) {
                        if (!flag.isEmpty() && !flag.equals("\\Recent")) {
                            flags.add(flag);
                        }
                    }
                } else if (line.startsWith("guid: ")) {
                    messages.put(line.substring(6).strip(), new Fetched(uid, flags));
                }
            }
            return messages;
        }
    }
}
