package org.osprey.core.sasl;

/**
 * What a finished SASL exchange (or a plain LOGIN/USER+PASS command) yields. authzid is empty when the client
 * did not ask to act as someone else.
 */
public record Credentials(String mechanism, String authzid, String username, String password) {
    @Override
    public String toString() {
        return "Credentials[" + mechanism + ", user=" + username + "]";
    }
}
