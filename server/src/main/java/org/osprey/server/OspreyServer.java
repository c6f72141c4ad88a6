package org.osprey.server;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.osprey.core.config.Config;
import org.osprey.core.config.HostPort;
import org.osprey.core.config.Service;
import org.osprey.core.net.ConnectionGate;
import org.osprey.core.net.Listener;
import org.osprey.core.net.Protocol;
import org.osprey.core.net.Server;
import org.osprey.core.sasl.Authenticator;
import org.osprey.core.sasl.LoginThrottle;
import org.osprey.core.tls.TlsContext;
import org.osprey.core.tls.TlsException;
import org.osprey.core.io.DirectorySync;
import org.osprey.delivery.Bounces;
import org.osprey.delivery.DuplicateLog;
import org.osprey.delivery.SieveFilter;
import org.osprey.sieve.managesieve.ManageSieveProtocol;
import org.osprey.sieve.store.ScriptStore;
import org.osprey.delivery.Outbox;
import org.osprey.delivery.Srs;
import org.osprey.delivery.DeliveryAgent;
import org.osprey.delivery.dkim.DkimKeys;
import org.osprey.delivery.remote.RemoteDelivery;
import org.osprey.delivery.LocalDelivery;
import org.osprey.delivery.RecipientPolicy;
import org.osprey.delivery.Spool;
import org.osprey.directory.Database;
import org.osprey.directory.Directory;
import org.osprey.directory.DirectoryException;
import org.osprey.filter.CheckPipeline;
import org.osprey.filter.InboundChecks;
import org.osprey.filter.VirusScan;
import org.osprey.filter.auth.SenderAuthentication;
import org.osprey.filter.clamav.ClamavCheck;
import org.osprey.filter.clamav.ClamdClient;
import org.osprey.filter.dns.Resolvers;
import org.osprey.filter.dnsbl.Dnsbl;
import org.osprey.filter.external.ClientName;
import org.osprey.filter.external.RspamdCheck;
import org.osprey.filter.external.RspamdClient;
import org.osprey.filter.external.SpamdCheck;
import org.osprey.filter.external.SpamdClient;
import org.osprey.filter.greylist.Cidr;
import org.osprey.filter.greylist.Greylist;
import org.osprey.filter.spam.SpamCheck;
import org.osprey.filter.spam.bayes.Bayes;
import org.osprey.filter.spam.rules.ClientChecks;
import org.osprey.filter.spam.rules.UriblCheck;
import org.osprey.imap.ImapProtocol;
import org.osprey.store.MailboxSignals;
import org.osprey.pop3.Pop3Protocol;
import org.osprey.smtp.SmtpProtocol;
import org.osprey.smtp.Submission;
import org.osprey.store.Folders;
import org.osprey.store.index.FolderIndexes;
import org.osprey.store.search.FullTextIndexes;
import org.osprey.store.MailStore;
import org.osprey.store.MailboxLayout;
import org.osprey.store.StoreEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running program: opens the directory, loads TLS, and starts a listener for every configured address of every
 * service whose module is built. {@link #stop()} is the graceful stop (also run on SIGTERM by {@link Main}).
 */
public final class OspreyServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OspreyServer.class);

    private final Config config;
    private final Database database;
    private final Directory directory;
    private final Authenticator authenticator;
    private final TlsContext tls;
    private final Server server;
    private final MailStore store;
    private final Spool spool;
    private final DeliveryAgent delivery;
    private final FolderIndexes folderIndexes;
    private final FullTextIndexes fullText;
    private final MailboxSignals signals = new MailboxSignals();
    private final FullTextUpdater fullTextUpdater;
    private ControlSocket control;
    /** Who may receive mail here (with SRS, so bounces to forwarded mail find their way back). */
    private RecipientPolicy recipients;
    private ScriptStore scripts;
    private SieveFilter sieveFilter;
    /** The Bayes databases, shared by the spam check and the learning from Junk moves; empty when off. */
    private Optional<Bayes> bayes = Optional.empty();
    private JunkLearning junkLearning;
    private MetricsFile metrics;

    private OspreyServer(Config config, Database database, Directory directory, Authenticator authenticator,
                         TlsContext tls, Server server, MailStore store, Spool spool, DeliveryAgent delivery,
                         FolderIndexes folderIndexes, FullTextIndexes fullText) {
        this.config = config;
        this.database = database;
        this.directory = directory;
        this.authenticator = authenticator;
        this.tls = tls;
        this.server = server;
        this.store = store;
        this.spool = spool;
        this.delivery = delivery;
        this.folderIndexes = folderIndexes;
        this.fullText = fullText;
        this.fullTextUpdater = new FullTextUpdater(store, folderIndexes, fullText);
        // a delivery wakes the IMAP sessions idling on that folder, then gets indexed for SEARCH BODY
        store.events().subscribe(delivered -> signals.changed(
                Folders.path(store.layout().maildir(delivered.mailbox()), delivered.folder())));
        store.events().subscribe(fullTextUpdater::delivered);
    }

    /** Starts everything or nothing: on any failure what was started is stopped again and the error thrown. */
    public static OspreyServer start(Config config) throws StartupException {
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new StartupException("cannot create data_dir " + config.dataDir() + ": " + e.getMessage());
        }
        TlsContext tls = loadTls(config);
        Database database;
        try {
            database = Database.open(config.database());
        } catch (DirectoryException e) {
            throw new StartupException(e.getMessage());
        }
        Directory directory = new Directory(database, config.directory());
        Config.Auth auth = config.auth();
        var throttle = new LoginThrottle(auth.firstDelay(), auth.maxDelay(), auth.blockAfterPerIp(),
                auth.blockAfterPerAccount(), auth.blockFor(), auth.forgetAfter(), Clock.systemUTC());
        var authenticator = new Authenticator(directory, throttle);
        var server = new Server(new ConnectionGate(config.limits().maxConnections(),
                config.limits().maxConnectionsPerIp()));
        var directorySync = new DirectorySync();
        var store = new MailStore(new MailboxLayout(config.store().root()), config.hostname(), new StoreEvents(),
                directorySync);
        Spool spool;
        DeliveryAgent delivery;
        RecipientPolicy recipients;
        RemoteDelivery remote;
        ScriptStore scripts = SieveSetup.scripts(config, store.layout());
        SieveFilter filter;
        try {
            remote = RemoteDeliverySetup.create(config);
        } catch (StartupException e) {
            database.close();
            throw e;
        }
        try {
            spool = new Spool(config.dataDir().resolve("spool"), directorySync);
            Config.Delivery d = config.delivery();
            var srs = new Srs(SecretFile.load(config.dataDir().resolve("srs.key"), 32), Clock.systemUTC());
            recipients = new RecipientPolicy(directory, store, srs);
            var outbox = new Outbox(spool, recipients, config.hostname(), Clock.systemUTC());
            var bounces = new Bounces(outbox, Clock.systemUTC(), d.maxLifetime());
            // one record of what Sieve has seen, shared by the duplicate test and the actions that write it
            var duplicates = new DuplicateLog(Clock.systemUTC());
            filter = SieveSetup.filter(config, scripts, duplicates, Clock.systemUTC());
            var sieve = new LocalDelivery.Sieve(filter, outbox, srs, duplicates, Clock.systemUTC());
            delivery = new DeliveryAgent(spool, new LocalDelivery(directory, store, sieve), remote, bounces, srs,
                    Clock.systemUTC(), new DeliveryAgent.Schedule(d.firstRetry(), d.maxRetry(), d.maxLifetime(),
                    d.delayWarning()), d.concurrency());
            delivery.start();
        } catch (StartupException e) {
            remote.close();
            database.close();
            throw e;
        } catch (IOException e) {
            database.close();
            throw new StartupException("cannot open the spool under " + config.dataDir().resolve("spool") + ": "
                    + e.getMessage());
        }
        var folderIndexes = new FolderIndexes(directorySync, config.hostname(), 256, store.events());
        var fullText = new FullTextIndexes(64);
        var osprey = new OspreyServer(config, database, directory, authenticator, tls, server, store, spool,
                delivery, folderIndexes, fullText);
        osprey.recipients = recipients;
        osprey.scripts = scripts;
        osprey.sieveFilter = filter;
        Config.Spam spam = config.filter().spam();
        if (spam.enabled() && spam.bayes()) {
            try {
                osprey.bayes = SpamSetup.bayes(config);
            } catch (IOException e) {
                delivery.close();
                database.close();
                throw new StartupException("cannot open the Bayes database under "
                        + SpamSetup.bayesDirectory(config) + ": " + e.getMessage());
            }
            if (spam.learnFromJunk()) {
                osprey.junkLearning = new JunkLearning(osprey.bayes.get(), store.layout(), folderIndexes);
                store.events().subscribeCopies(osprey.junkLearning::copied);
            }
        }
        try {
            Files.createDirectories(config.dataDir().resolve("tmp"));
            osprey.control = ControlSocket.open(config.dataDir(), delivery);
            osprey.metrics = new MetricsFile(config.dataDir());
            osprey.startListeners();
        } catch (IOException e) {
            if (osprey.control != null) {
                osprey.control.close();
            }
            delivery.close();
            database.close();
            throw new StartupException(e.getMessage());
        }
        log.info("osprey started as {}; data in {}", config.hostname(), config.dataDir());
        return osprey;
    }

    /**
     * The protocols built so far, by service. A service without an entry is not started, whatever [listen] says;
     * each protocol issue adds its line here.
     */
    private Map<Service, Function<Service, Protocol>> protocols() throws IOException {
        var imap = new ImapProtocol(config.hostname(), config.imap(), config.auth().plaintextWithoutTls(),
                authenticator, directory, store.layout(), folderIndexes, fullText, signals,
                config.dataDir().resolve("tmp"));
        var pop3 = new Pop3Protocol(config.hostname(), config.pop3(), config.auth().plaintextWithoutTls(),
                authenticator, directory, store.layout(), folderIndexes, signals);
        InboundChecks checks = contentChecks(false);
        var submission = new SmtpProtocol(config.hostname(), config.smtp(), recipients, spool, delivery,
                contentChecks(true), new Submission(authenticator, directory, config.submission(),
                        config.auth().plaintextWithoutTls(),
                        new DkimMessageSigner(new DkimKeys(config.dataDir()), Clock.systemUTC())));
        return Map.of(
                Service.SMTP, service -> new SmtpProtocol(config.hostname(), config.smtp(), recipients, spool,
                        delivery, checks),
                Service.SUBMISSION, service -> submission,
                Service.SUBMISSIONS, service -> submission,
                Service.IMAP, service -> imap,
                Service.IMAPS, service -> imap,
                Service.POP3, service -> pop3,
                Service.POP3S, service -> pop3,
                Service.MANAGESIEVE, service -> new ManageSieveProtocol(SieveFilter.extensions(),
                        config.sieve().maxRedirects(), config.auth().plaintextWithoutTls(), Duration.ofMinutes(10),
                        10, authenticator, scripts, sieveFilter::check));
    }

    /**
     * The checks that run in the SMTP dialogue, from [filter]: DNS block lists and greylisting for the MX port only
     * (a user on the submission port connects from wherever he is, and logs in), virus scanning for both, sender
     * authentication for the MX port (on both, forged Authentication-Results under our name are removed), and the
     * spam score with its network checks and the optional external scanners (spamd, rspamd) for the MX port.
     */
    private InboundChecks contentChecks(boolean submission) throws IOException {
        Config.Filter f = config.filter();
        List<InboundChecks> checks = new java.util.ArrayList<>();
        if (!submission && !f.dnsblZones().isEmpty()) {
            try {
                var settings = Dnsbl.Settings.defaults().withZones(f.dnsblZones().toArray(String[]::new));
                if (!f.dnsblResolver().isEmpty()) {
                    settings = settings.withResolver(f.dnsblResolver());
                }
                checks.add(new Dnsbl(settings));
            } catch (IllegalArgumentException e) {
                throw new IOException("config: [filter.dnsbl]: " + e.getMessage());
            }
        }
        if (!submission && f.greylist().enabled()) {
            Config.Greylist g = f.greylist();
            try {
                checks.add(new Greylist(database.dataSource(), new Greylist.Settings(g.delay(), g.window(),
                        Cidr.parseAll(g.whitelist()), Greylist.Settings.defaults().autoWhitelist())));
            } catch (IllegalArgumentException e) {
                throw new IOException("config: [filter.greylist]: " + e.getMessage());
            }
        }
        if (f.spfEnabled() || f.dkimEnabled() || f.dmarcEnabled()) {
            try {
                // SPF, DKIM, DMARC and Authentication-Results; the greylist whitelist's networks are trusted.
                // On 587/465 everyone is logged in: nothing is checked, but forged results under our name go.
                checks.add(SenderAuthentication.configured(config.hostname(), f.resolver(), f.spfResolver(),
                        f.spfEnabled(), f.dkimEnabled(), f.dmarcEnabled(), Cidr.parseAll(f.greylist().whitelist())));
            } catch (IllegalArgumentException e) {
                throw new IOException("config: [filter] resolver or [filter.spf] resolver: " + e.getMessage());
            }
        }
        // Optional external scanners: their scores join Osprey's spam score as findings (port 25 only).
        if (!submission && !f.spamdAddress().isEmpty()) {
            try {
                checks.add(new SpamdCheck(new SpamdClient(f.spamdAddress(), Duration.ofSeconds(5),
                        Duration.ofSeconds(30))));
            } catch (IllegalArgumentException e) {
                throw new IOException("config: [filter.spamd] address: " + e.getMessage());
            }
        }
        if (!submission && !f.rspamdUrl().isEmpty()) {
            RspamdClient client;
            try {
                client = new RspamdClient(f.rspamdUrl(), Duration.ofSeconds(5), Duration.ofSeconds(30));
            } catch (IllegalArgumentException e) {
                throw new IOException("config: [filter.rspamd] url: " + e.getMessage());
            }
            try {
                var clientName = new ClientName(Resolvers.of(Optional.of(f.resolver()), Duration.ofSeconds(2)),
                        Duration.ofSeconds(5));
                checks.add(new RspamdCheck(client, config.hostname(), clientName));
            } catch (IllegalArgumentException e) {
                throw new IOException("config: [filter] resolver: " + e.getMessage());
            }
        }
        if (!f.clamavAddress().isEmpty()) {
            ClamdClient client;
            try {
                client = new ClamdClient(f.clamavAddress(), Duration.ofSeconds(5), Duration.ofSeconds(60));
            } catch (IllegalArgumentException e) {
                throw new IOException("config: [filter.clamav] address: " + e.getMessage());
            }
            checks.add(new VirusScan(new ClamavCheck(client, f.clamavOnFailure().equals("accept")
                    ? ClamavCheck.OnFailure.ACCEPT : ClamavCheck.OnFailure.TEMPFAIL)));
        }
        if (!submission && f.spam().enabled()) {
            try {
                // reverse DNS and HELO sanity for the score, beside the other network checks
                checks.add(new ClientChecks(Resolvers.of(Optional.of(f.resolver()), Duration.ofSeconds(2)),
                        ClientChecks.DEFAULT_BUDGET, Cidr.parseAll(f.greylist().whitelist()), config.hostname()));
            } catch (IllegalArgumentException e) {
                throw new IOException("config: [filter] resolver: " + e.getMessage());
            }
            if (!f.dnsblUriZones().isEmpty()) {
                // the domains of the message's links in URI block lists, for the score
                String resolver = f.dnsblResolver().isEmpty() ? f.resolver() : f.dnsblResolver();
                try {
                    checks.add(new UriblCheck(f.dnsblUriZones(), Resolvers.of(Optional.of(resolver),
                            Duration.ofSeconds(2)), UriblCheck.DEFAULT_BUDGET, Cidr.parseAll(f.greylist().whitelist())));
                } catch (IllegalArgumentException e) {
                    throw new IOException("config: [filter.dnsbl] uri_zones or resolver: " + e.getMessage());
                }
            }
            checks.add(new SpamCheck(SpamSetup.filter(config, bayes)));
        }
        return CheckPipeline.of(checks, config.filter().timeBudget());
    }

    private void startListeners() throws IOException {
        Map<Service, Function<Service, Protocol>> available = protocols();
        List<String> notBuilt = new ArrayList<>();
        for (Service service : Service.values()) {
            List<HostPort> addresses = config.listen(service);
            if (addresses.isEmpty()) {
                continue;
            }
            Function<Service, Protocol> factory = available.get(service);
            if (factory == null) {
                notBuilt.add(service.key());
                continue;
            }
            Protocol protocol = factory.apply(service);
            for (HostPort address : addresses) {
                server.start(new Listener(service.key(), address.toSocketAddress(), protocol, service.implicitTls(),
                        tls, server.gate()));
            }
        }
        if (!notBuilt.isEmpty()) {
            log.info("not in this build yet, not started: {}", String.join(", ", notBuilt));
        }
    }

    private static TlsContext loadTls(Config config) throws StartupException {
        Config.Tls t = config.tls();
        try {
            if (t.cert().isPresent()) {
                return TlsContext.fromPem(t.cert().get(), t.key().orElseThrow());
            }
            return TlsContext.selfSigned(t.selfSignedDir(), config.hostname());
        } catch (TlsException e) {
            throw new StartupException("[tls] " + e.getMessage());
        }
    }

    public Config config() {
        return config;
    }

    public Directory directory() {
        return directory;
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    public TlsContext tls() {
        return tls;
    }

    public MailStore store() {
        return store;
    }

    public Spool spool() {
        return spool;
    }

    /** The listeners that are up, for tests and the status line. */
    public List<Listener> listeners() {
        return server.listeners();
    }

    public Optional<Listener> listener(Service service) {
        return server.listeners().stream().filter(l -> l.name().equals(service.key())).findFirst();
    }

    public void stop() {
        log.info("stopping: no new connections, waiting up to {} s for sessions to finish",
                config.limits().shutdownGrace().toSeconds());
        server.stop(config.limits().shutdownGrace());
        if (control != null) {
            control.close();
        }
        delivery.close();
        if (junkLearning != null) {
            junkLearning.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        fullTextUpdater.close();
        folderIndexes.close();
        fullText.close();
        database.close();
        log.info("osprey stopped");
    }

    @Override
    public void close() {
        stop();
    }

    /** A start-up failure, with one line for the admin. */
    public static final class StartupException extends Exception {
        public StartupException(String message) {
            super(message);
        }
    }
}
