package org.osprey.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.ArrayList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osprey.filter.CheckPipeline;
import org.osprey.filter.Findings;
import org.osprey.filter.InboundChecks;
import org.osprey.filter.SmtpFacts;
import org.osprey.filter.Verdict;
import org.osprey.filter.auth.SenderAuthentication;
import org.osprey.filter.mail.ParsedMessage;
import org.osprey.filter.spam.ScoreTable;
import org.osprey.filter.spam.SpamCheck;
import org.osprey.filter.spam.SpamFilter;
import org.osprey.filter.spam.bayes.Bayes;
import org.osprey.filter.spam.bayes.BayesDatabase;
import org.osprey.filter.spam.rules.RuleSet;

/**
 * Throughput of the content checks at the end of DATA, in process, on the calling thread: the pipeline as the
 * server builds it for port 25 with nothing that waits on the network (the spam score: rules and Bayes, trained
 * first on a few hundred generated messages), fed {@code MESSAGES} generated messages of about {@code SIZE} bytes
 * (plain, HTML, multipart/alternative, multipart/mixed with an attachment; a third of them pitches) after
 * {@code WARMUP} uncounted ones. Prints messages per second, microseconds per message (mean, median, 99th
 * percentile), and the process's CPU time per message (JIT and GC included) with the rate it makes: on a shared
 * machine the wall-clock figures also hold other programs' time slices, the CPU figure does not. It also counts
 * how the verdicts fell, to show the checks ran. Pin it to one core to measure one core:
 *
 * <pre>taskset -c 0 java -cp server/target/osprey.jar:bench/target/osprey-bench.jar \
 *     org.osprey.bench.SpamPipelineThroughput [MESSAGES] [SIZE] [WARMUP]</pre>
 */
public final class SpamPipelineThroughput {
    /** Distinct messages made up front and sent round and round, so the loop measures the checks, not the maker. */
    private static final int POOL = 256;
    private static final int TRAINING = 600;

    private SpamPipelineThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 20 * 1024;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;

        var maker = new GeneratedMail(20261205L);
        byte[][] pool = new byte[POOL][];
        long bytes = 0;
        for (int i = 0; i < POOL; i++) {
            pool[i] = maker.message(i, size, i % 3 == 0 ? 0.9 : 0.05);
            bytes += pool[i].length;
        }
        var training = new GeneratedMail(42L);
        List<byte[]> spam = new ArrayList<>();
        List<byte[]> ham = new ArrayList<>();
        for (int i = 0; i < TRAINING; i++) {
            (i % 2 == 0 ? spam : ham).add(training.message(POOL + i, size / 4, i % 2 == 0 ? 0.9 : 0.05));
        }
        Path dir = Files.createTempDirectory("osprey-spam-throughput");
        try {
            InboundChecks checks = pipeline(dir, spam, ham);
            var facts = new SmtpFacts(InetAddress.getByName("192.0.2.25"), Optional.of("mail.sender.example"), false,
                    Optional.empty());
            List<String> recipients = List.of("john@example.org");

            for (int i = 0; i < warmup; i++) {
                check(checks, facts, recipients, pool[i % POOL]);
            }
            long[] nanos = new long[messages];
            int tagged = 0;
            int rejected = 0;
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            for (int i = 0; i < messages; i++) {
                long s = System.nanoTime();
                Verdict verdict = check(checks, facts, recipients, pool[i % POOL]);
                nanos[i] = System.nanoTime() - s;
                if (verdict instanceof Verdict.Reject) {
                    rejected++;
                } else if (verdict instanceof Verdict.Accept a
                        && a.headers().stream().anyMatch(h -> h.startsWith("X-Spam-Flag:"))) {
                    tagged++;
                }
            }
            long total = System.nanoTime() - t0;
            long cpu = os.getProcessCpuTime() - cpu0;
            Arrays.sort(nanos);
            System.out.printf("messages=%d mean_bytes=%d warmup=%d seconds=%.2f rate=%.0f us_per_msg=%.0f"
                            + " median_us=%.0f p99_us=%.0f cpu_us_per_msg=%.0f cpu_rate=%.0f tagged=%d rejected=%d%n",
                    messages, bytes / POOL, warmup, total / 1e9, messages / (total / 1e9), total / 1e3 / messages,
                    nanos[messages / 2] / 1e3, nanos[messages * 99 / 100] / 1e3, cpu / 1e3 / messages,
                    messages / (cpu / 1e9), tagged, rejected);
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * The DATA-stage checks as the server builds them for port 25, less those that wait on the network (SPF, DKIM,
     * DMARC, DNSBL, the client's reverse DNS, external scanners) and the virus scan: the spam score with the
     * built-in rules, the default score table and the Bayes classifier, its global database in {@code dir} trained
     * on {@code spam} and {@code ham}.
     */
    private static InboundChecks pipeline(Path dir, List<byte[]> spam, List<byte[]> ham) throws IOException {
        Bayes bayes = new Bayes(dir.resolve("bayes"));
        List<BayesDatabase.Example> examples = new ArrayList<>();
        for (byte[] message : spam) {
            examples.add(example(message, true));
        }
        for (byte[] message : ham) {
            examples.add(example(message, false));
        }
        bayes.global().learnAll(examples);
        // the server's score table (SpamSetup): every part's defaults, no overrides
        var scores = new ScoreTable(List.of(RuleSet.defaultScores(), SenderAuthentication.DEFAULT_SCORES,
                SpamFilter.OWN_SCORES), Map.of());
        var filter = new SpamFilter(5.0, 15.0, scores, RuleSet.defaults(), Optional.of(bayes), "mx.example.org");
        return CheckPipeline.of(List.of(new SpamCheck(filter)));
    }

    private static BayesDatabase.Example example(byte[] message, boolean spam) throws IOException {
        ParsedMessage parsed = ParsedMessage.parse(new ByteArrayInputStream(message), SpamCheck.MAX_SCANNED);
        long[] tokens = Bayes.tokens(parsed);
        return new BayesDatabase.Example(Bayes.digest(parsed, tokens), tokens, spam);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static Verdict check(InboundChecks checks, SmtpFacts facts, List<String> recipients, byte[] message) {
        return checks.data(facts, "sender@sender.example", recipients, () -> new ByteArrayInputStream(message),
                new Findings());
    }
}
