package org.osprey.sieve.syntax;

/** A string as written in the script (escapes resolved), with where it starts. */
public record StringLiteral(String value, Position position) {
}
