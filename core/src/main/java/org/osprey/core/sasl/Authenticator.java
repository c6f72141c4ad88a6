package org.osprey.core.sasl;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where every protocol's logins are decided: throttling, the directory check, and the log lines.
 * Failure lines carry "rip=" with the client IP in the form fail2ban's Dovecot filter reads.
 */
public final class Authenticator {
    private static final Logger log = LoggerFactory.getLogger(Authenticator.class);

    private final CredentialChecker checker;
    private final LoginThrottle throttle;

    public Authenticator(CredentialChecker checker, LoginThrottle throttle) {
        this.checker = checker;
        this.throttle = throttle;
    }

    /** Decides a login. May sleep (the failure delay); call it from the session's virtual thread. */
    public AuthResult authenticate(Credentials credentials, InetAddress client, String protocol) {
        String user = printable(credentials.username());
        if (throttle.isBlocked(client, credentials.username())) {
            log.warn("{} auth blocked: user=<{}>, method={}, rip={}, too many failures", protocol, user,
                    credentials.mechanism(), client.getHostAddress());
            return new AuthResult.Blocked();
        }
        boolean actsAsOther = !credentials.authzid().isEmpty()
                && !credentials.authzid().equalsIgnoreCase(credentials.username());
        Optional<String> account;
        try {
            account = actsAsOther ? Optional.empty() : checker.check(credentials.username(), credentials.password());
        } catch (RuntimeException e) {
            log.error("{} auth unavailable: user=<{}>, rip={}: {}", protocol, user, client.getHostAddress(),
                    e.getMessage());
            return new AuthResult.Unavailable();
        }
        if (account.isPresent()) {
            throttle.recordSuccess(client, credentials.username());
            log.info("{} login: user=<{}>, method={}, rip={}", protocol, account.get(), credentials.mechanism(),
                    client.getHostAddress());
            return new AuthResult.Success(account.get());
        }
        Duration delay = throttle.recordFailure(client, credentials.username());
        log.warn("{} auth failed: user=<{}>, method={}, rip={}, failures={}{}", protocol, user,
                credentials.mechanism(), client.getHostAddress(), throttle.failures(client),
                actsAsOther ? ", reason=authzid not allowed" : "");
        sleep(delay);
        return new AuthResult.Failure();
    }

    private static void sleep(Duration delay) {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** User names come from the network: keep log lines one line and free of control characters. */
    private static String printable(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), 100));
        for (int i = 0; i < s.length() && i < 100; i++) {
            char c = s.charAt(i);
            sb.append(Character.isISOControl(c) || c == '<' || c == '>' ? '?' : c);
        }
        return sb.toString();
    }
}
