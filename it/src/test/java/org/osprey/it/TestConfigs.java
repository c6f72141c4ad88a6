package org.osprey.it;

/** Config files for end-to-end tests: data under the test's directory, SMTP on the given address, nothing else. */
final class TestConfigs {
    private TestConfigs() {
    }

    static String smtpOnly(String smtpAddress, String extra) {
        return """
                data_dir = "data"
                hostname = "mx.example.org"
                [listen]
                smtp = ["%s"]
                submission = []
                submissions = []
                imap = []
                imaps = []
                pop3 = []
                pop3s = []
                managesieve = []
                web = []
                %s
                """.formatted(smtpAddress, extra);
    }
}
