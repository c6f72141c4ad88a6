package org.osprey.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** POP3 over real sockets: TLS rules, TOP on multipart mail, IN-USE, UPDATE at QUIT, UIDL after a restart. */
class Pop3SessionTest {
    static final String MULTIPART = "From: a@example.net\r\nSubject: parts\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
            + "first line\r\n.starts with a dot\r\nthird line\r\n--b\r\nContent-Type: text/plain\r\n\r\nsecond part\r\n--b--\r\n";

    @Test
    void passwordsOnlyAfterTlsAndCapabilitiesSayIt() throws Exception {
        try (Pop3Stack stack = Pop3Stack.start(); Pop3Client c = Pop3Client.plain(stack.plainPort())) {
            assertThat(c.greeting).startsWith("+OK");
            List<String> capa = c.multiline("CAPA");
            assertThat(capa).contains("STLS", "TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING")
                    .doesNotContain("USER");
            assertThat(c.command("USER john@example.org")).startsWith("-ERR [AUTH]");
            assertThat(c.command("STLS")).startsWith("+OK");
            c.startTls();
            assertThat(c.multiline("CAPA")).contains("USER", "SASL PLAIN LOGIN").doesNotContain("STLS");
            String plain = Base64.getEncoder().encodeToString("\0john@example.org\0john-secret"
                    .getBytes(StandardCharsets.UTF_8));
            assertThat(c.command("AUTH PLAIN " + plain)).startsWith("+OK");
            assertThat(c.command("STAT")).isEqualTo("+OK 0 0");
        }
    }

    @Test
    void wrongPasswordUnknownCommandsAndTooManyErrors() throws Exception {
        try (Pop3Stack stack = Pop3Stack.start(); Pop3Client c = Pop3Client.tls(stack.tlsPort())) {
            c.command("USER john@example.org");
            assertThat(c.command("PASS wrong")).startsWith("-ERR [AUTH]");
            assertThat(c.command("STAT")).startsWith("-ERR");
            assertThat(c.command("APOP john 0123456789abcdef0123456789abcdef")).startsWith("-ERR");
            assertThat(c.command("FROB")).startsWith("-ERR");
            assertThat(c.command("NOOP")).startsWith("-ERR");
            assertThat(c.readLine()).startsWith("-ERR Too many");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void topRetrDeleteRsetAndUpdateAtQuit() throws Exception {
        try (Pop3Stack stack = Pop3Stack.start()) {
            stack.deliver("john", MULTIPART);
            stack.deliver("john", "Subject: two\r\n\r\nbody\r\n");
            try (Pop3Client c = Pop3Client.login(stack.tlsPort(), "john")) {
                List<String> top = c.multiline("TOP 1 3");
                int blank = top.indexOf("");
                assertThat(top.subList(blank + 1, top.size())).containsExactly("--b", "Content-Type: text/plain",
                        "");
                List<String> top5 = c.multiline("TOP 1 5");
                assertThat(top5.subList(top5.indexOf("") + 1, top5.size())).endsWith("first line",
                        ".starts with a dot");
                List<String> retr = c.multiline("RETR 1");
                assertThat(retr.getFirst()).matches("\\+OK \\d+ octets");
                assertThat(retr).contains(".starts with a dot", "second part");
                int octets = Integer.parseInt(retr.getFirst().split(" ")[1]);
                assertThat(c.command("LIST 1")).isEqualTo("+OK 1 " + octets);
                assertThat(c.command("DELE 1")).startsWith("+OK");
                assertThat(c.command("RETR 1")).startsWith("-ERR");
                assertThat(c.command("STAT")).startsWith("+OK 1 ");
                assertThat(c.command("RSET")).startsWith("+OK");
                assertThat(c.command("STAT")).startsWith("+OK 2 ");
                assertThat(c.command("DELE 2")).startsWith("+OK");
                assertThat(c.command("LIST 9")).startsWith("-ERR");
                assertThat(c.command("QUIT")).startsWith("+OK");
            }
            try (Pop3Client c = Pop3Client.login(stack.tlsPort(), "john")) {
                assertThat(c.command("STAT")).startsWith("+OK 1 ");
                // RETR marked the message \Seen, as IMAP sees it: the S flag in the file name
                try (var files = Files.list(stack.maildir("john").resolve("cur"))) {
                    assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(":2,S"));
                }
            }
        }
    }

    @Test
    void aSecondSessionGetsInUseAndAClosedConnectionDeletesNothing() throws Exception {
        try (Pop3Stack stack = Pop3Stack.start()) {
            stack.deliver("jane", "Subject: x\r\n\r\ny\r\n");
            try (Pop3Client first = Pop3Client.login(stack.tlsPort(), "jane");
                 Pop3Client second = Pop3Client.tls(stack.tlsPort())) {
                second.command("USER jane@example.org");
                assertThat(second.command("PASS jane-secret")).startsWith("-ERR [IN-USE]");
                assertThat(first.command("DELE 1")).startsWith("+OK");
            } // first is dropped without QUIT: no UPDATE state
            Thread.sleep(200);
            try (Pop3Client again = Pop3Client.login(stack.tlsPort(), "jane")) {
                assertThat(again.command("STAT")).startsWith("+OK 1 ");
            }
        }
    }

    @Test
    void uidlsStayTheSameAfterARestart() throws Exception {
        Pop3Stack stack = Pop3Stack.start();
        try {
            for (int i = 0; i < 3; i++) {
                stack.deliver("john", "Subject: " + i + "\r\n\r\nx\r\n");
            }
            List<String> before;
            try (Pop3Client c = Pop3Client.login(stack.tlsPort(), "john")) {
                before = c.multiline("UIDL");
                c.command("QUIT");
            }
            assertThat(before).hasSize(4);
            assertThat(before.get(1)).matches("1 [0-9A-F]{16}");
            stack = stack.restart();
            try (Pop3Client c = Pop3Client.login(stack.tlsPort(), "john")) {
                assertThat(c.multiline("UIDL")).isEqualTo(before);
            }
        } finally {
            stack.close();
        }
    }

    @Test
    void pythonPoplibFetchesAndDeletesAThousandMessages() throws Exception {
        try (Pop3Stack stack = Pop3Stack.start()) {
            for (int i = 0; i < 1000; i++) {
                stack.deliver("jane", "Subject: bulk " + i + "\r\n\r\n.line " + i + "\r\n" + "x".repeat(200) + "\r\n");
            }
            Path script = Files.createTempFile(stack.dir, "poplib", ".py");
            Files.writeString(script, """
                    import poplib, ssl, sys
                    p = poplib.POP3_SSL('127.0.0.1', int(sys.argv[1]), context=ssl._create_unverified_context())
                    p.user('jane@example.org'); p.pass_('jane-secret')
                    count, size = p.stat()
                    assert count == 1000, count
                    uidls = p.uidl()[1]
                    assert len(set(u.split()[1] for u in uidls)) == 1000
                    seen = set()
                    for n in range(1, count + 1):
                        lines = p.retr(n)[1]
                        assert lines[-1] == b'x' * 200, lines[-1]
                        seen.add(lines[-2])
                        p.dele(n)
                    assert seen == set(('.line %d' % i).encode() for i in range(1000)), len(seen)
                    print(p.quit().decode())
                    p = poplib.POP3_SSL('127.0.0.1', int(sys.argv[1]), context=ssl._create_unverified_context())
                    p.user('jane@example.org'); p.pass_('jane-secret')
                    print('left', p.stat()[0])
                    p.quit()
                    """);
            Process python = new ProcessBuilder("python3", script.toString(), String.valueOf(stack.tlsPort()))
                    .redirectErrorStream(true).start();
            String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(python.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(python.exitValue()).as(output).isZero();
            assertThat(output).contains("1000 messages deleted", "left 0");
            try (var files = Files.list(stack.maildir("jane").resolve("cur"))) {
                assertThat(files.count()).isZero();
            }
        }
    }

    @Test
    void getmailFetchesAThousandMessagesIntoAMaildirAndDeletesThem() throws Exception {
        try (Pop3Stack stack = Pop3Stack.start()) {
            for (int i = 0; i < 1000; i++) {
                stack.deliver("jane", "Subject: getmail " + i + "\r\n\r\nbody " + i + "\r\n.dot line\r\n");
            }
            Path target = stack.dir.resolve("fetched");
            for (String sub : new String[] {"tmp", "new", "cur"}) {
                Files.createDirectories(target.resolve(sub));
            }
            // an external MDA rather than getmail's Maildir writer, which refuses to run as root (CI runs as root)
            Path rc = stack.dir.resolve("getmailrc");
            Files.writeString(rc, """
                    [retriever]
                    type = SimplePOP3SSLRetriever
                    server = 127.0.0.1
                    port = %d
                    username = jane@example.org
                    password = jane-secret

                    [destination]
                    type = MDA_external
                    path = /bin/sh
                    arguments = ("-c", "cat > %s/new/$$.eml")
                    allow_root_commands = true

                    [options]
                    delete = true
                    read_all = true
                    verbose = 1
                    """.formatted(stack.tlsPort(), target));
            Process getmail = new ProcessBuilder("getmail", "--getmaildir", stack.dir.toString(), "--rcfile",
                    rc.toString()).redirectErrorStream(true).start();
            String output = new String(getmail.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(getmail.waitFor(180, TimeUnit.SECONDS)).isTrue();
            assertThat(getmail.exitValue()).as(output).isZero();
            assertThat(output).contains("1000 messages");

            java.util.Set<String> bodies = new java.util.HashSet<>();
            try (var files = Files.list(target.resolve("new"))) {
                for (Path f : files.toList()) {
                    String text = Files.readString(f, StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
                    assertThat(text).as("dot-stuffing undone by the client").contains("\n.dot line\n");
                    bodies.add(text.substring(text.indexOf("\nbody ") + 1, text.indexOf("\n.dot line")));
                }
            }
            assertThat(bodies).hasSize(1000).contains("body 0", "body 999");
            try (var files = Files.list(stack.maildir("jane").resolve("cur"));
                 var fresh = Files.list(stack.maildir("jane").resolve("new"))) {
                assertThat(files.count() + fresh.count()).as("deleted on the server at QUIT").isZero();
            }
        }
    }
}
