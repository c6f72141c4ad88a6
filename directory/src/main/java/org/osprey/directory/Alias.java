package org.osprey.directory;

/** One alias row: source is an address or "@domain" (catch-all); destination is one address or "@domain". */
public record Alias(String source, String destination) {
}
