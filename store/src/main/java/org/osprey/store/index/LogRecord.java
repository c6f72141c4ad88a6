package org.osprey.store.index;

/**
 * The records of the {@code osprey-index} log, one text line each (see {@link IndexLog} for the line framing).
 * Replaying them in order gives the folder's state; a later record about a UID replaces an earlier one.
 *
 * <pre>
 * H &lt;version&gt; &lt;uidvalidity&gt;                      first line of every log
 * M &lt;uid&gt; &lt;modseq&gt; &lt;date&gt; &lt;size&gt; &lt;vsize&gt; new|cur &lt;file name&gt;   a message's current state
 * X &lt;uid&gt; &lt;modseq&gt;                                 expunged
 * N &lt;uidnext&gt; &lt;highestmodseq&gt;                     floor for both (after compaction or an import)
 * R &lt;first recent uid&gt;                               UIDs from here on are \Recent for the next taker
 * S &lt;new/ mtime ns&gt; &lt;checked ms&gt; &lt;cur/ mtime ns&gt; &lt;checked ms&gt;   the directories as last fully read
 * </pre>
 */
sealed interface LogRecord {
    int VERSION = 1;

    /** The text of the record, without checksum and newline. */
    String payload();

    record Header(int version, long uidValidity) implements LogRecord {
        @Override
        public String payload() {
            return "H " + version + " " + uidValidity;
        }
    }

    record Message(long uid, long modSeq, long internalDate, long size, long virtualSize, boolean inNew,
                   String baseName, String info) implements LogRecord {
        static Message of(MessageEntry e) {
            return new Message(e.uid(), e.modSeq(), e.internalDate(), e.size(), e.virtualSize(), e.inNew(),
                    e.baseName(), e.info());
        }

        @Override
        public String payload() {
            return "M " + uid + " " + modSeq + " " + internalDate + " " + size + " " + virtualSize
                    + (inNew ? " new " : " cur ") + baseName + (info == null ? "" : ":" + info);
        }
    }

    record Expunge(long uid, long modSeq) implements LogRecord {
        @Override
        public String payload() {
            return "X " + uid + " " + modSeq;
        }
    }

    record Next(long uidNext, long highestModSeq) implements LogRecord {
        @Override
        public String payload() {
            return "N " + uidNext + " " + highestModSeq;
        }
    }

    record Recent(long firstRecentUid) implements LogRecord {
        @Override
        public String payload() {
            return "R " + firstRecentUid;
        }
    }

    record SyncPoint(long newMtime, long newChecked, long curMtime, long curChecked) implements LogRecord {
        @Override
        public String payload() {
            return "S " + newMtime + " " + newChecked + " " + curMtime + " " + curChecked;
        }
    }
}
