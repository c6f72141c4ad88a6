package org.osprey.core.tls;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Collects what one class logs, for the "logs one line" parts of the contract. */
final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final Level level;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    LogCapture(Class<?> source) {
        logger = (Logger) LoggerFactory.getLogger(source);
        level = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        appender.start();
        logger.addAppender(appender);
    }

    List<String> messages(Level atLevel) {
        List<ILoggingEvent> events;
        // the appender adds under its own lock, from whatever thread logged
        synchronized (appender) {
            events = List.copyOf(appender.list);
        }
        return events.stream()
            .filter(event -> event.getLevel() == atLevel)
            .map(ILoggingEvent::getFormattedMessage)
            .toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(level);
    }
}
