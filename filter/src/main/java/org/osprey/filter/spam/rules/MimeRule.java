package org.osprey.filter.spam.rules;

import java.util.LinkedHashMap;
import java.util.Map;
import org.osprey.filter.Findings;
import org.osprey.filter.mail.ParsedMessage;

/**
 * The MIME structure problems the parser recorded, one test each: mail programs write valid MIME, bulk senders
 * and hand-made spam tools often do not. Malformed quoted-printable and header lines also come from old mail
 * programs, so they weigh little.
 */
final class MimeRule implements Rule {
    /** Parser problem → test name. */
    private static final Map<String, String> TESTS = new LinkedHashMap<>();
    private static final Map<String, Double> SCORES = new LinkedHashMap<>();

    static {
        test(ParsedMessage.NO_BOUNDARY, "MIME_NO_BOUNDARY", 1.2);
        test(ParsedMessage.MISSING_END_BOUNDARY, "MIME_MISSING_END", 0.5);
        test(ParsedMessage.EMPTY_MULTIPART, "MIME_EMPTY_MULTIPART", 0.8);
        test(ParsedMessage.BAD_BASE64, "MIME_BAD_BASE64", 0.8);
        test(ParsedMessage.BAD_QUOTED_PRINTABLE, "MIME_BAD_QP", 0.3);
        test(ParsedMessage.UNKNOWN_ENCODING, "MIME_UNKNOWN_ENCODING", 0.8);
        test(ParsedMessage.MALFORMED_HEADER, "MIME_BAD_HEADER", 0.5);
        test(ParsedMessage.TOO_DEEP, "MIME_TOO_DEEP", 1.0);
        test(ParsedMessage.UNKNOWN_CHARSET, "CHARSET_UNKNOWN", 1.0);
        test(ParsedMessage.CHARSET_MISMATCH, "CHARSET_MISMATCH", 0.4);
        test(ParsedMessage.RAW_8BIT_HEADER, "HEADER_8BIT_RAW", 0.5);
    }

    private static void test(String problem, String name, double score) {
        TESTS.put(problem, name);
        SCORES.put(name, score);
    }

    @Override
    public Map<String, Double> scores() {
        return SCORES;
    }

    @Override
    public void evaluate(RuleContext context, Findings findings) {
        for (String problem : context.message().problems()) {
            String name = TESTS.get(problem);
            if (name != null) {
                findings.add(name, problem);
            }
        }
    }
}
