package org.osprey.imap.parse;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

/** Test shorthand: one command from text (CRLF added when missing), or the error it gives. */
final class Parse {
    private Parse() {
    }

    static byte[] bytes(String text) {
        return (text.endsWith("\r\n") ? text : text + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static ImapCommand command(String text) {
        return CommandParser.parse(bytes(text), false);
    }

    static ImapCommand utf8(String text) {
        return CommandParser.parse(bytes(text), true);
    }

    static ImapParseException error(String text) {
        return error(text, ParserLimits.DEFAULT);
    }

    static ImapParseException error(String text, ParserLimits limits) {
        ImapParseException[] caught = new ImapParseException[1];
        assertThatThrownBy(() -> CommandParser.parse(bytes(text), false, limits))
                .isInstanceOfSatisfying(ImapParseException.class, e -> caught[0] = e);
        return caught[0];
    }
}
