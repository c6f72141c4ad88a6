package org.osprey.sieve.message;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.osprey.sieve.MessageSource;
import org.osprey.sieve.match.Budget;

/**
 * The message as one evaluation sees it: the header read once on first use (and edited by editheader), the body
 * read only when a body test asks, each body transform extracted once and kept for later tests. Not thread-safe:
 * one per evaluation. A message that cannot be read is an {@link UncheckedIOException}.
 */
public final class MessageView {
    private final MessageSource source;
    private final Budget budget;
    private MessageHeader header;
    private boolean hasBody;
    private String rawBody;
    private List<String> text;
    private final Map<List<String>, List<String>> content = new HashMap<>();

    public MessageView(MessageSource source, Budget budget) {
        this.source = source;
        this.budget = budget;
    }

    /** The current header fields (parsed on first use). */
    public MessageHeader header() {
        if (header == null) {
            try (InputStream in = new BufferedInputStream(source.open())) {
                HeaderBlock block = HeaderBlock.read(in);
                hasBody = block.hasBody();
                header = MessageHeader.of(block);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the message: " + e.getMessage(), e);
            }
        }
        return header;
    }

    /** Whether an empty line ends the header: without one the message has no body (RFC 5173 §4). */
    public boolean hasBody() {
        header();
        return hasBody;
    }

    /** The body undecoded, for {@code :raw}. */
    public String rawBody() {
        if (rawBody == null) {
            try (InputStream in = new BufferedInputStream(source.open())) {
                HeaderBlock.read(in);
                byte[] body = in.readAllBytes();
                budget.check();
                rawBody = HeaderText.decodeBytes(body, 0, body.length);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the message: " + e.getMessage(), e);
            }
        }
        return rawBody;
    }

    /** The text parts, for {@code :text}. */
    public List<String> textParts() {
        if (text == null) {
            try (InputStream in = source.open()) {
                text = BodyExtractor.text(in, budget);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the message: " + e.getMessage(), e);
            }
        }
        return text;
    }

    /** The parts matching the :content types (already lower-case), per RFC 5173 §5.2. */
    public List<String> contentParts(List<String> types) {
        List<String> found = content.get(types);
        if (found == null) {
            try (InputStream in = source.open()) {
                found = BodyExtractor.content(in, contentTypeFilter(types), budget);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the message: " + e.getMessage(), e);
            }
            content.put(List.copyOf(types), found);
        }
        return found;
    }

    /**
     * RFC 5173 §5.2: "" matches every type, "type" every subtype of it, "type/subtype" exactly that; a type
     * starting or ending with "/" or with two slashes matches nothing.
     */
    static Predicate<String> contentTypeFilter(List<String> types) {
        return actual -> {
            for (String wanted : types) {
                if (wanted.isEmpty()) {
                    return true;
                }
                int slash = wanted.indexOf('/');
                if (wanted.startsWith("/") || wanted.endsWith("/") || slash != wanted.lastIndexOf('/')) {
                    continue;
                }
                if (slash < 0 ? actual.startsWith(wanted + "/") : actual.equals(wanted)) {
                    return true;
                }
            }
            return false;
        };
    }
}
