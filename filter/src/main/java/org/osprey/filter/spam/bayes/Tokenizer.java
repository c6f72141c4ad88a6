package org.osprey.filter.spam.bayes;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.osprey.filter.mail.HeaderField;
import org.osprey.filter.mail.MessageHeader;

/**
 * Turns a message into the distinct tokens the classifier counts, each as a 64-bit hash: body words (lower case,
 * 3 to 15 characters; longer ones only as a length class, as SpamBayes does; a word in capitals also as itself,
 * as SpamAssassin keeps case), words of the subject and the sender's name, sender and reply-to addresses and
 * domains, relays from Received lines, Message-ID domain, mailer, content types and charsets of the message
 * and of its parts, attachment file name extensions, MIME problems, the domains of addresses in the text, and the
 * hosts of links. Header fields that filters write (X-Spam-*, X-Virus-*, Authentication-Results, Received-SPF,
 * ...) are never tokens: a sender could otherwise teach the classifier with forged verdicts, and a corpus marked
 * by another filter would teach its markup instead of its content.
 */
public final class Tokenizer {
    /** At most this many distinct tokens per message: enough for any real message, bounded for a hostile one. */
    public static final int MAX_TOKENS = 3000;
    /** MIME facts counted per message: a message of thousands of parts must not crowd out its words. */
    static final int MAX_MIME_FACTS = 50;
    private static final int MAX_BODY_ADDRESSES = 20;
    private static final int MAX_DOMAIN = 255;

    private static final Set<String> SKIPPED_FIELDS = Set.of("authentication-results", "received-spf",
            "arc-authentication-results", "arc-seal", "arc-message-signature", "dkim-signature",
            "domainkey-signature", "return-path", "delivered-to", "x-original-to", "status", "x-status",
            "x-keywords", "x-uid", "content-length", "lines", "x-ham-report", "x-bogosity");
    private static final List<String> SKIPPED_PREFIXES = List.of("x-spam", "x-virus", "x-amavis", "x-rspamd",
            "x-dspam", "x-crm114", "x-bayes", "x-osprey", "x-barracuda", "x-proofpoint", "x-ms-exchange-organization-scl",
            "x-forefront-antispam", "x-mailscanner", "x-razor", "x-pyzor", "x-dcc", "x-greylist", "x-policyd");

    private Tokenizer() {
    }

    /** True for a header field that learning and scoring ignore (filters' markup, delivery bookkeeping). */
    public static boolean ignored(String fieldName) {
        String name = fieldName.toLowerCase(Locale.ROOT);
        if (SKIPPED_FIELDS.contains(name)) {
            return true;
        }
        for (String prefix : SKIPPED_PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The tokens of a message: {@code header} as received, {@code texts} the decoded visible text of its text parts,
     * {@code links} the targets of its links, {@code decodedSubject} and {@code decodedFrom} the RFC 2047-decoded
     * values ("" when absent), {@code mimeFacts} what the MIME structure shows (part types, attachment file name
     * extensions, parser problems), each taken as one token.
     */
    public static long[] tokens(MessageHeader header, String decodedSubject, String decodedFrom, List<String> texts,
                                List<String> links, List<String> mimeFacts) {
        TokenSet out = new TokenSet();
        for (String fact : mimeFacts.subList(0, Math.min(mimeFacts.size(), MAX_MIME_FACTS))) {
            out.add(fact);
        }
        words(out, "s:", decodedSubject);
        fromTokens(out, decodedFrom);
        for (HeaderField field : header.fields()) {
            if (field.name().isEmpty() || ignored(field.name())) {
                continue;
            }
            String name = field.lowerName();
            switch (name) {
                case "reply-to" -> addressTokens(out, "rt:", field.value());
                case "message-id" -> out.add("mid:" + domainOf(field.value().replace(">", "")));
                case "x-mailer", "user-agent" -> words(out, "xm:", field.value());
                case "content-type" -> contentType(out, field.value());
                case "received" -> {
                    if (field.position() > 0) { // position 0 is our own Received line
                        received(out, field.value());
                    }
                }
                case "to", "cc" -> out.add(name + ":count:" + Math.min(20, field.value().split(",").length));
                default -> {
                    if (name.startsWith("x-") || name.startsWith("list-")) {
                        out.add("h:" + name);
                    }
                }
            }
        }
        for (String text : texts) {
            words(out, "", text);
            bodyAddresses(out, text);
        }
        for (String link : links) {
            String host = hostOf(link);
            if (!host.isEmpty()) {
                out.add("url:" + host);
                out.add("url:" + lastLabels(host, 2));
            }
        }
        return out.toArray();
    }

    /** The domains of mail addresses written in the text (where the reply is wanted: often not the sender's). */
    private static void bodyAddresses(TokenSet out, String text) {
        int found = 0;
        for (int at = text.indexOf('@'); at >= 0 && found < MAX_BODY_ADDRESSES; at = text.indexOf('@', at + 1)) {
            if (at == 0 || !Character.isLetterOrDigit(text.charAt(at - 1))) {
                continue;
            }
            int end = at + 1;
            int limit = Math.min(text.length(), at + 1 + MAX_DOMAIN);
            while (end < limit && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '.'
                    || text.charAt(end) == '-')) {
                end++;
            }
            while (end > at + 1 && text.charAt(end - 1) == '.') {
                end--; // the full stop after an address ends the sentence
            }
            String domain = text.substring(at + 1, end).toLowerCase(Locale.ROOT);
            if (domain.indexOf('.') > 0) {
                out.add("email:" + domain);
                found++;
            }
            at = Math.max(at, end - 1);
        }
    }

    private static void fromTokens(TokenSet out, String from) {
        int lt = from.lastIndexOf('<');
        if (lt > 0) {
            words(out, "fn:", from.substring(0, lt));
        }
        addressTokens(out, "f:", from);
    }

    private static void addressTokens(TokenSet out, String prefix, String value) {
        int lt = value.lastIndexOf('<');
        String address = (lt >= 0 ? value.substring(lt + 1) : value).replace(">", "").strip().toLowerCase(Locale.ROOT);
        if (address.isEmpty()) {
            return;
        }
        out.add(prefix + address);
        out.add(prefix + "@" + domainOf(address));
    }

    private static void contentType(TokenSet out, String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        int semi = lower.indexOf(';');
        out.add("ct:" + (semi < 0 ? lower : lower.substring(0, semi)).strip());
        int charset = lower.indexOf("charset=");
        if (charset >= 0) {
            String cs = lower.substring(charset + 8).replace("\"", "").split("[;\\s]")[0];
            out.add("cs:" + cs);
        }
    }

    /**
     * "from helo (rdns [ip]) by ..." → the relay's names by their last two and three labels, its address by its
     * /8, /16 and /24, and "unknown" for a relay without reverse DNS (as SpamBayes mines Received lines).
     */
    private static void received(TokenSet out, String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        int from = lower.indexOf("from ");
        int by = lower.indexOf(" by ");
        if (from < 0) {
            return;
        }
        String part = lower.substring(from + 5, by > from ? by : lower.length());
        for (String piece : part.split("[\\s()\\[\\]]+")) {
            if (piece.isEmpty() || piece.length() > 80) {
                continue;
            }
            if (Character.isDigit(piece.charAt(0)) && piece.indexOf('.') > 0) {
                String[] octets = piece.split("\\.");
                if (octets.length == 4) {
                    out.add("rcvd:ip:" + octets[0]);
                    out.add("rcvd:ip:" + octets[0] + "." + octets[1]);
                    out.add("rcvd:ip:" + octets[0] + "." + octets[1] + "." + octets[2]);
                }
            } else if (piece.indexOf('.') > 0) {
                out.add("rcvd:" + lastLabels(piece, 2));
                out.add("rcvd:" + lastLabels(piece, 3));
            } else if (piece.equals("unknown")) {
                out.add("rcvd:unknown");
            }
        }
    }

    /** Words of a text: runs of letters and digits (with ' $ - inside), lower case, 3–15 characters. */
    private static void words(TokenSet out, String prefix, String text) {
        int n = text.length();
        int i = 0;
        StringBuilder word = new StringBuilder(32);
        int upper = 0;
        while (i < n && !out.full()) {
            char c = text.charAt(i);
            if (Character.isLetterOrDigit(c) || c == '$' || ((c == '\'' || c == '-') && !word.isEmpty())) {
                if (Character.isUpperCase(c)) {
                    upper++;
                }
                word.append(Character.toLowerCase(c));
            } else {
                shouted(out, prefix, word, upper);
                word(out, prefix, word);
                word.setLength(0);
                upper = 0;
            }
            i++;
        }
        shouted(out, prefix, word, upper);
        word(out, prefix, word);
    }

    /** A word in capitals is also a token of its own: "FREE" shouts where "free" and "Free" do not. */
    private static void shouted(TokenSet out, String prefix, StringBuilder word, int upper) {
        int end = wordEnd(word);
        if (upper >= 3 && upper == letters(word) && end <= 15) {
            out.add("caps:" + prefix, word, end);
        }
    }

    /** The word's length without the ' and - it may end with. */
    private static int wordEnd(StringBuilder word) {
        int end = word.length();
        while (end > 0 && (word.charAt(end - 1) == '\'' || word.charAt(end - 1) == '-')) {
            end--;
        }
        return end;
    }

    private static int letters(StringBuilder word) {
        int n = 0;
        for (int i = 0; i < word.length(); i++) {
            if (Character.isLetter(word.charAt(i))) {
                n++;
            }
        }
        return n;
    }

    private static void word(TokenSet out, String prefix, StringBuilder word) {
        int end = wordEnd(word);
        if (end < 3) {
            return;
        }
        if (end > 15) {
            out.add(prefix + "skip:" + word.charAt(0) + ":" + (end / 10 * 10));
            return;
        }
        out.add(prefix, word, end);
    }

    private static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return (at < 0 ? "" : address.substring(at + 1)).strip().toLowerCase(Locale.ROOT);
    }

    private static String hostOf(String link) {
        String lower = link.strip().toLowerCase(Locale.ROOT);
        int scheme = lower.indexOf("://");
        if (scheme < 0) {
            return lower.startsWith("www.") ? lower.split("[/?#:]")[0] : "";
        }
        String rest = lower.substring(scheme + 3);
        int at = rest.indexOf('@');
        int end = 0;
        while (end < rest.length() && "/?#:".indexOf(rest.charAt(end)) < 0) {
            end++;
        }
        String host = rest.substring(0, end);
        return at >= 0 && at < end ? host.substring(at + 1) : host;
    }

    private static String lastLabels(String host, int count) {
        int dot = host.length();
        for (int i = 0; i < count; i++) {
            dot = host.lastIndexOf('.', dot - 1);
            if (dot < 0) {
                return host;
            }
        }
        return host.substring(dot + 1);
    }

    /** Distinct token hashes, hashed as they come (FNV-1a 64 with a final mix), capped at {@link #MAX_TOKENS}. */
    private static final class TokenSet {
        private long[] hashes = new long[256];
        private final TokenCounts seen = new TokenCounts(512);
        private int size;

        boolean full() {
            return size >= MAX_TOKENS;
        }

        void add(String token) {
            add(hash(token, 0, token.length(), FNV_OFFSET));
        }

        void add(String prefix, CharSequence word, int end) {
            add(hash(word, 0, end, hash(prefix, 0, prefix.length(), FNV_OFFSET)));
        }

        private void add(long raw) {
            long hash = finish(raw);
            if (full() || seen.spam(hash) > 0) {
                return;
            }
            seen.add(hash, 1, 0);
            if (size == hashes.length) {
                hashes = java.util.Arrays.copyOf(hashes, size * 2);
            }
            hashes[size++] = hash;
        }

        long[] toArray() {
            return java.util.Arrays.copyOf(hashes, size);
        }
    }

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;

    static long hash(CharSequence s, int from, int to, long seed) {
        long h = seed;
        for (int i = from; i < to; i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    static long finish(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }
}
