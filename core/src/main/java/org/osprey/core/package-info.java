/** Config, addresses, TLS, the connection server base and SASL, shared by every protocol module. */
package org.osprey.core;
