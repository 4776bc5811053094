// What the worksheet in the form would earn now, criterion by criterion: the
// numbers `workbook check` prints for every criterion the site can score (those
// needing no answer key and no person), worked out the way workbook/scoring.py
// works them out: each criterion's share clamped to [0, 1], times its points,
// rounded once to two decimals; the total is the rounded sum of those.
//
// The rubric comes from the page's form description (sitegen.form_spec): ids,
// titles, descriptions, points, kinds and parameters, never an answer key.

import { KINDS } from "./kinds.js";
import { isObject, round2 } from "./python.js";

export { KINDS } from "./kinds.js";
export { g, round2 } from "./python.js";

function resolve(schema, node) {
  let seen = 0;
  while (isObject(node) && typeof node.$ref === "string" && seen++ < 50) {
    node = schema.definitions?.[node.$ref.split("/").pop()];
  }
  return isObject(node) ? node : {};
}

function humanise(name) {
  const text = String(name);
  if (text.length <= 2) return text.toUpperCase();
  return text.replace(/[_-]+/g, " ");
}

const capital = (text) => text.slice(0, 1).toUpperCase() + text.slice(1);
const lower = (text) => (/^[A-Z][a-z]/.test(text) ? text.slice(0, 1).toLowerCase() + text.slice(1) : text);

// How the preview names fields and choices: by the schema's titles, as the form
// does, never by path. Without a schema, by the field names in plain words.
export function plainNames(schema = {}) {
  const walk = (node, path) => {
    const nodes = [];
    let current = resolve(schema, node);
    for (const part of path) {
      const raw = current.properties?.[part];
      current = resolve(schema, raw);
      nodes.push({ part, title: raw?.title ?? current.title });
    }
    return { node: current, nodes };
  };
  const itemNode = (listPath) => resolve(schema, walk(schema, listPath.split(".")).node.items);
  const choice = (node, value) => {
    const match = (node.oneOf ?? []).find((c) => isObject(c) && c.const === value);
    return typeof match?.title === "string" ? shortChoice(match.title, String(value)) : String(value);
  };
  const named = (nodes, nested) => {
    const words = nodes.map(({ part, title }) => title ?? humanise(part));
    const last = words[words.length - 1] ?? "";
    if (words.length === 1) return nested ? lower(last) : capital(last);
    return `${capital(words[words.length - 2])}: ${lower(last)}`;
  };
  return {
    field: (path) => named(walk(schema, path.split(".")).nodes, false),
    value: (path, value) => choice(walk(schema, path.split(".")).node, value),
    itemField: (listPath, field) => named(walk(itemNode(listPath), field.split(".")).nodes, true),
    itemValue: (listPath, field, value) => choice(walk(itemNode(listPath), field.split(".")).node, value),
  };
}

// A choice's title made short enough for a list: "AA: someone you already know well
// (primary)" -> "AA (primary)", "Right level: shows you prepared ... (right-level)" ->
// "Right level", "Someone who works there (staff)" -> "Someone who works there".
export function shortChoice(title, value) {
  const tail = /^(.*\S)\s*\(([^()]*)\)$/.exec(title);
  const label = tail && tail[2] === value ? tail[1] : title;
  const colon = label.indexOf(": ");
  if (colon <= 0) return label;
  const head = label.slice(0, colon);
  return head === value && tail && tail[2] !== value ? `${value} (${tail[2]})` : head;
}

const BY_HAND = "manual";

// One criterion: {id, points (null when the site cannot score it), max, status,
// standing, notes, why} where why is "key" (compared with an answer the site does
// not have), "hand" (a person scores it) or "" (previewed here).
export function previewCriterion(criterion, data, names = plainNames()) {
  const base = { id: criterion.id, title: criterion.title, max: criterion.points };
  const measure = criterion.keyed ? undefined : KINDS[criterion.kind];
  if (!measure) {
    const why = criterion.kind === BY_HAND ? "hand" : "key";
    return { ...base, points: null, status: "later", standing: "", notes: [], why };
  }
  let measured;
  try {
    measured = measure(criterion.params ?? {}, data, names);
  } catch (error) {
    // Data the schema would refuse can have any shape; the preview never breaks the form.
    console.warn(`preview of ${criterion.id}: ${error}`);
    return { ...base, points: null, status: "later", standing: "", notes: [], why: "key" };
  }
  const fraction = Math.min(1, Math.max(0, measured.fraction));
  const points = round2(criterion.points * fraction);
  const status = fraction >= 1 ? "pass" : fraction <= 0 ? "fail" : "partial";
  return { ...base, points, status, standing: measured.standing, notes: measured.notes, why: "" };
}

// The whole preview: points earned now among the previewed criteria (`points` of
// `previewed`), the rubric's total (`max`) and the points the site cannot preview
// (`later`), as workbook/scoring.score() adds them up.
export function previewScore(rubric, data, names = plainNames()) {
  const criteria = rubric.criteria.map((criterion) => previewCriterion(criterion, data, names));
  let points = 0;
  let previewed = 0;
  let later = 0;
  let max = 0;
  for (const result of criteria) {
    max += result.max;
    if (result.points === null) later += result.max;
    else {
      points += result.points;
      previewed += result.max;
    }
  }
  return {
    points: round2(points), previewed: round2(previewed), later: round2(later), max: round2(max),
    criteria,
  };
}
