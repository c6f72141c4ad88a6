package org.osprey.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * POP3 retrieval benchmark: one session logs in, RETRieves and DELEtes every message, and QUITs (the UPDATE that
 * removes them is timed too). Prints messages, octets, seconds and messages per second.
 *
 * <pre>java -cp osprey-bench.jar org.osprey.bench.Pop3Load HOST PORT USER PASSWORD</pre>
 */
public final class Pop3Load {
    private final InputStream in;
    private final OutputStream out;

    private Pop3Load(Socket socket) throws IOException {
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = new BufferedOutputStream(socket.getOutputStream());
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: Pop3Load HOST PORT USER PASSWORD");
            System.exit(2);
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(args[0], Integer.parseInt(args[1])), 5000);
            socket.setSoTimeout(60_000);
            Pop3Load pop = new Pop3Load(socket);
            pop.expectOk(pop.line());
            pop.expectOk(pop.command("USER " + args[2]));
            pop.expectOk(pop.command("PASS " + args[3]));
            long start = System.nanoTime();
            String stat = pop.command("STAT");
            pop.expectOk(stat);
            int count = Integer.parseInt(stat.split(" ")[1]);
            long octets = 0;
            for (int n = 1; n <= count; n++) {
                pop.send("RETR " + n + "\r\nDELE " + n + "\r\n"); // PIPELINING (RFC 2449)
                pop.expectOk(pop.line());
                octets += pop.body();
                pop.expectOk(pop.line());
            }
            long quit = System.nanoTime();
            pop.expectOk(pop.command("QUIT"));
            long end = System.nanoTime();
            double seconds = (end - start) / 1e9;
            System.out.printf("messages=%d octets=%d seconds=%.3f rate=%.1f (of which QUIT, the deletions: %.3f s)%n",
                    count, octets, seconds, count / seconds, (end - quit) / 1e9);
        }
    }

    private String command(String line) throws IOException {
        send(line + "\r\n");
        return line();
    }

    private void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private void expectOk(String line) {
        if (!line.startsWith("+OK")) {
            throw new IllegalStateException("server said: " + line);
        }
    }

    /** Reads a multi-line body up to ".CRLF"; returns its octets. */
    private long body() throws IOException {
        long octets = 0;
        while (true) {
            String line = line();
            if (line.equals(".")) {
                return octets;
            }
            octets += line.length() + 2;
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] b = buffer.toByteArray();
                int length = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
                return new String(b, 0, length, StandardCharsets.ISO_8859_1);
            }
            buffer.write(c);
        }
        throw new IOException("connection closed");
    }
}
