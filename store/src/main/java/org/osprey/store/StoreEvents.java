package org.osprey.store;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's change events. Other modules never call each other; the server wires listeners here (a delivery
 * wakes IMAP IDLE). Listeners run on the publishing thread and must be quick; a failing listener is logged and
 * does not stop the others or the delivery.
 */
public final class StoreEvents {
    private static final Logger log = LoggerFactory.getLogger(StoreEvents.class);
    private final List<Consumer<MessageDelivered>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<MessagesCopied>> copyListeners = new CopyOnWriteArrayList<>();

    public void subscribe(Consumer<MessageDelivered> listener) {
        listeners.add(listener);
    }

    /** Listens to copies between folders (COPY and MOVE), whoever made them. */
    public void subscribeCopies(Consumer<MessagesCopied> listener) {
        copyListeners.add(listener);
    }

    /** Called by the folder index after a copy. */
    public void publish(MessagesCopied event) {
        for (Consumer<MessagesCopied> listener : copyListeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                log.warn("store event listener failed for {}", event, e);
            }
        }
    }

    void publish(MessageDelivered event) {
        for (Consumer<MessageDelivered> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                log.warn("store event listener failed for {}", event, e);
            }
        }
    }
}
