package org.osprey.filter;

import java.util.List;

/** A check's answer at one stage of the SMTP dialogue. */
public sealed interface Verdict {
    Verdict ACCEPT = new Accept(List.of());

    /** Go on; headers (without line endings) are added to the message at delivery. */
    record Accept(List<String> headers) implements Verdict {
    }

    /** Refuse for good: the SMTP reply code (5xx), enhanced status code and text. */
    record Reject(int code, String enhancedCode, String text) implements Verdict {
    }

    /** Refuse for now (4xx); the sender will try again. */
    record TempFail(int code, String enhancedCode, String text) implements Verdict {
    }
}
