package org.osprey.sieve.managesieve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Debian's sieve-connect (package {@code sieve-connect}) as a real client: STARTTLS with the self-signed certificate
 * (not verified), SASL PLAIN and LOGIN, then upload, check, activate, list, download, delete. The test fails, and is
 * never skipped, when the program is missing, so CI notices.
 */
class SieveConnectTest {
    static final Path SIEVE_CONNECT = Path.of("/usr/bin/sieve-connect");
    static final String SCRIPT = """
            require ["fileinto", "vacation"];
            # R\u00e8gles \u2013 spam first
            if header :contains "X-Spam-Flag" "YES" {
                fileinto "Junk";
                stop;
            }
            vacation :days 7 "I am away.";
            """;

    record Result(int exit, String output) {
    }

    @Test
    void uploadActivateListDownloadDelete() throws Exception {
        assertThat(SIEVE_CONNECT).as("sieve-connect is installed (apt-get install sieve-connect)").exists();
        try (SieveStack stack = SieveStack.start()) {
            Path work = Files.createDirectories(stack.dir.resolve("client"));
            Path local = Files.writeString(work.resolve("filter.sieve"), SCRIPT.replace("\n", "\r\n"));
            Path bad = Files.writeString(work.resolve("bad.sieve"), "if syntax-error { keep; }\r\n");

            Result upload = run(stack, "PLAIN", "--upload", "--localsieve", local.toString(), "--remotesieve", "main");
            assertThat(upload.exit()).as(upload.output()).isZero();
            assertThat(stack.store.get(SieveStack.address("john"), "main")).contains(SCRIPT.replace("\n", "\r\n"));

            Result check = run(stack, "PLAIN", "--checkscript", "--localsieve", bad.toString());
            assertThat(check.exit()).as(check.output()).isNotZero();
            assertThat(check.output()).contains("unknown test");
            Result checkGood = run(stack, "LOGIN", "--checkscript", "--localsieve", local.toString());
            assertThat(checkGood.exit()).as(checkGood.output()).isZero();

            Result second = run(stack, "LOGIN", "--upload", "--localsieve", local.toString(),
                    "--remotesieve", "second");
            assertThat(second.exit()).as(second.output()).isZero();

            Result activate = run(stack, "PLAIN", "--activate", "--remotesieve", "main");
            assertThat(activate.exit()).as(activate.output()).isZero();
            assertThat(Files.readSymbolicLink(stack.home("john").resolve(".dovecot.sieve")))
                    .isEqualTo(Path.of("sieve/main.sieve"));

            Result list = run(stack, "PLAIN", "--list");
            assertThat(list.exit()).as(list.output()).isZero();
            assertThat(list.output()).contains("\"main\" ACTIVE", "\"second\"");

            Path downloaded = work.resolve("downloaded.sieve");
            Result download = run(stack, "PLAIN", "--download", "--remotesieve", "main", "--localsieve",
                    downloaded.toString());
            assertThat(download.exit()).as(download.output()).isZero();
            assertThat(downloaded).hasBinaryContent(Files.readAllBytes(local));

            Result deleteActive = run(stack, "PLAIN", "--delete", "--remotesieve", "main");
            assertThat(deleteActive.exit()).isNotZero();
            assertThat(deleteActive.output()).contains("ACTIVE");

            Result deactivate = run(stack, "PLAIN", "--deactivate");
            assertThat(deactivate.exit()).as(deactivate.output()).isZero();
            Result delete = run(stack, "PLAIN", "--delete", "--remotesieve", "main");
            assertThat(delete.exit()).as(delete.output()).isZero();
            Result after = run(stack, "PLAIN", "--list");
            assertThat(after.output()).contains("\"second\"").doesNotContain("main");
            assertThat(stack.store.list(SieveStack.address("john"))).hasSize(1);
        }
    }

    @Test
    void aWrongPasswordIsRefused() throws Exception {
        try (SieveStack stack = SieveStack.start()) {
            Result r = run(stack, "PLAIN", "wrong-secret", List.of("--list"));
            assertThat(r.exit()).isNotZero();
            assertThat(r.output()).contains("Authentication failed");
        }
    }

    private static Result run(SieveStack stack, String mechanism, String... action) throws Exception {
        return run(stack, mechanism, "john-secret", List.of(action));
    }

    private static Result run(SieveStack stack, String mechanism, String password, List<String> action)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(SIEVE_CONNECT.toString(), "--nosrv",
                "--server", "127.0.0.1", "--port", Integer.toString(stack.port()), "--user", "john@example.org",
                "--authmech", mechanism, "--notlsverify", "--passwordfd", "0"));
        command.addAll(action);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write((password + "\n").getBytes(StandardCharsets.UTF_8));
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("sieve-connect did not finish: " + command);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.exitValue(), output);
    }
}
