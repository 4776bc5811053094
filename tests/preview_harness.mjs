// The form's criteria preview (web/form/criteria/) run by node, for
// tests/test_preview.py: one JSON request on stdin, one JSON answer on stdout.
//
// Request: {cases: [{rubric, schema, data}], rounds: [x...], texts: [string...],
//           phrases: [[text, [phrase...]]...]}
// Answer:  {kinds: [...], scores: [previewScore...], rounds: [round2(x)...], shown: [g(...)...],
//           texts: [{words, filled, normalise}...], phrases: [bool...]}

import { readFileSync } from "node:fs";
import { KINDS, g, plainNames, previewScore, round2 } from "../web/form/criteria/index.js";
import { TESTS } from "../web/form/criteria/conditions.js";
import { filled, normalise, words } from "../web/form/criteria/python.js";

const request = JSON.parse(readFileSync(0, "utf-8"));
const answer = {
  kinds: Object.keys(KINDS).sort(),
  scores: (request.cases ?? []).map(({ rubric, schema, data }) =>
    previewScore(rubric, data, plainNames(schema ?? {}))),
  rounds: (request.rounds ?? []).map(round2),
  shown: (request.rounds ?? []).map((x) => g(round2(x))),
  texts: (request.texts ?? []).map((text) => ({
    words: words(text), filled: filled(text), normalise: normalise(text),
  })),
  phrases: (request.phrases ?? []).map(([text, phrases]) => TESTS.contains_any(text, phrases)),
};
process.stdout.write(JSON.stringify(answer));
