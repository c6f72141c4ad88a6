/**
 * SEARCH, SORT and THREAD for the selected folder: {@link org.osprey.imap.search.MessageSearch} evaluates a
 * {@link org.osprey.imap.parse.SearchKey} (BODY and TEXT through the user's full-text index),
 * {@link org.osprey.imap.search.MessageSort} orders the result (RFC 5256, RFC 5957) and
 * {@link org.osprey.imap.search.MessageThreads} threads it (ORDEREDSUBJECT, REFERENCES). The session supplies its
 * view of the folder as a {@link org.osprey.imap.search.SearchContext}; headers are read only up to their end, and
 * what SORT and THREAD need of them is cached across sessions.
 */
package org.osprey.imap.search;
