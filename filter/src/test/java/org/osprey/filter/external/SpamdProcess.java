package org.osprey.filter.external;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real spamd (Debian's spamd package) started as a child process for one test class, listening on a free loopback
 * TCP port and on a Unix socket in its own directory. It uses the rules Debian ships in /usr/share/spamassassin
 * (GTUBE among them) and the package's plugin list (the .pre files), with a private site config: no network tests
 * ({@code -L}), no Bayes, no user preference files, log to a file. As root it drops to nobody, as spamd wants.
 */
public final class SpamdProcess implements AutoCloseable {
    /** The Generic Test for Unsolicited Bulk Email, as in SpamAssassin's rule GTUBE (score 1000). */
    public static final String GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";

    final Path dir;
    final Path socket;
    final int port;
    private final Process process;

    private SpamdProcess(Path dir, Path socket, int port, Process process) {
        this.dir = dir;
        this.socket = socket;
        this.port = port;
        this.process = process;
    }

    public static SpamdProcess start(Path dir) throws IOException, InterruptedException {
        var open = PosixFilePermissions.fromString("rwxr-xr-x");
        Files.setPosixFilePermissions(dir, open);
        var site = Files.createDirectories(dir.resolve("site"));
        var home = Files.createDirectories(dir.resolve("home"));
        Files.setPosixFilePermissions(site, open);
        try (var pre = Files.newDirectoryStream(Path.of("/etc/spamassassin"), "*.pre")) {
            for (Path file : pre) {
                Files.copy(file, site.resolve(file.getFileName()));
            }
        }
        Files.writeString(site.resolve("local.cf"), String.join("\n",
                "use_bayes 0",
                "bayes_auto_learn 0",
                "skip_rbl_checks 1",
                ""));
        Files.setPosixFilePermissions(site.resolve("local.cf"), PosixFilePermissions.fromString("rw-r--r--"));
        var socket = dir.resolve("spamd.sock");
        int port;
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of("/usr/sbin/spamd",
                "--local", "--nouser-config",
                "--max-children=1", "--min-children=1", "--min-spare=1", "--max-spare=1",
                "--configpath=/usr/share/spamassassin", "--siteconfigpath=" + site,
                "--helper-home-dir=" + home,
                "--syslog=stderr",
                "--listen=127.0.0.1:" + port, "--listen=" + socket,
                "--pidfile=" + dir.resolve("spamd.pid")));
        if ("root".equals(System.getProperty("user.name"))) {
            command.add("--username=nobody");
        }
        var process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("spamd.log").toFile())
                .start();
        var spamd = new SpamdProcess(dir, socket, port, process);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.exists(socket) && accepts(port))) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                spamd.close();
                throw new IllegalStateException("spamd did not start: " + spamd.log());
            }
            Thread.sleep(50);
        }
        return spamd;
    }

    private static boolean accepts(int port) {
        try (var probe = new Socket()) {
            probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public String tcpAddress() {
        return "127.0.0.1:" + port;
    }

    public String unixAddress() {
        return "unix:" + socket;
    }

    /** What spamd logged so far (it logs "checking message <id> for <user>:<uid>" per request). */
    public String log() {
        try {
            return Files.readString(dir.resolve("spamd.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Stops our spamd (SIGTERM to its pid, which ends its children too; SIGKILL if it lingers). */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
