package org.osprey.delivery.dkim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's python3-dkim (dkimpy), an independent DKIM implementation, driven from the tests: it verifies our
 * signatures with the key records handed to it instead of DNS (the canonicalization is compared with dkimpy's in
 * the filter module, where it lives). Needs python3-dkim and python3-nacl (for ed25519), as .ci/run installs them.
 */
public final class Dkimpy {
    private static final String VERIFY = """
            import sys, dkim
            message = open(sys.argv[1], 'rb').read()
            records = {}
            for line in open(sys.argv[2], encoding='ascii'):
                name, text = line.rstrip('\\n').split('\\t', 1)
                records[name.lower().rstrip('.')] = text.encode('ascii')
            def dnsfunc(name, timeout=5):
                if isinstance(name, bytes):
                    name = name.decode('ascii')
                return records.get(name.lower().rstrip('.'))
            count = len([1 for k, v in dkim.DKIM(message).headers if k.lower() == b'dkim-signature'])
            for i in range(count):
                d = dkim.DKIM(message)
                try:
                    ok = d.verify(idx=i, dnsfunc=dnsfunc)
                    error = ''
                except Exception as e:
                    ok = False
                    error = ' ' + repr(e)
                algorithm = d.signature_fields.get(b'a', b'?').decode()
                print(algorithm + ' ' + ('pass' if ok else 'fail') + error)
            """;

    private Dkimpy() {
    }

    /** One line per DKIM-Signature of the message, top first: "rsa-sha256 pass" or "ed25519-sha256 fail ...". */
    public static List<String> verify(Path work, byte[] message, List<DkimKey> keys) throws IOException,
            InterruptedException {
        Path script = Files.writeString(work.resolve("verify.py"), VERIFY);
        Path file = Files.write(work.resolve("message.eml"), message);
        var records = new StringBuilder();
        for (DkimKey key : keys) {
            records.append(key.dnsName()).append('\t').append(key.txtValue()).append('\n');
        }
        Path dns = Files.writeString(work.resolve("records.txt"), records);
        return run(List.of(python(), script.toString(), file.toString(), dns.toString()), "");
    }

    /** Debian's interpreter, where python3-dkim is installed (a python3 earlier on the PATH may lack it). */
    private static String python() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    private static List<String> run(List<String> command, String stdin) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command.getFirst() + ": this test needs Python with dkimpy"
                    + " (Debian: apt-get install python3 python3-dkim python3-nacl)", e);
        }
        try (var in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.US_ASCII));
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish");
        }
        if (process.exitValue() != 0) {
            throw new AssertionError(command + " failed (exit " + process.exitValue() + "; is dkimpy installed?"
                    + " Debian: apt-get install python3-dkim python3-nacl): " + out);
        }
        return out.lines().toList();
    }
}
