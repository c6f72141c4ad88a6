package org.osprey.store.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * The words of mail text as the full-text index keeps them: {@link MailTokenizer}'s words, lower-cased and folded to
 * ASCII where Unicode has an ASCII equivalent ("Müller" and "MULLER" are both "muller", "ß" is "ss"). Text is put into
 * Unicode NFKC first ({@link #nfkc}), so composed and decomposed accents and compatibility forms (ligatures,
 * full-width letters) index alike. Values of one field are 100 positions apart, so no phrase spans two of them.
 */
final class MailAnalyzer extends Analyzer {

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer source = new MailTokenizer();
        TokenStream words = new ASCIIFoldingFilter(new LowerCaseFilter(source));
        return new TokenStreamComponents(source, words);
    }

    @Override
    public int getPositionIncrementGap(String fieldName) {
        return 100;
    }

    static String nfkc(String text) {
        return Normalizer.isNormalized(text, Normalizer.Form.NFKC) ? text
                : Normalizer.normalize(text, Normalizer.Form.NFKC);
    }

    /** The words of {@code text}, as the index has them. */
    List<String> words(String text) {
        List<String> words = new ArrayList<>();
        try (TokenStream stream = tokenStream("", nfkc(text))) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                words.add(term.toString());
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringReader does not fail
        }
        return words;
    }
}
