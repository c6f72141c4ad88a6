package org.osprey.filter;

import java.util.List;
import java.util.Set;

/** A check's answer at one stage of the SMTP dialogue. */
public sealed interface Verdict {
    Verdict ACCEPT = new Accept(List.of());

    /**
     * Go on. {@code headers} (without line endings) are added on top of the message at delivery;
     * {@code removedFields} are header fields of the message as received that delivery leaves out, by their position
     * in its header section (0 = the first field, Osprey's own Received), e.g. X-Spam-* fields a sender put there.
     */
    record Accept(List<String> headers, Set<Integer> removedFields) implements Verdict {
        public Accept {
            headers = List.copyOf(headers);
            removedFields = Set.copyOf(removedFields);
        }

        public Accept(List<String> headers) {
            this(headers, Set.of());
        }
    }

    /** Refuse for good: the SMTP reply code (5xx), enhanced status code and text. */
    record Reject(int code, String enhancedCode, String text) implements Verdict {
    }

    /** Refuse for now (4xx); the sender will try again. */
    record TempFail(int code, String enhancedCode, String text) implements Verdict {
    }
}
