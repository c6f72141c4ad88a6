package org.osprey.filter.clamav;

/** What clamd said about one message, or why it could not say. */
public sealed interface ScanResult {
    Clean CLEAN = new Clean();

    /** clamd scanned the whole stream and matched no signature ({@code stream: OK}). */
    record Clean() implements ScanResult {
    }

    /** clamd matched a signature; {@code signature} is its name as clamd reported it (may contain dots and spaces). */
    record Infected(String signature) implements ScanResult {
    }

    /**
     * No verdict: clamd unreachable, a timeout, a protocol error, or the stream exceeded clamd's StreamMaxLength. The
     * reason is one short line for logs and for an X-Virus-Scan header.
     */
    record Failed(String reason) implements ScanResult {
    }
}
