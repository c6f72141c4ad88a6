package org.osprey.filter.spam.rules;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.james.mime4j.util.CharsetUtil;
import org.osprey.filter.Findings;
import org.osprey.filter.mail.HeaderField;

/** RFC 2047 encoded words in the header whose charset no decoder knows: made-up or mangled by a spam tool. */
final class HeaderCharsetRule implements Rule {
    private static final Pattern WORD = Pattern.compile("=\\?([^?*\\s]+)(?:\\*[^?]*)?\\?[bBqQ]\\?");

    @Override
    public Map<String, Double> scores() {
        return Map.of("HEADER_CHARSET_UNKNOWN", 1.0);
    }

    @Override
    public void evaluate(RuleContext context, Findings findings) {
        for (HeaderField field : context.message().header().fields()) {
            if (!field.value().contains("=?")) {
                continue;
            }
            Matcher m = WORD.matcher(field.value());
            while (m.find()) {
                if (lookup(m.group(1)) == null) {
                    findings.add("HEADER_CHARSET_UNKNOWN", field.name() + " in charset " + m.group(1));
                    return;
                }
            }
        }
    }

    private static Object lookup(String charset) {
        try {
            return CharsetUtil.lookup(charset);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
