package org.osprey.delivery.remote;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.osprey.core.address.AddressException;
import org.osprey.core.address.DomainName;

/**
 * A lookup table keyed by recipient domain, with Postfix's transport-map forms: "example.com" matches that domain,
 * ".example.com" any domain under it (not itself), "*" everything else. The most specific entry wins. Domains are
 * compared as lower-case A-labels, so a U-label key finds an A-label domain and the other way round. Immutable.
 */
final class DomainTable<V> {
    private final Map<String, V> exact;
    private final Map<String, V> under;
    private final V wildcard;

    private DomainTable(Map<String, V> exact, Map<String, V> under, V wildcard) {
        this.exact = Map.copyOf(exact);
        this.under = Map.copyOf(under);
        this.wildcard = wildcard;
    }

    static <V> DomainTable<V> empty() {
        return new DomainTable<>(Map.of(), Map.of(), null);
    }

    /**
     * @param what names the table in error messages ("route", "TLS policy")
     * @throws IllegalArgumentException a key is not "*", a domain, ".domain" or an address literal
     */
    static <V> DomainTable<V> of(Map<String, V> entries, String what) {
        Map<String, V> exact = new HashMap<>();
        Map<String, V> under = new HashMap<>();
        V wildcard = null;
        for (Map.Entry<String, V> entry : entries.entrySet()) {
            String key = entry.getKey() == null ? "" : entry.getKey().strip();
            V value = entry.getValue();
            if (value == null) {
                throw new IllegalArgumentException(what + " for \"" + key + "\" is empty");
            }
            if (key.equals("*")) {
                wildcard = value;
            } else if (key.startsWith(".")) {
                under.put(normalize(key.substring(1), what), value);
            } else {
                exact.put(normalize(key, what), value);
            }
        }
        return new DomainTable<>(exact, under, wildcard);
    }

    Optional<V> find(String domain) {
        String name;
        try {
            name = normalize(domain, "domain");
        } catch (IllegalArgumentException e) {
            return Optional.ofNullable(wildcard);
        }
        V value = exact.get(name);
        if (value != null) {
            return Optional.of(value);
        }
        if (!name.startsWith("[")) {
            for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
                value = under.get(name.substring(dot + 1));
                if (value != null) {
                    return Optional.of(value);
                }
            }
        }
        return Optional.ofNullable(wildcard);
    }

    static String normalize(String domain, String what) {
        if (domain.startsWith("[") && domain.endsWith("]")) {
            return domain.toLowerCase(Locale.ROOT);
        }
        try {
            return DomainName.toAscii(domain);
        } catch (AddressException e) {
            throw new IllegalArgumentException(what + " key \"" + domain + "\" is not a domain: " + e.getMessage());
        }
    }
}
