package org.osprey.filter.greylist;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The greylist's rows in the directory's SQL database (tables {@code osprey_greylist} and
 * {@code osprey_greylist_clients}, created by the directory's migration V3). Plain portable SQL that runs
 * unchanged on SQLite, MariaDB/MySQL and PostgreSQL: an upsert is an UPDATE followed, when it hit no row, by an
 * INSERT, and a concurrent INSERT of the same key (integrity violation) falls back to the UPDATE. Times are epoch
 * seconds. Every statement runs in auto-commit; one failed statement never leaves a transaction open.
 */
final class GreylistStore {
    /** A triplet's state: when it was first seen, whether it passed (retried in time), when the row expires. */
    record Entry(long firstSeen, boolean passed, long expiresAt) {
    }

    private static final int TEXT_LIMIT = 255;

    private final DataSource dataSource;

    GreylistStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    Optional<Long> clientExpiry(String network) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement(
                     "SELECT expires_at FROM osprey_greylist_clients WHERE client_net = ?")) {
            st.setString(1, network);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    void putClient(String network, long expiresAt) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            upsert(c, "UPDATE osprey_greylist_clients SET expires_at = ? WHERE client_net = ?",
                    st -> {
                        st.setLong(1, expiresAt);
                        st.setString(2, network);
                    },
                    "INSERT INTO osprey_greylist_clients (client_net, expires_at) VALUES (?, ?)",
                    st -> {
                        st.setString(1, network);
                        st.setLong(2, expiresAt);
                    });
        }
    }

    Optional<Entry> triplet(String key) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement(
                     "SELECT first_seen, passed, expires_at FROM osprey_greylist WHERE triplet = ?")) {
            st.setString(1, key);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next()
                        ? Optional.of(new Entry(rs.getLong(1), rs.getBoolean(2), rs.getLong(3)))
                        : Optional.empty();
            }
        }
    }

    void putTriplet(Triplet triplet, Entry entry) throws SQLException {
        String key = triplet.key();
        try (Connection c = dataSource.getConnection()) {
            upsert(c, "UPDATE osprey_greylist SET first_seen = ?, passed = ?, expires_at = ? WHERE triplet = ?",
                    st -> {
                        st.setLong(1, entry.firstSeen());
                        st.setBoolean(2, entry.passed());
                        st.setLong(3, entry.expiresAt());
                        st.setString(4, key);
                    },
                    "INSERT INTO osprey_greylist (triplet, client_net, sender, recipient, first_seen, passed,"
                            + " expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    st -> {
                        st.setString(1, key);
                        st.setString(2, triplet.network());
                        st.setString(3, clip(triplet.sender()));
                        st.setString(4, clip(triplet.recipient()));
                        st.setLong(5, entry.firstSeen());
                        st.setBoolean(6, entry.passed());
                        st.setLong(7, entry.expiresAt());
                    });
        }
    }

    /** Deletes every row whose time is up; one indexed DELETE per table. Returns the number of rows deleted. */
    int deleteExpired(long now) throws SQLException {
        int deleted = 0;
        try (Connection c = dataSource.getConnection()) {
            for (String table : new String[] {"osprey_greylist", "osprey_greylist_clients"}) {
                try (PreparedStatement st = c.prepareStatement("DELETE FROM " + table + " WHERE expires_at <= ?")) {
                    st.setLong(1, now);
                    deleted += st.executeUpdate();
                }
            }
        }
        return deleted;
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement st) throws SQLException;
    }

    private static void upsert(Connection c, String update, Binder updateArgs, String insert, Binder insertArgs)
            throws SQLException {
        if (execute(c, update, updateArgs) > 0) {
            return;
        }
        try {
            execute(c, insert, insertArgs);
        } catch (SQLException e) {
            if (!isDuplicateKey(e)) {
                throw e;
            }
            execute(c, update, updateArgs);
        }
    }

    /**
     * Another session inserted the key first. SQLSTATE class 23 (integrity constraint violation) on MariaDB and
     * PostgreSQL; sqlite-jdbc sets no SQLSTATE but names its result code in the message.
     */
    private static boolean isDuplicateKey(SQLException e) {
        String state = e.getSQLState();
        return (state != null && state.startsWith("23"))
                || (e.getMessage() != null && e.getMessage().contains("SQLITE_CONSTRAINT"));
    }

    private static int execute(Connection c, String sql, Binder binder) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            binder.bind(st);
            return st.executeUpdate();
        }
    }

    private static String clip(String text) {
        if (text.length() <= TEXT_LIMIT) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(TEXT_LIMIT - 1)) ? TEXT_LIMIT - 1 : TEXT_LIMIT;
        return text.substring(0, end);
    }
}
