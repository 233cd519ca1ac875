package dev.quarry.bm25;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;

/**
 * The analysis chain of Anserini's {@code DefaultEnglishAnalyzer} with Porter stemming, applied to documents and
 * queries alike: standard tokenizer, English possessive removal, lower case, Lucene's English stop words, Porter stemmer.
 */
public final class EnglishAnalyzer extends Analyzer {
  /** Identifies this chain in index manifests; change it whenever the chain changes. */
  public static final String ID = "standard+possessive+lowercase+lucene-english-stop+porter";

  @Override
  protected TokenStreamComponents createComponents(String fieldName) {
    StandardTokenizer source = new StandardTokenizer();
    TokenStream result = new EnglishPossessiveFilter(source);
    result = new LowerCaseFilter(result);
    result = new StopFilter(result, org.apache.lucene.analysis.en.EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
    result = new PorterStemFilter(result);
    return new TokenStreamComponents(source, result);
  }

  @Override
  protected TokenStream normalize(String fieldName, TokenStream in) {
    return new LowerCaseFilter(in);
  }
}
