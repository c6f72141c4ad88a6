package org.osprey.sieve.program;

/** Which part of an address a test compares (RFC 5228 §2.7.4, RFC 5233 §4). */
public enum AddressPart {
    ALL, LOCALPART, DOMAIN, USER, DETAIL
}
