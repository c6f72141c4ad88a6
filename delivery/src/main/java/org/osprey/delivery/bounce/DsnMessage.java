package org.osprey.delivery.bounce;

/**
 * A finished delivery status notification, ready to queue with the null sender {@code <>} (RFC 5321 §4.5.5) to
 * {@code recipient}, the original message's sender.
 *
 * @param content  the whole message, header and body, CRLF line ends
 * @param smtpUtf8 the report carries UTF-8 addresses or header text (RFC 6533 message/global-delivery-status,
 *                 message/global-headers): it must be sent with SMTPUTF8 and BODY=8BITMIME. When false it is pure
 *                 7-bit ASCII and goes anywhere.
 */
public record DsnMessage(String recipient, byte[] content, boolean smtpUtf8) {
}
