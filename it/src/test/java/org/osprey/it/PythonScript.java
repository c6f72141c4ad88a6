package org.osprey.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Python 3 script from the test resources (python3 from PATH; CI installs Debian's, see .ci/run). The script
 * checks the server's answers itself and exits non-zero on the first surprise; its output is the test's evidence.
 */
final class PythonScript {
    private PythonScript() {
    }

    /** Runs the script and returns its output (stdout and stderr), failing the test unless it exits 0 in time. */
    static String run(Duration timeout, String resource, String... args) throws IOException, InterruptedException {
        URL url = PythonScript.class.getResource("/" + resource);
        if (url == null) {
            throw new AssertionError("no test resource " + resource);
        }
        Path script;
        try {
            script = Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
        List<String> command = new ArrayList<>(List.of("python3", "-u", script.toString()));
        command.addAll(List.of(args));
        Process p;
        try {
            var builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
            p = builder.start();
        } catch (IOException e) {
            throw new AssertionError("python3 is needed for this test: apt-get install python3", e);
        }
        p.getOutputStream().close();
        // Read while it runs, so a chatty script never blocks on a full pipe.
        var output = new StringBuilder();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                output.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                output.append("(output lost: ").append(e).append(')');
            }
        });
        boolean finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            p.destroyForcibly();
        }
        reader.join();
        System.out.println("---- " + resource + "\n" + output);
        assertThat(finished).as("%s did not finish within %s:%n%s", resource, timeout, output).isTrue();
        assertThat(p.exitValue()).as("%s failed:%n%s", resource, output).isZero();
        return output.toString();
    }
}
