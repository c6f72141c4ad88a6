package org.osprey.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without --password-stdin the CLI asks twice on the terminal and does not echo. A real terminal comes from
 * script(1) (util-linux), which runs the command on a pseudo-terminal.
 */
class PasswordPromptTest {
    @TempDir
    Path dir;

    @Test
    void thePasswordIsAskedTwiceWithoutEcho() throws Exception {
        Path config = dir.resolve("osprey.toml");
        Files.writeString(config, "data_dir = \"data\"\n");
        assertThat(new Cli(config).run("domain", "add", "example.org").status()).isZero();

        Session ok = prompt(config, "tty@example.org", "s3cret-one", "s3cret-one");
        assertThat(ok.status).as(ok.output).isZero();
        assertThat(ok.output).contains("New password:").contains("Repeat password:")
                .contains("added mailbox tty@example.org").doesNotContain("s3cret-one");
        assertThat(new Cli(config).run("user", "list").out()).contains("tty@example.org");

        Session differ = prompt(config, "other@example.org", "first", "second");
        assertThat(differ.status).isEqualTo(1);
        assertThat(differ.output).contains("the two passwords differ; nothing changed");
        assertThat(new Cli(config).run("user", "list").out()).doesNotContain("other@example.org");
    }

    private record Session(int status, String output) {
    }

    private Session prompt(Path config, String address, String first, String second) throws Exception {
        String command = String.join(" ", List.of(ProcessHandle.current().info().command().orElse("java"),
                "-jar", ServerProcess.JAR.toString(), "user", "add", address, "--config", config.toString()));
        Process p;
        try {
            p = new ProcessBuilder("script", "-qec", command, "/dev/null").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("script(1) from util-linux is needed for this test", e);
        }
        var output = new StringBuilder();
        InputStream in = p.getInputStream();
        OutputStream out = p.getOutputStream();
        readUntil(in, output, "New password:");
        out.write((first + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        readUntil(in, output, "Repeat password:");
        out.write((second + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        output.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        return new Session(p.exitValue(), output.toString());
    }

    private static void readUntil(InputStream in, StringBuilder output, String marker) throws IOException {
        while (!output.toString().contains(marker)) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("no \"" + marker + "\" prompt; output was: " + output);
            }
            output.append((char) b);
        }
    }
}
