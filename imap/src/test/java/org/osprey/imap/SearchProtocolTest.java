package org.osprey.imap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SEARCH, ESEARCH, SEARCHRES, SORT and THREAD as the client sees them (evaluation is tested in imap.search). */
class SearchProtocolTest {
    static ImapStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = ImapStack.start();
        stack.deliver("john", "From: Zed <zed@example.net>\r\nSubject: Zebra report\r\nDate: Wed, 1 Apr 2026 10:00:00 +0000"
                + "\r\nMessage-ID: <a@x>\r\n\r\nThe quarterly numbers are attached.\r\n");
        stack.deliver("john", "From: Amy <amy@example.net>\r\nSubject: Re: Zebra report\r\nDate: Thu, 2 Apr 2026 10:00:00"
                + " +0000\r\nMessage-ID: <b@x>\r\nIn-Reply-To: <a@x>\r\nReferences: <a@x>\r\n\r\nThanks, numbers look fine.\r\n");
        stack.deliver("john", "From: Bob <bob@example.net>\r\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\nDate: Fri, 3 Apr 2026"
                + " 10:00:00 +0000\r\nMessage-ID: <c@x>\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\nViele Gr=C3=BC=C3=9Fe aus M=C3=BCnchen\r\n");
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    void searchKeysBodyTextAndCharset() throws Exception {
        try (ImapClient c = stack.login("john")) {
            c.command("SELECT INBOX");
            assertThat(c.command("SEARCH ALL").line("SEARCH")).isEqualTo("* SEARCH 1 2 3");
            assertThat(c.command("SEARCH FROM amy").line("SEARCH")).isEqualTo("* SEARCH 2");
            assertThat(c.command("SEARCH BODY numbers").line("SEARCH")).isEqualTo("* SEARCH 1 2");
            assertThat(c.command("SEARCH TEXT zebra NOT FROM zed").line("SEARCH")).isEqualTo("* SEARCH 2");
            assertThat(c.command("SEARCH CHARSET UTF-8 SUBJECT \"Grüße\"").line("SEARCH")).isEqualTo("* SEARCH 3");
            assertThat(c.command("SEARCH CHARSET UTF-8 BODY {8+}\r\nmünchen").line("SEARCH")).isEqualTo("* SEARCH 3");
            assertThat(c.command("UID SEARCH SENTSINCE 2-Apr-2026").line("SEARCH")).isEqualTo("* SEARCH 2 3");
            assertThat(c.command("SEARCH CHARSET KOI8-BOGUS ALL").completion()).startsWith("NO [BADCHARSET");
        }
    }

    @Test
    void esearchAndSavedResults() throws Exception {
        try (ImapClient c = stack.login("john")) {
            c.command("SELECT INBOX");
            ImapClient.Response r = c.command("SEARCH RETURN (MIN MAX COUNT ALL) ALL");
            assertThat(r.line("ESEARCH")).matches("\\* ESEARCH \\(TAG \"a\\d+\"\\) MIN 1 MAX 3 ALL 1:3 COUNT 3");
            assertThat(c.command("UID SEARCH RETURN (SAVE) FROM amy").untagged()).isEmpty();
            assertThat(c.command("FETCH $ (UID)").untagged()).containsExactly("* 2 FETCH (UID 2)");
            assertThat(c.command("UID SEARCH RETURN (COUNT) BODY nothingmatchesthis").line("ESEARCH"))
                    .endsWith("UID COUNT 0");
        }
    }

    @Test
    void sortAndThread() throws Exception {
        try (ImapClient c = stack.login("john")) {
            c.command("SELECT INBOX");
            assertThat(c.command("SORT (FROM) UTF-8 ALL").line("SORT")).isEqualTo("* SORT 2 3 1");
            assertThat(c.command("SORT (REVERSE DATE) UTF-8 ALL").line("SORT")).isEqualTo("* SORT 3 2 1");
            assertThat(c.command("UID SORT (SUBJECT) UTF-8 ALL").line("SORT")).isEqualTo("* SORT 3 1 2");
            assertThat(c.command("THREAD REFERENCES UTF-8 ALL").line("THREAD")).isEqualTo("* THREAD (1 2)(3)");
            assertThat(c.command("THREAD ORDEREDSUBJECT UTF-8 ALL").line("THREAD")).isEqualTo("* THREAD (1 2)(3)");
        }
    }
}
