package org.osprey.delivery.dkim;

import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;

/**
 * One signing key of a domain: the private key that signs and the public key that receivers fetch from
 * {@code <selector>._domainkey.<domain>} (RFC 6376 §3.6.2.1). Domain and selector are lower-case LDH names (IDNs as
 * A-labels), as {@link DkimKeys} checked them. {@code publicKey} is the p= value: base64 of the DER
 * SubjectPublicKeyInfo for RSA, of the 32 raw key bytes for Ed25519 (RFC 8463 §4.2).
 */
public record DkimKey(String domain, String selector, DkimAlgorithm algorithm, PrivateKey privateKey,
                      String publicKey) {
    /** A DNS character-string holds at most 255 octets (RFC 1035 §3.3); longer TXT data is split into several. */
    private static final int MAX_STRING = 255;

    /** The owner name of the key record, without the trailing dot: "osprey._domainkey.example.org". */
    public String dnsName() {
        return selector + "._domainkey." + domain;
    }

    /** The TXT record's text as one string (RFC 6376 §3.6.1): "v=DKIM1; k=rsa; p=MIIB...". */
    public String txtValue() {
        return "v=DKIM1; k=" + algorithm.keyType() + "; p=" + publicKey;
    }

    /**
     * The record as one zone-file line, the text split into quoted strings of at most 255 characters:
     * {@code osprey._domainkey.example.org. IN TXT ( "v=DKIM1; k=rsa; p=MIIB..." "...IDAQAB" )}.
     */
    public String zoneRecord() {
        var quoted = new ArrayList<String>();
        for (String string : txtStrings()) {
            quoted.add("\"" + string + "\"");
        }
        return dnsName() + ". IN TXT ( " + String.join(" ", quoted) + " )";
    }

    /** The TXT text cut into character-strings of at most 255 characters, as {@link #zoneRecord()} quotes them. */
    public List<String> txtStrings() {
        var strings = new ArrayList<String>();
        String text = txtValue();
        for (int start = 0; start < text.length(); start += MAX_STRING) {
            strings.add(text.substring(start, Math.min(text.length(), start + MAX_STRING)));
        }
        return strings;
    }

    /** Never prints the private key (a record's default toString would hand it to any log line). */
    @Override
    public String toString() {
        return "DkimKey[" + algorithm.keyType() + " " + dnsName() + "]";
    }
}
