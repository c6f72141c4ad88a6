package org.osprey.delivery.remote;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.util.Base64;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a session that is ready for MAIL: connect, greeting, EHLO (HELO when EHLO is refused with 5xx), STARTTLS
 * as the {@link TlsPolicy} asks and EHLO again, AUTH when the route has credentials. Failures become a
 * {@link PeerException} saying what the recipients get and whether the next peer is worth a try. Stateless.
 */
final class SessionSetup {
    private static final Logger log = LoggerFactory.getLogger(SessionSetup.class);

    private final String heloName;
    private final SmtpTimeouts timeouts;
    private final ClientTls tls;

    SessionSetup(String heloName, SmtpTimeouts timeouts, ClientTls tls) {
        this.heloName = heloName;
        this.timeouts = timeouts;
        this.tls = tls;
    }

    /**
     * @param route the route the peer came from, or null for an MX host; gives implicit TLS and credentials
     */
    SmtpClient open(Peer peer, TlsPolicy policy, Route route) throws PeerException {
        boolean implicitTls = route != null && route.implicitTls();
        boolean credentials = route != null && route.credentials() != null;
        try {
            return open(peer, policy, route, policy != TlsPolicy.NONE || implicitTls || credentials);
        } catch (PeerException e) {
            if (!e.tlsHandshakeFailed() || policy != TlsPolicy.OPPORTUNISTIC || implicitTls || credentials) {
                throw e;
            }
            // Postfix's "may" level does the same: a peer whose TLS is broken still gets the mail in clear text
            log.info("TLS handshake with {} failed, trying again in clear text: {}", peer, e.reason());
            return open(peer, policy, route, false);
        }
    }

    private SmtpClient open(Peer peer, TlsPolicy policy, Route route, boolean useTls) throws PeerException {
        boolean implicitTls = route != null && route.implicitTls();
        Route.Credentials credentials = route == null ? null : route.credentials();
        // a password never goes over clear text, whatever the policy says
        boolean tlsRequired = policy.mandatory() || credentials != null || implicitTls;
        boolean verify = policy == TlsPolicy.VERIFIED;
        SmtpClient client;
        log.debug("connecting to {}", peer);
        try {
            client = SmtpClient.connect(peer, timeouts.connect());
        } catch (IOException e) {
            throw PeerException.next("4.4.1 connect to " + peer + ": " + Reply.clean(Reasons.message(e)), false);
        }
        String during = "receiving the initial server greeting";
        boolean greeted = false;
        try {
            if (implicitTls) {
                during = "performing the TLS handshake";
                handshake(client, verify);
            }
            during = "receiving the initial server greeting";
            Reply greeting = client.read(timeouts.greeting());
            if (!greeting.positive()) {
                // Postfix's smtp_skip_5xx_greeting: a 5xx greeting speaks for this host only, so the next is tried
                throw PeerException.next(deferredStatus(greeting) + " host " + peer.label() + " refused to talk to"
                    + " me: " + greeting.text(), false);
            }
            greeted = true;
            during = "performing the EHLO handshake";
            hello(client);
            if (!client.isTls() && useTls) {
                if (!client.extensions().startTls()) {
                    if (tlsRequired) {
                        throw PeerException.next("4.7.5 TLS is required, but was not offered by host "
                            + peer.label(), true);
                    }
                } else {
                    during = "sending STARTTLS";
                    Reply reply = client.command("STARTTLS", timeouts.helo());
                    if (reply.positive()) {
                        during = "performing the TLS handshake";
                        handshake(client, verify);
                        during = "performing the EHLO handshake after STARTTLS";
                        hello(client);
                    } else if (tlsRequired) {
                        throw PeerException.next("4.7.5 TLS is required, but host " + peer.label()
                            + " refused STARTTLS: " + reply.text(), true);
                    } else {
                        // RFC 3207 §4.1: after a refusal the client may go on without TLS
                        log.debug("{} refused STARTTLS: {}", peer, reply.text());
                    }
                }
            }
            if (credentials != null) {
                during = "authenticating";
                authenticate(client, credentials);
            }
            return client;
        } catch (PeerException e) {
            client.close();
            throw e;
        } catch (IOException e) {
            client.close();
            throw PeerException.next(Reasons.broken(peer, e, during), greeted);
        }
    }

    /** EHLO, or HELO when EHLO gets a 5xx (RFC 5321 §3.2); sets the client's extensions. */
    private void hello(SmtpClient client) throws IOException, PeerException {
        Peer peer = client.peer();
        Reply ehlo = client.command("EHLO " + heloName, timeouts.helo());
        if (ehlo.positive()) {
            client.extensions(Extensions.parse(ehlo));
            return;
        }
        if (!ehlo.permanent()) {
            throw PeerException.next(Reasons.said(peer, ehlo, "EHLO"), true);
        }
        Reply helo = client.command("HELO " + heloName, timeouts.helo());
        if (helo.positive()) {
            client.extensions(Extensions.NONE);
            return;
        }
        throw helo.permanent() ? PeerException.fatal(Reasons.said(peer, helo, "HELO"))
            : PeerException.next(Reasons.said(peer, helo, "HELO"), true);
    }

    private void handshake(SmtpClient client, boolean verify) throws IOException, PeerException {
        Peer peer = client.peer();
        try {
            client.startTls(tls, verify, timeouts.helo());
        } catch (SSLException | SmtpProtocolException e) {
            String why = Reply.clean(Reasons.message(e));
            throw PeerException.tlsHandshake(verify && isCertificateProblem(e)
                ? "4.7.5 server certificate not verified for " + peer.label() + ": " + why
                : "4.7.5 TLS handshake with " + peer.label() + " failed: " + why);
        }
        // Postfix's wording: "Verified" when chain and name were checked, "Untrusted" when nothing was
        log.info("{} TLS connection established to {}: {} with cipher {}", verify ? "Verified" : "Untrusted", peer,
            client.tlsProtocol(), client.tlsCipher());
    }

    private static boolean isCertificateProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    /**
     * AUTH PLAIN (RFC 4616, with the initial response of RFC 4954 §4) or LOGIN, whichever the server offers, PLAIN
     * first. A failure defers the mail and tries the next peer, as Postfix's smtp_sasl_auth_soft_bounce does: a
     * wrong password is the sender's configuration, not a reason to bounce.
     */
    private void authenticate(SmtpClient client, Route.Credentials credentials) throws IOException, PeerException {
        Peer peer = client.peer();
        var mechanisms = client.extensions().auth();
        Reply reply;
        if (mechanisms.contains("PLAIN")) {
            String response = base64("\0" + credentials.username() + "\0" + credentials.password());
            reply = client.command("AUTH PLAIN " + response, timeouts.helo());
            if (reply.code() == 334) {
                // a server that ignores initial responses asks again with an empty challenge
                reply = client.command(response, timeouts.helo());
            }
        } else if (mechanisms.contains("LOGIN")) {
            reply = client.command("AUTH LOGIN", timeouts.helo());
            if (reply.code() == 334) {
                reply = client.command(base64(credentials.username()), timeouts.helo());
            }
            if (reply.code() == 334) {
                reply = client.command(base64(credentials.password()), timeouts.helo());
            }
        } else {
            throw PeerException.next("4.7.0 host " + peer.label() + " offers no AUTH mechanism we can use (PLAIN,"
                + " LOGIN)" + (mechanisms.isEmpty() ? "" : "; it offers " + String.join(" ", mechanisms)), true);
        }
        if (reply.code() == 334) {
            client.command("*", timeouts.helo()); // RFC 4954 §4: cancel an exchange we cannot finish
        }
        if (reply.code() != 235) {
            throw PeerException.next(deferredStatus(reply) + " SASL authentication failed; host " + peer.label()
                + " said: " + reply.text(), true);
        }
        log.debug("authenticated to {} as {}", peer, credentials.username());
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The reply's enhanced status with class 4: the failure is deferred whatever class the server gave. */
    private static String deferredStatus(Reply reply) {
        return "4" + reply.status().substring(1);
    }
}
