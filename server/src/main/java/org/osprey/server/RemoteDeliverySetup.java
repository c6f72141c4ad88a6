package org.osprey.server;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osprey.core.config.Config;
import org.osprey.delivery.remote.ClientTls;
import org.osprey.delivery.remote.MxResolver;
import org.osprey.delivery.remote.RemoteDelivery;
import org.osprey.delivery.remote.RemoteSettings;
import org.osprey.delivery.remote.Route;
import org.osprey.delivery.remote.Routes;
import org.osprey.delivery.remote.SmtpTimeouts;
import org.osprey.delivery.remote.TlsPolicy;

/** Turns the [delivery] config into the SMTP client side; a bad route or resolver stops start-up with its key. */
final class RemoteDeliverySetup {
    private RemoteDeliverySetup() {
    }

    static RemoteDelivery create(Config config) throws OspreyServer.StartupException {
        Config.Delivery d = config.delivery();
        Map<String, Route> routes = new LinkedHashMap<>();
        for (var entry : d.routes().entrySet()) {
            Config.Route r = entry.getValue();
            try {
                Route route = Route.parse(r.relay()).withImplicitTls(r.implicitTls());
                if (r.user().isPresent()) {
                    route = route.withCredentials(r.user().get(), r.password().orElse(""));
                }
                routes.put(entry.getKey(), route);
            } catch (IllegalArgumentException e) {
                throw new OspreyServer.StartupException("config: [delivery.routes] \"" + entry.getKey() + "\": "
                        + e.getMessage());
            }
        }
        Map<String, TlsPolicy> policies = new LinkedHashMap<>();
        d.tlsPolicies().forEach((domain, policy) -> policies.put(domain, TlsPolicy.parse(policy)));
        Duration command = d.commandTimeout();
        var timeouts = new SmtpTimeouts(d.connectTimeout(), command, command, command, command, command, command,
                command.multipliedBy(2), Duration.ofSeconds(20), Duration.ofSeconds(10));
        RemoteSettings settings;
        MxResolver resolver;
        try {
            settings = RemoteSettings.defaults(config.hostname())
                    .withRoutes(Routes.of(routes))
                    .withTlsPolicies(policies, TlsPolicy.parse(d.tlsPolicy()))
                    .withTls(ClientTls.systemTrust())
                    .withTimeouts(timeouts)
                    .withDestinationConcurrency(20);
            resolver = d.resolver().isBlank()
                    ? MxResolver.system(Duration.ofSeconds(10), MxResolver.AddressOrder.IPV4_FIRST)
                    : MxResolver.using(d.resolver(), Duration.ofSeconds(10), MxResolver.AddressOrder.IPV4_FIRST);
        } catch (IllegalArgumentException e) {
            throw new OspreyServer.StartupException("config: [delivery]: " + e.getMessage());
        }
        return new RemoteDelivery(settings, resolver);
    }
}
