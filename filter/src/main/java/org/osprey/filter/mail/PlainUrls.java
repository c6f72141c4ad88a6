package org.osprey.filter.mail;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds the web addresses written in plain text: those with a scheme, and those starting "www.". */
final class PlainUrls {
    private static final Pattern URL =
        Pattern.compile("(?i)\\b(?:https?://|www\\.)[^\\s<>\"'`{}|\\\\^\\[\\]]+");
    private static final int LIMIT = 500;

    private PlainUrls() {
    }

    static List<String> find(String text) {
        List<String> urls = new ArrayList<>();
        Matcher m = URL.matcher(text);
        while (m.find() && urls.size() < LIMIT) {
            String url = trimEnd(m.group());
            if (url.length() > 7) {
                urls.add(url);
            }
        }
        return urls;
    }

    /** Punctuation that ends the sentence around the URL rather than the URL itself. */
    private static String trimEnd(String url) {
        int end = url.length();
        while (end > 0 && ".,;:!?)>".indexOf(url.charAt(end - 1)) >= 0) {
            end--;
        }
        return url.substring(0, end);
    }
}
