// workbook/criteria/conditions.py in JavaScript: the tests a rubric puts on one
// item's fields ({next_action: {min_words: 3}}), with the same verdicts.

import { WORD, among, casefold, equal, filled, get, text, words } from "./python.js";

const patterns = new Map();

// One search for any of `phrases`, each as whole words (as conditions._phrases_pattern).
function phrasesPattern(phrases) {
  const cacheKey = JSON.stringify(phrases);
  if (!patterns.has(cacheKey)) {
    const escaped = phrases.map((p) => casefold(String(p)).replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&"));
    patterns.set(cacheKey, new RegExp(`(?<!${WORD})(?:${escaped.join("|")})(?!${WORD})`, "u"));
  }
  return patterns.get(cacheKey);
}

// The phrase of `phrases` found in `value`, or null: contains_any and lacks_any.
export function phraseIn(value, phrases) {
  const haystack = value === null || value === undefined ? "" : casefold(text(value));
  const found = phrasesPattern(phrases).exec(haystack);
  return found ? found[0] : null;
}

export const TESTS = {
  filled: (value, want) => filled(value) === Boolean(want),
  equals: (value, want) => equal(value, want),
  in: (value, want) => among(value, want),
  not_in: (value, want) => !among(value, want),
  min_words: (value, want) => words(value) >= want,
  max_words: (value, want) => words(value) <= want,
  min_items: (value, want) => Array.isArray(value) && value.length >= want,
  contains_any: (value, want) => phraseIn(value, want) !== null,
  lacks_any: (value, want) => phraseIn(value, want) === null,
};

// Whether every test of `condition` holds for `item` (no condition: always).
export function holds(condition, item) {
  if (!condition) return true;
  return Object.entries(condition).every(([field, tests]) =>
    Object.entries(tests).every(([name, want]) => TESTS[name](get(item, field), want)));
}

// Each failing (field, test, wanted value, value found), for saying what is missing.
export function failures(condition, item) {
  const out = [];
  for (const [field, tests] of Object.entries(condition ?? {})) {
    const value = get(item, field);
    for (const [name, want] of Object.entries(tests)) {
      if (!TESTS[name](value, want)) out.push({ field, test: name, want, value });
    }
  }
  return out;
}

// conditions.failing_fields(): the fields with at least one failing test.
export function failingFields(condition, item) {
  return Object.entries(condition).filter(([field, tests]) =>
    !Object.entries(tests).every(([name, want]) => TESTS[name](get(item, field), want)))
    .map(([field]) => field);
}

export { equal };
