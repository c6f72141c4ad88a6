package org.osprey.sieve.managesieve;

import java.util.Optional;

/** One parsed ManageSieve command (RFC 5804 §2), as the {@link CommandReader} hands it to the session. */
sealed interface SieveCommand {

    /** The command's name as RFC 5804 spells it, for logs. */
    default String verb() {
        return switch (this) {
            case Authenticate _ -> "AUTHENTICATE";
            case StartTls _ -> "STARTTLS";
            case Logout _ -> "LOGOUT";
            case Capability _ -> "CAPABILITY";
            case Noop _ -> "NOOP";
            case Unauthenticate _ -> "UNAUTHENTICATE";
            case HaveSpace _ -> "HAVESPACE";
            case PutScript _ -> "PUTSCRIPT";
            case CheckScript _ -> "CHECKSCRIPT";
            case ListScripts _ -> "LISTSCRIPTS";
            case SetActive _ -> "SETACTIVE";
            case GetScript _ -> "GETSCRIPT";
            case DeleteScript _ -> "DELETESCRIPT";
            case RenameScript _ -> "RENAMESCRIPT";
        };
    }

    /** §2.1; {@code initialResponse} is the base64 text as sent. */
    record Authenticate(String mechanism, Optional<String> initialResponse) implements SieveCommand {
    }

    record StartTls() implements SieveCommand {
    }

    record Logout() implements SieveCommand {
    }

    record Capability() implements SieveCommand {
    }

    /** §2.11: the tag, when given, comes back in a TAG response code. */
    record Noop(Optional<String> tag) implements SieveCommand {
    }

    /** §2.14.1. */
    record Unauthenticate() implements SieveCommand {
    }

    record HaveSpace(String name, long size) implements SieveCommand {
    }

    record PutScript(String name, String script) implements SieveCommand {
    }

    record CheckScript(String script) implements SieveCommand {
    }

    record ListScripts() implements SieveCommand {
    }

    /** An empty name deactivates (§2.8). */
    record SetActive(String name) implements SieveCommand {
    }

    record GetScript(String name) implements SieveCommand {
    }

    record DeleteScript(String name) implements SieveCommand {
    }

    record RenameScript(String oldName, String newName) implements SieveCommand {
    }
}
