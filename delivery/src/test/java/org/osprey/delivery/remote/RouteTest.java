package org.osprey.delivery.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTest {

    @Test
    void parsesTheUsualForms() {
        assertThat(Route.parse("relay.isp.net:587")).isEqualTo(new Route("relay.isp.net", 587, false, null));
        assertThat(Route.parse("127.0.0.1:2526")).isEqualTo(new Route("127.0.0.1", 2526, false, null));
        assertThat(Route.parse("[mx.example.net]:25")).isEqualTo(new Route("mx.example.net", 25, false, null));
        assertThat(Route.parse("[mx.example.net]")).isEqualTo(new Route("mx.example.net", 25, false, null));
        assertThat(Route.parse("Relay.ISP.net")).isEqualTo(new Route("relay.isp.net", 25, false, null));
        assertThat(Route.parse("[2001:db8::1]:2525")).isEqualTo(new Route("2001:db8::1", 2525, false, null));
        assertThat(Route.parse("[IPv6:2001:db8::1]")).isEqualTo(new Route("2001:db8::1", 25, false, null));
        assertThat(Route.parse("bücher.example:25").host()).isEqualTo("xn--bcher-kva.example");
    }

    @Test
    void badRoutesSayWhatIsWrong() {
        assertThatThrownBy(() -> Route.parse("")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("empty");
        assertThatThrownBy(() -> Route.parse("relay:0")).hasMessageContaining("port must be a number");
        assertThatThrownBy(() -> Route.parse("relay:65536")).hasMessageContaining("port must be a number");
        assertThatThrownBy(() -> Route.parse("relay:smtp")).hasMessageContaining("port must be a number");
        assertThatThrownBy(() -> Route.parse("relay:")).hasMessageContaining("port must be a number");
        assertThatThrownBy(() -> Route.parse("2001:db8::1")).hasMessageContaining("in brackets");
        assertThatThrownBy(() -> Route.parse("[relay:25")).hasMessageContaining("missing ']'");
        assertThatThrownBy(() -> Route.parse("[relay]x")).hasMessageContaining("':port' after ']'");
        assertThatThrownBy(() -> Route.parse("re lay:25")).hasMessageContaining("not a host name");
        assertThatThrownBy(() -> Route.parse(":25")).hasMessageContaining("no host name");
    }

    @Test
    void credentialsAreNeverPrinted() {
        Route route = Route.parse("relay.isp.net:587").withCredentials("me", "s3cret");
        assertThat(route.toString()).contains("me").doesNotContain("s3cret");
        assertThat(route.destination()).isEqualTo("relay.isp.net:587");
    }

    @Test
    void routesMatchExactThenParentThenWildcard() {
        Routes routes = Routes.parse(Map.of("example.com", "a.test:25", ".example.com", "b.test:25", "*",
            "smarthost.test:587", "Bücher.example", "c.test"));
        assertThat(routes.find("example.com")).map(Route::host).hasValue("a.test");
        assertThat(routes.find("EXAMPLE.com")).map(Route::host).hasValue("a.test");
        assertThat(routes.find("mail.example.com")).map(Route::host).hasValue("b.test");
        assertThat(routes.find("x.y.example.com")).map(Route::host).hasValue("b.test");
        assertThat(routes.find("other.org")).map(Route::host).hasValue("smarthost.test");
        assertThat(routes.find("xn--bcher-kva.example")).map(Route::host).hasValue("c.test");
        assertThat(Routes.parse(Map.of("example.com", "a.test")).find("other.org")).isEmpty();
        assertThat(Routes.NONE.find("example.com")).isEmpty();
    }

    @Test
    void aBadRouteTableNamesTheEntry() {
        assertThatThrownBy(() -> Routes.parse(Map.of("example.com", "relay:99999")))
            .hasMessageContaining("route for example.com").hasMessageContaining("port");
        assertThatThrownBy(() -> Routes.parse(Map.of("exa mple.com", "relay"))).hasMessageContaining("exa mple.com");
    }

    @Test
    void tlsPolicyNamesIncludePostfixLevels() {
        assertThat(TlsPolicy.parse("may")).isEqualTo(TlsPolicy.OPPORTUNISTIC);
        assertThat(TlsPolicy.parse("Encrypt")).isEqualTo(TlsPolicy.REQUIRED);
        assertThat(TlsPolicy.parse("secure")).isEqualTo(TlsPolicy.VERIFIED);
        assertThat(TlsPolicy.parse("verified")).isEqualTo(TlsPolicy.VERIFIED);
        assertThatThrownBy(() -> TlsPolicy.parse("dane")).hasMessageContaining("none, opportunistic");
    }
}
