package org.osprey.filter.clamav;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * A real clamd (Debian's clamav-daemon) started as a child process for one test class: its own config, a database
 * directory holding only our body signature for the EICAR string, a Unix socket and a TCP socket on a free loopback
 * port. Nothing of the system's clamd setup is used.
 */
public final class ClamdProcess implements AutoCloseable {
    public static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
    /** Dots in the name on purpose: clamd's reply must be parsed to the last " FOUND", not the first dot. */
    public static final String SIGNATURE = "Osprey.Test.EICAR-Body";
    static final int STREAM_MAX_BYTES = 1024 * 1024;

    final Path dir;
    public final Path socket;
    final int tcpPort;
    private final Process process;

    private ClamdProcess(Path dir, Path socket, int tcpPort, Process process) {
        this.dir = dir;
        this.socket = socket;
        this.tcpPort = tcpPort;
        this.process = process;
    }

    public static ClamdProcess start(Path dir) throws IOException, InterruptedException {
        var db = Files.createDirectories(dir.resolve("db"));
        var tmp = Files.createDirectories(dir.resolve("tmp"));
        // .ndb body signature: Name:TargetType:Offset:HexSignature; target 0 = any file, offset * = anywhere. It also
        // matches inside decoded MIME parts and unpacked archives, because clamd scans those as files of their own.
        var hex = HexFormat.of().formatHex(EICAR.getBytes(StandardCharsets.US_ASCII));
        Files.writeString(db.resolve("osprey-test.ndb"), SIGNATURE + ":0:*:" + hex + "\n");
        var socket = dir.resolve("clamd.sock");
        int port;
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        var conf = dir.resolve("clamd.conf");
        Files.writeString(conf, String.join("\n",
                "Foreground yes",
                "LocalSocket " + socket,
                "TCPSocket " + port,
                "TCPAddr 127.0.0.1",
                "DatabaseDirectory " + db,
                "TemporaryDirectory " + tmp,
                "LogFile " + dir.resolve("clamd.log"),
                "PidFile " + dir.resolve("clamd.pid"),
                "StreamMaxLength " + STREAM_MAX_BYTES,
                "ScanMail yes",
                "ScanArchive yes",
                "Bytecode no",
                "") );
        var process = new ProcessBuilder("/usr/sbin/clamd", "--foreground", "--config-file=" + conf)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("clamd.out").toFile())
                .start();
        var clamd = new ClamdProcess(dir, socket, port, process);
        var client = new ClamdClient("unix:" + socket, Duration.ofSeconds(1), Duration.ofSeconds(5));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.exists(socket) && client.ping())) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                clamd.close();
                throw new IllegalStateException("clamd did not start: " + clamd.output());
            }
            Thread.sleep(50);
        }
        return clamd;
    }

    ClamdClient unixClient() {
        return new ClamdClient("unix:" + socket, Duration.ofSeconds(2), Duration.ofSeconds(20));
    }

    ClamdClient tcpClient() {
        return new ClamdClient("127.0.0.1:" + tcpPort, Duration.ofSeconds(2), Duration.ofSeconds(20));
    }

    String output() {
        try {
            var out = dir.resolve("clamd.out");
            var log = dir.resolve("clamd.log");
            return (Files.exists(out) ? Files.readString(out) : "") + (Files.exists(log) ? Files.readString(log) : "");
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Stops our clamd (SIGTERM to its pid, SIGKILL if it lingers) and waits for it to exit. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
