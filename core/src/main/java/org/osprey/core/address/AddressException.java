package org.osprey.core.address;

/** Text that is not a valid mail address or domain; the message says what is wrong, never echoing raw input. */
public final class AddressException extends Exception {
    public AddressException(String message) {
        super(message);
    }
}
