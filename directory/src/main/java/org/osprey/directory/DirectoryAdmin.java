package org.osprey.directory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.osprey.core.address.AddressException;
import org.osprey.core.address.DomainName;
import org.osprey.core.address.EmailAddress;
import org.osprey.directory.password.PasswordScheme;
import org.osprey.directory.password.Passwords;

/**
 * Changes to the directory, as the admin CLI (and later the admin UI) makes them. Every method validates first and
 * writes in one transaction, so a refused change writes nothing. Names are stored normalised: domains as lower-case
 * A-labels, addresses as lower-case local part @ A-label.
 */
public final class DirectoryAdmin {
    private final Database database;
    private final PasswordScheme scheme;

    public DirectoryAdmin(Database database, PasswordScheme scheme) {
        this.database = database;
        this.scheme = scheme;
    }

    public record DomainRow(String name, int mailboxes, int aliases) {
    }

    public void addDomain(String name) throws DirectoryException {
        String domain = domain(name);
        inTransaction(c -> {
            if (domainId(c, domain).isPresent()) {
                throw new DirectoryException("domain " + domain + " already exists");
            }
            update(c, "INSERT INTO virtual_domains (name) VALUES (?)", domain);
            return null;
        });
    }

    /** Removes a domain; with users or aliases left it refuses unless force, which removes them too. */
    public DomainRow removeDomain(String name, boolean force) throws DirectoryException {
        String domain = domain(name);
        return inTransaction(c -> {
            long id = domainId(c, domain).orElseThrow(() -> new DirectoryException("no such domain: " + domain));
            int users = count(c, "SELECT COUNT(*) FROM virtual_users WHERE domain_id = ?", id);
            int aliases = count(c, "SELECT COUNT(*) FROM virtual_aliases WHERE domain_id = ?", id);
            if ((users > 0 || aliases > 0) && !force) {
                throw new DirectoryException("domain " + domain + " still has " + users + " mailbox(es) and "
                        + aliases + " alias(es); remove them first or use --force");
            }
            update(c, "DELETE FROM osprey_mailbox_options WHERE email IN"
                    + " (SELECT email FROM virtual_users WHERE domain_id = ?)", id);
            update(c, "DELETE FROM virtual_aliases WHERE domain_id = ?", id);
            update(c, "DELETE FROM virtual_users WHERE domain_id = ?", id);
            update(c, "DELETE FROM virtual_domains WHERE id = ?", id);
            return new DomainRow(domain, users, aliases);
        });
    }

    public List<DomainRow> listDomains() throws DirectoryException {
        return inTransaction(c -> {
            List<DomainRow> rows = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("SELECT d.name,"
                    + " (SELECT COUNT(*) FROM virtual_users u WHERE u.domain_id = d.id),"
                    + " (SELECT COUNT(*) FROM virtual_aliases a WHERE a.domain_id = d.id)"
                    + " FROM virtual_domains d ORDER BY d.name");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    rows.add(new DomainRow(rs.getString(1), rs.getInt(2), rs.getInt(3)));
                }
            }
            return rows;
        });
    }

    public void addUser(String addressText, String password, long quotaBytes) throws DirectoryException {
        EmailAddress address = address(addressText);
        requirePassword(password);
        if (quotaBytes < 0) {
            throw new DirectoryException("quota must not be negative");
        }
        String hash = Passwords.hash(password, scheme);
        inTransaction(c -> {
            long domainId = domainId(c, address.domain()).orElseThrow(() ->
                    new DirectoryException("domain " + address.domain() + " is not ours; add it first with"
                            + " 'osprey domain add " + address.domain() + "'"));
            if (userEmail(c, address).isPresent()) {
                throw new DirectoryException("mailbox " + address.key() + " already exists");
            }
            update(c, "INSERT INTO virtual_users (domain_id, email, password, quota) VALUES (?, ?, ?, ?)",
                    domainId, address.key(), hash, quotaBytes);
            return null;
        });
    }

    public void setPassword(String addressText, String password) throws DirectoryException {
        EmailAddress address = address(addressText);
        requirePassword(password);
        String hash = Passwords.hash(password, scheme);
        inTransaction(c -> {
            String email = existingUser(c, address);
            update(c, "UPDATE virtual_users SET password = ? WHERE email = ?", hash, email);
            return null;
        });
    }

    public void setQuota(String addressText, long quotaBytes) throws DirectoryException {
        EmailAddress address = address(addressText);
        if (quotaBytes < 0) {
            throw new DirectoryException("quota must not be negative");
        }
        inTransaction(c -> {
            String email = existingUser(c, address);
            update(c, "UPDATE virtual_users SET quota = ? WHERE email = ?", quotaBytes, email);
            return null;
        });
    }

    /** A disabled mailbox keeps receiving mail but cannot log in. */
    public void setEnabled(String addressText, boolean enabled) throws DirectoryException {
        EmailAddress address = address(addressText);
        inTransaction(c -> {
            String email = existingUser(c, address);
            update(c, "DELETE FROM osprey_mailbox_options WHERE email = ?", email);
            update(c, "INSERT INTO osprey_mailbox_options (email, enabled) VALUES (?, ?)", email, enabled);
            return null;
        });
    }

    /** Removes the mailbox row (never its mail on disk); returns what was removed. */
    public Mailbox removeUser(String addressText) throws DirectoryException {
        EmailAddress address = address(addressText);
        return inTransaction(c -> {
            String email = existingUser(c, address);
            Mailbox removed = listUsers(c, "WHERE u.email = ?", email).getFirst();
            update(c, "DELETE FROM osprey_mailbox_options WHERE email = ?", email);
            update(c, "DELETE FROM virtual_users WHERE email = ?", email);
            return removed;
        });
    }

    public List<Mailbox> listUsers(Optional<String> domainName) throws DirectoryException {
        if (domainName.isPresent()) {
            String domain = domain(domainName.get());
            return inTransaction(c -> {
                long id = domainId(c, domain).orElseThrow(() -> new DirectoryException("no such domain: " + domain));
                return listUsers(c, "WHERE u.domain_id = ?", id);
            });
        }
        return inTransaction(c -> listUsers(c, "", null));
    }

    public void addAlias(String sourceText, List<String> destinationTexts) throws DirectoryException {
        if (destinationTexts.isEmpty()) {
            throw new DirectoryException("an alias needs at least one destination");
        }
        String source = aliasSource(sourceText);
        Set<String> destinations = new LinkedHashSet<>();
        for (String text : destinationTexts) {
            destinations.add(aliasDestination(text));
        }
        String sourceDomain = source.substring(source.lastIndexOf('@') + 1);
        inTransaction(c -> {
            long domainId = domainId(c, sourceDomain).orElseThrow(() ->
                    new DirectoryException("domain " + sourceDomain + " is not ours; add it first"));
            for (String destination : destinations) {
                if (count(c, "SELECT COUNT(*) FROM virtual_aliases WHERE lower(source) = ? AND lower(destination) = ?",
                        source, destination) > 0) {
                    throw new DirectoryException("alias " + source + " -> " + destination + " already exists");
                }
            }
            for (String destination : destinations) {
                update(c, "INSERT INTO virtual_aliases (domain_id, source, destination) VALUES (?, ?, ?)",
                        domainId, source, destination);
            }
            return null;
        });
    }

    /** Removes all destinations of source, or just one; returns how many rows went. */
    public int removeAlias(String sourceText, Optional<String> destinationText) throws DirectoryException {
        String source = aliasSource(sourceText);
        Optional<String> destination = destinationText.isPresent()
                ? Optional.of(aliasDestination(destinationText.get())) : Optional.empty();
        return inTransaction(c -> {
            int removed = destination.isPresent()
                    ? update(c, "DELETE FROM virtual_aliases WHERE lower(source) = ? AND lower(destination) = ?",
                            source, destination.get())
                    : update(c, "DELETE FROM virtual_aliases WHERE lower(source) = ?", source);
            if (removed == 0) {
                throw new DirectoryException("no such alias: " + source + destination.map(d -> " -> " + d).orElse(""));
            }
            return removed;
        });
    }

    public List<Alias> listAliases(Optional<String> domainName) throws DirectoryException {
        Optional<String> domain = domainName.isPresent() ? Optional.of(domain(domainName.get())) : Optional.empty();
        return inTransaction(c -> {
            String sql = "SELECT a.source, a.destination FROM virtual_aliases a";
            List<Object> params = new ArrayList<>();
            if (domain.isPresent()) {
                long id = domainId(c, domain.get())
                        .orElseThrow(() -> new DirectoryException("no such domain: " + domain.get()));
                sql += " WHERE a.domain_id = ?";
                params.add(id);
            }
            sql += " ORDER BY a.source, a.destination";
            List<Alias> rows = new ArrayList<>();
            try (PreparedStatement st = prepare(c, sql, params.toArray()); ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Alias(rs.getString(1), rs.getString(2)));
                }
            }
            return rows;
        });
    }

    private List<Mailbox> listUsers(Connection c, String where, Object param) throws SQLException {
        String sql = "SELECT u.email, u.password, u.quota, o.enabled FROM virtual_users u"
                + " LEFT JOIN osprey_mailbox_options o ON o.email = u.email " + where + " ORDER BY u.email";
        List<Mailbox> rows = new ArrayList<>();
        try (PreparedStatement st = param == null ? prepare(c, sql) : prepare(c, sql, param);
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                EmailAddress address;
                try {
                    address = EmailAddress.parse(rs.getString(1));
                } catch (AddressException e) {
                    continue; // a hand-written row we cannot use; the mail path ignores it too
                }
                boolean enabled = rs.getObject(4) == null || rs.getBoolean(4);
                rows.add(new Mailbox(address, rs.getString(2), rs.getLong(3), enabled));
            }
        }
        return rows;
    }

    private String existingUser(Connection c, EmailAddress address) throws SQLException, DirectoryException {
        return userEmail(c, address).orElseThrow(() -> new DirectoryException("no such mailbox: " + address.key()));
    }

    private Optional<String> userEmail(Connection c, EmailAddress address) throws SQLException {
        String unicode = address.key().substring(0, address.key().lastIndexOf('@') + 1)
                + DomainName.unicodeOrSame(address.domain());
        try (PreparedStatement st = prepare(c, "SELECT email FROM virtual_users WHERE lower(email) IN (?, ?)",
                address.key(), unicode.toLowerCase(Locale.ROOT)); ResultSet rs = st.executeQuery()) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
    }

    private Optional<Long> domainId(Connection c, String asciiDomain) throws SQLException {
        try (PreparedStatement st = prepare(c, "SELECT id FROM virtual_domains WHERE lower(name) IN (?, ?)",
                asciiDomain, DomainName.unicodeOrSame(asciiDomain).toLowerCase(Locale.ROOT));
             ResultSet rs = st.executeQuery()) {
            return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
        }
    }

    private static String domain(String name) throws DirectoryException {
        try {
            return DomainName.toAscii(name.strip());
        } catch (AddressException e) {
            throw new DirectoryException("not a valid domain name: " + e.getMessage());
        }
    }

    private static EmailAddress address(String text) throws DirectoryException {
        try {
            return EmailAddress.parse(text.strip());
        } catch (AddressException e) {
            throw new DirectoryException("not a valid address: " + e.getMessage());
        }
    }

    private static String aliasSource(String text) throws DirectoryException {
        String s = text.strip();
        return s.startsWith("@") ? "@" + domain(s.substring(1)) : address(s).key();
    }

    private static String aliasDestination(String text) throws DirectoryException {
        return aliasSource(text);
    }

    private static void requirePassword(String password) throws DirectoryException {
        if (password == null || password.isEmpty()) {
            throw new DirectoryException("the password must not be empty");
        }
    }

    private static int count(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement st = prepare(c, sql, params); ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement st = prepare(c, sql, params)) {
            return st.executeUpdate();
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement st = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            st.setObject(i + 1, params[i]);
        }
        return st;
    }

    private <T> T inTransaction(Work<T> work) throws DirectoryException {
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (DirectoryException | SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new DirectoryException("database error: " + Database.rootMessage(e), e);
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException, DirectoryException;
    }
}
