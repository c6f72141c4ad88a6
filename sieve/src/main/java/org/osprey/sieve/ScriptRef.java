package org.osprey.sieve;

/** A script by location and name: what {@code include} names, and how include loops are recognised. */
public record ScriptRef(ScriptLocation location, String name) {
    @Override
    public String toString() {
        return (location == ScriptLocation.GLOBAL ? ":global \"" : ":personal \"") + name + "\"";
    }
}
