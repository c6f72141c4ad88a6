package org.osprey.bench;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import org.osprey.sieve.CompiledScript;
import org.osprey.sieve.MessageContext;
import org.osprey.sieve.MessageSource;
import org.osprey.sieve.SieveCompiler;
import org.osprey.sieve.SieveInterpreter;
import org.osprey.sieve.SieveResult;

/**
 * Sieve evaluation time, in process: a script of {@code RULES} rules of the kinds people write (header, address,
 * envelope, size, regex, a few body tests) against a message of about {@code SIZE} bytes, compiled once and then
 * evaluated again and again, as a delivery does once the user's script is cached. Prints the compile time and the
 * median, 90th and 99th percentile of one evaluation. Compiled against the sieve module; run it with Osprey's
 * jar on the class path (this jar holds no Osprey code):
 *
 * <pre>java -cp server/target/osprey.jar:bench/target/osprey-bench.jar org.osprey.bench.SieveEval [RULES] [SIZE] [RUNS]</pre>
 */
public final class SieveEval {
    private SieveEval() {
    }

    public static void main(String[] args) throws Exception {
        int rules = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 100 * 1024;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5000;
        String script = script(rules);
        byte[] message = message(size);

        long c0 = System.nanoTime();
        CompiledScript compiled = new SieveCompiler().compile("bench", script);
        long compileNanos = System.nanoTime() - c0;

        SieveInterpreter interpreter = new SieveInterpreter();
        MessageContext context = MessageContext.builder(MessageSource.of(message), message.length)
                .envelopeFrom("alice@origin.example").envelopeTo("john@example.org")
                .recipient("john@example.org").clock(Clock.systemUTC()).build();
        SieveResult first = interpreter.evaluate(compiled, context);
        if (first.failed()) {
            throw new IllegalStateException("the benchmark script failed: " + first.errors());
        }
        for (int i = 0; i < runs; i++) {
            interpreter.evaluate(compiled, context); // warm-up: let the JIT compile the interpreter
        }
        long[] nanos = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            interpreter.evaluate(compiled, context);
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        System.out.printf("rules=%d message_bytes=%d runs=%d compile_ms=%.2f eval_median_ms=%.3f eval_p90_ms=%.3f"
                        + " eval_p99_ms=%.3f actions=%s%n", rules, message.length, runs, compileNanos / 1e6,
                nanos[runs / 2] / 1e6, nanos[runs * 9 / 10] / 1e6, nanos[runs * 99 / 100] / 1e6, first.actions());
    }

    /** Rules that do not match the message (so all of them are evaluated), then one that files it. */
    static String script(int rules) {
        StringBuilder s = new StringBuilder("require [\"fileinto\", \"imap4flags\", \"envelope\", \"body\", "
                + "\"variables\", \"regex\", \"relational\", \"comparator-i;ascii-numeric\"];\n");
        for (int i = 0; i < rules - 1; i++) {
            s.append(switch (i % 10) {
                case 0 -> "if header :contains \"List-Id\" \"list" + i + ".example.net\" { fileinto \"Lists\"; stop; }";
                case 1 -> "if address :domain :is \"from\" \"vendor" + i + ".example\" { addflag \"\\\\Flagged\"; }";
                case 2 -> "if header :matches \"Subject\" \"*[ticket-" + i + "]*\" { fileinto \"Tickets\"; }";
                case 3 -> "if envelope :is \"from\" \"boss" + i + "@corp.example\" { addflag \"$Boss\"; }";
                case 4 -> "if size :over " + (20 + i) + "M { fileinto \"Large\"; stop; }";
                case 5 -> "if header :regex \"Subject\" \"^\\\\[(alert|alarm)-" + i + "\\\\]\" { fileinto \"Alerts\"; }";
                case 6 -> "if anyof (header :is \"X-Mailer\" \"Bulk" + i + "\", exists \"X-Campaign-" + i
                        + "\") { fileinto \"Bulk\"; }";
                case 7 -> "if address :localpart :is [\"to\", \"cc\"] \"team" + i + "\" { fileinto \"Team\"; }";
                case 8 -> "if header :value \"gt\" :comparator \"i;ascii-numeric\" \"X-Priority\" \"" + (10 + i)
                        + "\" { fileinto \"Low\"; }";
                default -> i % 40 == 9 ? "if body :text :contains \"unsubscribe-" + i + "-now\" { fileinto \"Junk\"; }"
                        : "if not header :contains \"From\" \"alice\" { set \"v" + i + "\" \"x\"; }";
            }).append('\n');
        }
        s.append("if header :contains \"Subject\" \"quarterly\" { fileinto \"Reports\"; }\n");
        return s.toString();
    }

    static byte[] message(int size) {
        StringBuilder m = new StringBuilder("Received: from mx.origin.example by mx.example.org; Fri, 4 Dec 2026"
                + " 12:00:00 +0000\r\nFrom: Alice <alice@origin.example>\r\nTo: John <john@example.org>\r\n"
                + "Subject: the quarterly report\r\nDate: Fri, 4 Dec 2026 12:00:00 +0000\r\n"
                + "Message-ID: <bench@origin.example>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n\r\n");
        String line = "The figures of this quarter are in, and they look much like the last ones did.\r\n";
        while (m.length() < size) {
            m.append(line);
        }
        return m.toString().getBytes(StandardCharsets.UTF_8);
    }
}
