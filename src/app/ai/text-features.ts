/**
 * Words as features (issue 24; docs/ai.md): a text's tokens from wink-nlp's English model, which
 * ships inside its package (nothing is fetched, nothing leaves the server). Kept: words and
 * numbers' shapes in their normal (lower-case, expanded) form, without stop words; a word under a
 * negation ("not working", "can't log in") becomes `not_<word>`, so that "working" and "not
 * working" are different evidence. Each token is prefixed with the field it came from, since
 * "refund" in a subject and in a long body weigh differently.
 */

import model from "wink-eng-lite-web-model";
import winkNLP from "wink-nlp";

const nlp = winkNLP(model);
const its = nlp.its;

/** Texts longer than this are cut: a pasted log says no more about the category after its start. */
export const MAX_TEXT_CHARS = 4_000;

const NEGATED_WORDS = 2;
const CLAUSE_BREAKS = new Set(["and", "but", "or", "so", "because", "while"]);

export function textTokens(text: string): string[] {
  const doc = nlp.readDoc(text.slice(0, MAX_TEXT_CHARS));
  const tokens = doc.tokens();
  const normal = tokens.out(its.normal) as string[];
  const type = tokens.out(its.type) as string[];
  const stop = tokens.out(its.stopWordFlag) as unknown as boolean[];
  const negated = tokens.out(its.negationFlag) as unknown as boolean[];
  const out: string[] = [];
  // wink's negation runs to the end of the clause ("not correct and I want a refund" negates
  // "refund"): a negation here reaches the next NEGATED_WORDS content words, and no further than
  // a conjunction.
  let scopeLeft = 0;
  for (let i = 0; i < normal.length; i++) {
    const t = type[i];
    const word = normal[i] as string;
    if (!negated[i]) scopeLeft = NEGATED_WORDS;
    else if (CLAUSE_BREAKS.has(word)) scopeLeft = 0;
    if (t === "number") out.push("<number>");
    if (t !== "word" || stop[i] || word.length < 2) continue;
    if (negated[i] && scopeLeft > 0) {
      scopeLeft--;
      out.push(`not_${word}`);
    } else out.push(word);
  }
  return out;
}

/** `field:token` for every token of every named text. */
export function textFeatures(texts: Readonly<Record<string, string | null | undefined>>): string[] {
  const out: string[] = [];
  for (const [field, text] of Object.entries(texts)) {
    if (!text) continue;
    for (const t of textTokens(text)) out.push(`${field}:${t}`);
  }
  return out;
}
