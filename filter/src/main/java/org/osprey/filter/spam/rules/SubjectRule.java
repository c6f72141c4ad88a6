package org.osprey.filter.spam.rules;

import java.util.Map;
import java.util.Set;
import org.osprey.filter.Findings;
import org.osprey.filter.mail.MessageHeader;

/**
 * The Subject: shouted (all capitals, at least two words and ten letters), loud punctuation, obfuscated words, and
 * a "Re:" on a message that answers nothing (no In-Reply-To or References), a trick to look like a conversation, and
 * a tracking code at its end.
 */
final class SubjectRule implements Rule {
    @Override
    public Map<String, Double> scores() {
        return Map.of("SUBJ_ALL_CAPS", 0.8, "SUBJ_EXCLAIM", 0.4, "SUBJ_OBFUSCATED", 1.0, "FAKE_REPLY", 0.6,
            "SUBJ_TRACKING_ID", 1.0);
    }

    @Override
    public void evaluate(RuleContext context, Findings findings) {
        String subject = context.message().decodedHeader("Subject").strip();
        if (subject.isEmpty()) {
            return;
        }
        if (shouted(subject)) {
            findings.add("SUBJ_ALL_CAPS", "Subject in capitals");
        }
        if (subject.contains("!!") || subject.chars().filter(c -> c == '!').count() >= 3) {
            findings.add("SUBJ_EXCLAIM", "Subject with !!!");
        }
        Set<String> obfuscated = Obfuscation.words(subject);
        if (!obfuscated.isEmpty()) {
            findings.add("SUBJ_OBFUSCATED", "Subject word " + obfuscated.iterator().next());
        }
        String id = trackingId(subject, context.message().header().value("Subject").orElse(""));
        if (!id.isEmpty()) {
            findings.add("SUBJ_TRACKING_ID", "Subject ends in " + id);
        }
        MessageHeader header = context.message().header();
        if (subject.regionMatches(true, 0, "re:", 0, 3) && header.value("In-Reply-To").isEmpty()
            && header.value("References").isEmpty()) {
            findings.add("FAKE_REPLY", "Re: without In-Reply-To or References");
        }
    }

    /** Blanks before a final word that make it a padded-out code rather than the end of a sentence. */
    static final int PADDING = 5;

    /**
     * A per-recipient code at the end of the subject, for bulk tools to track replies and to make every copy
     * different for checksum filters: after a long run of blanks ("Hello         a8f3k2"), or a random-looking mix
     * of letters and digits (three or more changes between them: "ljd8fj3", where "RFC2822" or "x86" has one) that
     * is not a hexadecimal number (commit ids and hashes in notifications: "3f9a2c1"). {@code raw} is the field as
     * written, where blanks between encoded words survive. Returns the code, or "" when there is none.
     */
    static String trackingId(String subject, String raw) {
        String padded = paddedLastWord(subject.strip());
        if (padded.isEmpty()) {
            padded = paddedLastWord(raw.strip());
        }
        if (!padded.isEmpty()) {
            return padded;
        }
        String trimmed = subject.strip();
        int space = lastBlank(trimmed);
        String code = trimmed.substring(space + 1);
        if (code.length() > 32) {
            return "";
        }
        int from = 0;
        while (from < code.length() && "[(#<".indexOf(code.charAt(from)) >= 0) {
            from++;
        }
        int to = code.length();
        while (to > from && "])>.".indexOf(code.charAt(to - 1)) >= 0) {
            to--;
        }
        code = code.substring(from, to);
        if (code.length() < 5 || code.length() > 24 || !code.chars().allMatch(Character::isLetterOrDigit)
            || code.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return "";
        }
        int changes = 0;
        for (int i = 1; i < code.length(); i++) {
            if (Character.isDigit(code.charAt(i)) != Character.isDigit(code.charAt(i - 1))) {
                changes++;
            }
        }
        return changes >= 3 ? code : "";
    }

    /** The last word when {@link #PADDING} or more blanks part it from text before it, else "". */
    private static String paddedLastWord(String text) {
        int space = lastBlank(text);
        int run = space;
        while (run >= 0 && (text.charAt(run) == ' ' || text.charAt(run) == '\t')) {
            run--;
        }
        return run >= 0 && space - run >= PADDING ? text.substring(space + 1) : "";
    }

    private static int lastBlank(String text) {
        return Math.max(text.lastIndexOf(' '), text.lastIndexOf('\t'));
    }

    static boolean shouted(String subject) {
        String rest = subject.replaceFirst("(?i)^((re|fwd?|aw|wg|sv|tr)\\s*:\\s*)+", "");
        int upper = 0;
        int lower = 0;
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (Character.isUpperCase(c)) {
                upper++;
            } else if (Character.isLowerCase(c)) {
                lower++;
            }
        }
        return lower == 0 && upper >= 10 && rest.strip().split("\\s+").length >= 2;
    }
}
