package org.osprey.delivery;

import java.util.List;
import java.util.Map;

/**
 * Progress of one queued message: targets finished (delivered, or failed for good) and, for the rest, the number
 * of attempts, the next try and the last error; whether the sender was sent a delay warning. Absent for a message
 * that nothing has been tried for yet.
 */
public record DeliveryState(List<String> done, Map<String, Attempt> pending, boolean warned) {

    public DeliveryState(List<String> done, Map<String, Attempt> pending) {
        this(done, pending, false);
    }

    /** @param nextMillis when to try again; error is the last reply or reason, shown by "queue list". */
    public record Attempt(int attempts, long nextMillis, String error) {
    }
}
