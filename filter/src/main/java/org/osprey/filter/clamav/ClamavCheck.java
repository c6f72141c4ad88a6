package org.osprey.filter.clamav;

import java.io.InputStream;
import java.util.Locale;
import java.util.Objects;
import org.osprey.core.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The virus-scan policy: scans a message with clamd and turns the result into a {@link Decision} for the end of DATA.
 * It does not depend on the SMTP session's types; the caller maps a decision to its reply:
 *
 * <ul>
 *   <li>clean: {@link Decision.Accept}.
 *   <li>infected: {@link Decision.Reject} {@code 554 5.7.1 Virus found: <signature>} — the message is refused in the
 *       dialogue, never accepted and dropped.
 *   <li>no verdict (clamd down, timeout, protocol error, message over StreamMaxLength) with
 *       {@code [filter.clamav] on_failure = "tempfail"} (the default): {@link Decision.TempFail}
 *       {@code 451 4.7.1 Virus scanner unavailable, try again later}; the sender retries.
 *   <li>no verdict with {@code on_failure = "accept"}: {@link Decision.AcceptWithHeader}
 *       {@code X-Virus-Scan: failed (<reason>)}, to be added to the message's header at delivery.
 * </ul>
 *
 * Each failure is logged once here, with the reason; the signature name of a rejected message is logged by the caller
 * along with its connection id.
 */
public final class ClamavCheck {
    private static final Logger log = LoggerFactory.getLogger(ClamavCheck.class);
    /** Upper bound for the reason copied into the header, so one header line stays short. */
    private static final int MAX_REASON = 120;

    /** What to do when clamd gives no verdict; config key {@code [filter.clamav] on_failure}. */
    public enum OnFailure {
        TEMPFAIL, ACCEPT;

        /** Parses the config value {@code "tempfail"} or {@code "accept"}. */
        public static OnFailure parse(String value) throws ConfigException {
            return switch (value == null ? "" : value.toLowerCase(Locale.ROOT)) {
                case "tempfail" -> TEMPFAIL;
                case "accept" -> ACCEPT;
                default -> throw new ConfigException(
                        "filter.clamav.on_failure: \"" + value + "\" is not one of \"tempfail\", \"accept\"");
            };
        }
    }

    /** The check's answer; SMTP codes are given so the mapping to a reply is mechanical. */
    public sealed interface Decision {
        /** Scanned and clean. */
        record Accept() implements Decision {
        }

        /** A virus: refuse for good. */
        record Reject(int code, String enhancedCode, String text) implements Decision {
        }

        /** No verdict and the policy is to let the sender retry. */
        record TempFail(int code, String enhancedCode, String text) implements Decision {
        }

        /** No verdict and the policy is to accept; {@code header} is one header field without a line ending. */
        record AcceptWithHeader(String header) implements Decision {
        }
    }

    static final Decision.TempFail SCANNER_UNAVAILABLE =
            new Decision.TempFail(451, "4.7.1", "Virus scanner unavailable, try again later");

    private final ClamdClient client;
    private final OnFailure onFailure;

    public ClamavCheck(ClamdClient client, OnFailure onFailure) {
        this.client = Objects.requireNonNull(client, "client");
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
    }

    /** Scans the message (streamed, see {@link ClamdClient#scan}) and applies the policy. */
    public Decision check(InputStream message) {
        var result = client.scan(message);
        if (result instanceof ScanResult.Failed failed) {
            log.warn("virus scan failed ({}): {}", onFailure == OnFailure.TEMPFAIL ? "tempfail" : "accepted unscanned",
                    failed.reason());
        }
        return decide(result, onFailure);
    }

    /** The policy alone, without clamd. */
    public static Decision decide(ScanResult result, OnFailure onFailure) {
        return switch (result) {
            case ScanResult.Clean clean -> new Decision.Accept();
            case ScanResult.Infected infected ->
                    new Decision.Reject(554, "5.7.1", "Virus found: " + printable(infected.signature(), false));
            case ScanResult.Failed failed -> switch (onFailure) {
                case TEMPFAIL -> SCANNER_UNAVAILABLE;
                case ACCEPT -> new Decision.AcceptWithHeader(
                        "X-Virus-Scan: failed (" + printable(failed.reason(), true) + ")");
            };
        };
    }

    /**
     * Printable ASCII only and bounded: the text ends up in a reply line or a header, never CR/LF from outside. In a
     * header comment (RFC 5322 §3.2.2) parentheses would nest, so they become brackets there.
     */
    private static String printable(String text, boolean inComment) {
        var out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < MAX_REASON; i++) {
            char c = text.charAt(i);
            if (inComment && (c == '(' || c == ')')) {
                out.append(c == '(' ? '[' : ']');
            } else {
                out.append(c >= 0x20 && c < 0x7f && c != '\\' ? c : '?');
            }
        }
        return out.toString();
    }
}
