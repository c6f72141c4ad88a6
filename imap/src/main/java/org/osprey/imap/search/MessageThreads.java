package org.osprey.imap.search;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.osprey.imap.parse.ImapCommand.ThreadAlgorithm;
import org.osprey.store.index.MessageEntry;

/**
 * THREAD (RFC 5256 §3–§4): groups the positions a search found into threads and writes the response's thread list,
 * e.g. {@code (2)(3 6 (4 23)(44 7 96))}, with sequence numbers or UIDs. Only the searched messages take part.
 *
 * <p>ORDEREDSUBJECT: messages sorted by base subject, then sent date; each run of one subject is a thread whose first
 * message is the parent of all the others (siblings); threads ordered by their first message's sent date.
 *
 * <p>REFERENCES, the algorithm of RFC 5256 §4 step by step: (1) link messages by Message-ID and References (or the
 * first In-Reply-To id), making dummy containers for ids no message has, never changing an existing parent for an
 * earlier reference, never making a loop, and giving a message a unique id when its Message-ID is missing or taken
 * by an earlier message; (2) the parentless containers are the root set; (3) prune dummies — drop childless ones,
 * splice the children of the others into their place, except a root-level dummy with more than one child; (4) sort
 * the root set by sent date (a dummy by its first child's); (5) merge root threads with the same base subject via
 * the subject table; (6) sort every set of siblings by sent date, deepest first. Sent date ties (and dummies)
 * fall back to sequence order.
 */
public final class MessageThreads {
    private MessageThreads() {
    }

    /** The THREAD response's thread list for {@code positions} (ascending), without the leading "* THREAD ". */
    public static String thread(ThreadAlgorithm algorithm, int[] positions, SearchContext context, boolean uids)
            throws IOException {
        List<MessageEntry> messages = context.messages();
        List<Node> nodes = new ArrayList<>(positions.length);
        for (int position : positions) {
            MessageEntry message = messages.get(position);
            HeaderSummary summary = HeaderSummary.of(context.folderIndex(), message);
            long number = uids ? message.uid() : position + 1L;
            nodes.add(new Node(number, position, summary, MessageSort.sentDate(summary, message)));
        }
        List<Node> roots = switch (algorithm) {
            case ORDEREDSUBJECT -> orderedSubject(nodes);
            case REFERENCES -> references(nodes);
        };
        StringBuilder out = new StringBuilder();
        for (Node root : roots) {
            out.append('(');
            members(root, out);
            out.append(')');
        }
        return out.toString();
    }

    /** A message, or a dummy (no message: {@code summary} null) standing for a referenced id. */
    private static final class Node {
        long number;
        int position;
        HeaderSummary summary;
        long sentDate;
        Node parent;
        final List<Node> children = new ArrayList<>();
        boolean merged;

        Node(long number, int position, HeaderSummary summary, long sentDate) {
            this.number = number;
            this.position = position;
            this.summary = summary;
            this.sentDate = sentDate;
        }

        /** A dummy gets the message whose Message-ID it stood for, keeping its links (RFC 5256 §4 step 1A). */
        void fill(Node message) {
            number = message.number;
            position = message.position;
            summary = message.summary;
            sentDate = message.sentDate;
        }

        static Node dummy() {
            return new Node(0, -1, null, 0);
        }

        boolean isDummy() {
            return summary == null;
        }

        void addChild(Node child) {
            child.parent = this;
            children.add(child);
        }

        void unlink() {
            if (parent != null) {
                parent.children.remove(this);
                parent = null;
            }
        }

        /** True when {@code other} is this node or one of its ancestors. */
        boolean isOrHasAncestor(Node other) {
            for (Node n = this; n != null; n = n.parent) {
                if (n == other) {
                    return true;
                }
            }
            return false;
        }

        /** The message to sort a dummy by: its first child (children sorted first). */
        Node representative() {
            Node n = this;
            while (n.isDummy() && !n.children.isEmpty()) {
                n = n.children.getFirst();
            }
            return n;
        }

        /** The base subject of the thread: this message's, or a dummy's first child's; "" when none. */
        String threadSubject() {
            Node n = representative();
            return n.isDummy() ? "" : n.summary.subject();
        }

        boolean isReply() {
            return !isDummy() && summary.reply();
        }
    }

    /** By sent date, then sequence number; a dummy counts as its first child. */
    private static final Comparator<Node> BY_DATE = (a, b) -> {
        Node x = a.representative();
        Node y = b.representative();
        int c = Long.compare(x.sentDate, y.sentDate);
        return c != 0 ? c : Integer.compare(x.position, y.position);
    };

    // ---- ORDEREDSUBJECT (RFC 5256 §3)

    private static List<Node> orderedSubject(List<Node> nodes) {
        List<Node> sorted = new ArrayList<>(nodes);
        sorted.sort(Comparator.<Node, String>comparing(n -> n.summary.subject(), UnicodeCasemap::compare)
                .thenComparing(BY_DATE));
        List<Node> roots = new ArrayList<>();
        Node root = null;
        for (Node n : sorted) {
            if (root != null && root.summary.subject().equals(n.summary.subject())) {
                root.addChild(n); // all later messages are children of the first, siblings of each other
            } else {
                root = n;
                roots.add(n);
            }
        }
        roots.sort(BY_DATE);
        return roots;
    }

    // ---- REFERENCES (RFC 5256 §4)

    private static List<Node> references(List<Node> nodes) {
        Map<String, Node> byId = new HashMap<>();
        List<Node> all = new ArrayList<>();
        // (1) link messages
        for (Node message : nodes) {
            Node node = message;
            String id = message.summary.messageId();
            Node known = id == null ? null : byId.get(id);
            if (known != null && known.isDummy()) {
                known.fill(message);
                node = known;
            } else {
                all.add(node);
                if (id != null && known == null) {
                    byId.put(id, node);
                }
                // a missing Message-ID, or one an earlier message has: this message gets a unique id of its own
            }
            // (1B) link the references among themselves, oldest first
            Node previous = null;
            for (String ref : message.summary.references()) {
                Node r = byId.get(ref);
                if (r == null) {
                    r = Node.dummy();
                    byId.put(ref, r);
                    all.add(r);
                }
                if (previous != null && r.parent == null && !previous.isOrHasAncestor(r)) {
                    previous.addChild(r);
                }
                previous = r;
            }
            // (1C) the last reference is the parent, replacing any parent a truncated References gave
            node.unlink();
            if (previous != null && !previous.isOrHasAncestor(node)) {
                previous.addChild(node);
            }
        }
        // (2) the root set
        List<Node> roots = new ArrayList<>();
        for (Node n : all) {
            if (n.parent == null && (!n.isDummy() || !n.children.isEmpty())) {
                roots.add(n);
            }
        }
        // (3) prune dummies
        roots = prune(roots, true);
        // (4) sort the root set by sent date (a dummy by its first child, its children sorted first)
        for (Node root : roots) {
            if (root.isDummy()) {
                root.children.sort(BY_DATE);
            }
        }
        roots.sort(BY_DATE);
        // (5) gather threads with the same base subject
        roots = groupBySubject(roots);
        // (6) sort all siblings by sent date, children before parents
        sortTree(roots);
        return roots;
    }

    /** Step (3) on a set of siblings; returns the new set. */
    private static List<Node> prune(List<Node> siblings, boolean root) {
        List<Node> result = new ArrayList<>();
        for (Node n : siblings) {
            List<Node> kept = prune(n.children, false);
            n.children.clear();
            for (Node child : kept) {
                child.parent = n;
                n.children.add(child);
            }
            if (!n.isDummy()) {
                result.add(n);
            } else if (n.children.isEmpty()) {
                n.parent = null; // dropped
            } else if (!root || n.children.size() == 1) {
                for (Node child : n.children) {
                    child.parent = root ? null : n.parent;
                    result.add(child); // promoted into the dummy's place
                }
                n.children.clear();
            } else {
                result.add(n); // a root-level dummy with several children stays
            }
        }
        return result;
    }

    /** Step (5): merges root threads with the same base subject, through the subject table. */
    private static List<Node> groupBySubject(List<Node> roots) {
        Map<String, Node> table = new HashMap<>();
        // (5B) one container per subject: prefer a dummy, then a non-reply
        for (Node root : roots) {
            String subject = root.threadSubject();
            if (subject.isEmpty()) {
                continue;
            }
            Node old = table.get(subject);
            if (old == null || (!old.isDummy() && (root.isDummy() || (old.isReply() && !root.isReply())))) {
                table.put(subject, root);
            }
        }
        // (5C) merge
        List<Node> added = new ArrayList<>();
        for (Node root : roots) {
            String subject = root.threadSubject();
            if (subject.isEmpty()) {
                continue;
            }
            Node old = table.get(subject);
            if (old == root) {
                continue;
            }
            if (old.isDummy() && root.isDummy()) {
                for (Node child : new ArrayList<>(root.children)) {
                    child.unlink();
                    old.addChild(child);
                }
                root.merged = true;
            } else if (old.isDummy()) {
                old.addChild(root);
                root.merged = true;
            } else if (root.isReply() && !old.isReply()) {
                old.addChild(root);
                root.merged = true;
            } else {
                Node dummy = Node.dummy();
                old.merged = true; // its place in the root set goes to the new dummy
                root.merged = true;
                dummy.addChild(old);
                dummy.addChild(root);
                table.put(subject, dummy);
                added.add(dummy);
            }
        }
        List<Node> result = new ArrayList<>();
        for (Node root : roots) {
            if (!root.merged) {
                result.add(root);
            }
        }
        result.addAll(added);
        return result;
    }

    private static void sortTree(List<Node> siblings) {
        for (Node n : siblings) {
            sortTree(n.children);
        }
        siblings.sort(BY_DATE);
    }

    // ---- output (RFC 5256 §5: thread-list)

    /**
     * Writes a thread's members: a message, then its only child's members, or each child's in parentheses; a dummy
     * writes its children each in parentheses (or its only child's members).
     */
    private static void members(Node node, StringBuilder out) {
        if (node.isDummy()) {
            if (node.children.size() == 1) {
                members(node.children.getFirst(), out);
                return;
            }
            for (Node child : node.children) {
                out.append('(');
                members(child, out);
                out.append(')');
            }
            return;
        }
        out.append(node.number);
        if (node.children.size() == 1) {
            out.append(' ');
            members(node.children.getFirst(), out);
        } else if (!node.children.isEmpty()) {
            out.append(' ');
            for (Node child : node.children) {
                out.append('(');
                members(child, out);
                out.append(')');
            }
        }
    }
}
