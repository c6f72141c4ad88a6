/**
 * Full-text search over a user's mail: {@link org.osprey.store.search.FullTextIndex}, one Lucene index per user
 * beside the Maildir, kept up to date with the folders by catching up before each search, and shared through
 * {@link org.osprey.store.search.FullTextIndexes}; {@link org.osprey.store.search.MessageText} is the text of a
 * message as the index (or a scan without one) sees it.
 */
package org.osprey.store.search;
