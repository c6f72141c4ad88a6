package org.osprey.store.index;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Dovecot's {@code dovecot-uidlist}, read once to take over a Maildir's UIDs so IMAP clients keep their caches and
 * POP3 clients their UIDLs. Version 3 (Dovecot 1.1+): a header {@code 3 V<uidvalidity> N<nextuid> G<guid> ...}
 * (fields in any order), then {@code <uid> [<ext fields>] :<file name>}; version 1 (Courier's courierimapuiddb
 * form): {@code 1 <uidvalidity> <nextuid>}, then {@code <uid> <file name>}. Stored names may carry an old
 * {@code :2,<flags>}; only the base name identifies a message. Dovecot updates the header lazily (it appends lines
 * without rewriting N), so the next UID is the larger of N and the last UID + 1.
 *
 * @param uids base name → UID
 */
record DovecotUidList(long uidValidity, long nextUid, Map<String, Long> uids) {
    static final String FILE = "dovecot-uidlist";

    /** The folder's list, or empty when there is none or it cannot be understood (then it is not trusted at all). */
    static Optional<DovecotUidList> read(Path folderDir) throws IOException {
        String text;
        try {
            text = Files.readString(folderDir.resolve(FILE), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (java.nio.charset.MalformedInputException e) {
            text = new String(Files.readAllBytes(folderDir.resolve(FILE)), StandardCharsets.ISO_8859_1);
        }
        try {
            return Optional.ofNullable(parse(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static DovecotUidList parse(String text) {
        String[] lines = text.split("\n");
        if (lines.length == 0) {
            return null;
        }
        String[] header = lines[0].strip().split(" +");
        long uidValidity = 0;
        long next = 0;
        int version = Integer.parseInt(header[0]);
        if (version == 3) {
            for (int i = 1; i < header.length; i++) {
                if (header[i].length() > 1 && header[i].charAt(0) == 'V') {
                    uidValidity = Long.parseLong(header[i].substring(1));
                } else if (header[i].length() > 1 && header[i].charAt(0) == 'N') {
                    next = Long.parseLong(header[i].substring(1));
                }
            }
        } else if (version == 1 && header.length >= 3) {
            uidValidity = Long.parseLong(header[1]);
            next = Long.parseLong(header[2]);
        } else {
            return null;
        }
        if (uidValidity <= 0 || uidValidity > 0xFFFF_FFFFL) {
            return null;
        }
        Map<String, Long> uids = new HashMap<>();
        long last = 0;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            int space = line.indexOf(' ');
            if (space <= 0) {
                return null;
            }
            long uid = Long.parseLong(line.substring(0, space));
            String name;
            if (version == 3) {
                int marker = line.indexOf(" :", space - 1);
                if (marker < 0) {
                    return null;
                }
                name = line.substring(marker + 2);
            } else {
                name = line.substring(space + 1);
            }
            int colon = name.indexOf(':');
            String base = colon < 0 ? name : name.substring(0, colon);
            if (uid <= 0 || base.isEmpty()) {
                return null;
            }
            uids.put(base, uid);
            last = Math.max(last, uid);
        }
        return new DovecotUidList(uidValidity, Math.max(next, last + 1), uids);
    }
}
