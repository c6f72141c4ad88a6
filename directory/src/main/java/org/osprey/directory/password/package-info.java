/** Dovecot-compatible password storage: checking "{SCHEME}..." strings and writing new ones. */
package org.osprey.directory.password;
