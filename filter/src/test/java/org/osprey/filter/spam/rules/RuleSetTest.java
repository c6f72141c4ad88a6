package org.osprey.filter.spam.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.osprey.filter.spam.rules.TestMail.BODY;
import static org.osprey.filter.spam.rules.TestMail.mail;
import static org.osprey.filter.spam.rules.TestMail.score;
import static org.osprey.filter.spam.rules.TestMail.tests;

import java.util.Base64;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RuleSetTest {
    @Test
    void aNormalPersonalMailFiresNothing() {
        assertThat(tests(mail(BODY))).isEmpty();
    }

    @Test
    void aReplyInAThreadFiresNothing() {
        assertThat(tests(mail("> earlier text\n\nYes, noon is fine.\n", "Subject: Re: Lunch on Friday",
            "In-Reply-To: <d3adb33f-0@example.net>", "References: <d3adb33f-0@example.net>"))).isEmpty();
    }

    /** A typical marketing newsletter: text and HTML, hidden preview line, images, click tracking, a footer. */
    static final String NEWSLETTER_HTML = """
        <!DOCTYPE html><html><head><meta charset="utf-8"><title>December news</title>
        <style>.button{background:#0a7;color:#fff;padding:8px}</style></head>
        <body style="margin:0">
        <div style="display:none;max-height:0;overflow:hidden;mso-hide:all">Our winter collection is here, with \
        free delivery until Sunday.&zwnj;&nbsp;&zwnj;&nbsp;&zwnj;&nbsp;</div>
        <table width="600" align="center"><tr><td>
        <a href="https://click.mailer-esp.test/c/abc123"><img src="https://img.mailer-esp.test/logo.png" alt="Shop"
         width="200" height="60"></a>
        <h1>The winter collection</h1>
        <p>Warm coats, wool scarves and boots for the cold months. Order before Sunday and delivery is free,
        as always with easy returns within thirty days.</p>
        <img src="https://img.mailer-esp.test/coats.jpg" width="600" height="300" alt="Coats">
        <p><a class="button" href="https://click.mailer-esp.test/c/def456">Shop the collection</a></p>
        <p style="font-size:12px;color:#666">You receive this because you subscribed at
        <a href="https://click.mailer-esp.test/c/ghi789">www.shop.test</a>.
        <a href="https://click.mailer-esp.test/u/jkl">Unsubscribe</a> | Shop Ltd, 1 High Street, Town</p>
        <img src="https://open.mailer-esp.test/o/xyz.gif" width="1" height="1" alt="">
        </td></tr></table></body></html>
        """;

    static String newsletter() {
        String html = Base64.getMimeEncoder().encodeToString(NEWSLETTER_HTML.getBytes(StandardCharsets.UTF_8));
        return mail("""
            --=_b1
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: quoted-printable

            The winter collection

            Warm coats, wool scarves and boots for the cold months. Order before Sunday a=
            nd delivery is free, as always with easy returns within thirty days.

            Shop the collection: https://click.mailer-esp.test/c/def456

            Unsubscribe: https://click.mailer-esp.test/u/jkl
            --=_b1
            Content-Type: text/html; charset=utf-8
            Content-Transfer-Encoding: base64

            """ + html + "\n--=_b1--\n",
            "From: Shop <news@shop.test>", "Reply-To: Shop customer care <care@shop-support.test>",
            "To: bob@example.net", "Subject: December news: the winter collection",
            "Received: from o1.mailer-esp.test (o1.mailer-esp.test [198.51.100.77]) by " + TestMail.US
                + "; Fri, 04 Dec 2026 11:00:05 +0000",
            "Received: by o1.mailer-esp.test with SMTP id x1; Fri, 04 Dec 2026 11:00:03 +0000",
            "Message-ID: <20261204110003.abc@o1.mailer-esp.test>",
            "List-Unsubscribe: <https://click.mailer-esp.test/u/jkl>",
            "Content-Type: multipart/alternative; boundary=\"=_b1\"", "Content-Transfer-Encoding:");
    }

    @Test
    void aTypicalNewsletterScoresLow() {
        assertThat(score(newsletter())).isLessThan(2.0);
        // the reply address of another domain and the footer's tracked link; not the preview line, not the images
        assertThat(tests(newsletter())).containsExactly("FROM_REPLYTO_DIFFER", "LINK_TEXT_OTHER_DOMAIN");
    }

    @Test
    void aBounceScoresLow() {
        String bounce = mail("""
            --b.1
            Content-Description: Notification
            Content-Type: text/plain; charset=us-ascii

            I'm sorry to have to inform you that your message could not be delivered.

            <nobody@example.net>: host mx.example.net said: 550 5.1.1 User unknown
            --b.1
            Content-Description: Delivery report
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mail.example.org
            Final-Recipient: rfc822; nobody@example.net
            Action: failed
            Status: 5.1.1

            --b.1
            Content-Description: Undelivered Message Headers
            Content-Type: text/rfc822-headers

            From: Bob <bob@example.net>
            Subject: hello

            --b.1--
            """, "From: Mail Delivery System <MAILER-DAEMON@mail.example.org>",
            "Subject: Undelivered Mail Returned to Sender",
            "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b.1\"",
            "Content-Transfer-Encoding:");
        assertThat(score(bounce)).isLessThan(1.0);
    }

    @Test
    void anInvitationWithACalendarAndASignedMailScoreLow() {
        String invitation = mail("""
            --alt
            Content-Type: text/plain; charset=utf-8

            Team meeting, Monday 10:00, room 4.
            --alt
            Content-Type: text/html; charset=utf-8

            <html><body><p>Team meeting, Monday 10:00, room 4.</p>
            <p><a href="https://calendar.example.org/e/1">https://calendar.example.org/e/1</a></p></body></html>
            --alt
            Content-Type: text/calendar; charset=utf-8; method=REQUEST

            BEGIN:VCALENDAR
            METHOD:REQUEST
            END:VCALENDAR
            --alt--
            """, "Subject: Invitation: Team meeting", "Content-Type: multipart/alternative; boundary=alt",
            "Content-Transfer-Encoding:");
        assertThat(tests(invitation)).isEmpty();
        String signed = mail("""
            --sig
            Content-Type: text/plain; charset=utf-8

            The contract is attached in the next mail.
            --sig
            Content-Type: application/pkcs7-signature; name="smime.p7s"
            Content-Disposition: attachment; filename="smime.p7s"
            Content-Transfer-Encoding: base64

            MIAGCSqGSIb3DQEHAqCAMIACAQExDzANBglghkgBZQMEAgEFADCABgkqhkiG9w0BBwEAAKCC
            --sig--
            """, "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; "
            + "boundary=sig", "Content-Transfer-Encoding:");
        assertThat(tests(signed)).isEmpty();
    }

    @Test
    void dateRules() {
        assertThat(tests(mail(BODY, "Date:"))).containsExactly("MISSING_DATE");
        assertThat(tests(mail(BODY, "Date: someday soon"))).containsExactly("INVALID_DATE");
        assertThat(tests(mail(BODY, "Date: Fri, 31 Feb 2026 12:00:00 +0100"))).containsExactly("INVALID_DATE");
        assertThat(tests(mail(BODY, "Date: Mon, 14 Dec 2026 12:00:00 +0100"))).containsExactly("DATE_IN_FUTURE");
        assertThat(tests(mail(BODY, "Date: Mon, 16 Nov 2026 12:00:00 +0100"))).containsExactly("DATE_IN_PAST");
        // obsolete but valid forms (RFC 5322 §4.3) and an hour of queueing are fine
        assertThat(tests(mail(BODY, "Date: 4 Dec 26 10:01 GMT"))).isEmpty();
        assertThat(tests(mail(BODY, "Date: Friday, 04-Dec-2026 06:00:00 EST"))).isEmpty();
    }

    @Test
    void messageIdRules() {
        assertThat(tests(mail(BODY, "Message-ID:"))).containsExactly("MISSING_MID");
        assertThat(tests(mail(BODY, "Message-ID: 12345"))).containsExactly("INVALID_MID");
        assertThat(tests(mail(BODY, "Message-ID: <no-at-sign>"))).containsExactly("INVALID_MID");
    }

    @Test
    void requiredHeaders() {
        assertThat(tests(mail(BODY, "From:"))).containsExactly("MISSING_FROM");
        assertThat(tests(mail(BODY, "From: Alice"))).containsExactly("FROM_NO_ADDRESS");
        assertThat(tests(mail(BODY, "Subject:"))).containsExactly("MISSING_SUBJECT");
        assertThat(tests(mail(BODY, "To:"))).containsExactly("MISSING_TO");
        assertThat(tests(mail(BODY, "To:", "Cc: bob@example.net"))).isEmpty();
    }

    @Test
    void fromAndReplyTo() {
        assertThat(tests(mail(BODY, "Reply-To: alice.example@gmail.com")))
            .containsExactly("FREEMAIL_REPLYTO", "FROM_REPLYTO_DIFFER");
        assertThat(tests(mail(BODY, "Reply-To: list@lists.example.net"))).containsExactly("FROM_REPLYTO_DIFFER");
        assertThat(tests(mail(BODY, "Reply-To: alice@mail.example.org"))).isEmpty();
        assertThat(tests(mail(BODY, "From: \"security@bank.test\" <alert@bulk-sender.test>")))
            .containsExactly("FROM_NAME_OTHER_ADDRESS");
        assertThat(tests(mail(BODY, "From: \"alice@example.org\" <alice@mail.example.org>"))).isEmpty();
        assertThat(tests(mail(BODY, "From: =?UTF-8?B?c3VwcG9ydEBwYXlwYWwudGVzdA==?= <x@elsewhere.test>")))
            .containsExactly("FROM_NAME_OTHER_ADDRESS");
        // a list post from a free mail user, From rewritten to the list (DMARC mitigation); a helpdesk on behalf
        assertThat(tests(mail(BODY, "From: Alice via Hikers <hikers@lists.example.net>",
            "Reply-To: alice.example@gmail.com", "List-Id: <hikers.lists.example.net>"))).isEmpty();
        assertThat(tests(mail(BODY, "From: \"alice@example.org via Helpdesk\" <support@helpdesk.test>"))).isEmpty();
    }

    @Test
    void receivedRules() {
        String ours = "Received: from mail.example.org (mail.example.org [198.51.100.7]) by " + TestMail.US
            + "; Fri, 04 Dec 2026 11:00:05 +0000";
        assertThat(tests(mail(BODY, ours, "Received: from trusted (localhost [127.0.0.1]) by " + TestMail.US
            + "; Fri, 04 Dec 2026 10:59:00 +0000"))).containsExactly("FORGED_RECEIVED_OURS");
        assertThat(tests(mail(BODY, ours, "Received: from x ([300.12.1.1]) by mail.example.org; "
            + "Fri, 04 Dec 2026 10:59:00 +0000"))).containsExactly("RCVD_BAD_IP");
        assertThat(tests(mail(BODY, ours, "Received: from x ([203.0.113.1]) by mail.example.org; "
            + "Sun, 06 Dec 2026 10:59:00 +0000"))).containsExactly("RCVD_IN_FUTURE");
        assertThat(tests(mail(BODY, ours, "Received: from x ([203.0.113.1]) by mail.example.org; yesterday")))
            .containsExactly("RCVD_BAD_DATE");
        assertThat(tests(mail(BODY, ours, "Received: (qmail 1234 invoked by uid 89); 4 Dec 2026 10:59:00 -0000")))
            .isEmpty();
    }

    @Test
    void subjectRules() {
        assertThat(tests(mail(BODY, "Subject: LIMITED OFFER FOR YOU"))).containsExactly("SUBJ_ALL_CAPS");
        assertThat(tests(mail(BODY, "Subject: Fwd: IBM Q3"))).isEmpty();
        assertThat(tests(mail(BODY, "Subject: Great news!!!"))).containsExactly("SUBJ_EXCLAIM");
        assertThat(tests(mail(BODY, "Subject: Cheap V1agra here"))).containsExactly("SUBJ_OBFUSCATED");
        assertThat(tests(mail(BODY, "Subject: Your p\u0430ypal account"))).containsExactly("SUBJ_OBFUSCATED");
        assertThat(tests(mail(BODY, "Subject: Order XK5TZ9 and Windows 11 update"))).isEmpty();
        assertThat(tests(mail(BODY, "Subject: Re: your invoice"))).containsExactly("FAKE_REPLY");
        assertThat(tests(mail(BODY, "Subject: Your new rates ljd8fj3"))).containsExactly("SUBJ_TRACKING_ID");
        assertThat(tests(mail(BODY, "Subject: Hello there          20415"))).containsExactly("SUBJ_TRACKING_ID");
        assertThat(tests(mail(BODY, "Subject: Notes on RFC2822 and x86 builds"))).isEmpty();
        assertThat(tests(mail(BODY, "Subject: [RT #48213] printer jam"))).isEmpty();
        assertThat(tests(mail(BODY, "Subject: [osprey] Build failed at 3f9a2c1"))).isEmpty();
        assertThat(tests(mail(BODY, "Subject: " + "]".repeat(20_000) + "x"))).isEmpty();
    }

    @Test
    void charsetRules() {
        assertThat(tests(mail(BODY, "Subject: =?x-made-up?Q?hello?="))).containsExactly("HEADER_CHARSET_UNKNOWN");
        assertThat(tests(mail(BODY, "Content-Type: text/plain; charset=x-made-up")))
            .containsExactly("CHARSET_UNKNOWN");
    }

    @Test
    void bodyRules() {
        assertThat(tests(mail("Get ch3ap m3ds, r0lex and l0ans at the best pr1ce today\n")))
            .containsExactly("OBFUSCATED_WORDS");
        assertThat(tests(mail("Meet in room B12, call ext 4711 or see ticket ABC-123 on Win10 laptops.\n")))
            .isEmpty();
        assertThat(tests(mail("\n\n"))).containsExactly("EMPTY_MESSAGE");
    }

    @Test
    void structuralRules() {
        assertThat(tests(mail("text\n", "Content-Type: multipart/mixed"))).containsExactly("MIME_NO_BOUNDARY");
        assertThat(tests(mail("--b\nContent-Type: text/plain\n\ntext\n", "Content-Type: multipart/mixed; boundary=b")))
            .containsExactly("MIME_MISSING_END");
        assertThat(tests(mail("--b\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\naGk*!gdGhlcmU=\n"
            + "--b--\n", "Content-Type: multipart/mixed; boundary=b"))).containsExactly("MIME_BAD_BASE64");
    }

    @Test
    void htmlRules() {
        String html = "Content-Type: text/html; charset=utf-8";
        assertThat(tests(mail("<html><body><a href=\"https://shop.test/\"><img src=\"https://shop.test/offer.jpg\">"
            + "</a></body></html>\n", html))).containsExactly("HTML_IMAGE_ONLY", "MIME_HTML_ONLY");
        // a short reply with a logo in its signature
        assertThat(tests(mail("""
            --alt
            Content-Type: text/plain; charset=utf-8

            Thanks, see you tomorrow at ten.
            John Smith | Sales | Shop Ltd | +44 20 7946 0000
            --alt
            Content-Type: text/html; charset=utf-8

            <html><body><p>Thanks, see you tomorrow at ten.</p><p>John Smith | Sales | Shop Ltd |
            +44 20 7946 0000</p><img src="cid:logo@shop"></body></html>
            --alt--
            """, "Content-Type: multipart/alternative; boundary=alt", "Content-Transfer-Encoding:"))).isEmpty();
        String filler = "lorem ipsum dolor sit amet consectetur ".repeat(8);
        assertThat(tests(mail("<html><body><p>Short visible offer text here.</p><div style=\"color:#ffffff\">"
            + filler + "</div></body></html>\n", html))).containsExactly("HTML_HIDDEN_TEXT", "MIME_HTML_ONLY");
        assertThat(tests(mail("<html><body><p>Please confirm your account.</p><form action=\"https://x.test/\">"
            + "<input name=\"pw\"></form><script>go()</script></body></html>\n", html)))
            .containsExactly("HTML_FORM", "HTML_SCRIPT", "MIME_HTML_ONLY");
    }

    @Test
    void linkRules() {
        String html = "Content-Type: text/html; charset=utf-8";
        String page = "<html><body><p>Your account needs attention, please log in and check your details.</p>%s"
            + "</body></html>\n";
        assertThat(tests(mail(page.formatted("<a href=\"https://login.bad-host.test/\">https://www.bank.test/login</a>"),
            html))).containsExactly("LINK_TEXT_OTHER_DOMAIN", "MIME_HTML_ONLY");
        assertThat(tests(mail(page.formatted("<a href=\"https://secure.bank.test/\">www.bank.test</a>"), html)))
            .containsExactly("MIME_HTML_ONLY");
        assertThat(tests(mail("See https://bit.ly/3xYz12 for the photos\n"))).containsExactly("URL_SHORTENER");
        assertThat(tests(mail("Log in at http://203.0.113.9/login now\n"))).containsExactly("URL_IP_ADDRESS");
        assertThat(tests(mail("Log in at http://www.bank.test@login.bad-host.test/ now\n")))
            .containsExactly("URL_USERINFO");
    }

    @Test
    void attachmentRules() {
        String exe = """
            --b
            Content-Type: text/plain

            Please see the invoice attached.
            --b
            Content-Type: application/octet-stream; name="invoice.pdf.exe"
            Content-Disposition: attachment; filename="invoice.pdf.exe"
            Content-Transfer-Encoding: base64

            TVqQAAMAAAAEAAAA
            --b--
            """;
        assertThat(tests(mail(exe, "Content-Type: multipart/mixed; boundary=b")))
            .containsExactly("DOUBLE_EXTENSION", "EXE_ATTACHMENT");
        assertThat(tests(mail(exe.replace("invoice.pdf.exe", "invoice.pdf").replace("octet-stream", "pdf"),
            "Content-Type: multipart/mixed; boundary=b"))).isEmpty();
    }

    @Test
    void everyScoreIsSpamAssassinSized() {
        assertThat(RuleSet.defaultScores()).isNotEmpty().allSatisfy((name, score) -> {
            assertThat(name).matches("[A-Z0-9_]+");
            assertThat(score).isBetween(0.1, 2.5);
        });
    }
}
