package org.osprey.store.search;

import java.io.IOException;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

/**
 * Splits text into words for the full-text index: a word is a run of letters, digits and combining marks, so
 * punctuation ("example.com", "foo_bar", "o'neil") separates words; every Han, Hiragana and Katakana character is a
 * word of its own, so a phrase of such characters finds them anywhere in a run (those scripts put no spaces between
 * words). A word longer than {@link #MAX_WORD} characters is cut into pieces of that length.
 */
final class MailTokenizer extends Tokenizer {
    static final int MAX_WORD = 255;
    private static final int END = -1;

    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final OffsetAttribute offset = addAttribute(OffsetAttribute.class);
    private final char[] buffer = new char[4096];
    private int length;
    private int index;
    /** Characters consumed from the input so far. */
    private int position;
    /** A code point read but not yet used (it starts the next word), or END. */
    private int pending = END;
    private int pendingStart;
    private int pushedBackChar = END;

    @Override
    public boolean incrementToken() throws IOException {
        clearAttributes();
        char[] out = term.buffer();
        int used = 0;
        int chars = 0;
        int start = -1;
        int end = -1;
        while (true) {
            int c;
            int at;
            if (pending != END) {
                c = pending;
                at = pendingStart;
                pending = END;
            } else {
                at = position;
                c = readCodePoint();
                if (c == END) {
                    break;
                }
            }
            int kind = kind(c);
            if (kind == SEPARATOR) {
                if (chars > 0) {
                    break;
                }
                continue;
            }
            if (chars > 0 && (kind == SINGLE || chars >= MAX_WORD)) {
                pending = c;
                pendingStart = at;
                break;
            }
            if (used + 2 > out.length) {
                out = term.resizeBuffer(used + 2);
            }
            used += Character.toChars(c, out, used);
            chars++;
            if (start < 0) {
                start = at;
            }
            end = at + Character.charCount(c);
            if (kind == SINGLE) {
                break;
            }
        }
        if (chars == 0) {
            return false;
        }
        term.setLength(used);
        offset.setOffset(correctOffset(start), correctOffset(end));
        return true;
    }

    private static final int SEPARATOR = 0;
    private static final int WORD = 1;
    private static final int SINGLE = 2;

    private static int kind(int c) {
        if (Character.isLetterOrDigit(c)) {
            Character.UnicodeScript script = Character.UnicodeScript.of(c);
            if (script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                    || script == Character.UnicodeScript.KATAKANA) {
                return SINGLE;
            }
            return WORD;
        }
        return switch (Character.getType(c)) {
            case Character.NON_SPACING_MARK, Character.COMBINING_SPACING_MARK, Character.ENCLOSING_MARK -> WORD;
            default -> SEPARATOR;
        };
    }

    private int readCodePoint() throws IOException {
        int high = readChar();
        if (high == END || !Character.isHighSurrogate((char) high)) {
            return high;
        }
        int low = readChar();
        if (low != END && Character.isLowSurrogate((char) low)) {
            return Character.toCodePoint((char) high, (char) low);
        }
        if (low != END) {
            pushedBackChar = low;
            position--;
        }
        return high; // a lone surrogate: a separator, as it is no letter
    }

    private int readChar() throws IOException {
        if (pushedBackChar != END) {
            int c = pushedBackChar;
            pushedBackChar = END;
            position++;
            return c;
        }
        if (index == length) {
            int read = input.read(buffer, 0, buffer.length);
            if (read <= 0) {
                return END;
            }
            length = read;
            index = 0;
        }
        position++;
        return buffer[index++];
    }

    @Override
    public void end() throws IOException {
        super.end();
        int last = correctOffset(position);
        offset.setOffset(last, last);
    }

    @Override
    public void reset() throws IOException {
        super.reset();
        length = 0;
        index = 0;
        position = 0;
        pending = END;
        pushedBackChar = END;
    }
}
