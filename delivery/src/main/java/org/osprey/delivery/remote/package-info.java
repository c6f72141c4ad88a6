/**
 * Remote delivery: the SMTP client side of RFC 5321, as Postfix's smtp(8) does it. {@link
 * org.osprey.delivery.remote.RemoteDelivery} is the entry point: it finds the hosts for a domain (a configured
 * {@link org.osprey.delivery.remote.Routes route}, else the MX records through {@link
 * org.osprey.delivery.remote.MxResolver}), opens a session with STARTTLS as the domain's {@link
 * org.osprey.delivery.remote.TlsPolicy} asks, sends one transaction for all recipients of the domain, and keeps the
 * connection a few seconds for the next message to the same place.
 */
package org.osprey.delivery.remote;
