/**
 * How text becomes index terms, the same for documents and queries: words split on spaces and punctuation
 * (so `payments-db`, `http_requests_total` and `OOMKilled` give their parts), lowercased, common English words
 * dropped, and English inflections folded (timeouts → timeout, throttled/throttling → throttl).
 */

// Words that carry no meaning in a search over runbooks; BM25's IDF would weaken them, but prefix and fuzzy
// matching would still let "the" reach "then" and "there".
const STOP_WORDS = new Set(
  'a an and are as at be been but by can do does for from has have how i if in into is it its no not of on or our so such than that the their then there these they this to too was we were what when where which while who why will with you your'.split(
    ' '
  )
);

const SPLIT = /[\s\p{P}\p{S}]+/u;
// Case changes inside a word: OOMKilled → OOM Killed, podRestarts → pod Restarts.
const CAMEL = /(?<=\p{Ll})(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})/u;

/** Words of `text`, with each mixed-case word also split at its case changes. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const word of text.split(SPLIT)) {
    if (word === '') {
      continue;
    }
    tokens.push(word);
    const parts = word.split(CAMEL);
    if (parts.length > 1) {
      tokens.push(...parts);
    }
  }
  return tokens;
}

/** The index term for one token, or null to drop it. */
export function processTerm(token: string): string | null {
  const term = token.toLowerCase();
  if (STOP_WORDS.has(term)) {
    return null;
  }
  return /^\p{Ll}+$/u.test(term) ? stem(term) : term;
}

/**
 * A deliberately light English stemmer: plurals, -ing, -ed, -ion and a final -e. Stems only need to agree
 * between query and document; words of three letters (mostly acronyms: dns, tls) are left alone, and words of
 * four only lose a plural s (pods → pod).
 */
export function stem(word: string): string {
  if (word.length <= 3) {
    return word;
  }
  let w = word;
  if (w.endsWith('ies') && w.length > 4) {
    w = `${w.slice(0, -3)}y`;
  } else if (w.endsWith('sses')) {
    w = w.slice(0, -2);
  } else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) {
    w = w.slice(0, -1);
  }
  if (word.length <= 4) {
    return w;
  }
  if (w.length > 5 && w.endsWith('ing')) {
    w = undouble(w.slice(0, -3));
  } else if (w.length > 4 && w.endsWith('ed') && !w.endsWith('eed')) {
    w = undouble(w.slice(0, -2));
  } else if (w.length > 7 && w.endsWith('ion')) {
    w = w.slice(0, -3);
  }
  if (w.length > 4 && w.endsWith('e')) {
    w = w.slice(0, -1);
  }
  return w;
}

// running → run, logged → log; but keep -ll, -ss and -zz (stall, pass, buzz), which are part of the word.
function undouble(w: string): string {
  return /([^aeiouylsz])\1$/.test(w) ? w.slice(0, -1) : w;
}
