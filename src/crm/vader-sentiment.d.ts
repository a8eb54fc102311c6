/**
 * The few members of `vader-sentiment` (1.1.x, untyped CommonJS) that src/crm/sentiment.ts uses.
 * The package exports one class of static methods; these are their shapes in its source.
 */
declare module "vader-sentiment" {
  interface PolarityScores {
    neg: number;
    neu: number;
    pos: number;
    /** The normalised sum of the words' valences, −1..1 (four decimals). */
    compound: number;
  }
  /** What `sentiment_valence` reads of the library's SentiText: the text's tokens and whether only some are in capitals. */
  interface SentiTextLike {
    words_and_emoticons: string[];
    is_cap_diff: boolean;
  }
  export const SentimentIntensityAnalyzer: {
    polarity_scores(text: string): PolarityScores;
    /** Pushes the valence of `words_and_emoticons[index]` in its context onto `sentiments` and returns it. */
    sentiment_valence(valence: number, text: SentiTextLike, item: string, index: number, sentiments: number[]): number[];
    /** Weighs valences around a contrastive "but"; `polarity_scores` calls it with every token and its valence. */
    but_check(words: string[], sentiments: number[]): number[];
  };
}
