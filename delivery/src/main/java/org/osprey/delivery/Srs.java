package org.osprey.delivery;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Sender Rewriting Scheme for mail we forward (Sieve redirect, aliases to other domains): the envelope sender
 * {@code alice@origin.example} becomes {@code SRS0=HHHH=TT=origin.example=alice@our.example}, so the receiver's
 * SPF check sees our domain, and a bounce to that address comes back to us and is sent on to alice — but only
 * with a valid hash (so we are no open relay for forged SRS addresses) and within {@link #MAX_AGE_DAYS}.
 * HHHH is the start of an HMAC-SHA256 over the rest (lower case), TT the day number in base 32 modulo 1024, as in
 * the original SRS design.
 */
public final class Srs {
    static final int MAX_AGE_DAYS = 21;
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private final byte[] secret;
    private final Clock clock;

    public Srs(byte[] secret, Clock clock) {
        this.secret = secret.clone();
        this.clock = clock;
    }

    /** The rewritten sender, in {@code ourDomain}; the null sender and SRS addresses of ours stay as they are. */
    public String forward(String sender, String ourDomain) {
        int at = sender.lastIndexOf('@');
        if (sender.isEmpty() || at < 1) {
            return sender;
        }
        String local = sender.substring(0, at);
        String domain = sender.substring(at + 1);
        if (domain.equalsIgnoreCase(ourDomain) && isSrs(local)) {
            return sender; // already ours
        }
        String time = timestamp(clock.millis() / 86_400_000L);
        return "SRS0=" + hash(time, domain, local) + "=" + time + "=" + domain + "=" + local + "@" + ourDomain;
    }

    /** The original sender of an SRS address we made, if the hash is right and it is not too old. */
    public Optional<String> reverse(String localPart) {
        if (!isSrs(localPart) || !localPart.regionMatches(true, 0, "SRS0=", 0, 5)) {
            return Optional.empty();
        }
        String[] parts = localPart.substring(5).split("=", 4);
        if (parts.length != 4 || parts[0].length() != 4 || parts[1].length() != 2 || parts[2].isEmpty()
                || parts[3].isEmpty()) {
            return Optional.empty();
        }
        String expected = hash(parts[1], parts[2], parts[3]);
        if (!MessageDigest.isEqual(expected.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII),
                parts[0].toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        long today = clock.millis() / 86_400_000L;
        int then = day(parts[1]);
        if (then < 0 || Math.floorMod(today - then, 1024) > MAX_AGE_DAYS) {
            return Optional.empty();
        }
        return Optional.of(parts[3] + "@" + parts[2]);
    }

    static boolean isSrs(String localPart) {
        return localPart.regionMatches(true, 0, "SRS0=", 0, 5) || localPart.regionMatches(true, 0, "SRS1=", 0, 5);
    }

    private String hash(String time, String domain, String local) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] digest = mac.doFinal((time + domain + local).toLowerCase(Locale.ROOT)
                    .getBytes(StandardCharsets.UTF_8));
            // base64 without + and / so the hash is safe in a local part
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    private static String timestamp(long day) {
        int t = (int) Math.floorMod(day, 1024);
        return "" + BASE32.charAt(t >> 5) + BASE32.charAt(t & 31);
    }

    private static int day(String text) {
        int high = BASE32.indexOf(Character.toUpperCase(text.charAt(0)));
        int low = BASE32.indexOf(Character.toUpperCase(text.charAt(1)));
        return high < 0 || low < 0 ? -1 : high << 5 | low;
    }
}
