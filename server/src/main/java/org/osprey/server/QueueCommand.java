package org.osprey.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osprey.core.config.Config;
import org.osprey.core.io.DirectorySync;
import org.osprey.delivery.DeliveryState;
import org.osprey.delivery.Envelope;
import org.osprey.delivery.QueueId;
import org.osprey.delivery.Spool;
import org.osprey.delivery.Target;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code osprey queue list|show|flush|remove|hold|release}: the spool as files, readable while the server runs (like
 * mailq and postsuper); flush and release reach the running server through its control socket (like postqueue -f).
 */
@Command(name = "queue", description = "Show and manage the mail queue (messages not yet delivered everywhere).",
        mixinStandardHelpOptions = true)
final class QueueCommand {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @Spec
    CommandSpec spec;

    @Command(name = "list", description = "One line per queued recipient, with its state.")
    int list(@Mixin ConfigOption config, @Option(names = "--json", description = "Print JSON.") boolean json)
            throws CliException {
        Spool spool = spool(config.load());
        var table = new TableOutput("ID", "ARRIVED", "SIZE", "SENDER", "RECIPIENT", "STATE");
        try {
            for (String id : spool.ids()) {
                Optional<Envelope> envelope = readEnvelope(spool, id);
                if (envelope.isEmpty()) {
                    continue;
                }
                Envelope e = envelope.get();
                DeliveryState state = spool.state(id).orElse(new DeliveryState(List.of(), Map.of()));
                for (Target target : e.targets()) {
                    table.row(id, TIME.format(Instant.ofEpochMilli(e.arrivalMillis())), e.size(),
                            e.sender().isEmpty() ? "<>" : e.sender(), target.address(),
                            (spool.isHeld(id) ? "held, " : "") + describe(target, state));
                }
            }
        } catch (IOException ex) {
            throw new CliException("cannot read the spool: " + ex.getMessage());
        }
        table.print(spec.commandLine().getOut(), json);
        return 0;
    }

    @Command(name = "show", description = "The envelope, the delivery state and the headers of one message.")
    int show(@Mixin ConfigOption config, @Parameters(paramLabel = "ID") String id) throws CliException {
        Spool spool = spool(config.load());
        PrintWriter out = spec.commandLine().getOut();
        try {
            Envelope e = readEnvelope(spool, requireId(id)).orElseThrow(() -> new CliException("no such message: "
                    + id));
            DeliveryState state = spool.state(id).orElse(new DeliveryState(List.of(), Map.of()));
            out.println("id:        " + e.id());
            out.println("arrived:   " + TIME.format(Instant.ofEpochMilli(e.arrivalMillis())));
            out.println("size:      " + e.size());
            out.println("sender:    <" + e.sender() + ">");
            out.println("client:    " + e.helo() + " [" + e.clientAddress() + "] " + e.protocol());
            if (spool.isHeld(id)) {
                out.println("state:     on hold (osprey queue release " + id + ")");
            }
            for (Target target : e.targets()) {
                out.println("recipient: " + target.address()
                        + (target.original().equals(target.address()) ? "" : " (for " + target.original() + ")")
                        + " - " + describe(target, state));
            }
            out.println();
            try (var reader = new BufferedReader(new InputStreamReader(spool.message(id, e),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null && !line.isEmpty()) {
                    out.println(line);
                }
            }
            out.flush();
            return 0;
        } catch (IOException ex) {
            throw new CliException("cannot read message " + id + ": " + ex.getMessage());
        }
    }

    @Command(name = "remove", description = "Delete a queued message without delivering it further.")
    int remove(@Mixin ConfigOption config, @Parameters(paramLabel = "ID") String id) throws CliException {
        Spool spool = spool(config.load());
        try {
            if (!spool.remove(requireId(id))) {
                throw new CliException("no such message: " + id);
            }
        } catch (IOException e) {
            throw new CliException("cannot remove " + id + ": " + e.getMessage());
        }
        spec.commandLine().getOut().println("removed " + id);
        return 0;
    }

    @Command(name = "flush", description = "Try queued messages now (all, or the one given) instead of at their"
            + " next retry. Needs the running server; without one, the queue is worked when it starts.")
    int flush(@Mixin ConfigOption config, @Parameters(paramLabel = "ID", arity = "0..1") String id)
            throws CliException {
        Config c = config.load();
        if (id != null) {
            requireId(id);
            if (!spool(c).contains(id)) {
                throw new CliException("no such message: " + id);
            }
        }
        String reply = control(c, id == null ? "flush" : "flush " + id);
        spec.commandLine().getOut().println(reply == null
                ? "the server is not running; the queue is worked when it starts"
                : id == null ? "flushing the queue" : "flushing " + id);
        return 0;
    }

    @Command(name = "hold", description = "Keep a message in the queue without trying it (until release).")
    int hold(@Mixin ConfigOption config, @Parameters(paramLabel = "ID") String id) throws CliException {
        Spool spool = spool(config.load());
        try {
            if (!spool.hold(requireId(id))) {
                throw new CliException("no such message: " + id);
            }
        } catch (IOException e) {
            throw new CliException("cannot hold " + id + ": " + e.getMessage());
        }
        spec.commandLine().getOut().println("held " + id);
        return 0;
    }

    @Command(name = "release", description = "End the hold of a message; it is tried at once.")
    int release(@Mixin ConfigOption config, @Parameters(paramLabel = "ID") String id) throws CliException {
        Config c = config.load();
        Spool spool = spool(c);
        try {
            if (!spool.release(requireId(id))) {
                throw new CliException(spool.contains(id) ? id + " is not on hold" : "no such message: " + id);
            }
        } catch (IOException e) {
            throw new CliException("cannot release " + id + ": " + e.getMessage());
        }
        control(c, "flush " + id);
        spec.commandLine().getOut().println("released " + id);
        return 0;
    }

    /** One command to the running server; null when none runs. */
    private static String control(Config config, String command) throws CliException {
        try {
            String reply = ControlSocket.send(config.dataDir(), command).orElse(null);
            if (reply != null && reply.startsWith("error")) {
                throw new CliException("the server says: " + reply.substring(5).strip());
            }
            return reply;
        } catch (IOException e) {
            throw new CliException("cannot reach the server: " + e.getMessage());
        }
    }

    private static String describe(Target target, DeliveryState state) {
        if (state.done().contains(target.key())) {
            return "done";
        }
        DeliveryState.Attempt attempt = state.pending().get(target.key());
        if (attempt == null) {
            return "active";
        }
        return "deferred, " + attempt.attempts() + " attempt(s), next " + TIME.format(Instant.ofEpochMilli(
                attempt.nextMillis())) + ": " + attempt.error();
    }

    private static String requireId(String id) throws CliException {
        if (!QueueId.isValid(id)) {
            throw new CliException("not a queue id: " + id.replaceAll("[^ -~]", "?"));
        }
        return id;
    }

    private static Optional<Envelope> readEnvelope(Spool spool, String id) throws IOException {
        return spool.envelope(id);
    }

    private static Spool spool(Config config) throws CliException {
        try {
            return new Spool(config.dataDir().resolve("spool"), new DirectorySync());
        } catch (IOException e) {
            throw new CliException("cannot open the spool: " + e.getMessage());
        }
    }
}
