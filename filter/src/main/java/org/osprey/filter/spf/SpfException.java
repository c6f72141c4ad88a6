package org.osprey.filter.spf;

/** Ends an SPF evaluation early with "temperror" or "permerror" and the reason (RFC 7208 §2.6.6, §2.6.7). */
final class SpfException extends Exception {
    private final SpfResult.Code code;

    SpfException(SpfResult.Code code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    static SpfException perm(String message) {
        return new SpfException(SpfResult.Code.PERMERROR, message);
    }

    static SpfException temp(String message) {
        return new SpfException(SpfResult.Code.TEMPERROR, message);
    }

    SpfResult.Code code() {
        return code;
    }
}
