package org.osprey.delivery.remote;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Everything remote delivery is configured with; {@link #defaults} gives Postfix's defaults where it has one.
 *
 * @param heloName                 the name in EHLO/HELO: this server's public host name, matching its PTR record
 * @param routes                   domains sent to a fixed host instead of their MX hosts
 * @param tlsPolicies              per recipient domain ("example.com", ".example.com", or a route's host name)
 * @param defaultTlsPolicy         for every other domain
 * @param tls                      the trust store for {@link TlsPolicy#VERIFIED}
 * @param mxPort                   the port MX hosts are reached on; 25 except in tests
 * @param mxAddressLimit           at most this many addresses are tried per delivery (smtp_mx_address_limit)
 * @param mxSessionLimit           at most this many peers that greeted us are tried per delivery
 *                                 (smtp_mx_session_limit)
 * @param connectionCacheSize      idle sessions kept for reuse in all; 0 turns reuse off
 * @param connectionCacheTime      how long an idle session is kept (smtp_connection_cache_time_limit)
 * @param destinationConcurrency   deliveries at once per destination (default_destination_concurrency_limit)
 * @param recipientLimit           recipients per transaction; more go in further transactions on the same
 *                                 connection (smtp_destination_recipient_limit; RFC 5321 §4.5.3.1.8 only
 *                                 promises 100 per transaction)
 */
public record RemoteSettings(String heloName, Routes routes, Map<String, TlsPolicy> tlsPolicies,
                             TlsPolicy defaultTlsPolicy, ClientTls tls, SmtpTimeouts timeouts, int mxPort,
                             int mxAddressLimit, int mxSessionLimit, int connectionCacheSize,
                             Duration connectionCacheTime, int destinationConcurrency, int recipientLimit) {

    public RemoteSettings {
        Objects.requireNonNull(heloName, "heloName");
        Objects.requireNonNull(routes, "routes");
        tlsPolicies = Map.copyOf(tlsPolicies);
        Objects.requireNonNull(defaultTlsPolicy, "defaultTlsPolicy");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(connectionCacheTime, "connectionCacheTime");
        if (heloName.isBlank() || heloName.chars().anyMatch(c -> c <= ' ' || c > 126)) {
            throw new IllegalArgumentException("the HELO name must be a host name: \"" + heloName + "\"");
        }
        if (mxPort < 1 || mxPort > 65535) {
            throw new IllegalArgumentException("the SMTP port must be from 1 to 65535: " + mxPort);
        }
        if (mxAddressLimit < 1 || mxSessionLimit < 1) {
            throw new IllegalArgumentException("the MX address and session limits must be at least 1");
        }
        if (connectionCacheSize < 0 || connectionCacheTime.isNegative()) {
            throw new IllegalArgumentException("the connection cache size and time cannot be negative");
        }
        if (destinationConcurrency < 1) {
            throw new IllegalArgumentException("the per-destination concurrency must be at least 1");
        }
        if (recipientLimit < 1) {
            throw new IllegalArgumentException("the recipient limit per transaction must be at least 1");
        }
    }

    /**
     * Opportunistic TLS for all, the JDK's trust store for verified TLS, RFC 5321 timeouts, 5 addresses and 2
     * sessions per delivery, 100 idle sessions kept 2 s each, 20 deliveries at once per destination, 50
     * recipients per transaction.
     */
    public static RemoteSettings defaults(String heloName) {
        return new RemoteSettings(heloName, Routes.NONE, Map.of(), TlsPolicy.OPPORTUNISTIC, ClientTls.systemTrust(),
            SmtpTimeouts.RFC_5321, 25, 5, 2, 100, Duration.ofSeconds(2), 20, 50);
    }

    public RemoteSettings withRoutes(Routes newRoutes) {
        return new RemoteSettings(heloName, newRoutes, tlsPolicies, defaultTlsPolicy, tls, timeouts, mxPort,
            mxAddressLimit, mxSessionLimit, connectionCacheSize, connectionCacheTime, destinationConcurrency,
            recipientLimit);
    }

    public RemoteSettings withTlsPolicies(Map<String, TlsPolicy> policies, TlsPolicy defaultPolicy) {
        return new RemoteSettings(heloName, routes, policies, defaultPolicy, tls, timeouts, mxPort,
            mxAddressLimit, mxSessionLimit, connectionCacheSize, connectionCacheTime, destinationConcurrency,
            recipientLimit);
    }

    public RemoteSettings withTls(ClientTls newTls) {
        return new RemoteSettings(heloName, routes, tlsPolicies, defaultTlsPolicy, newTls, timeouts, mxPort,
            mxAddressLimit, mxSessionLimit, connectionCacheSize, connectionCacheTime, destinationConcurrency,
            recipientLimit);
    }

    public RemoteSettings withTimeouts(SmtpTimeouts newTimeouts) {
        return new RemoteSettings(heloName, routes, tlsPolicies, defaultTlsPolicy, tls, newTimeouts, mxPort,
            mxAddressLimit, mxSessionLimit, connectionCacheSize, connectionCacheTime, destinationConcurrency,
            recipientLimit);
    }

    public RemoteSettings withMxPort(int port) {
        return new RemoteSettings(heloName, routes, tlsPolicies, defaultTlsPolicy, tls, timeouts, port,
            mxAddressLimit, mxSessionLimit, connectionCacheSize, connectionCacheTime, destinationConcurrency,
            recipientLimit);
    }

    public RemoteSettings withMxLimits(int addressLimit, int sessionLimit) {
        return new RemoteSettings(heloName, routes, tlsPolicies, defaultTlsPolicy, tls, timeouts, mxPort,
            addressLimit, sessionLimit, connectionCacheSize, connectionCacheTime, destinationConcurrency,
            recipientLimit);
    }

    public RemoteSettings withConnectionCache(int size, Duration time) {
        return new RemoteSettings(heloName, routes, tlsPolicies, defaultTlsPolicy, tls, timeouts, mxPort,
            mxAddressLimit, mxSessionLimit, size, time, destinationConcurrency, recipientLimit);
    }

    public RemoteSettings withDestinationConcurrency(int limit) {
        return new RemoteSettings(heloName, routes, tlsPolicies, defaultTlsPolicy, tls, timeouts, mxPort,
            mxAddressLimit, mxSessionLimit, connectionCacheSize, connectionCacheTime, limit, recipientLimit);
    }

    public RemoteSettings withRecipientLimit(int limit) {
        return new RemoteSettings(heloName, routes, tlsPolicies, defaultTlsPolicy, tls, timeouts, mxPort,
            mxAddressLimit, mxSessionLimit, connectionCacheSize, connectionCacheTime, destinationConcurrency, limit);
    }
}
