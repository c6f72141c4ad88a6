package org.osprey.imap.search;

/**
 * The base subject of RFC 5256 §2.1, which SORT SUBJECT and both THREAD algorithms compare: the subject without
 * "Re:", "Fw:", "Fwd:" leaders, "[list]" blobs, "(fwd)" trailers and "[fwd: ...]" wrapping, white space
 * normalized. The input is the decoded subject (RFC 2047 already undone).
 *
 * @param text            the base subject (not case-mapped)
 * @param replyOrForward  true when a leader, trailer or wrapper was removed (RFC 5256 §4 REFERENCES step 5 needs it)
 */
record BaseSubject(String text, boolean replyOrForward) {

    static BaseSubject of(String decodedSubject) {
        // (1) tabs and continuations to spaces, runs of spaces to one
        String s = collapse(decodedSubject == null ? "" : decodedSubject);
        boolean reply = false;
        while (true) {
            // (2) remove subj-trailer: "(fwd)" / WSP, repeatedly
            String trimmed = removeTrailers(s);
            reply |= s.substring(trimmed.length()).contains(")"); // only "(fwd)" trailers end in one
            s = trimmed;
            // (3)-(5) remove subj-leader and subj-blob prefixes until none is left
            while (true) {
                int leader = leader(s);
                if (leader > 0) {
                    reply |= s.charAt(0) != ' '; // not white space: a "Re:"/"Fwd:" leader
                    s = s.substring(leader);
                    continue;
                }
                int blob = blobEnd(s, 0);
                if (blob > 0 && !removeTrailers(s.substring(blob)).isEmpty()) {
                    s = s.substring(blob);
                    continue;
                }
                break;
            }
            // (6) "[fwd:" subject "]": unwrap and start again at (2)
            if (s.length() >= 6 && s.regionMatches(true, 0, "[fwd:", 0, 5) && s.endsWith("]")) {
                s = s.substring(5, s.length() - 1);
                reply = true;
                continue;
            }
            return new BaseSubject(s, reply);
        }
    }

    private static String collapse(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                space = true;
                continue;
            }
            if (space) {
                out.append(' ');
                space = false;
            }
            out.append(c);
        }
        if (space) {
            out.append(' ');
        }
        return out.toString();
    }

    private static String removeTrailers(String s) {
        int end = s.length();
        while (true) {
            if (end > 0 && s.charAt(end - 1) == ' ') {
                end--;
            } else if (end >= 5 && s.regionMatches(true, end - 5, "(fwd)", 0, 5)) {
                end -= 5;
            } else {
                return s.substring(0, end);
            }
        }
    }

    /** Length of a subj-leader at the start: (*subj-blob subj-refwd) / WSP; 0 when none. */
    private static int leader(String s) {
        if (s.startsWith(" ")) {
            return 1;
        }
        int end = refwdEnd(s, skipBlobs(s, 0));
        return Math.max(end, 0);
    }

    /** Index after any number of subj-blobs from {@code at}. */
    private static int skipBlobs(String s, int at) {
        int i = at;
        while (true) {
            int end = blobEnd(s, i);
            if (end < 0) {
                return i;
            }
            i = end;
        }
    }

    /** Index after a subj-blob ("[" *BLOBCHAR "]" *WSP) at {@code at}, or -1. */
    private static int blobEnd(String s, int at) {
        if (at >= s.length() || s.charAt(at) != '[') {
            return -1;
        }
        int i = at + 1;
        while (i < s.length() && s.charAt(i) != '[' && s.charAt(i) != ']') {
            i++;
        }
        if (i >= s.length() || s.charAt(i) != ']') {
            return -1;
        }
        i++;
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    /** Index after a subj-refwd (("re" / "fw" ["d"]) *WSP [subj-blob] ":") at {@code at}, or -1. */
    private static int refwdEnd(String s, int at) {
        int i;
        if (s.regionMatches(true, at, "re", 0, 2)) {
            i = at + 2;
        } else if (s.regionMatches(true, at, "fwd", 0, 3)) {
            i = at + 3;
        } else if (s.regionMatches(true, at, "fw", 0, 2)) {
            i = at + 2;
        } else {
            return -1;
        }
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        int blob = blobEnd(s, i);
        if (blob > 0) {
            i = blob;
        }
        return i < s.length() && s.charAt(i) == ':' ? i + 1 : -1;
    }
}
