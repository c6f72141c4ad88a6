package org.osprey.delivery.remote;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The route table: recipient domain → {@link Route}, with "example.com", ".example.com" (every subdomain) and "*"
 * (everything else, a smart host) as in Postfix's transport maps. Domains without an entry go to their MX hosts.
 * Immutable.
 */
public final class Routes {
    public static final Routes NONE = new Routes(DomainTable.empty());

    private final DomainTable<Route> table;

    private Routes(DomainTable<Route> table) {
        this.table = table;
    }

    /** @throws IllegalArgumentException a key is not a domain, ".domain" or "*" */
    public static Routes of(Map<String, Route> routes) {
        return new Routes(DomainTable.of(routes, "route"));
    }

    /**
     * Reads a table written as text, domain → "host:port" (see {@link Route#parse}).
     *
     * @throws IllegalArgumentException naming the domain whose route is bad
     */
    public static Routes parse(Map<String, String> routes) {
        Map<String, Route> parsed = new HashMap<>();
        routes.forEach((domain, route) -> {
            try {
                parsed.put(domain, Route.parse(route));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("route for " + domain + ": " + e.getMessage(), e);
            }
        });
        return of(parsed);
    }

    /** The route for a recipient domain, or empty when its MX hosts are to be used. */
    public Optional<Route> find(String domain) {
        return table.find(domain);
    }
}
