package org.osprey.filter.mail;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the web addresses written in plain text: those starting "http://" or "https://", and those starting
 * "www.", at the start of a word. A hand-written scan: a regular expression tried at every position cost more than
 * the rest of the parse.
 */
final class PlainUrls {
    private static final int LIMIT = 500;
    /** Characters that end a URL in running text (RFC 3986 leaves them out, or text puts them around URLs). */
    private static final String STOP = "<>\"'`{}|\\^[]";

    private PlainUrls() {
    }

    static List<String> find(String text) {
        List<String> urls = new ArrayList<>();
        int n = text.length();
        for (int i = 0; i < n && urls.size() < LIMIT; i++) {
            char c = text.charAt(i);
            if (c != 'h' && c != 'H' && c != 'w' && c != 'W' || i + 4 >= n) {
                continue;
            }
            char next = (char) (text.charAt(i + 1) | 0x20); // lower case for ASCII letters
            if (next != 't' && next != 'w') {
                continue;
            }
            if (i > 0 && Character.isLetterOrDigit(text.charAt(i - 1))) {
                continue;
            }
            if (!text.regionMatches(true, i, "http://", 0, 7) && !text.regionMatches(true, i, "https://", 0, 8)
                && !text.regionMatches(true, i, "www.", 0, 4)) {
                continue;
            }
            int end = i;
            while (end < n && !Character.isWhitespace(text.charAt(end)) && STOP.indexOf(text.charAt(end)) < 0) {
                end++;
            }
            while (end > i && ".,;:!?)>".indexOf(text.charAt(end - 1)) >= 0) {
                end--; // punctuation of the sentence around the URL
            }
            String url = text.substring(i, end);
            if (url.length() > 8 && !url.endsWith("//")) {
                urls.add(url);
            }
            i = end;
        }
        return urls;
    }
}
