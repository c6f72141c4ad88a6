package org.osprey.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * An IMAP load tool in the manner of Dovecot's imaptest (its idea, not its code), with four jobs:
 *
 * <ul>
 *   <li>{@code mixed}: N clients, each looping LOGIN, LIST, STATUS, SELECT, FETCH (FLAGS) of all, FETCH of
 *       envelopes, FETCH BODY[] of one or two messages, STORE +FLAGS, EXPUNGE, APPEND, LOGOUT for a fixed time
 *       after a warm-up; counts tagged OK answers per second. One user per client by default, so clients do not
 *       fight over one mailbox; the mailbox stays near its starting size (a message is deleted only while it
 *       holds more than {@code --keep}, and one is appended every loop).</li>
 *   <li>{@code fill}: empties every user's INBOX and APPENDs the same M messages to each.</li>
 *   <li>{@code select}: SELECT of one mailbox and {@code UID FETCH 1:* (FLAGS)} on it, timed: once in a first
 *       session (which may build the server's index), then {@code --repeat} times in new sessions.</li>
 *   <li>{@code idle}: opens C connections (LOGIN, SELECT INBOX, IDLE), reports when all idle, holds them until
 *       stdin closes (or {@code --hold} seconds), then ends IDLE and logs out.</li>
 *   <li>{@code maildir}: writes M messages straight into {@code DIR/cur} with Dovecot-style names (no server).</li>
 * </ul>
 *
 * <p>Every job prints {@code key=value} lines. Exit status: 0 done; 1 a job failed (a refused command in fill
 * or select, connections that did not get to IDLE, no command completed in mixed); 2 bad arguments.
 */
public final class ImapLoad {
    private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME;
    /** All messages are made from this seed, so both servers get the same bytes. */
    private static final long SEED = 20_261_122L;
    private static final int BODY_POOL = 8;

    /** The command line; fields not used by a job keep their defaults. */
    record Options(String job, ImapClient.Target target, String userPattern, int users, String password,
                   List<InetAddress> bind, int clients, int seconds, int warmup, int size, int keep, int messages,
                   String mailbox, int repeat, int connections, int parallel, int hold, Path dir,
                   boolean verbose) {

        /** User number i (0-based) by the pattern: "%02d" and the like take i + 1; without one, the same user. */
        String user(int i) {
            return userPattern.contains("%") ? String.format(Locale.ROOT, userPattern, i % users + 1) : userPattern;
        }

        InetAddress bindFor(int i) {
            return bind.isEmpty() ? null : bind.get(i % bind.size());
        }
    }

    private final Options options;
    private final PrintStream out;
    private final byte[][] bodies = new byte[BODY_POOL][];

    ImapLoad(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
        Random random = new Random(SEED);
        for (int i = 0; i < BODY_POOL; i++) {
            bodies[i] = MessageText.body(Math.max(MessageText.LINE + 2, options.size() - headers(1000).length),
                    random);
        }
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("imap-load: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.println(usage());
            return;
        }
        var load = new ImapLoad(options, System.out);
        boolean ok = switch (options.job()) {
            case "mixed" -> load.mixed();
            case "fill" -> load.fill();
            case "select" -> load.select();
            case "idle" -> load.idle(System.in);
            case "maildir" -> load.maildir();
            default -> throw new IllegalStateException(options.job());
        };
        System.out.flush();
        System.exit(ok ? 0 : 1);
    }

    static String usage() {
        return """
                usage: imap-load JOB [options] host[:port]      (java -cp osprey-bench.jar org.osprey.bench.ImapLoad)
                jobs:
                  mixed     N clients loop LOGIN LIST STATUS SELECT FETCH FETCH FETCH STORE EXPUNGE APPEND LOGOUT
                  fill      empty each user's INBOX, then APPEND --messages messages to it
                  select    time SELECT and UID FETCH 1:* (FLAGS) of --mailbox (first session, then --repeat more)
                  idle      open --connections connections in IDLE; hold them until stdin closes or --hold secs
                  maildir   write --messages messages into --dir/cur (Dovecot-style names, LF); no server
                options:
                  --user PATTERN     user name; %d (or %02d ...) takes 1..--users (default john@example.org)
                  --users N          how many users the pattern makes (default 1)
                  --password P       (default secret)
                  --tls MODE         none | starttls | imaps (default none; certificates are not checked)
                  --bind A[,A...]    client source addresses, used in turn (default: the system's choice)
                  --clients N        mixed: parallel clients (default 10); client i is user i mod --users
                  --seconds S        mixed: measured time (default 30)
                  --warmup S         mixed: not counted, before the measured time (default 5)
                  --keep N           mixed: delete a message only while the mailbox holds more (default 100)
                  --size BYTES       message size for APPEND, fill and maildir (default 5120; 5k works)
                  --messages N       fill, maildir: how many (default 100)
                  --mailbox NAME     select: the mailbox (default INBOX)
                  --repeat N         select: timed sessions after the first (default 3)
                  --connections N    idle: how many (default 1000)
                  --parallel N       idle: connections being set up at once (default 50)
                  --hold S           idle: release after S seconds instead of at the end of stdin
                  --dir DIR          maildir: the Maildir (cur/, new/, tmp/ are made)
                  -v                 print every failure""";
    }

    /** Parses the command line; null for --help. */
    static Options parse(String[] args) {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            return null;
        }
        String job = args[0];
        if (!List.of("mixed", "fill", "select", "idle", "maildir").contains(job)) {
            throw new IllegalArgumentException("unknown job: " + job);
        }
        String host = null;
        int port = 143;
        boolean portGiven = false;
        ImapClient.Tls tls = ImapClient.Tls.NONE;
        String user = "john@example.org";
        int users = 1;
        String password = "secret";
        List<InetAddress> bind = List.of();
        int clients = 10;
        int seconds = 30;
        int warmup = 5;
        int size = 5120;
        int keep = 100;
        int messages = 100;
        String mailbox = "INBOX";
        int repeat = 3;
        int connections = 1000;
        int parallel = 50;
        int hold = 0;
        Path dir = null;
        boolean verbose = false;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help" -> {
                    return null;
                }
                case "--user" -> user = value(args, ++i, a);
                case "--users" -> users = positive(a, value(args, ++i, a));
                case "--password" -> password = value(args, ++i, a);
                case "--tls" -> tls = switch (value(args, ++i, a).toLowerCase(Locale.ROOT)) {
                    case "none" -> ImapClient.Tls.NONE;
                    case "starttls" -> ImapClient.Tls.STARTTLS;
                    case "imaps" -> ImapClient.Tls.IMAPS;
                    default -> throw new IllegalArgumentException("--tls: none, starttls or imaps");
                };
                case "--bind" -> bind = addresses(value(args, ++i, a));
                case "--clients" -> clients = positive(a, value(args, ++i, a));
                case "--seconds" -> seconds = positive(a, value(args, ++i, a));
                case "--warmup" -> warmup = number(a, value(args, ++i, a));
                case "--keep" -> keep = positive(a, value(args, ++i, a));
                case "--size" -> size = (int) SmtpSource.bytes(a, value(args, ++i, a));
                case "--messages" -> messages = positive(a, value(args, ++i, a));
                case "--mailbox" -> mailbox = value(args, ++i, a);
                case "--repeat" -> repeat = positive(a, value(args, ++i, a));
                case "--connections" -> connections = positive(a, value(args, ++i, a));
                case "--parallel" -> parallel = positive(a, value(args, ++i, a));
                case "--hold" -> hold = positive(a, value(args, ++i, a));
                case "--dir" -> dir = Path.of(value(args, ++i, a));
                case "-v" -> verbose = true;
                default -> {
                    if (a.startsWith("-") || host != null) {
                        throw new IllegalArgumentException("unknown argument: " + a);
                    }
                    int colon = a.lastIndexOf(':');
                    boolean hasPort = colon > 0 && (a.startsWith("[") ? a.charAt(colon - 1) == ']'
                            : a.indexOf(':') == colon);
                    host = hasPort ? a.substring(0, colon) : a;
                    if (hasPort) {
                        port = positive("port", a.substring(colon + 1));
                        portGiven = true;
                    }
                    if (host.startsWith("[") && host.endsWith("]")) {
                        host = host.substring(1, host.length() - 1);
                    }
                }
            }
        }
        if (job.equals("maildir")) {
            if (dir == null) {
                throw new IllegalArgumentException("maildir needs --dir");
            }
        } else if (host == null) {
            throw new IllegalArgumentException("no host given");
        }
        if (!portGiven && tls == ImapClient.Tls.IMAPS) {
            port = 993;
        }
        if (size < 600) {
            throw new IllegalArgumentException("--size must be at least 600 bytes");
        }
        return new Options(job, new ImapClient.Target(host, port, tls), user, users, password, bind, clients,
                seconds, warmup, size, keep, messages, mailbox, repeat, connections, parallel, hold, dir, verbose);
    }

    // ------------------------------------------------------------------ messages

    /** Message {@code number} with CRLF line endings: the same bytes on every run and for every server. */
    byte[] message(long number) {
        byte[] h = headers(number);
        byte[] body = bodies[(int) Math.floorMod(number, (long) BODY_POOL)];
        byte[] m = Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, m, h.length, body.length);
        return m;
    }

    private static byte[] headers(long number) {
        ZonedDateTime date = ZonedDateTime.of(2026, 11, 1, 8, 0, 0, 0, ZoneOffset.UTC).plusSeconds(number % 2_000_000);
        String headers = "Return-Path: <sender@example.net>\r\n"
                + "From: Sender <sender@example.net>\r\n"
                + "To: Receiver <receiver@example.org>\r\n"
                + "Subject: imap-load test message " + number + "\r\n"
                + "Date: " + DATE.format(date) + "\r\n"
                + "Message-ID: <" + number + ".imap-load@example.net>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n"
                + "Content-Transfer-Encoding: 7bit\r\n"
                + "\r\n";
        return headers.getBytes(StandardCharsets.US_ASCII);
    }

    private ImapClient connect(int i, int bufferSize) throws IOException {
        return ImapClient.connect(options.target(), options.bindFor(i), bufferSize, 300_000);
    }

    // ------------------------------------------------------------------ mixed

    /** Counters of one command name, for the measured time only. */
    private static final class Counter {
        final LongAdder ok = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder nanos = new LongAdder();
    }

    private final Map<String, Counter> counters = new LinkedHashMap<>();
    private final LongAdder errors = new LongAdder();
    /** Tagged OK answers over the whole run, warm-up and the sessions finishing after the end included. */
    private final LongAdder allOk = new LongAdder();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private volatile boolean measuring;
    private volatile boolean stopping;

    {
        for (String name : List.of("LOGIN", "LIST", "STATUS", "SELECT", "FETCH_FLAGS", "FETCH_ENVELOPE",
                "FETCH_BODY", "STORE", "EXPUNGE", "APPEND", "LOGOUT")) {
            counters.put(name, new Counter());
        }
    }

    boolean mixed() throws InterruptedException {
        long start = System.nanoTime();
        long measureFrom = start + options.warmup() * 1_000_000_000L;
        long measureTo = measureFrom + options.seconds() * 1_000_000_000L;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < options.clients(); i++) {
                int client = i;
                pool.submit(() -> mixedClient(client));
            }
            sleepUntil(measureFrom);
            measuring = true;
            sleepUntil(measureTo);
            measuring = false;
            stopping = true;
        }
        double allSeconds = (System.nanoTime() - start) / 1e9;
        long total = 0;
        long failed = 0;
        for (Counter c : counters.values()) {
            total += c.ok.sum();
            failed += c.failed.sum();
        }
        double secs = options.seconds();
        out.printf(Locale.ROOT, "clients=%d users=%d seconds=%d commands=%d rate=%.1f failed=%d errors=%d logins=%d"
                        + " all_commands=%d all_seconds=%.1f%n",
                options.clients(), Math.min(options.users(), options.clients()), options.seconds(), total,
                total / secs, failed, errors.sum(), counters.get("LOGIN").ok.sum(), allOk.sum(), allSeconds);
        for (var e : counters.entrySet()) {
            Counter c = e.getValue();
            long n = c.ok.sum() + c.failed.sum();
            out.printf(Locale.ROOT, "  %-15s %8d ok %6d failed  %8.2f ms avg%n", e.getKey(), c.ok.sum(),
                    c.failed.sum(), n == 0 ? 0.0 : c.nanos.sum() / 1e6 / n);
        }
        if (firstFailure.get() != null) {
            out.println("first failure: " + firstFailure.get());
        }
        return total > 0;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, left / 1_000_000));
        }
    }

    /** One client: sessions one after the other until stopped; a broken connection is replaced after 100 ms. */
    private void mixedClient(int client) {
        var random = new Random(SEED + client);
        String user = options.user(client);
        long appended = 0;
        while (!stopping) {
            ImapClient c = null;
            try {
                long t = System.nanoTime();
                c = connect(client, 16 * 1024);
                ImapClient.Reply r = c.login(user, options.password());
                count("LOGIN", r, t);
                if (!r.ok()) {
                    c.close();
                    Thread.sleep(100);
                    continue;
                }
                run(c, "LIST", "LIST \"\" \"*\"");
                run(c, "STATUS", "STATUS INBOX (MESSAGES UNSEEN)");
                if (!run(c, "SELECT", "SELECT INBOX").ok()) {
                    c.logout();
                    continue;
                }
                int n = c.exists;
                if (n > 0) {
                    run(c, "FETCH_FLAGS", "FETCH 1:* (FLAGS)");
                    // imaptest's FETCH: envelopes and sizes of a stretch of messages, as a list view shows them
                    int from = 1 + random.nextInt(n);
                    int to = Math.min(n, from + random.nextInt(20));
                    run(c, "FETCH_ENVELOPE", "FETCH " + from + ":" + to
                            + " (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE)");
                    // reading one or two messages; BODY[] sets \Seen (RFC 9051 §6.4.5)
                    String set = Integer.toString(1 + random.nextInt(n));
                    if (random.nextBoolean()) {
                        set += "," + (1 + random.nextInt(n));
                    }
                    run(c, "FETCH_BODY", "FETCH " + set + " (BODY[])");
                    int target = 1 + random.nextInt(c.exists);
                    String flag = c.exists > options.keep() ? "\\Deleted" : "\\Seen";
                    run(c, "STORE", "STORE " + target + " +FLAGS (" + flag + ")");
                }
                run(c, "EXPUNGE", "EXPUNGE");
                t = System.nanoTime();
                count("APPEND", c.append("INBOX", "", message(client * 1_000_000L + appended++)), t);
                run(c, "LOGOUT", "LOGOUT");
                c.close();
            } catch (IOException e) {
                errors.increment();
                failure("client " + client + " (" + user + "): " + e);
                if (c != null) {
                    c.close();
                }
                sleepQuietly(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private ImapClient.Reply run(ImapClient c, String name, String command) throws IOException {
        long t = System.nanoTime();
        ImapClient.Reply r = c.command(command);
        count(name, r, t);
        return r;
    }

    private void count(String name, ImapClient.Reply r, long startNanos) {
        if (r.ok()) {
            allOk.increment();
        }
        if (!measuring) {
            if (!r.ok()) {
                failure(name + ": " + r);
            }
            return;
        }
        Counter c = counters.get(name);
        c.nanos.add(System.nanoTime() - startNanos);
        if (r.ok()) {
            c.ok.increment();
        } else {
            c.failed.increment();
            failure(name + ": " + r);
        }
    }

    private void failure(String text) {
        firstFailure.compareAndSet(null, text);
        if (options.verbose()) {
            System.err.println("imap-load: " + text);
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ fill

    boolean fill() throws InterruptedException {
        long start = System.nanoTime();
        var appended = new AtomicInteger();
        var failures = new ConcurrentLinkedQueue<String>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int u = 0; u < options.users(); u++) {
                int user = u;
                pool.submit(() -> {
                    try {
                        fillOne(user, appended, failures);
                    } catch (IOException e) {
                        failures.add(options.user(user) + ": " + e);
                    }
                    return null;
                });
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "users=%d appended=%d seconds=%.2f%n", options.users(), appended.get(), secs);
        failures.stream().limit(5).forEach(f -> out.println("failed: " + f));
        return failures.isEmpty();
    }

    private void fillOne(int user, AtomicInteger appended, ConcurrentLinkedQueue<String> failures)
            throws IOException {
        ImapClient c = connect(user, 16 * 1024);
        try {
            ImapClient.Reply r = c.login(options.user(user), options.password());
            if (!r.ok()) {
                failures.add(options.user(user) + ": LOGIN " + r);
                return;
            }
            r = c.command("SELECT INBOX");
            if (!r.ok()) {
                failures.add(options.user(user) + ": SELECT " + r);
                return;
            }
            if (c.exists > 0) {
                c.command("STORE 1:* +FLAGS.SILENT (\\Deleted)");
                c.command("EXPUNGE");
            }
            for (int i = 0; i < options.messages(); i++) {
                r = c.append("INBOX", "", message(i));
                if (!r.ok()) {
                    failures.add(options.user(user) + ": APPEND " + r);
                    return;
                }
                appended.incrementAndGet();
            }
        } finally {
            c.logout();
        }
    }

    // ------------------------------------------------------------------ select

    boolean select() throws IOException {
        String user = options.user(0);
        String selectCommand = "SELECT " + ImapClient.quote(options.mailbox());
        long[] selectMs = new long[options.repeat() + 1];
        long[] fetchMs = new long[options.repeat() + 1];
        int exists = -1;
        int fetched = -1;
        for (int round = 0; round <= options.repeat(); round++) {
            ImapClient c = connect(0, 64 * 1024);
            try {
                ImapClient.Reply r = c.login(user, options.password());
                if (!r.ok()) {
                    out.println("failed: LOGIN " + r);
                    return false;
                }
                long t = System.nanoTime();
                r = c.command(selectCommand);
                selectMs[round] = System.nanoTime() - t;
                if (!r.ok()) {
                    out.println("failed: SELECT " + r);
                    return false;
                }
                exists = c.exists;
                t = System.nanoTime();
                r = c.command("UID FETCH 1:* (FLAGS)");
                fetchMs[round] = System.nanoTime() - t;
                fetched = c.untagged;
                if (!r.ok()) {
                    out.println("failed: UID FETCH " + r);
                    return false;
                }
            } finally {
                c.logout();
            }
        }
        long[] selects = Arrays.copyOfRange(selectMs, 1, selectMs.length);
        long[] fetches = Arrays.copyOfRange(fetchMs, 1, fetchMs.length);
        out.printf(Locale.ROOT, "mailbox=%s exists=%d fetched=%d select_first_ms=%.1f fetch_first_ms=%.1f"
                        + " select_ms=%.1f fetch_ms=%.1f select_min_ms=%.1f fetch_min_ms=%.1f repeat=%d%n",
                options.mailbox(), exists, fetched, selectMs[0] / 1e6, fetchMs[0] / 1e6, median(selects) / 1e6,
                median(fetches) / 1e6, Arrays.stream(selects).min().orElse(0) / 1e6,
                Arrays.stream(fetches).min().orElse(0) / 1e6, options.repeat());
        return true;
    }

    static double median(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
    }

    // ------------------------------------------------------------------ idle

    /**
     * Opens the connections ({@code --parallel} at a time being set up), prints {@code idle_ready=}, waits for
     * the end of {@code release} (or {@code --hold} seconds), then sends DONE and LOGOUT on each. A connection
     * in IDLE has no thread: the tool only reads it again at the end.
     */
    boolean idle(InputStream release) throws InterruptedException {
        long start = System.nanoTime();
        var idling = new ConcurrentLinkedQueue<ImapClient>();
        var failed = new AtomicInteger();
        var gate = new Semaphore(options.parallel());
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < options.connections(); i++) {
                int index = i;
                gate.acquire();
                pool.submit(() -> {
                    try {
                        ImapClient c = connect(index, 1024);
                        try {
                            ImapClient.Reply r = c.login(options.user(index), options.password());
                            if (!r.ok()) {
                                throw new IOException("LOGIN " + r);
                            }
                            r = c.command("SELECT INBOX");
                            if (!r.ok()) {
                                throw new IOException("SELECT " + r);
                            }
                            c.idle();
                            idling.add(c);
                        } catch (IOException | RuntimeException e) {
                            c.close();
                            throw e;
                        }
                    } catch (IOException | RuntimeException e) {
                        failed.incrementAndGet();
                        failure("connection " + index + ": " + e);
                    } finally {
                        gate.release();
                    }
                });
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "idle_ready=%d failed=%d setup_seconds=%.2f%n", idling.size(), failed.get(), secs);
        if (firstFailure.get() != null) {
            out.println("first failure: " + firstFailure.get());
        }
        out.flush();
        if (options.hold() > 0) {
            Thread.sleep(options.hold() * 1000L);
        } else {
            try {
                while (release.read() >= 0) {
                    // wait for the end of input
                }
            } catch (IOException e) {
                // the same as the end
            }
        }
        var stillIdle = new AtomicInteger();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (ImapClient c : idling) {
                gate.acquire();
                pool.submit(() -> {
                    try {
                        if (c.done().ok()) {
                            stillIdle.incrementAndGet();
                        }
                    } catch (IOException e) {
                        // counted as not idle any more
                    } finally {
                        c.logout();
                        gate.release();
                    }
                });
            }
        }
        out.printf(Locale.ROOT, "idle_done_ok=%d%n", stillIdle.get());
        return failed.get() == 0;
    }

    // ------------------------------------------------------------------ maildir

    /**
     * Writes the messages as files into {@code DIR/cur}, as Dovecot would have left them: names
     * {@code <time>.M<usec>P<pid>.<host>,S=<size>,W=<size with CRLF>:2,<flags>}, LF line endings, the file's
     * mtime set to the name's time (Dovecot's received date). Seven in ten are \Seen, one in twenty flagged.
     */
    boolean maildir() throws IOException {
        long start = System.nanoTime();
        Path cur = Files.createDirectories(options.dir().resolve("cur"));
        Files.createDirectories(options.dir().resolve("new"));
        Files.createDirectories(options.dir().resolve("tmp"));
        long pid = ProcessHandle.current().pid();
        long first = System.currentTimeMillis() / 1000 - options.messages();
        long bytes = 0;
        for (int i = 0; i < options.messages(); i++) {
            byte[] crlf = message(i);
            byte[] lf = new byte[crlf.length];
            int n = 0;
            for (byte b : crlf) {
                if (b != '\r') {
                    lf[n++] = b;
                }
            }
            lf = Arrays.copyOf(lf, n);
            String flags = i % 20 == 0 ? "FS" : i % 10 < 7 ? "S" : "";
            long time = first + i;
            String name = time + ".M" + (i % 1_000_000) + "P" + pid + ".imapload,S=" + n + ",W=" + crlf.length
                    + ":2," + flags;
            Path file = cur.resolve(name);
            Files.write(file, lf);
            Files.setLastModifiedTime(file, FileTime.fromMillis(time * 1000));
            bytes += n;
        }
        out.printf(Locale.ROOT, "dir=%s messages=%d bytes=%d seconds=%.2f%n", options.dir(), options.messages(),
                bytes, (System.nanoTime() - start) / 1e9);
        return true;
    }

    // ------------------------------------------------------------------ arguments

    private static List<InetAddress> addresses(String list) {
        var result = new ArrayList<InetAddress>();
        for (String a : list.split("[,\\s]+")) {
            if (a.isEmpty()) {
                continue;
            }
            try {
                result.add(InetAddress.getByName(a));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("--bind: not an address: " + a);
            }
        }
        return List.copyOf(result);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int number(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": not a number: " + value);
        }
    }

    private static int positive(String option, String value) {
        int n = number(option, value);
        if (n < 1) {
            throw new IllegalArgumentException(option + " must be at least 1");
        }
        return n;
    }
}
