package org.osprey.filter.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osprey.filter.Findings;
import org.osprey.filter.SmtpFacts;
import org.osprey.filter.Verdict;
import org.osprey.filter.dkim.DkimVerifier;
import org.osprey.filter.dkim.Dkimpy;
import org.osprey.filter.dmarc.DmarcEvaluator;
import org.osprey.filter.dns.TestDnsServer;
import org.osprey.filter.dns.TxtLookup;
import org.osprey.filter.greylist.Cidr;
import org.osprey.filter.spf.SpfEvaluator;

/**
 * The whole sender authentication check at the end of DATA, DNS on loopback and signatures by dkimpy: what is
 * refused, the findings for the spam score, the Authentication-Results and Received-SPF fields, forged fields
 * removed, who is not checked, and the time budget.
 */
class SenderAuthenticationTest {
    private static final String OURS = "mx.example.org";
    /** Osprey's own Received line is the first field of every message a check sees. */
    private static final String RECEIVED = "Received: from mx.origin.example (unknown [192.0.2.7])\r\n"
            + "\tby mx.example.org (Osprey) with ESMTP id 1; Sat, 5 Dec 2026 01:00:00 +0000\r\n";
    private static final String BODY = "To: john@example.org\r\nSubject: hello\r\n"
            + "Date: Sat, 05 Dec 2026 01:00:00 +0000\r\nMessage-ID: <1@origin.example>\r\n\r\nHello John.\r\n";

    @TempDir
    Path tmp;
    private TestDnsServer dns;

    @BeforeEach
    void start() throws Exception {
        dns = TestDnsServer.start();
        dns.txt("origin.example", "v=spf1 ip4:192.0.2.0/24 -all");
        dns.txt("mx.origin.example", "v=spf1 a:mx.origin.example -all");
        dns.a("mx.origin.example", "192.0.2.7");
    }

    @AfterEach
    void stop() throws Exception {
        dns.close();
    }

    private SenderAuthentication check(Duration budget, List<Cidr> trusted) {
        TxtLookup txt = TxtLookup.of(Optional.of(dns.address()), Duration.ofSeconds(2));
        return new SenderAuthentication(OURS,
                Optional.of(new SpfEvaluator(Optional.of(dns.address()), Duration.ofSeconds(2), OURS)),
                Optional.of(new DkimVerifier(txt, Clock.systemUTC(), DkimVerifier.DEFAULT_MAX_SIGNATURES)),
                Optional.of(new DmarcEvaluator(txt, RandomGenerator.getDefault())), budget, trusted);
    }

    private SenderAuthentication check() {
        return check(Duration.ofSeconds(10), Cidr.parseAll(List.of("127.0.0.0/8")));
    }

    private static SmtpFacts client(String ip) {
        return new SmtpFacts(InetAddress.ofLiteral(ip), Optional.of("mx.origin.example"), false, Optional.empty());
    }

    private static Verdict run(SenderAuthentication check, SmtpFacts facts, String sender, byte[] message,
                               Findings findings) {
        byte[] received = (RECEIVED).getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[received.length + message.length];
        System.arraycopy(received, 0, all, 0, received.length);
        System.arraycopy(message, 0, all, received.length, message.length);
        return check.data(facts, sender, List.of("john@example.org"), () -> new ByteArrayInputStream(all), findings);
    }

    private static Verdict run(SenderAuthentication check, SmtpFacts facts, String sender, String message,
                               Findings findings) {
        return run(check, facts, sender, message.getBytes(StandardCharsets.UTF_8), findings);
    }

    private static String authenticationResults(Verdict verdict) {
        return ((Verdict.Accept) verdict).headers().stream().filter(h -> h.startsWith("Authentication-Results:"))
                .findFirst().orElseThrow();
    }

    @Test
    void aForgeryOfADomainWithPReject_isRefusedWith550() {
        dns.txt("_dmarc.origin.example", "v=DMARC1; p=reject; rua=mailto:dmarc@origin.example");
        Verdict verdict = run(check(), client("198.51.100.9"), "alice@origin.example",
                "From: Alice <alice@origin.example>\r\n" + BODY, new Findings());
        assertThat(verdict).isInstanceOfSatisfying(Verdict.Reject.class, r -> {
            assertThat(r.code()).isEqualTo(550);
            assertThat(r.enhancedCode()).isEqualTo("5.7.1");
            assertThat(r.text()).contains("DMARC").contains("origin.example").contains("p=reject");
        });
        Verdict bounce = run(check(), client("198.51.100.9"), "", "From: Alice <alice@origin.example>\r\n" + BODY,
                new Findings());
        assertThat(bounce).as("a bounce has no MAIL FROM to align; From still fails")
                .isInstanceOf(Verdict.Reject.class);
    }

    @Test
    void aSubdomainIsRefusedUnderSpRejectAndTheReplySaysSo() {
        dns.txt("_dmarc.lax.example", "v=DMARC1; p=none; sp=reject");
        Verdict sub = run(check(), client("198.51.100.9"), "x@news.lax.example", "From: x@news.lax.example\r\n"
                + BODY, new Findings());
        assertThat(sub).isInstanceOfSatisfying(Verdict.Reject.class, r ->
                assertThat(r.text()).contains("news.lax.example (sp=reject)"));
        Findings findings = new Findings();
        Verdict top = run(check(), client("198.51.100.9"), "x@lax.example", "From: x@lax.example\r\n" + BODY,
                findings);
        assertThat(top).as("the domain itself: p=none").isInstanceOf(Verdict.Accept.class);
        assertThat(findings.has("DMARC_NONE")).isTrue();
    }

    @Test
    void anAlignedDkimSignatureFromElsewherePassesDmarcAndIsReported() throws Exception {
        dns.txt("_dmarc.origin.example", "v=DMARC1; p=reject");
        Dkimpy.Key key = Dkimpy.rsa("origin.example", "sel").publish(dns);
        byte[] signed = Dkimpy.sign(tmp, ("From: Alice <alice@origin.example>\r\n" + BODY)
                .getBytes(StandardCharsets.UTF_8), key, "relaxed/relaxed", false);
        Findings findings = new Findings();
        Verdict verdict = run(check(), client("198.51.100.9"), "alice@origin.example", signed, findings);
        String ar = authenticationResults(verdict);
        assertThat(ar).startsWith("Authentication-Results: mx.example.org;\r\n\t")
                .contains("spf=fail smtp.mailfrom=alice@origin.example")
                .contains("dkim=pass header.d=origin.example header.i=@origin.example header.s=sel"
                        + " header.a=rsa-sha256 header.b=")
                .contains("dmarc=pass (p=reject pct=100 dis=none) header.from=origin.example");
        assertThat(((Verdict.Accept) verdict).headers()).anySatisfy(h ->
                assertThat(h).startsWith("Received-SPF: fail").contains("client-ip=198.51.100.9"));
        assertThat(findings.all()).extracting(Findings.Finding::test)
                .contains("SPF_FAIL", "SPF_HELO_FAIL", "DKIM_VALID", "DKIM_VALID_AU", "DMARC_PASS")
                .doesNotContain("DKIM_INVALID");
    }

    @Test
    void quarantineIsAScoreThatAloneFilesIntoJunkAndSampledOutRejectIsToo() {
        dns.txt("_dmarc.origin.example", "v=DMARC1; p=quarantine");
        Findings findings = new Findings();
        Verdict verdict = run(check(), client("198.51.100.9"), "alice@origin.example",
                "From: alice@origin.example\r\n" + BODY, findings);
        assertThat(authenticationResults(verdict)).contains("dmarc=fail (p=quarantine pct=100 dis=quarantine)")
                .contains("dkim=none");
        assertThat(findings.has("DMARC_QUARANTINE")).isTrue();
        assertThat(SenderAuthentication.DEFAULT_SCORES.get("DMARC_QUARANTINE")).isGreaterThanOrEqualTo(5.0);

        dns.txt("_dmarc.sampled.example", "v=DMARC1; p=reject; pct=0");
        dns.txt("sampled.example", "v=spf1 -all");
        Findings sampled = new Findings();
        Verdict kept = run(check(), client("198.51.100.9"), "a@sampled.example", "From: a@sampled.example\r\n"
                + BODY, sampled);
        assertThat(kept).isInstanceOf(Verdict.Accept.class);
        assertThat(sampled.has("DMARC_REJECT")).isTrue();
        assertThat(SenderAuthentication.DEFAULT_SCORES.get("DMARC_REJECT")).isGreaterThanOrEqualTo(5.0);

        dns.txt("_dmarc.lenient.example", "v=DMARC1; p=none");
        Findings lenient = new Findings();
        run(check(), client("198.51.100.9"), "a@lenient.example", "From: a@lenient.example\r\n" + BODY, lenient);
        assertThat(lenient.has("DMARC_NONE")).isTrue();
        Findings missing = new Findings();
        run(check(), client("192.0.2.7"), "alice@origin.example", "From: x@nodmarc.example\r\n" + BODY, missing);
        assertThat(missing.all()).extracting(Findings.Finding::test)
                .contains("SPF_PASS", "SPF_HELO_PASS", "DMARC_MISSING");
    }

    @Test
    void aBrokenSignatureIsDkimInvalidAndASecondFromCannotHideTheFirst() throws Exception {
        dns.txt("_dmarc.origin.example", "v=DMARC1; p=reject");
        Dkimpy.Key key = Dkimpy.ed25519("other.example", "sel").publish(dns);
        String signed = new String(Dkimpy.sign(tmp, ("From: Alice <alice@other.example>\r\n" + BODY)
                .getBytes(StandardCharsets.UTF_8), key, "relaxed/relaxed", false), StandardCharsets.UTF_8);
        Findings findings = new Findings();
        Verdict verdict = run(check(), client("198.51.100.9"), "a@other.example",
                signed.replace("Hello John", "Hello Jane"), findings);
        assertThat(findings.has("DKIM_INVALID")).isTrue();
        assertThat(authenticationResults(verdict)).contains("dkim=fail (body hash did not verify)");

        Verdict twoFroms = run(check(), client("198.51.100.9"), "a@other.example",
                signed.replace("From: Alice <alice@other.example>\r\n",
                        "From: Alice <alice@other.example>\r\nFrom: Bank <alice@origin.example>\r\n"),
                new Findings());
        assertThat(twoFroms).isInstanceOf(Verdict.Reject.class);
    }

    @Test
    void forgedAuthenticationResultsUnderOurNameAreRemovedByPosition() {
        String message = "From: x@nodmarc.example\r\n"
                + "Authentication-Results: MX.example.org; dkim=pass header.d=bank.example\r\n"
                + "Authentication-Results: relay.other.example; spf=pass smtp.mailfrom=x@nodmarc.example\r\n"
                + "Authentication-Results: (comment) \"mx.example.org\"; dmarc=pass\r\n" + BODY;
        Verdict verdict = run(check(), client("198.51.100.9"), "x@nodmarc.example", message, new Findings());
        assertThat(((Verdict.Accept) verdict).removedFields()).containsExactlyInAnyOrder(2, 4);
        Verdict trusted = run(check(), client("127.0.0.1"), "x@nodmarc.example", message, new Findings());
        assertThat(trusted).as("trusted: not checked, but the forgery still goes")
                .isEqualTo(new Verdict.Accept(List.of(), java.util.Set.of(2, 4)));
    }

    @Test
    void loggedInUsersAndTrustedNetworksAreNotChecked() {
        dns.txt("_dmarc.origin.example", "v=DMARC1; p=reject");
        String message = "From: alice@origin.example\r\n" + BODY;
        assertThat(run(check(), client("127.0.0.1"), "alice@origin.example", message, new Findings()))
                .isEqualTo(Verdict.ACCEPT);
        SmtpFacts user = new SmtpFacts(InetAddress.ofLiteral("198.51.100.9"), Optional.of("laptop"), true,
                Optional.of("alice@origin.example"));
        assertThat(run(check(), user, "alice@origin.example", message, new Findings())).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void aSilentDnsCostsNoMoreThanTheBudgetAndNeverRejects() throws Exception {
        dns.txt("_dmarc.slow.example", "v=DMARC1; p=reject");
        dns.silent("slow.example");
        dns.silent("mx.origin.example");
        Dkimpy.Key key = Dkimpy.rsa("slow.example", "sel");
        dns.silent(key.dnsName());
        byte[] signed = Dkimpy.sign(tmp, ("From: a@slow.example\r\n" + BODY).getBytes(StandardCharsets.UTF_8), key,
                "relaxed/relaxed", false);
        Findings findings = new Findings();
        long start = System.nanoTime();
        Verdict verdict = run(check(Duration.ofMillis(700), List.of()), client("198.51.100.9"), "a@slow.example",
                signed, findings);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1700));
        String ar = authenticationResults(verdict);
        assertThat(ar).contains("spf=temperror").contains("dkim=temperror").contains("dmarc=temperror");
        assertThat(findings.all()).extracting(Findings.Finding::test).contains("SPF_TEMPERROR")
                .doesNotContain("DMARC_REJECT", "DMARC_QUARANTINE");
    }

    @Test
    void everyFindingHasADefaultScore() {
        assertThat(SenderAuthentication.DEFAULT_SCORES).containsKeys("SPF_PASS", "SPF_FAIL", "SPF_SOFTFAIL",
                "SPF_NEUTRAL", "SPF_NONE", "SPF_PERMERROR", "SPF_TEMPERROR", "SPF_HELO_PASS", "SPF_HELO_FAIL",
                "SPF_HELO_SOFTFAIL", "SPF_HELO_NEUTRAL", "SPF_HELO_NONE", "SPF_HELO_PERMERROR", "SPF_HELO_TEMPERROR",
                "DKIM_VALID", "DKIM_VALID_AU", "DKIM_INVALID", "DMARC_PASS", "DMARC_MISSING", "DMARC_NONE",
                "DMARC_QUARANTINE", "DMARC_REJECT");
    }
}
