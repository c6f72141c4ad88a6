package org.osprey.sieve.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osprey.core.address.EmailAddress;
import org.osprey.sieve.store.ScriptStore.ActiveScript;
import org.osprey.sieve.store.ScriptStore.Limits;
import org.osprey.sieve.store.ScriptStore.ScriptInfo;
import org.osprey.sieve.store.ScriptStoreException.Reason;

/** The script store on real files: Pigeonhole's layout read as Dovecot leaves it, and what Osprey writes. */
class ScriptStoreTest {
    static final String VACATION = "require \"vacation\";\r\nvacation \"I am away\";\r\n";
    static final String SPAM = "require \"fileinto\";\r\nif header :contains \"X-Spam\" \"yes\" { fileinto \"Junk\"; }\r\n";

    @TempDir
    Path vmail;
    EmailAddress john;
    Path home;
    ScriptStore store;

    @BeforeEach
    void setUp() throws Exception {
        john = EmailAddress.parse("john@example.org");
        home = vmail.resolve("example.org").resolve("john");
        store = new ScriptStore(this::homeOf, Limits.DEFAULT);
    }

    private Path homeOf(EmailAddress a) {
        return vmail.resolve(a.domain()).resolve(a.localPart());
    }

    /** A home as Dovecot 2.3 with Pigeonhole leaves it after a user managed two scripts and activated one. */
    private void dovecotLayout(String activeTarget) throws IOException {
        Files.createDirectories(home.resolve("Maildir/cur"));
        Path sieve = Files.createDirectories(home.resolve("sieve"));
        Files.createDirectories(sieve.resolve("tmp"));
        Files.writeString(sieve.resolve("vacation.sieve"), VACATION);
        Files.writeString(sieve.resolve("spam.sieve"), SPAM);
        Files.write(sieve.resolve("spam.svbin"), new byte[] {1, 2, 3}); // Pigeonhole's compiled copy
        Files.writeString(sieve.resolve("README.txt"), "not a script");
        Files.writeString(sieve.resolve(".hidden.sieve"), "keep"); // not a valid script name: not listed
        Files.createSymbolicLink(home.resolve(".dovecot.sieve"), Path.of(activeTarget));
    }

    @Test
    void readsTheLayoutPigeonholeWrites() throws Exception {
        dovecotLayout("sieve/spam.sieve");
        assertThat(store.list(john)).containsExactly(new ScriptInfo("spam", true), new ScriptInfo("vacation", false));
        assertThat(store.activeScript(john)).contains(new ActiveScript("spam", SPAM));
        assertThat(store.get(john, "vacation")).contains(VACATION);
        assertThat(store.get(john, "nothing")).isEmpty();
    }

    @Test
    void acceptsActiveLinksWrittenAbsoluteOrWithDotSlash() throws Exception {
        dovecotLayout(vmail.resolve("example.org/john/sieve/vacation.sieve").toString());
        assertThat(store.activeScript(john).map(ActiveScript::name)).contains("vacation");
        Files.delete(home.resolve(".dovecot.sieve"));
        Files.createSymbolicLink(home.resolve(".dovecot.sieve"), Path.of("./sieve/spam.sieve"));
        assertThat(store.activeScript(john).map(ActiveScript::name)).contains("spam");
        assertThat(store.list(john)).contains(new ScriptInfo("spam", true));
    }

    @Test
    void aLinkOutsideTheStorageOrToAMissingScriptMeansNoActiveScript() throws Exception {
        Path global = Files.writeString(vmail.resolve("global.sieve"), "keep;");
        dovecotLayout(global.toString());
        assertThat(store.activeScript(john)).isEmpty();
        assertThat(store.list(john)).noneMatch(ScriptInfo::active);
        store.setActive(john, "vacation"); // replaces the foreign link
        assertThat(Files.readSymbolicLink(home.resolve(".dovecot.sieve"))).isEqualTo(Path.of("sieve/vacation.sieve"));
        assertThat(global).hasContent("keep;");

        Files.delete(home.resolve(".dovecot.sieve"));
        Files.createSymbolicLink(home.resolve(".dovecot.sieve"), Path.of("sieve/gone.sieve"));
        assertThat(store.activeScript(john)).isEmpty();
        // storing the script the dangling link names makes it active, as it does in Pigeonhole
        store.put(john, "gone", "keep;");
        assertThat(store.activeScript(john)).contains(new ActiveScript("gone", "keep;"));
    }

    @Test
    void aLegacyActiveFileRunsAndIsMovedIntoTheStorageOnActivation() throws Exception {
        Files.createDirectories(home);
        Files.writeString(home.resolve(".dovecot.sieve"), SPAM);
        assertThat(store.activeScript(john)).contains(new ActiveScript("", SPAM));
        assertThat(store.list(john)).isEmpty();

        store.put(john, "vacation", VACATION);
        store.setActive(john, "vacation");
        assertThat(store.list(john)).containsExactly(new ScriptInfo("dovecot.orig", false),
                new ScriptInfo("vacation", true));
        assertThat(store.get(john, "dovecot.orig")).contains(SPAM);
        assertThat(Files.isSymbolicLink(home.resolve(".dovecot.sieve"))).isTrue();

        // deactivating a legacy file keeps it too, under a free name
        Files.delete(home.resolve(".dovecot.sieve"));
        Files.writeString(home.resolve(".dovecot.sieve"), "discard;");
        store.setActive(john, "");
        assertThat(Files.exists(home.resolve(".dovecot.sieve"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(store.get(john, "dovecot.orig-2")).contains("discard;");
        assertThat(store.activeScript(john)).isEmpty();
    }

    @Test
    void writesWhatPigeonholeReads() throws Exception {
        store.put(john, "Filter rules ü", SPAM);
        store.setActive(john, "Filter rules ü");
        Path script = home.resolve("sieve/Filter rules ü.sieve");
        assertThat(Files.readAllBytes(script)).isEqualTo(SPAM.getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readSymbolicLink(home.resolve(".dovecot.sieve")))
                .isEqualTo(Path.of("sieve/Filter rules ü.sieve"));
        assertThat(Files.readString(home.resolve(".dovecot.sieve"))).isEqualTo(SPAM); // followed as Dovecot does
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(script))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("sieve"))))
                .isEqualTo("rwx------");
        try (Stream<Path> leftovers = Files.list(home.resolve("sieve/tmp"))) {
            assertThat(leftovers).isEmpty();
        }
        try (Stream<Path> files = Files.list(home)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("sieve",
                    ".dovecot.sieve");
        }
    }

    @Test
    void replacingTheActiveScriptKeepsItActiveAndDropsTheCompiledCopy() throws Exception {
        dovecotLayout("sieve/spam.sieve");
        store.put(john, "spam", "discard;");
        assertThat(store.activeScript(john)).contains(new ActiveScript("spam", "discard;"));
        assertThat(home.resolve("sieve/spam.svbin")).doesNotExist();
    }

    @Test
    void renameMovesTheActiveLinkAlong() throws Exception {
        dovecotLayout("sieve/spam.sieve");
        store.rename(john, "spam", "junk");
        assertThat(store.list(john)).containsExactly(new ScriptInfo("junk", true), new ScriptInfo("vacation", false));
        assertThat(Files.readSymbolicLink(home.resolve(".dovecot.sieve"))).isEqualTo(Path.of("sieve/junk.sieve"));
        assertThat(home.resolve("sieve/spam.sieve")).doesNotExist();
        assertThat(home.resolve("sieve/spam.svbin")).doesNotExist();
        store.rename(john, "vacation", "away");
        assertThat(store.list(john)).containsExactly(new ScriptInfo("away", false), new ScriptInfo("junk", true));
        assertThat(store.get(john, "away")).contains(VACATION);

        assertReason(() -> store.rename(john, "nothing", "x"), Reason.NONEXISTENT);
        assertReason(() -> store.rename(john, "away", "junk"), Reason.ALREADY_EXISTS);
        assertReason(() -> store.rename(john, "away", "../x"), Reason.INVALID_NAME);
        store.rename(john, "away", "away");
        assertThat(store.get(john, "away")).contains(VACATION);
    }

    @Test
    void deleteRefusesTheActiveScript() throws Exception {
        dovecotLayout("sieve/spam.sieve");
        assertReason(() -> store.delete(john, "spam"), Reason.ACTIVE);
        assertReason(() -> store.delete(john, "nothing"), Reason.NONEXISTENT);
        store.delete(john, "vacation");
        assertThat(home.resolve("sieve/vacation.sieve")).doesNotExist();
        store.setActive(john, "");
        assertThat(Files.exists(home.resolve(".dovecot.sieve"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        store.delete(john, "spam");
        assertThat(store.list(john)).isEmpty();
        assertReason(() -> store.setActive(john, "spam"), Reason.NONEXISTENT);
        store.setActive(john, ""); // deactivating when nothing is active is fine
    }

    @Test
    void aUserWithoutHomeHasNoScripts() throws Exception {
        assertThat(store.list(john)).isEmpty();
        assertThat(store.activeScript(john)).isEmpty();
        assertThat(store.get(john, "x")).isEmpty();
        store.put(john, "x", "keep;");
        assertThat(store.list(john)).containsExactly(new ScriptInfo("x", false));
    }

    @Test
    void limits() throws Exception {
        store = new ScriptStore(this::homeOf, new Limits(100, 3, 250));
        store.put(john, "a", "x".repeat(100));
        assertReason(() -> store.put(john, "b", "x".repeat(101)), Reason.QUOTA_MAXSIZE);
        assertReason(() -> store.haveSpace(john, "b", 101), Reason.QUOTA_MAXSIZE);
        store.put(john, "b", "x".repeat(100));
        assertReason(() -> store.put(john, "c", "x".repeat(51)), Reason.QUOTA_STORAGE);
        store.haveSpace(john, "b", 100); // replacing counts the difference only
        store.put(john, "c", "x".repeat(50));
        assertReason(() -> store.put(john, "d", "x"), Reason.QUOTA_MAXSCRIPTS);
        assertReason(() -> store.haveSpace(john, "d", 0), Reason.QUOTA_MAXSCRIPTS);
        store.put(john, "c", "y"); // replacing is not one more script
        assertThat(store.get(john, "c")).contains("y");
        assertThat(Limits.DEFAULT).isEqualTo(new Limits(256 * 1024, 100, 1024 * 1024));
    }

    @Test
    void refusesNamesThatAreNotOnePlainFileName() {
        for (String bad : List.of("", ".", "..", "../etc", "a/b", ".hidden", "tab\there", "new\nline", "nul\0",
                "del\u007f", "c1\u0085", "ls\u2028", "x".repeat(129), "é".repeat(121), "\ud800lone")) {
            assertThatThrownBy(() -> ScriptStore.validateName(bad)).as(bad)
                    .isInstanceOfSatisfying(ScriptStoreException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_NAME));
        }
        for (String good : List.of("main", "x".repeat(128), "Filter rules", "dovecot.orig", "a.b", "😀 emoji",
                "x..", "tmp")) {
            assertThat(good).satisfies(name -> ScriptStore.validateName(name));
        }
    }

    @Test
    void concurrentSessionsOfOneUserCannotOvershootTheScriptLimit() throws Exception {
        store = new ScriptStore(this::homeOf, new Limits(1000, 50, 1_000_000));
        AtomicInteger stored = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> tasks = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                tasks.add(pool.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        try {
                            store.put(john, "s" + thread + "-" + i, "keep;");
                            stored.incrementAndGet();
                        } catch (ScriptStoreException e) {
                            assertThat(e.reason()).isEqualTo(Reason.QUOTA_MAXSCRIPTS);
                            refused.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> task : tasks) {
                task.get();
            }
        }
        assertThat(stored.get()).isEqualTo(50);
        assertThat(refused.get()).isEqualTo(30);
        assertThat(store.list(john)).hasSize(50);
    }

    @Test
    void aDeliveryAlwaysFindsAnActiveScriptWhileItIsSwitchedAndRenamed() throws Exception {
        store.put(john, "a", "keep;");
        store.put(john, "b", "discard;");
        store.setActive(john, "a");
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Future<Optional<String>> reader = pool.submit(() -> {
                while (!done.get()) {
                    Optional<ActiveScript> active = store.activeScript(john);
                    if (active.isEmpty()) {
                        return Optional.of("no active script after " + reads.get() + " reads");
                    }
                    reads.incrementAndGet();
                }
                return Optional.<String>empty();
            });
            String current = "a";
            for (int i = 0; i < 200; i++) {
                String next = current.equals("a") ? "c" : "a";
                store.rename(john, current, next); // the active one, renamed back and forth
                current = next;
                store.setActive(john, i % 2 == 0 ? "b" : current);
            }
            done.set(true);
            assertThat(reader.get()).isEmpty();
        }
        assertThat(reads.get()).isPositive();
    }

    private interface Operation {
        void run() throws Exception;
    }

    private static void assertReason(Operation operation, Reason reason) {
        assertThatThrownBy(operation::run).isInstanceOfSatisfying(ScriptStoreException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
