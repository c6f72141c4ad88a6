package org.osprey.filter.external;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.osprey.filter.dns.TestDnsServer;

/**
 * A real rspamd (Debian's rspamd package) started as a child process for one test class: Debian's rules and modules
 * from /etc/rspamd, but a top-level config of our own with only the normal (scanning) worker on a free loopback
 * port, and its own directory for state, cache and log. No redis (Bayes and the modules that need it stay off).
 * Its DNS resolver is a {@link TestDnsServer} ({@link #dns}, to which a test adds names), so the DNS-based modules
 * get quick answers (NXDOMAIN for names nobody added) instead of waiting on a network this machine may not have.
 * The public suffix list is a tiny one of ours: compiling Debian's full list takes rspamd 10-20 seconds at every
 * start with an empty cache.
 */
public final class RspamdProcess implements AutoCloseable {
    final Path dir;
    final int port;
    public final TestDnsServer dns;
    private final Process process;

    private RspamdProcess(Path dir, int port, Process process, TestDnsServer dns) {
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.dns = dns;
    }

    public static RspamdProcess start(Path dir) throws IOException, InterruptedException {
        var dns = TestDnsServer.start();
        int port;
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Files.createDirectories(dir.resolve("local.d"));
        Files.writeString(dir.resolve("rspamd.conf"), String.join("\n",
                ".include \"$CONFDIR/common.conf\"",
                "options {",
                "    pidfile = \"$RUNDIR/rspamd.pid\";",
                "    .include \"$CONFDIR/options.inc\"",
                "    .include(priority=1,duplicate=merge) \"$LOCAL_CONFDIR/local.d/options.inc\"",
                "}",
                "logging {",
                "    type = \"file\";",
                "    filename = \"$LOGDIR/rspamd.log\";",
                "    level = \"info\";",
                "}",
                "worker \"normal\" {",
                "    bind_socket = \"127.0.0.1:" + port + "\";",
                "    mime = true;",
                "    count = 1;",
                "}",
                ""));
        Files.writeString(dir.resolve("local.d/options.inc"), String.join("\n",
                "url_tld = \"$LOCAL_CONFDIR/tld.dat\";",
                "dns {",
                "    nameserver = [\"" + dns.address() + "\"];",
                "    timeout = 1s;",
                "    retransmits = 1;",
                "}",
                ""));
        Files.writeString(dir.resolve("tld.dat"), "com\norg\nnet\n");
        var process = new ProcessBuilder("/usr/bin/rspamd", "--no-fork", "--insecure",
                "--config=" + dir.resolve("rspamd.conf"),
                "--var=CONFDIR=/etc/rspamd", "--var=LOCAL_CONFDIR=" + dir, "--var=DBDIR=" + dir,
                "--var=RUNDIR=" + dir, "--var=LOGDIR=" + dir)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("rspamd.out").toFile())
                .start();
        var rspamd = new RspamdProcess(dir, port, process, dns);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!accepts(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                rspamd.close();
                throw new IllegalStateException("rspamd did not start: " + rspamd.log());
            }
            Thread.sleep(50);
        }
        return rspamd;
    }

    private static boolean accepts(int port) {
        try (var probe = new Socket()) {
            probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public String log() {
        StringBuilder out = new StringBuilder();
        for (String name : new String[] {"rspamd.out", "rspamd.log"}) {
            try {
                Path file = dir.resolve(name);
                if (Files.exists(file)) {
                    out.append(Files.readString(file));
                }
            } catch (IOException e) {
                out.append(e);
            }
        }
        return out.toString();
    }

    /** Stops our rspamd (SIGTERM to the main process, which stops its workers; SIGKILL if it lingers). */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        try {
            dns.close();
        } catch (IOException ignored) {
            // the test DNS server only listens on loopback; nothing to clean up
        }
    }
}
