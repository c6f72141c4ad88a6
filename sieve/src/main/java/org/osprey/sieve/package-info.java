/**
 * Sieve (RFC 5228 and extensions), written for Osprey. Use: {@link org.osprey.sieve.SieveCompiler} turns script
 * text into an immutable {@link org.osprey.sieve.CompiledScript} (or a {@link org.osprey.sieve.SieveException}
 * with line and column); {@link org.osprey.sieve.SieveInterpreter} runs compiled scripts against a
 * {@link org.osprey.sieve.MessageContext} and returns a {@link org.osprey.sieve.SieveResult}: the
 * {@link org.osprey.sieve.Action}s to carry out, the {@link org.osprey.sieve.HeaderEdit}s to apply with
 * {@link org.osprey.sieve.HeaderEditor}, and the duplicate ids to record. Nothing here delivers, sends or stores.
 *
 * <p>Inside: {@code syntax} (lexer, parser, syntax tree), {@code compile} (checks and builds {@code program}, the
 * compiled form), {@code match} (comparators, wildcards, POSIX regular expressions), {@code message} (header,
 * addresses, dates and body parts as the tests see them) and {@code eval} (the interpreter).
 */
package org.osprey.sieve;
