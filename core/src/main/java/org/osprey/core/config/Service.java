package org.osprey.core.config;

import java.util.List;

/** The network services Osprey can listen for, with their config key and development default port. */
public enum Service {
    SMTP("smtp", 2525, false),
    SUBMISSION("submission", 5587, false),
    SUBMISSIONS("submissions", 5465, true),
    IMAP("imap", 1143, false),
    IMAPS("imaps", 1993, true),
    POP3("pop3", 1110, false),
    POP3S("pop3s", 1995, true),
    MANAGESIEVE("managesieve", 4190, false),
    WEB("web", 8080, false);

    private final String key;
    private final int defaultPort;
    private final boolean implicitTls;

    Service(String key, int defaultPort, boolean implicitTls) {
        this.key = key;
        this.defaultPort = defaultPort;
        this.implicitTls = implicitTls;
    }

    /** The name under [listen] and in log lines. */
    public String key() {
        return key;
    }

    /** True for the ports where TLS starts before the first byte (RFC 8314). */
    public boolean implicitTls() {
        return implicitTls;
    }

    List<HostPort> defaultAddresses() {
        return List.of(new HostPort("0.0.0.0", defaultPort));
    }
}
