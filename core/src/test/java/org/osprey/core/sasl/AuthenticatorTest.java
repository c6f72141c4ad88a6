package org.osprey.core.sasl;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class AuthenticatorTest {
    /** A clock the test moves by hand, to cross block and forget periods without waiting. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    final ManualClock clock = new ManualClock();
    final CredentialChecker checker = (user, password) ->
            user.equals("john@example.org") && password.equals("secret") ? Optional.of(user) : Optional.empty();
    final InetAddress attacker = InetAddress.ofLiteral("192.0.2.7");
    final InetAddress other = InetAddress.ofLiteral("198.51.100.9");
    ListAppender<ILoggingEvent> logs;

    @BeforeEach
    void captureLogs() {
        logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(Authenticator.class)).addAppender(logs);
    }

    @AfterEach
    void stopCapture() {
        ((Logger) LoggerFactory.getLogger(Authenticator.class)).detachAppender(logs);
    }

    LoginThrottle throttle(int perIp, int perAccount) {
        return new LoginThrottle(Duration.ofMillis(100), Duration.ofMillis(400), perIp, perAccount,
                Duration.ofMinutes(15), Duration.ofHours(1), clock);
    }

    static Credentials plain(String user, String password) {
        return new Credentials("PLAIN", "", user, password);
    }

    @Test
    void rightPasswordLogsInAndWrongOneFailsWithAFail2banLine() {
        var auth = new Authenticator(checker, throttle(10, 20));
        assertThat(auth.authenticate(plain("john@example.org", "secret"), attacker, "imap"))
                .isEqualTo(new AuthResult.Success("john@example.org"));
        assertThat(auth.authenticate(plain("john@example.org", "guess"), attacker, "imap"))
                .isEqualTo(new AuthResult.Failure());
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(line -> line.matches("imap auth failed: user=<john@example.org>, method=PLAIN,"
                        + " rip=192\\.0\\.2\\.7, failures=1"));
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).noneMatch(l -> l.contains("guess"));
    }

    @Test
    void failuresAreAnsweredEverMoreSlowly() {
        LoginThrottle t = throttle(100, 100);
        assertThat(t.recordFailure(attacker, "a")).isEqualTo(Duration.ZERO);
        assertThat(t.recordFailure(attacker, "b")).isEqualTo(Duration.ofMillis(100));
        assertThat(t.recordFailure(attacker, "c")).isEqualTo(Duration.ofMillis(200));
        assertThat(t.recordFailure(attacker, "d")).isEqualTo(Duration.ofMillis(400));
        assertThat(t.recordFailure(attacker, "e")).isEqualTo(Duration.ofMillis(400));
        // Another client guessing other accounts is not slowed by the attacker's failures.
        assertThat(t.recordFailure(other, "z")).isEqualTo(Duration.ZERO);
    }

    @Test
    void theDelayIsReallyWaitedBeforeTheFailureIsAnswered() {
        var auth = new Authenticator(checker, throttle(100, 100));
        auth.authenticate(plain("john@example.org", "x"), attacker, "imap");
        long start = System.nanoTime();
        auth.authenticate(plain("john@example.org", "y"), attacker, "imap");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
    }

    @Test
    void tooManyFailuresFromOneIpBlockItEvenWithTheRightPassword() {
        var auth = new Authenticator(checker, new LoginThrottle(Duration.ZERO, Duration.ZERO, 3, 100,
                Duration.ofMinutes(15), Duration.ofHours(1), clock));
        for (int i = 0; i < 3; i++) {
            auth.authenticate(plain("user" + i + "@example.org", "x"), attacker, "smtp");
        }
        assertThat(auth.authenticate(plain("john@example.org", "secret"), attacker, "smtp"))
                .isEqualTo(new AuthResult.Blocked());
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(line -> line.startsWith("smtp auth blocked: user=<john@example.org>") && line.contains("rip=192.0.2.7"));
        // Other clients are not affected, and the block ends.
        assertThat(auth.authenticate(plain("john@example.org", "secret"), other, "smtp"))
                .isInstanceOf(AuthResult.Success.class);
        clock.now = clock.now.plus(Duration.ofMinutes(16));
        assertThat(auth.authenticate(plain("john@example.org", "secret"), attacker, "smtp"))
                .isInstanceOf(AuthResult.Success.class);
    }

    @Test
    void tooManyFailuresForOneAccountBlockItFromEverywhere() {
        var auth = new Authenticator(checker, new LoginThrottle(Duration.ZERO, Duration.ZERO, 100, 4,
                Duration.ofMinutes(15), Duration.ofHours(1), clock));
        for (int i = 0; i < 4; i++) {
            InetAddress botnet = InetAddress.ofLiteral("203.0.113." + (i + 1));
            auth.authenticate(plain("John@example.org", "guess" + i), botnet, "pop3");
        }
        assertThat(auth.authenticate(plain("john@example.org", "secret"), other, "pop3"))
                .isEqualTo(new AuthResult.Blocked());
    }

    @Test
    void failuresAreForgottenAfterAQuietPeriod() {
        LoginThrottle t = throttle(100, 100);
        t.recordFailure(attacker, "a");
        t.recordFailure(attacker, "a");
        assertThat(t.failures(attacker)).isEqualTo(2);
        clock.now = clock.now.plus(Duration.ofHours(2));
        assertThat(t.failures(attacker)).isZero();
        assertThat(t.recordFailure(attacker, "a")).isEqualTo(Duration.ZERO);
    }

    @Test
    void aSuccessClearsTheCount() {
        LoginThrottle t = throttle(100, 100);
        t.recordFailure(attacker, "john@example.org");
        t.recordFailure(attacker, "john@example.org");
        t.recordSuccess(attacker, "john@example.org");
        assertThat(t.failures(attacker)).isZero();
    }

    @Test
    void actingAsAnotherUserIsRefused() {
        var auth = new Authenticator(checker, throttle(10, 20));
        assertThat(auth.authenticate(new Credentials("PLAIN", "jane@example.org", "john@example.org", "secret"),
                attacker, "imap")).isEqualTo(new AuthResult.Failure());
        assertThat(auth.authenticate(new Credentials("PLAIN", "john@example.org", "john@example.org", "secret"),
                attacker, "imap")).isInstanceOf(AuthResult.Success.class);
    }

    @Test
    void controlCharactersInUserNamesCannotForgeLogLines() {
        var auth = new Authenticator(checker, throttle(10, 20));
        auth.authenticate(plain("x\nimap login: user=<admin>", "pw"), attacker, "imap");
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).allMatch(l -> !l.contains("\n"));
    }

    @Test
    void aDirectoryOutageIsATemporaryFailureNotAWrongPassword() {
        CredentialChecker down = (u, p) -> {
            throw new IllegalStateException("database unreachable");
        };
        LoginThrottle t = throttle(10, 20);
        var auth = new Authenticator(down, t);
        assertThat(auth.authenticate(plain("john@example.org", "secret"), attacker, "imap"))
                .isEqualTo(new AuthResult.Unavailable());
        assertThat(t.failures(attacker)).isZero();
    }
}
