/** Server side TLS for every listener: the certificate (from PEM files or self-signed), reloading, and the policy. */
package org.osprey.core.tls;
