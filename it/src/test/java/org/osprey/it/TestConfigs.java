package org.osprey.it;

/** Config files for end-to-end tests: data under the test's directory, only the services a test asks for. */
final class TestConfigs {
    private TestConfigs() {
    }

    /** SMTP on the given address, nothing else. */
    static String smtpOnly(String smtpAddress, String extra) {
        return withImap(smtpAddress, "", "", extra);
    }

    /** SMTP to deliver test mail, IMAP (STARTTLS) and IMAPS; an empty address leaves that service off. */
    static String withImap(String smtpAddress, String imapAddress, String imapsAddress, String extra) {
        return """
                data_dir = "data"
                hostname = "mx.example.org"
                [listen]
                smtp = ["%s"]
                submission = []
                submissions = []
                imap = [%s]
                imaps = [%s]
                pop3 = []
                pop3s = []
                managesieve = []
                web = []
                %s
                """.formatted(smtpAddress, quoted(imapAddress), quoted(imapsAddress), extra);
    }

    private static String quoted(String address) {
        return address.isEmpty() ? "" : "\"" + address + "\"";
    }
}
