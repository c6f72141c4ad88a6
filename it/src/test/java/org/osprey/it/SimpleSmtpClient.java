package org.osprey.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A plain SMTP client for load and crash tests: one session, many messages, every reply checked. */
final class SimpleSmtpClient implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    SimpleSmtpClient(String host, int port) throws IOException {
        socket = new Socket(host, port);
        socket.setSoTimeout(60_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
        expect("220");
        command("EHLO client.example.net", "250");
    }

    /** Sends one message; returns the final reply line to DATA. */
    String send(String from, String to, String message) throws IOException {
        command("MAIL FROM:<" + from + ">", "250");
        command("RCPT TO:<" + to + ">", "250");
        command("DATA", "354");
        out.write(message.replace("\r\n.", "\r\n..").getBytes(StandardCharsets.UTF_8));
        out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply();
    }

    String command(String line, String expectedCode) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return expect(expectedCode);
    }

    private String expect(String code) throws IOException {
        String reply = reply();
        if (!reply.startsWith(code)) {
            throw new IOException("expected " + code + " but got: " + reply);
        }
        return reply;
    }

    /** The last line of a (possibly multi-line) reply. */
    private String reply() throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed");
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
        return line;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
