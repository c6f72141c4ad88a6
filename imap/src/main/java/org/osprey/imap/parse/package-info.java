/**
 * The IMAP command parser: bytes from the client in, an immutable {@link org.osprey.imap.parse.ImapCommand} or a
 * precise {@link org.osprey.imap.parse.ImapParseException} out. {@link org.osprey.imap.parse.CommandReader} frames a
 * command (lines and literals, RFC 3501 §7.5 / RFC 7888) and drives the grammar; the session supplies the socket side
 * through {@link org.osprey.imap.parse.LiteralHandler}. Nothing here touches the store.
 */
package org.osprey.imap.parse;
