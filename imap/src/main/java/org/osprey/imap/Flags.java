package org.osprey.imap;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.osprey.imap.parse.Flag;
import org.osprey.store.index.Keywords;

/** Flag lists as IMAP writes them: system flags first in a fixed order, then keywords. */
final class Flags {
    static final List<String> SYSTEM = List.of("\\Answered", "\\Flagged", "\\Deleted", "\\Seen", "\\Draft");

    private Flags() {
    }

    static String list(Set<String> flags, boolean recent) {
        StringBuilder out = new StringBuilder("(");
        for (String flag : SYSTEM) {
            if (flags.contains(flag)) {
                append(out, flag);
            }
        }
        if (recent) {
            append(out, "\\Recent");
        }
        for (String flag : flags) {
            if (!flag.startsWith("\\")) {
                append(out, flag);
            }
        }
        return out.append(')').toString();
    }

    /** The folder's FLAGS: system flags and the keywords defined in it. */
    static String folderFlags(Keywords keywords) {
        StringBuilder out = new StringBuilder("(");
        for (String flag : SYSTEM) {
            append(out, flag);
        }
        for (String keyword : keywordNames(keywords)) {
            append(out, keyword);
        }
        return out.append(')').toString();
    }

    static List<String> keywordNames(Keywords keywords) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < Keywords.MAX; i++) {
            String name = keywords.name(i);
            if (name != null) {
                names.add(name);
            }
        }
        return names;
    }

    /** The flags of a STORE or APPEND as the store names them; \Recent is not settable and is left out. */
    static Set<String> names(Collection<Flag> flags) {
        Set<String> names = new LinkedHashSet<>();
        for (Flag flag : flags) {
            if (!flag.equals(Flag.RECENT)) {
                names.add(flag.name());
            }
        }
        return names;
    }

    private static void append(StringBuilder out, String flag) {
        if (out.length() > 1) {
            out.append(' ');
        }
        out.append(flag);
    }
}
