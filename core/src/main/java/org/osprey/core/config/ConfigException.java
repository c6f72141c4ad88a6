package org.osprey.core.config;

/** A config file problem, with a one-line message that names the key and what is wrong. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
