package org.osprey.delivery.dkim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's python3-dkim (dkimpy), an independent DKIM implementation, driven from the tests: it verifies our
 * signatures with the key records handed to it instead of DNS, and canonicalizes test inputs so ours can be compared
 * byte for byte. Needs python3-dkim and python3-nacl (for ed25519), as .ci/run installs them.
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

    private static final String CANONICALIZE = """
            import sys, base64
            from dkim.canonicalization import Relaxed
            for line in sys.stdin:
                kind, _, data = line.rstrip('\\n').partition(' ')
                data = base64.b64decode(data)
                if kind == 'body':
                    out = Relaxed.canonicalize_body(data)
                else:
                    name, value = data.split(b':', 1)
                    (n, v), = Relaxed.canonicalize_headers([(name, value)])
                    out = n + b':' + v[:-2]
                print(base64.b64encode(out).decode())
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

    /** dkimpy's relaxed canonicalization of each input: "body" inputs as bodies, "header" ones as one field. */
    static List<byte[]> canonicalize(Path work, String kind, List<byte[]> inputs) throws IOException,
            InterruptedException {
        Path script = Files.writeString(work.resolve("canonicalize.py"), CANONICALIZE);
        var stdin = new StringBuilder();
        for (byte[] input : inputs) {
            stdin.append(kind).append(' ').append(Base64.getEncoder().encodeToString(input)).append('\n');
        }
        var out = new ArrayList<byte[]>();
        for (String line : run(List.of(python(), script.toString()), stdin.toString())) {
            out.add(Base64.getDecoder().decode(line));
        }
        return out;
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
