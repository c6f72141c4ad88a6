package org.osprey.delivery.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osprey.delivery.DeliveryResult;
import org.osprey.delivery.DeliveryResult.Deferred;
import org.osprey.delivery.DeliveryResult.Delivered;
import org.osprey.delivery.DeliveryResult.Failed;
import org.osprey.delivery.Envelope;
import org.osprey.delivery.LocalDelivery.MessageSource;
import org.osprey.filter.dns.TestDnsServer;

/**
 * Remote delivery against the scriptable SMTP server and DNS server, over real sockets on loopback. The domain
 * example.test has MX mx1.example.test = 127.0.0.1, where the test SMTP server listens.
 */
class RemoteDeliveryTest {
    static final String MESSAGE = "From: a@example.org\r\nTo: b@example.test\r\nSubject: hi\r\n\r\nHello\r\n";

    TestDnsServer dns;
    TestSmtpServer server;
    TestSmtpServer second;
    MxResolver resolver;
    RemoteSettings settings;
    RemoteDelivery delivery;

    @BeforeEach
    void setUp() throws IOException {
        dns = TestDnsServer.start();
        server = TestSmtpServer.start();
        dns.mx("example.test", 10, "mx1.example.test").a("mx1.example.test", "127.0.0.1");
        resolver = MxResolver.using(dns.address(), Duration.ofSeconds(1), MxResolver.AddressOrder.IPV4_FIRST);
        settings = RemoteSettings.defaults("client.example.org")
            .withTimeouts(SmtpTimeouts.all(Duration.ofSeconds(5)))
            .withMxPort(server.port());
    }

    @AfterEach
    void tearDown() throws IOException {
        if (delivery != null) {
            delivery.close();
        }
        server.close();
        if (second != null) {
            second.close();
        }
        dns.close();
    }

    @Test
    void allRecipientsOfADomainGoInOneTransaction() {
        var results = deliver("example.test", "b@example.test", "c@example.test");
        assertThat(results.keySet()).containsExactly("b@example.test", "c@example.test");
        assertThat(results.values()).allSatisfy(r -> assertThat(r).isEqualTo(new Delivered(
            "relay=mx1.example.test[127.0.0.1]:" + server.port() + ", tls=none, 250 2.0.0 Ok: queued as TEST1")));
        assertThat(server.messages).hasSize(1);
        TestSmtpServer.Received received = server.messages.getFirst();
        assertThat(received.mailFrom()).isEqualTo("FROM:<a@example.org> SIZE=" + MESSAGE.length());
        assertThat(received.rcptTo()).containsExactly("b@example.test", "c@example.test");
        assertThat(received.text()).isEqualTo(MESSAGE);
        assertThat(server.command("EHLO").line()).isEqualTo("EHLO client.example.org");
    }

    @Test
    void theNextMxIsTriedWhenTheFirstRefusesConnections() {
        // nothing listens on 127.0.0.2
        dns.mx("fallback.test", 10, "mx0.fallback.test").a("mx0.fallback.test", "127.0.0.2")
            .mx("fallback.test", 20, "mx1.example.test");
        var results = deliver("fallback.test", "b@fallback.test");
        assertThat(detail(results.get("b@fallback.test"))).startsWith("relay=mx1.example.test[127.0.0.1]");
    }

    @Test
    void theMostPreferredMxGetsTheMail() throws IOException {
        second = TestSmtpServer.start("127.0.0.3", server.port());
        dns.mx("pref.test", 20, "mx1.example.test").mx("pref.test", 10, "mx3.pref.test")
            .a("mx3.pref.test", "127.0.0.3");
        assertThat(detail(deliver("pref.test", "b@pref.test").get("b@pref.test")))
            .startsWith("relay=mx3.pref.test[127.0.0.3]");
        assertThat(second.messages).hasSize(1);
        assertThat(server.connections()).isZero();
    }

    @Test
    void whenNoHostCanBeReachedTheMailIsDeferredWithTheLastError() {
        dns.mx("down.test", 10, "mx0.down.test").a("mx0.down.test", "127.0.0.2");
        DeliveryResult result = deliver("down.test", "b@down.test").get("b@down.test");
        assertThat(result).isInstanceOf(Deferred.class);
        assertThat(reason(result)).startsWith("4.4.1 connect to mx0.down.test[127.0.0.2]:" + server.port() + ": ");
    }

    @Test
    void withoutMxTheDomainsOwnAddressIsUsed() {
        dns.a("plain.test", "127.0.0.1");
        assertThat(detail(deliver("plain.test", "b@plain.test").get("b@plain.test")))
            .startsWith("relay=plain.test[127.0.0.1]:");
    }

    @Test
    void aNullMxFailsEveryRecipientWithoutConnecting() {
        dns.nullMx("nomail.test");
        var results = deliver("nomail.test", "b@nomail.test", "c@nomail.test");
        assertThat(results.values()).containsOnly(new Failed("5.1.10 domain nomail.test does not accept mail (null MX)"));
        assertThat(server.connections()).isZero();
    }

    @Test
    void aDomainThatDoesNotExistFails() {
        DeliveryResult result = deliver("nowhere.test", "b@nowhere.test").get("b@nowhere.test");
        assertThat(result).isInstanceOf(Failed.class);
        assertThat(reason(result)).startsWith("5.1.2 ");
    }

    @Test
    void aRouteBypassesTheMxRecords() {
        settings = settings.withRoutes(Routes.parse(Map.of("routed.test", "127.0.0.1:" + server.port())));
        assertThat(detail(deliver("routed.test", "b@routed.test").get("b@routed.test")))
            .startsWith("relay=127.0.0.1[127.0.0.1]:" + server.port());
        assertThat(dns.udpQueries()).as("no DNS for a route to an address").isZero();
    }

    @Test
    void aWildcardRouteIsASmartHost() {
        dns.a("smarthost.test", "127.0.0.1");
        settings = settings.withRoutes(Routes.parse(Map.of("*", "[smarthost.test]:" + server.port())));
        assertThat(detail(deliver("anywhere.test", "b@anywhere.test").get("b@anywhere.test")))
            .startsWith("relay=smarthost.test[127.0.0.1]:");
    }

    @Test
    void startTlsIsUsedWhenOffered() {
        server.startTls = true;
        String detail = detail(deliver("example.test", "b@example.test").get("b@example.test"));
        assertThat(detail).containsPattern("tls=TLSv1\\.[23]/TLS_");
        assertThat(server.messages.getFirst().tls()).isTrue();
        // RFC 3207 §4.2: EHLO again after the handshake
        assertThat(server.verbs()).startsWith("EHLO", "STARTTLS", "EHLO", "MAIL");
        assertThat(server.commands.get(2).tls()).isTrue();
    }

    @Test
    void clearTextWhenStartTlsIsNotOffered() {
        assertThat(detail(deliver("example.test", "b@example.test").get("b@example.test"))).contains("tls=none");
        assertThat(server.verbs()).doesNotContain("STARTTLS");
        assertThat(server.messages.getFirst().tls()).isFalse();
    }

    @Test
    void policyNoneNeverStartsTls() {
        server.startTls = true;
        settings = settings.withTlsPolicies(Map.of("example.test", TlsPolicy.NONE), TlsPolicy.OPPORTUNISTIC);
        assertThat(detail(deliver("example.test", "b@example.test").get("b@example.test"))).contains("tls=none");
    }

    @Test
    void requiredTlsDefersWhenStartTlsIsNotOffered() {
        settings = settings.withTlsPolicies(Map.of("example.test", TlsPolicy.REQUIRED), TlsPolicy.OPPORTUNISTIC);
        DeliveryResult result = deliver("example.test", "b@example.test").get("b@example.test");
        assertThat(result).isEqualTo(new Deferred("4.7.5 TLS is required, but was not offered by host"
            + " mx1.example.test[127.0.0.1]"));
        assertThat(server.verbs()).doesNotContain("MAIL");
    }

    @Test
    void requiredTlsTakesAnyCertificate() {
        server.startTls = true;
        settings = settings.withTlsPolicies(Map.of(), TlsPolicy.REQUIRED);
        assertThat(deliver("example.test", "b@example.test").get("b@example.test")).isInstanceOf(Delivered.class);
    }

    @Test
    void verifiedTlsRefusesAnUntrustedCertificate() {
        server.startTls = true;
        settings = settings.withTlsPolicies(Map.of(".test", TlsPolicy.VERIFIED), TlsPolicy.OPPORTUNISTIC);
        DeliveryResult result = deliver("example.test", "b@example.test").get("b@example.test");
        assertThat(result).isInstanceOf(Deferred.class);
        assertThat(reason(result)).startsWith("4.7.5 server certificate not verified for mx1.example.test[127.0.0.1]");
        assertThat(server.verbs()).doesNotContain("MAIL");
    }

    @Test
    void verifiedTlsChecksTheNameAgainstTheMxHost() {
        server.startTls = true;
        settings = settings.withTls(ClientTls.trusting(TestSmtpServer.tls().certificateChain()))
            .withTlsPolicies(Map.of(), TlsPolicy.VERIFIED);
        assertThat(deliver("example.test", "b@example.test").get("b@example.test")).isInstanceOf(Delivered.class);

        // the same certificate behind another MX name does not pass
        dns.mx("other.test", 10, "mx9.other.test").a("mx9.other.test", "127.0.0.1");
        DeliveryResult result = deliver("other.test", "b@other.test").get("b@other.test");
        assertThat(reason(result)).startsWith("4.7.5 server certificate not verified for mx9.other.test[127.0.0.1]");
    }

    @Test
    void opportunisticTlsRetriesInClearTextWhenTheHandshakeFails() {
        server.startTls = true;
        server.brokenTls = true;
        assertThat(detail(deliver("example.test", "b@example.test").get("b@example.test"))).contains("tls=none");
        assertThat(server.connections()).isEqualTo(2);
        assertThat(server.messages.getFirst().connection()).isEqualTo(2);
    }

    @Test
    void dataSentInClearTextAfterTheStartTlsReplyIsRefused() {
        // a man in the middle answering STARTTLS and appending a reply of his own (CVE-2011-0411, client side)
        server.startTls = true;
        server.startTlsReply = "220 2.0.0 Ready to start TLS\r\n250 2.0.0 injected";
        settings = settings.withTlsPolicies(Map.of(), TlsPolicy.REQUIRED);
        DeliveryResult result = deliver("example.test", "b@example.test").get("b@example.test");
        assertThat(reason(result)).startsWith("4.7.5 TLS handshake with mx1.example.test[127.0.0.1] failed")
            .contains("clear text after its STARTTLS reply");
        assertThat(server.messages).isEmpty();
    }

    @Test
    void pipeliningSendsMailRcptAndDataInOneWrite() {
        deliver("example.test", "b@example.test", "c@example.test");
        int read = server.command("MAIL").read();
        assertThat(server.commands).filteredOn(c -> c.line().matches("(?i)(RCPT|DATA).*"))
            .hasSize(3).allSatisfy(c -> assertThat(c.read()).isEqualTo(read));
    }

    @Test
    void withoutPipeliningEachCommandWaitsForItsReply() {
        server.pipelining = false;
        assertThat(deliver("example.test", "b@example.test", "c@example.test").values())
            .allSatisfy(r -> assertThat(r).isInstanceOf(Delivered.class));
        assertThat(server.command("RCPT").read()).isGreaterThan(server.command("MAIL").read());
        assertThat(server.command("DATA").read()).isGreaterThan(server.command("RCPT").read());
    }

    @Test
    void eachRecipientGetsTheReplyToItsRcpt() {
        for (boolean pipelining : new boolean[] {true, false}) {
            server.pipelining = pipelining;
            server.messages.clear();
            server.rcptReply = to -> switch (to.substring(0, to.indexOf('@'))) {
                case "unknown" -> "550 5.1.1 <" + to + ">: Recipient address rejected: User unknown";
                case "full" -> "452 4.2.2 <" + to + ">: mailbox full";
                default -> "250 2.1.5 Ok";
            };
            var results = deliver("example.test", "b@example.test", "unknown@example.test", "full@example.test",
                "c@example.test");
            assertThat(results.get("b@example.test")).isInstanceOf(Delivered.class);
            assertThat(results.get("c@example.test")).isInstanceOf(Delivered.class);
            assertThat(results.get("unknown@example.test")).isEqualTo(new Failed("5.1.1 host mx1.example.test"
                + "[127.0.0.1] said: 550 5.1.1 <unknown@example.test>: Recipient address rejected: User unknown"
                + " (in reply to RCPT TO command)"));
            assertThat(results.get("full@example.test")).isEqualTo(new Deferred("4.2.2 host mx1.example.test"
                + "[127.0.0.1] said: 452 4.2.2 <full@example.test>: mailbox full (in reply to RCPT TO command)"));
            assertThat(server.messages.getFirst().rcptTo()).containsExactly("b@example.test", "c@example.test");
        }
    }

    @Test
    void whenNoRecipientIsAcceptedNoMessageIsSent() {
        server.rcptReply = to -> "550 5.1.1 no such user";
        var results = deliver("example.test", "b@example.test");
        assertThat(results.get("b@example.test")).isInstanceOf(Failed.class);
        assertThat(server.messages).isEmpty();
    }

    @Test
    void aTemporaryGreetingDefers() {
        server.greeting = "421 4.3.2 mx1.example.test busy, try later";
        DeliveryResult result = deliver("example.test", "b@example.test").get("b@example.test");
        assertThat(result).isEqualTo(new Deferred("4.3.2 host mx1.example.test[127.0.0.1] refused to talk to me:"
            + " 421 4.3.2 mx1.example.test busy, try later"));
    }

    @Test
    void theReplyToTheDotIsForEveryAcceptedRecipient() {
        server.endOfDataReply = "451 4.3.0 Error: queue file write error";
        var results = deliver("example.test", "b@example.test", "c@example.test");
        assertThat(results.values()).containsOnly(new Deferred("4.3.0 host mx1.example.test[127.0.0.1] said: 451"
            + " 4.3.0 Error: queue file write error (in reply to end of DATA command)"));

        server.endOfDataReply = "554 5.7.1 spam";
        results = deliver("example.test", "b@example.test", "c@example.test");
        assertThat(results.values()).allSatisfy(r -> assertThat(r).isInstanceOf(Failed.class));
        assertThat(reason(results.get("c@example.test"))).startsWith("5.7.1 ").endsWith("(in reply to end of DATA"
            + " command)");
    }

    @Test
    void aRefusedDataCommandIsForEveryAcceptedRecipient() {
        server.dataReply = "554 5.5.1 no thanks";
        var results = deliver("example.test", "b@example.test", "c@example.test");
        assertThat(results.values()).allSatisfy(r -> assertThat(reason(r)).startsWith("5.5.1 ")
            .endsWith("(in reply to DATA command)"));
    }

    @Test
    void aTemporaryReplyToMailMovesToTheNextHost() throws IOException {
        second = TestSmtpServer.start("127.0.0.3", server.port());
        second.mailReply = from -> "451 4.7.1 greylisted";
        dns.mx("grey.test", 10, "mx3.grey.test").a("mx3.grey.test", "127.0.0.3").mx("grey.test", 20,
            "mx1.example.test");
        assertThat(detail(deliver("grey.test", "b@grey.test").get("b@grey.test")))
            .startsWith("relay=mx1.example.test[127.0.0.1]");
        assertThat(second.messages).isEmpty();
    }

    @Test
    void aRecipientDeferredByOneHostIsNotOfferedToTheNext() throws IOException {
        second = TestSmtpServer.start("127.0.0.3", server.port());
        second.rcptReply = to -> to.startsWith("full") ? "452 4.2.2 mailbox full" : "250 2.1.5 Ok";
        dns.mx("split.test", 10, "mx3.split.test").a("mx3.split.test", "127.0.0.3").mx("split.test", 20,
            "mx1.example.test");
        var results = deliver("split.test", "b@split.test", "full@split.test");
        assertThat(results.get("b@split.test")).isInstanceOf(Delivered.class);
        assertThat(reason(results.get("full@split.test"))).startsWith("4.2.2 host mx3.split.test[127.0.0.3]");
        assertThat(server.connections()).isZero();
    }

    @Test
    void aConnectionLostBeforeTheDotMovesToTheNextHost() throws IOException {
        second = TestSmtpServer.start("127.0.0.3", server.port());
        second.dropAt = "DATA";
        second.pipelining = false;
        dns.mx("lost.test", 10, "mx3.lost.test").a("mx3.lost.test", "127.0.0.3").mx("lost.test", 20,
            "mx1.example.test");
        var results = deliver("lost.test", "b@lost.test", "c@lost.test");
        assertThat(results.values()).allSatisfy(r -> assertThat(detail(r)).startsWith("relay=mx1.example.test"));
        assertThat(server.messages.getFirst().rcptTo()).containsExactly("b@lost.test", "c@lost.test");
    }

    @Test
    void noReplyToTheDotDefersWithoutTryingAnotherHost() {
        settings = settings.withTimeouts(SmtpTimeouts.all(Duration.ofMillis(300)));
        server.endOfDataDelay = Duration.ofSeconds(2);
        DeliveryResult result = deliver("example.test", "b@example.test").get("b@example.test");
        assertThat(result).isEqualTo(new Deferred("4.4.2 conversation with mx1.example.test[127.0.0.1] timed out"
            + " while sending end of data -- message may be sent more than once"));
    }

    @Test
    void eightBitMimeIsDeclaredWhenThePeerOffersIt() {
        String message = "Subject: hi\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: 8bit\r\n\r\nGrüße\r\n";
        deliver(envelope("a@example.org", "8BITMIME", false, message), "example.test", message, "b@example.test");
        assertThat(server.messages.getFirst().mailFrom()).endsWith(" BODY=8BITMIME");
        assertThat(server.messages.getFirst().text()).isEqualTo(message);
    }

    @Test
    void eightBitMessagesAreConvertedForAPeerWithout8BitMime() {
        server.eightBitMime = false;
        String message = "Subject: hi\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: 8bit\r\n\r\nGrüße\r\n";
        assertThat(deliver(envelope("a@example.org", "8BITMIME", false, message), "example.test", message,
            "b@example.test").get("b@example.test")).isInstanceOf(Delivered.class);
        assertThat(server.messages.getFirst().mailFrom()).doesNotContain("BODY=");
        assertThat(server.messages.getFirst().text()).isEqualTo("Subject: hi\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nMIME-Version: 1.0\r\n"
            + "Content-Transfer-Encoding: quoted-printable\r\n\r\nGr=C3=BC=C3=9Fe\r\n");
    }

    @Test
    void aSevenBitCleanMessageGoesUnchangedToAPeerWithout8BitMime() {
        server.eightBitMime = false;
        deliver(envelope("a@example.org", "8BITMIME", false, MESSAGE), "example.test", MESSAGE, "b@example.test");
        assertThat(server.messages.getFirst().mailFrom()).doesNotContain("BODY=");
        assertThat(server.messages.getFirst().text()).isEqualTo(MESSAGE);
    }

    @Test
    void smtpUtf8IsDeclaredWhenNeededAndOffered() {
        server.smtpUtf8 = true;
        var results = deliver(envelope("jörg@example.org", "8BITMIME", true, MESSAGE), "example.test", MESSAGE,
            "brötchen@example.test");
        assertThat(results.get("brötchen@example.test")).isInstanceOf(Delivered.class);
        assertThat(server.messages.getFirst().mailFrom()).startsWith("FROM:<jörg@example.org>")
            .endsWith(" BODY=8BITMIME SMTPUTF8");
        assertThat(server.messages.getFirst().rcptTo()).containsExactly("brötchen@example.test");
    }

    @Test
    void aMessageThatNeedsSmtpUtf8FailsAtAPeerWithoutIt() {
        DeliveryResult result = deliver(envelope("a@example.org", "8BITMIME", true, MESSAGE), "example.test",
            MESSAGE, "b@example.test").get("b@example.test");
        assertThat(result).isEqualTo(new Failed("5.6.7 SMTPUTF8 is required, but was not offered by host"
            + " mx1.example.test[127.0.0.1]"));
        // a non-ASCII local part needs it too, whatever the envelope says
        result = deliver(envelope("a@example.org", "7BIT", false, MESSAGE), "example.test", MESSAGE,
            "brötchen@example.test").get("brötchen@example.test");
        assertThat(reason(result)).startsWith("5.6.7 ");
        assertThat(server.verbs()).doesNotContain("MAIL");
    }

    @Test
    void aUnicodeDomainGoesAsALabelWithoutSmtpUtf8() {
        dns.mx("xn--bcher-kva.test", 10, "mx1.example.test");
        var results = deliver("bücher.test", "b@bücher.test");
        assertThat(results.get("b@bücher.test")).isInstanceOf(Delivered.class);
        assertThat(server.messages.getFirst().rcptTo()).containsExactly("b@xn--bcher-kva.test");
        assertThat(server.messages.getFirst().mailFrom()).doesNotContain("SMTPUTF8");
    }

    @Test
    void linesStartingWithADotAreStuffed() {
        String message = "Subject: dots\r\n\r\n.hidden\r\n..\r\n.\r\nend\r\n";
        deliver(envelope("a@example.org", "7BIT", false, message), "example.test", message, "b@example.test");
        assertThat(server.messages.getFirst().wireText()).isEqualTo("Subject: dots\r\n\r\n..hidden\r\n...\r\n"
            + "..\r\nend\r\n");
        assertThat(server.messages.getFirst().text()).isEqualTo(message);
    }

    @Test
    void theNullSenderIsSentAsEmptyPath() {
        deliver(envelope("", "7BIT", false, MESSAGE), "example.test", MESSAGE, "b@example.test");
        assertThat(server.messages.getFirst().mailFrom()).startsWith("FROM:<> ");
    }

    @Test
    void aBadRecipientAddressFailsAlone() {
        var results = deliver("example.test", "b@example.test", "not an address@example.test");
        assertThat(results.get("b@example.test")).isInstanceOf(Delivered.class);
        assertThat(reason(results.get("not an address@example.test"))).startsWith("5.1.3 ");
    }

    @Test
    void manyRecipientsGoInSeveralTransactionsOnOneConnection() {
        settings = settings.withRecipientLimit(2);
        var results = deliver("example.test", "r1@example.test", "r2@example.test", "r3@example.test",
            "r4@example.test", "r5@example.test");
        assertThat(results.values()).allSatisfy(r -> assertThat(r).isInstanceOf(Delivered.class));
        assertThat(server.connections()).isEqualTo(1);
        assertThat(server.messages).extracting(m -> m.rcptTo().size()).containsExactly(2, 2, 1);
        assertThat(server.verbs()).containsSubsequence("DATA", "RSET", "MAIL", "DATA", "RSET", "MAIL", "DATA");
    }

    @Test
    void theNextMessageToTheSameHostReusesTheConnection() {
        deliver("example.test", "b@example.test");
        deliver("example.test", "c@example.test");
        assertThat(server.connections()).isEqualTo(1);
        assertThat(server.messages).hasSize(2);
        assertThat(server.verbs()).containsSubsequence("DATA", "RSET", "MAIL").doesNotContain("QUIT");
        assertThat(server.verbs().stream().filter("EHLO"::equals)).hasSize(1);
    }

    @Test
    void withoutACacheEveryMessageHasItsOwnConnection() {
        settings = settings.withConnectionCache(0, Duration.ofSeconds(2));
        deliver("example.test", "b@example.test");
        deliver("example.test", "c@example.test");
        assertThat(server.connections()).isEqualTo(2);
        assertThat(server.verbs()).containsSubsequence("DATA", "QUIT", "EHLO", "DATA", "QUIT");
    }

    @Test
    void aCachedConnectionThePeerClosedIsReplacedQuietly() throws IOException {
        deliver("example.test", "b@example.test");
        server.dropConnections();
        assertThat(deliver("example.test", "c@example.test").get("c@example.test")).isInstanceOf(Delivered.class);
        assertThat(server.connections()).isEqualTo(2);
    }

    @Test
    void closeQuitsTheIdleConnections() {
        deliver("example.test", "b@example.test");
        delivery.close();
        delivery = null;
        await().atMost(Duration.ofSeconds(5))
            .untilAsserted(() -> assertThat(server.verbs()).endsWith("QUIT"));
    }

    @Test
    void authPlainOverStartTlsToARouteWithCredentials() {
        server.startTls = true;
        server.authUser = "relayuser";
        server.authPassword = "s3cret";
        settings = settings.withRoutes(Routes.of(Map.of("*", Route.parse("127.0.0.1:" + server.port())
            .withCredentials("relayuser", "s3cret"))));
        assertThat(deliver("anywhere.test", "b@anywhere.test").get("b@anywhere.test")).isInstanceOf(Delivered.class);
        TestSmtpServer.Received received = server.messages.getFirst();
        assertThat(received.authUser()).isEqualTo("relayuser");
        assertThat(received.tls()).isTrue();
        assertThat(server.command("AUTH PLAIN").tls()).isTrue();
    }

    @Test
    void implicitTlsToASubmissionPort() {
        server.implicitTls = true;
        server.authUser = "relayuser";
        server.authPassword = "s3cret";
        settings = settings.withRoutes(Routes.of(Map.of("*", Route.parse("127.0.0.1:" + server.port())
            .withImplicitTls(true).withCredentials("relayuser", "s3cret"))));
        assertThat(detail(deliver("anywhere.test", "b@anywhere.test").get("b@anywhere.test")))
            .containsPattern("tls=TLSv1\\.[23]/");
        assertThat(server.messages.getFirst().authUser()).isEqualTo("relayuser");
        assertThat(server.verbs()).doesNotContain("STARTTLS");
    }

    @Test
    void aWrongPasswordDefers() {
        server.startTls = true;
        server.authUser = "relayuser";
        server.authPassword = "s3cret";
        settings = settings.withRoutes(Routes.of(Map.of("*", Route.parse("127.0.0.1:" + server.port())
            .withCredentials("relayuser", "wrong"))));
        DeliveryResult result = deliver("anywhere.test", "b@anywhere.test").get("b@anywhere.test");
        assertThat(result).isEqualTo(new Deferred("4.7.8 SASL authentication failed; host 127.0.0.1[127.0.0.1]"
            + " said: 535 5.7.8 Error: authentication failed"));
    }

    @Test
    void aPasswordIsNeverSentInClearText() {
        server.authUser = "relayuser";
        server.authPassword = "s3cret";
        settings = settings.withRoutes(Routes.of(Map.of("*", Route.parse("127.0.0.1:" + server.port())
            .withCredentials("relayuser", "s3cret"))));
        DeliveryResult result = deliver("anywhere.test", "b@anywhere.test").get("b@anywhere.test");
        assertThat(reason(result)).startsWith("4.7.5 TLS is required");
        assertThat(server.verbs()).doesNotContain("AUTH");
    }

    @Test
    void ehloRefusedFallsBackToHelo() {
        server.ehloReply = "502 5.5.2 Error: command not recognized";
        assertThat(deliver("example.test", "b@example.test").get("b@example.test")).isInstanceOf(Delivered.class);
        assertThat(server.verbs()).startsWith("EHLO", "HELO", "MAIL");
        assertThat(server.messages.getFirst().mailFrom()).isEqualTo("FROM:<a@example.org>");
    }

    @Test
    void aMessageOverThePeersSizeLimitFailsWithoutSending() {
        server.size = 10;
        DeliveryResult result = deliver("example.test", "b@example.test").get("b@example.test");
        assertThat(result).isEqualTo(new Failed("5.3.4 message size " + MESSAGE.length() + " exceeds size limit 10"
            + " of server mx1.example.test[127.0.0.1]"));
        assertThat(server.verbs()).doesNotContain("MAIL");
    }

    @Test
    void concurrentDeliveriesToOneDestinationAreLimited() throws Exception {
        settings = settings.withDestinationConcurrency(2);
        server.endOfDataDelay = Duration.ofMillis(200);
        RemoteDelivery shared = delivery();
        List<Future<Map<String, DeliveryResult>>> futures = new ArrayList<>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 6; i++) {
                String rcpt = "r" + i + "@example.test";
                futures.add(threads.submit(() -> shared.deliver(envelope("a@example.org", "7BIT", false, MESSAGE),
                    "example.test", List.of(rcpt), source(MESSAGE))));
            }
            for (var future : futures) {
                assertThat(future.get().values()).allSatisfy(r -> assertThat(r).isInstanceOf(Delivered.class));
            }
        }
        assertThat(server.messages).hasSize(6);
        assertThat(server.maxConcurrentData()).isEqualTo(2);
    }

    // ---- helpers

    private RemoteDelivery delivery() {
        if (delivery == null) {
            delivery = new RemoteDelivery(settings, resolver);
        }
        return delivery;
    }

    private Map<String, DeliveryResult> deliver(String domain, String... recipients) {
        return deliver(envelope("a@example.org", "7BIT", false, MESSAGE), domain, MESSAGE, recipients);
    }

    private Map<String, DeliveryResult> deliver(Envelope envelope, String domain, String message,
                                                String... recipients) {
        return delivery().deliver(envelope, domain, List.of(recipients), source(message));
    }

    private static Envelope envelope(String sender, String body, boolean smtpUtf8, String message) {
        return new Envelope("TESTQ1", 0, sender, List.of(), List.of(), "192.0.2.99", "client", "ESMTPSA", smtpUtf8,
            body, List.of(), message.getBytes(StandardCharsets.UTF_8).length);
    }

    private static MessageSource source(String message) {
        return () -> new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8));
    }

    private static String detail(DeliveryResult result) {
        assertThat(result).isInstanceOf(Delivered.class);
        return ((Delivered) result).detail();
    }

    private static String reason(DeliveryResult result) {
        return switch (result) {
            case Deferred d -> d.reason();
            case Failed f -> f.reason();
            case Delivered d -> throw new AssertionError("delivered: " + d.detail());
        };
    }
}
