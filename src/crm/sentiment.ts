/**
 * The tone of a text, from VADER (`vader-sentiment`, ADR 0014): a lexicon of English words rated
 * −4..4 and rules for negation ("not good"), intensifiers ("very"), a contrastive "but", capitals
 * and exclamation marks. Handoff's one door to the library: the rest of the code sees
 * `{score, label, words}`. Two adjustments for support text, both documented in ADR 0014: the
 * port's case-sensitive negations are read as the reference reads them (`normalise`), and the
 * words of a request ("please", "help") weigh nothing unless turned around (`REQUEST_WORDS`).
 *
 * Pure and deterministic: no IO, no clock; the lexicon is a file of the installed package.
 */
import { SentimentIntensityAnalyzer as Vader } from "vader-sentiment";
import type { SENTIMENT_LABELS } from "./objects.js";

export type SentimentLabel = (typeof SENTIMENT_LABELS)[number];

/** A word that moved the score: as written in context ("not good"), and its valence there (−4..4, VADER's scale). */
export interface SentimentWord {
  text: string;
  valence: number;
  /** The word's rating was turned around by a negation before it ("not", "never", "don't", "without" …). */
  negated: boolean;
}

export interface Sentiment {
  /** VADER's compound score, −1 (most negative) .. 1, to two decimals. */
  score: number;
  /** From the score with VADER's usual cutoffs: ≤ −0.05 negative, ≥ 0.05 positive, neutral between. */
  label: SentimentLabel;
  /** The words that drove it, strongest first: those on the label's side (both sides when neutral). */
  words: SentimentWord[];
}

/** Texts are read up to here: the subject and the opening of a message carry its tone, and VADER costs ~15 µs a word. */
export const MAX_SENTIMENT_CHARS = 4000;
/** At most this many words are kept as the reasons. */
export const MAX_SENTIMENT_WORDS = 4;
const CUTOFF = 0.05;
const MAX_PHRASE = 60;

/**
 * The sentiment of `text` (empty or wordless text: neutral, score 0, no words).
 */
export function sentimentOf(text: string): Sentiment {
  const { compound, tokens, valences } = score(normalise(text.slice(0, MAX_SENTIMENT_CHARS)));
  const rounded = Math.round(compound * 100) / 100 || 0;
  // The label is read from the stored score, so `sentiment` and `sentiment_label` never disagree.
  const label: SentimentLabel = rounded <= -CUTOFF ? "negative" : rounded >= CUTOFF ? "positive" : "neutral";
  return { score: rounded, label, words: drivers(tokens, valences, label) };
}

/** The words as one line a person reads on the record page: `'furious' −3.1, 'not good' −1.4`. */
export function describeSentimentWords(words: readonly SentimentWord[]): string {
  return words.map((w) => `'${w.text}' ${signed(w.valence)}`).join(", ");
}

function signed(v: number): string {
  const s = Math.abs(v).toFixed(1);
  return v < 0 ? `\u2212${s}` : `+${s}`;
}

/**
 * Runs VADER and keeps the tokens and per-token valences its score was summed from. The library
 * exports only `polarity_scores` as a whole; its per-word valences pass through its own static
 * `but_check` (the last rule before summing), so that one call is observed for the length of a
 * synchronous call and put back. The words shown are thus exactly those the score came from,
 * without a second copy of VADER's tokenizer and booster list here. A library version that no
 * longer calls it fails loudly (and the tests of this module with it).
 */
function score(text: string): { compound: number; tokens: string[]; valences: number[] } {
  const original = Vader.but_check;
  let seen: { tokens: string[]; valences: number[] } | undefined;
  Vader.but_check = (words, sentiments) => {
    const out = original.call(Vader, words, sentiments).map((v, i) => (v > 0 && REQUEST_WORDS.has((words[i] ?? "").toLowerCase()) ? 0 : v));
    seen = { tokens: [...words], valences: [...out] };
    return out;
  };
  try {
    const { compound } = Vader.polarity_scores(text);
    if (!seen) throw new Error("vader-sentiment did not report its word valences (an unsupported version?)");
    return { compound, ...seen };
  } finally {
    Vader.but_check = original;
  }
}

/**
 * Words VADER rates positive that in CRM and support text are the words of a request or a product,
 * not a tone: "can you help", "please fix", "looks like", "I want", the Save button, "support",
 * a credit card, "improve the export". Read plainly they weigh nothing here; turned around
 * ("no help at all", "don't like") they keep their negative weight. Without this, VADER read
 * most of the demo's bug reports as positive (ADR 0014 has the figures).
 */
const REQUEST_WORDS: ReadonlySet<string> = new Set(["help", "please", "like", "want", "save", "support", "credit", "improve"]);

/** A token's rating in VADER's lexicon, out of context (0: not a sentiment word). */
function lexiconValence(token: string): number {
  return Vader.sentiment_valence(0, { words_and_emoticons: [token], is_cap_diff: false }, token, 0, [])[0] ?? 0;
}

/** Whether VADER treats `token` as a negation: it turns "good" around when put before it. */
function negates(token: string): boolean {
  const probe = Vader.sentiment_valence(0, { words_and_emoticons: [token, "good"], is_cap_diff: false }, "good", 1, []);
  return (probe[0] ?? 0) < 0;
}

const IS_UPPER = /^[^a-z]*[A-Z]+[^a-z]*$/;
const WORDS = /[A-Za-z]+(?:['-][A-Za-z]+)*/g;

/**
 * Makes the JavaScript port read text as VADER's reference (Python) implementation does, where
 * they differ in ways that matter for support messages:
 * - the port compares negations and "but" case-sensitively, so a sentence's first "Not", "Never"
 *   or "But" (or "NOT") was ignored — they are lower-cased. A text written all in capitals is
 *   lower-cased whole, as capitals then stress nothing (VADER's rule);
 * - typographic apostrophes (don’t, from phones and mail clients) become plain ones, which
 *   VADER's negations are spelled with.
 */
function normalise(raw: string): string {
  const text = raw.replace(/\u2019/g, "'");
  const tokens = text.split(/\s/).filter((t) => t.length > 1);
  if (tokens.length > 0 && tokens.every((t) => IS_UPPER.test(t))) return text.toLowerCase();
  return text.replace(WORDS, (w) => {
    const lower = w.toLowerCase();
    return w !== lower && (lower === "but" || negates(lower)) ? lower : w;
  });
}

/** The words on the label's side (any side when neutral), strongest first, each phrase once. */
function drivers(tokens: readonly string[], valences: readonly number[], label: SentimentLabel): SentimentWord[] {
  const found: Array<SentimentWord & { at: number }> = [];
  valences.forEach((valence, at) => {
    if (valence === 0 || (label === "negative" && valence > 0) || (label === "positive" && valence < 0)) return;
    const token = tokens[at] ?? "";
    const raw = lexiconValence(token);
    const turned = raw !== 0 && Math.sign(raw) !== Math.sign(valence);
    // VADER looks up to three words back for a negation; the phrase runs from the nearest one found.
    let from = at;
    if (turned) {
      for (let back = 1; back <= 3 && at - back >= 0; back++) {
        if (negates((tokens[at - back] ?? "").toLowerCase())) {
          from = at - back;
          break;
        }
      }
    }
    const phrase = tokens
      .slice(from, at + 1)
      .join(" ")
      .toLowerCase();
    // The words between a negation and its word can be anything (a pasted URL): keep a line short.
    const text = phrase.length > MAX_PHRASE ? `${phrase.slice(0, MAX_PHRASE - 1)}…` : phrase;
    found.push({ text, valence: Math.round(valence * 10) / 10, negated: turned && from < at, at });
  });
  found.sort((a, b) => Math.abs(b.valence) - Math.abs(a.valence) || a.at - b.at);
  const seen = new Set<string>();
  const out: SentimentWord[] = [];
  for (const { at: _at, ...w } of found) {
    if (seen.has(w.text)) continue;
    seen.add(w.text);
    out.push(w);
    if (out.length === MAX_SENTIMENT_WORDS) break;
  }
  return out;
}
