package org.osprey.sieve;

import java.io.IOException;
import java.util.Optional;

/**
 * Finds the text of a script named by {@code include :personal "name"} or {@code include :global "name"}
 * (RFC 6609 §3.2). Names reaching a resolver have been checked already: non-empty, no "/", no control characters,
 * not "." or "..". An empty answer means the script does not exist: that is an error when the include runs, unless
 * it was {@code :optional}.
 */
@FunctionalInterface
public interface IncludeResolver {
    /** Resolves nothing: every include refers to a missing script. */
    IncludeResolver NONE = (location, name) -> Optional.empty();

    Optional<String> resolve(ScriptLocation location, String name) throws IOException;
}
