package org.osprey.directory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.osprey.core.address.AddressException;
import org.osprey.core.address.DomainName;
import org.osprey.core.address.EmailAddress;
import org.osprey.core.config.Config;
import org.osprey.core.sasl.CredentialChecker;
import org.osprey.directory.password.PasswordScheme;
import org.osprey.directory.password.Passwords;

/**
 * The mail path's view of who exists: local domains, mailboxes, alias expansion and password checks. Answers are
 * cached for at most the configured TTL (default 4 s), so a change made with the CLI or straight in SQL is seen by a
 * running server within 5 seconds. Database failures surface as {@link DirectoryUnavailableException}.
 */
public final class Directory implements CredentialChecker {
    /** As Postfix's virtual_alias_recursion_limit and virtual_alias_expansion_limit, but tighter. */
    private static final int MAX_DEPTH = 20;
    private static final int MAX_EXPANSION = 1000;

    private final Database database;
    private final String recipientDelimiter;
    private final PasswordScheme scheme;
    private volatile String dummyHash;
    private final Cache<String, Boolean> domains;
    private final Cache<String, Optional<Mailbox>> mailboxes;
    private final Cache<String, List<String>> aliases;
    private final AuthCache authCache = new AuthCache(Duration.ofHours(1), 100_000);

    public Directory(Database database, Config.Directory config) {
        this.database = database;
        this.recipientDelimiter = config.recipientDelimiter();
        this.scheme = PasswordScheme.parse(config.passwordScheme());
        this.domains = newCache(config.cacheTtl());
        this.mailboxes = newCache(config.cacheTtl());
        this.aliases = newCache(config.cacheTtl());
    }

    private static <V> Cache<String, V> newCache(Duration ttl) {
        return Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(100_000).build();
    }

    /** Is this domain (U-label or A-label, any case) one of ours? */
    public boolean isLocalDomain(String domain) {
        String ascii;
        try {
            ascii = DomainName.toAscii(domain);
        } catch (AddressException e) {
            return false;
        }
        return domains.get(ascii, this::loadDomain);
    }

    /** The mailbox with exactly this address (no alias, no subaddress), if it exists. */
    public Optional<Mailbox> mailbox(EmailAddress address) {
        return mailboxes.get(address.key(), key -> loadMailbox(address));
    }

    /**
     * Expands a recipient as Postfix's virtual_alias_maps would: an exact alias first, then the mailbox itself,
     * then the address without its subaddress, then the domain's catch-all. Recursive and loop-safe; an alias that
     * names its own address delivers to that mailbox too.
     */
    public Resolution resolve(EmailAddress recipient) {
        Set<EmailAddress> local = new LinkedHashSet<>();
        Set<EmailAddress> external = new LinkedHashSet<>();
        Set<EmailAddress> undeliverable = new LinkedHashSet<>();
        expand(recipient, 0, new HashSet<>(), local, external, undeliverable);
        return new Resolution(Set.copyOf(local), Set.copyOf(external), Set.copyOf(undeliverable));
    }

    /**
     * The mailboxes that may send as this address (Postfix's reject_sender_login_mismatch with ISPmail's sender
     * login map): the mailbox of that address, or the mailboxes an alias of exactly that address delivers to, the
     * subaddress ignored. A catch-all owns nothing: it would let its owner send as anyone in the domain.
     */
    public Set<EmailAddress> senderOwners(EmailAddress address) {
        if (!isLocalDomain(address.domain())) {
            return Set.of();
        }
        for (EmailAddress candidate : withoutSubaddress(address)) {
            List<String> destinations = aliasDestinations(candidate.key());
            if (!destinations.isEmpty()) {
                Set<EmailAddress> local = new LinkedHashSet<>();
                follow(candidate, destinations, 0, new HashSet<>(Set.of(candidate.key())), local,
                        new LinkedHashSet<>(), new LinkedHashSet<>());
                return Set.copyOf(local);
            }
            Optional<Mailbox> mailbox = mailbox(candidate);
            if (mailbox.isPresent()) {
                return Set.of(mailbox.get().address());
            }
        }
        return Set.of();
    }

    private void expand(EmailAddress address, int depth, Set<String> seen, Set<EmailAddress> local,
                        Set<EmailAddress> external, Set<EmailAddress> undeliverable) {
        if (depth > MAX_DEPTH || local.size() + external.size() >= MAX_EXPANSION || !seen.add(address.key())) {
            return;
        }
        if (!isLocalDomain(address.domain())) {
            external.add(address);
            return;
        }
        for (EmailAddress candidate : withoutSubaddress(address)) {
            List<String> destinations = aliasDestinations(candidate.key());
            if (!destinations.isEmpty()) {
                follow(candidate, destinations, depth, seen, local, external, undeliverable);
                return;
            }
            Optional<Mailbox> mailbox = mailbox(candidate);
            if (mailbox.isPresent()) {
                local.add(mailbox.get().address());
                return;
            }
        }
        List<String> catchAll = aliasDestinations("@" + address.domain());
        if (!catchAll.isEmpty()) {
            follow(address, catchAll, depth, seen, local, external, undeliverable);
            return;
        }
        undeliverable.add(address);
    }

    private void follow(EmailAddress source, List<String> destinations, int depth, Set<String> seen,
                        Set<EmailAddress> local, Set<EmailAddress> external, Set<EmailAddress> undeliverable) {
        for (String destination : destinations) {
            EmailAddress target;
            try {
                // "@other.example" maps the same local part into another domain (domain aliasing).
                target = destination.startsWith("@")
                        ? source.withDomain(DomainName.toAscii(destination.substring(1)))
                        : EmailAddress.parse(destination);
            } catch (AddressException e) {
                continue;
            }
            if (target.key().equals(source.key())) {
                mailbox(target).ifPresentOrElse(m -> local.add(m.address()), () -> undeliverable.add(target));
            } else {
                expand(target, depth + 1, seen, local, external, undeliverable);
            }
        }
    }

    /** The address itself, then (when it has one) the address with "+tag" removed. */
    private List<EmailAddress> withoutSubaddress(EmailAddress address) {
        List<EmailAddress> candidates = new ArrayList<>(2);
        candidates.add(address);
        if (!recipientDelimiter.isEmpty()) {
            String localPart = address.localPart();
            for (int i = 0; i < localPart.length(); i++) {
                if (recipientDelimiter.indexOf(localPart.charAt(i)) >= 0) {
                    if (i > 0) {
                        candidates.add(address.withLocalPart(localPart.substring(0, i)));
                    }
                    break;
                }
            }
        }
        return candidates;
    }

    @Override
    public Optional<String> check(String username, String password) {
        EmailAddress address;
        try {
            address = EmailAddress.parse(username.strip());
        } catch (AddressException e) {
            verifyDummy(password);
            return Optional.empty();
        }
        Optional<Mailbox> mailbox = mailbox(address);
        if (mailbox.isEmpty()) {
            verifyDummy(password);
            return Optional.empty();
        }
        Mailbox m = mailbox.get();
        boolean ok = authCache.knows(m.passwordHash(), password);
        if (!ok) {
            ok = Passwords.verify(m.passwordHash(), password);
            if (ok) {
                authCache.remember(m.passwordHash(), password);
            }
        }
        return ok && m.enabled() ? Optional.of(m.address().toString()) : Optional.empty();
    }

    /**
     * Checking a password for an unknown user costs the same as for a known one: no user enumeration by timing.
     * The dummy hash is made on first use, not at start-up, because a memory-hard hash is slow in a cold JVM.
     */
    private void verifyDummy(String password) {
        String hash = dummyHash;
        if (hash == null) {
            hash = Passwords.hash("osprey-timing-equaliser", scheme);
            dummyHash = hash;
        }
        Passwords.verify(hash, password);
    }

    /** Forgets every cached answer; the CLI calls nothing here, the TTL does the work across processes. */
    public void invalidateAll() {
        domains.invalidateAll();
        mailboxes.invalidateAll();
        aliases.invalidateAll();
    }

    private List<String> aliasDestinations(String source) {
        return aliases.get(source, this::loadAliases);
    }

    private boolean loadDomain(String ascii) {
        String sql = "SELECT 1 FROM virtual_domains WHERE " + database.dialect().inIgnoreCase("name");
        return query(sql, List.of(ascii, DomainName.unicodeOrSame(ascii)), rs -> rs.next());
    }

    private Optional<Mailbox> loadMailbox(EmailAddress address) {
        String sql = "SELECT u.email, u.password, u.quota, o.enabled FROM virtual_users u"
                + " LEFT JOIN osprey_mailbox_options o ON o.email = u.email WHERE "
                + database.dialect().inIgnoreCase("u.email");
        return query(sql, forms(address.key()), rs -> {
            if (!rs.next()) {
                return Optional.empty();
            }
            boolean enabled = rs.getObject(4) == null || rs.getBoolean(4);
            EmailAddress stored;
            try {
                stored = EmailAddress.parse(rs.getString(1));
            } catch (AddressException e) {
                stored = address;
            }
            return Optional.of(new Mailbox(stored, rs.getString(2), rs.getLong(3), enabled));
        });
    }

    private List<String> loadAliases(String source) {
        String sql = "SELECT destination FROM virtual_aliases WHERE " + database.dialect().inIgnoreCase("source");
        return query(sql, forms(source), rs -> {
            List<String> result = new ArrayList<>();
            while (rs.next()) {
                // Postfix splits lookup results on commas and whitespace; ISPmail tables sometimes rely on it.
                for (String part : rs.getString(1).split("[,\\s]+")) {
                    if (!part.isBlank()) {
                        result.add(part.strip());
                    }
                }
            }
            return List.copyOf(result);
        });
    }

    /** A key "local@domain" (or "@domain") in both IDN forms, as rows may hold either. */
    private static List<String> forms(String key) {
        int at = key.lastIndexOf('@');
        return List.of(key, key.substring(0, at + 1) + DomainName.unicodeOrSame(key.substring(at + 1)));
    }

    private <T> T query(String sql, List<String> params, ResultReader<T> reader) {
        try (Connection c = database.connection(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                st.setString(i + 1, params.get(i));
            }
            try (ResultSet rs = st.executeQuery()) {
                return reader.read(rs);
            }
        } catch (SQLException e) {
            throw new DirectoryUnavailableException("directory lookup failed: " + Database.rootMessage(e), e);
        }
    }

    @FunctionalInterface
    interface ResultReader<T> {
        T read(ResultSet rs) throws SQLException;
    }
}
