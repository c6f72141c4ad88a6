package org.osprey.directory;

/**
 * The SQL differences between the three supported databases that the directory has to know about: where its
 * migrations live, and how to compare addresses case-insensitively without losing the index.
 */
public enum Dialect {
    SQLITE("sqlite"),
    MARIADB("mariadb"),
    POSTGRESQL("postgresql");

    private final String folder;

    Dialect(String folder) {
        this.folder = folder;
    }

    public static Dialect fromUrl(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (jdbcUrl.startsWith("jdbc:mariadb:") || jdbcUrl.startsWith("jdbc:mysql:")) {
            return MARIADB;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("unsupported database URL " + jdbcUrl);
    }

    String migrations() {
        return "classpath:db/migration/" + folder;
    }

    /**
     * A condition "column equals the (already lower-cased) parameter, ignoring case". MariaDB/MySQL compare
     * case-insensitively by their default collation, so the plain column keeps its index usable; the others get
     * lower(), which their expression indexes cover.
     */
    String equalsIgnoreCase(String column) {
        return this == MARIADB ? column + " = ?" : "lower(" + column + ") = ?";
    }

    /** Like {@link #equalsIgnoreCase} for two candidate values (an address with its domain as A- and U-label). */
    String inIgnoreCase(String column) {
        return this == MARIADB ? column + " IN (?, ?)" : "lower(" + column + ") IN (?, ?)";
    }
}
