// The JSON Schema subset our worksheets use, read for two jobs: describing the
// form (what control each field gets, what a blank answer is) and checking the
// answers live, with the same verdicts as `workbook check`'s schema step.
//
// The subset is the one docs/guides/authoring.md lists: type, properties,
// required, additionalProperties: false, items, enum, const, minItems, maxItems,
// uniqueItems, minLength, maxLength, minimum, maximum, pattern, $ref to
// #/definitions/..., and oneOf used only as a list of labelled choices
// ({"const": "AA", "title": "AA: someone you can call"}), the standard way to give
// each choice words that editors show too. A schema using anything else is refused at once (the page
// shows the error), so the form can never silently pass what Python refuses;
// tests/test_form.py holds the two checkers to the same verdicts.

import { deepEqual, formatPath, isObject, shorten, textLength } from "./values.js";

const KNOWN = new Set([
  "$schema", "$id", "$ref", "title", "description", "definitions", "type", "properties",
  "required", "additionalProperties", "items", "enum", "const", "minItems", "maxItems",
  "uniqueItems", "minLength", "maxLength", "minimum", "maximum", "pattern", "default", "examples",
  "oneOf",
]);
// What one labelled choice inside oneOf may say.
const CHOICE_KEYS = new Set(["const", "title", "description"]);

export class SchemaError extends Error {}

export function resolve(root, node) {
  let seen = 0;
  while (isObject(node) && "$ref" in node) {
    const match = /^#\/definitions\/([^/]+)$/.exec(node.$ref);
    if (!match || !isObject(root.definitions) || !(match[1] in root.definitions)) {
      throw new SchemaError(`unsupported or unknown $ref ${node.$ref}`);
    }
    node = root.definitions[match[1]];
    if (++seen > 50) throw new SchemaError(`$ref loop at ${match[1]}`);
  }
  return node;
}

// Refuse keywords outside the subset, anywhere in the schema.
export function assertSubset(node, where = "#") {
  if (!isObject(node)) return;
  for (const key of Object.keys(node)) {
    if (!KNOWN.has(key)) throw new SchemaError(`${where}: keyword '${key}' is outside the subset`);
  }
  if (node.additionalProperties !== undefined && node.additionalProperties !== false) {
    throw new SchemaError(`${where}: additionalProperties must be false`);
  }
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    assertSubset(child, `${where}/properties/${name}`);
  }
  for (const [name, child] of Object.entries(node.definitions ?? {})) {
    assertSubset(child, `${where}/definitions/${name}`);
  }
  if (node.items !== undefined) assertSubset(node.items, `${where}/items`);
  if (node.oneOf !== undefined) {
    const fine = Array.isArray(node.oneOf) && node.oneOf.length > 0 && node.oneOf.every((choice) =>
      isObject(choice) && "const" in choice && Object.keys(choice).every((k) => CHOICE_KEYS.has(k)));
    if (!fine) throw new SchemaError(`${where}: oneOf is used only as a list of {const, title} choices`);
    if ("enum" in node) throw new SchemaError(`${where}: enum and oneOf together`);
  }
}

function isChoiceList(node) {
  return Array.isArray(node.oneOf) && node.oneOf.length > 0 &&
    node.oneOf.every((choice) => isObject(choice) && "const" in choice);
}

// A field's choices as [{value, label}], from either shape a schema may use:
// "enum": ["AA", ...] (the label is the value) or "oneOf": [{"const": "AA",
// "title": "AA: someone you can call"}, ...] (the label is the title). The value is
// what the file holds; the label is what the learner reads. Empty when the field
// offers no choices.
export function choicesOf(node) {
  if (Array.isArray(node.enum)) return node.enum.map((value) => ({ value, label: String(value) }));
  if (isChoiceList(node)) {
    return node.oneOf.map((choice) => ({
      value: choice.const,
      label: typeof choice.title === "string" && choice.title ? choice.title : String(choice.const),
    }));
  }
  return [];
}

// The words a learner reads for a value the file holds: its choice's label, if any.
export function labelOf(node, value) {
  return choicesOf(node).find((choice) => deepEqual(choice.value, value))?.label ?? null;
}

export function types(node) {
  if (node.type === undefined) return [];
  return Array.isArray(node.type) ? node.type : [node.type];
}

// What kind of control a schema node gets.
export function kindOf(node) {
  if ("const" in node) return "const";
  if ("enum" in node || isChoiceList(node)) return "enum";
  const wanted = types(node).filter((t) => t !== "null");
  const first = wanted[0];
  if (first === "object") return "object";
  if (first === "array") return "array";
  if (first === "boolean") return "boolean";
  if (first === "integer" || first === "number") return "number";
  return "text";
}

function hasType(value, type) {
  switch (type) {
    case "string": return typeof value === "string";
    case "integer": return typeof value === "number" && Number.isInteger(value);
    case "number": return typeof value === "number";
    case "boolean": return typeof value === "boolean";
    case "null": return value === null;
    case "array": return Array.isArray(value);
    case "object": return isObject(value);
    default: throw new SchemaError(`unknown type ${type}`);
  }
}

export function fitsType(node, value) {
  const wanted = types(node);
  return wanted.length === 0 || wanted.some((t) => hasType(value, t));
}

// Python's \d matches any Unicode decimal digit; JavaScript's only 0-9.
const patterns = new Map();
function pattern(source) {
  if (!patterns.has(source)) {
    patterns.set(source, new RegExp(source.replace(/\\d/g, "\\p{Nd}"), "u"));
  }
  return patterns.get(source);
}

export function describeValue(value) {
  if (value === null || value === undefined) return "nothing";
  if (typeof value === "boolean") return "true or false";
  if (typeof value === "number") return `the number ${value}`;
  if (typeof value === "string") {
    return `the text '${shorten(value)}'`;
  }
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? "" : "s"}`;
  return "a set of answers";
}

const TYPE_ADVICE = {
  string: "Write your answer as text.",
  integer: "Write a whole number, such as 12, with no words or commas.",
  number: "Write a number, such as 12 or 2.5, with no words or commas.",
  boolean: "Tick the box or leave it empty.",
  array: "This should be a list.",
  object: "This should be a set of answers.",
};

// The answer a learner most likely meant: same letters in another case, else the
// closest by edit distance (a hint only; it does not decide any verdict).
export function nearest(value, choices) {
  const options = choices.map(String);
  const folded = value.trim().toLowerCase();
  const same = options.find((o) => o.toLowerCase() === folded);
  if (same !== undefined) return same;
  let best = null;
  let bestScore = 0.6;
  for (const option of options) {
    const score = similarity(folded, option.toLowerCase());
    if (score >= bestScore) [best, bestScore] = [option, score];
  }
  return best;
}

function similarity(a, b) {
  if (!a.length && !b.length) return 1;
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return 1 - row[b.length] / Math.max(a.length, b.length);
}

// The first item listed twice, and the (0-based) places where it stands.
function uniqueness(items) {
  for (let i = 0; i < items.length; i++) {
    const places = items.flatMap((item, j) => (j >= i && deepEqual(items[i], item) ? [j] : []));
    if (places.length > 1) return { item: items[i], places };
  }
  return undefined;
}

// Every error in `data`: {path, field, keyword, message}. `path` is where
// `workbook check` reports the problem (for a missing field: its parent); `field`
// is where the form marks it (the missing field itself).
export function validate(root, data) {
  const errors = [];
  const visit = (rawNode, value, path) => {
    const node = resolve(root, rawNode);
    const add = (keyword, message, field = path, reported = path) =>
      errors.push({ path: reported, field, keyword, message, where: formatPath(field) });
    if ("const" in node && !deepEqual(value, node.const)) {
      add("const", `This must be ${JSON.stringify(node.const)}, as in the blank worksheet.`);
    }
    // jsonschema names the keyword that failed: "enum", or "oneOf" for labelled choices.
    const choiceKeyword = "enum" in node ? "enum" : isChoiceList(node) ? "oneOf" : null;
    const choices = choicesOf(node);
    if (choiceKeyword && !choices.some((choice) => deepEqual(choice.value, value))) {
      const allowed = choices.map((choice) => String(choice.value));
      if (value === "" || value === null) {
        // Labelled choices are read in the list, not as codes.
        add(choiceKeyword, choiceKeyword === "oneOf" ? "Choose one of the answers in the list."
          : `Choose one of: ${allowed.join(", ")}.`);
      } else {
        const guess = typeof value === "string" ? nearest(value, allowed) : null;
        const shown = typeof value === "string" ? `'${value}'` : describeValue(value);
        add(choiceKeyword, `${capital(shown)} is not one of the choices` +
          `${guess ? `; did you mean '${guess}'?` : "."} Choose one of: ${allowed.join(", ")}.`);
      }
    }
    if (!fitsType(node, value)) {
      const wanted = types(node).filter((t) => t !== "null")[0] ?? types(node)[0];
      const now = value === null || value === undefined ? "It is empty now."
        : `It now holds ${describeValue(value)}.`;
      add("type", `${TYPE_ADVICE[wanted] ?? ""} ${now}`.trim());
      errors[errors.length - 1].expected = types(node);
    }
    // As in jsonschema, each keyword below applies to values of its own kind,
    // whatever `type` said: 0.5 in a whole-number field below its minimum breaks both.
    if (typeof value === "string") {
      const length = textLength(value);
      if (node.minLength !== undefined && length < node.minLength) {
        add("minLength", node.minLength <= 1 ? "Write an answer here."
          : `Too short: at least ${node.minLength} characters; this has ${length}.`);
      }
      if (node.maxLength !== undefined && length > node.maxLength) {
        add("maxLength", `Too long: at most ${node.maxLength} characters; this has ${length}.`);
      }
      if (node.pattern !== undefined && !pattern(node.pattern).test(value)) {
        add("pattern", node.description || "This answer does not have the form it needs.");
      }
    }
    if (typeof value === "number") {
      if (node.minimum !== undefined && value < node.minimum) {
        add("minimum", `Must be at least ${node.minimum}.`);
      }
      if (node.maximum !== undefined && value > node.maximum) {
        add("maximum", `Must be at most ${node.maximum}.`);
      }
    }
    if (Array.isArray(value)) {
      if (node.minItems !== undefined && value.length < node.minItems) {
        const more = node.minItems - value.length;
        add("minItems", `Add ${more} more: at least ${node.minItems} in all.`);
      }
      if (node.maxItems !== undefined && value.length > node.maxItems) {
        const fewer = value.length - node.maxItems;
        add("maxItems", `Remove ${fewer}: at most ${node.maxItems} in all.`);
      }
      if (node.uniqueItems === true) {
        const twice = uniqueness(value);
        if (twice !== undefined) {
          const places = twice.places.map((p) => p + 1);
          const choices = choicesOf(resolve(root, node.items ?? {})).map((c) => c.value);
          const missing = choices.filter((c) => !value.some((v) => deepEqual(v, c)));
          const shown = typeof twice.item === "string" ? `'${twice.item}'` : describeValue(twice.item);
          const gone = missing.map((m) => `'${m}'`).join(", ");
          const lost = missing.length ? `, and ${gone} ${missing.length > 1 ? "are" : "is"} missing` : "";
          add("uniqueItems", `${capital(shown)} is listed more than once (places ` +
            `${places.slice(0, -1).join(", ")} and ${places[places.length - 1]})${lost}; ` +
            "each may appear only once.");
        }
      }
      if (node.items !== undefined) value.forEach((item, i) => visit(node.items, item, [...path, i]));
    }
    if (isObject(value)) {
      const properties = node.properties ?? {};
      for (const name of node.required ?? []) {
        if (!Object.hasOwn(value, name)) {
          const child = resolve(root, properties[name] ?? {});
          const part = ["object", "array"].includes(kindOf(child));
          add("required", part ? "This part is missing from the file: fill it in here."
            : "This answer is missing from the file: fill it in here.", [...path, name]);
        }
      }
      for (const [name, child] of Object.entries(value)) {
        if (Object.hasOwn(properties, name)) {
          visit(properties[name], child, [...path, name]);
        } else if (node.additionalProperties === false) {
          const guess = nearest(name, Object.keys(properties));
          const at = [...path, name];
          add("additionalProperties", `The file has a field '${name}' that this worksheet ` +
            `does not use${guess ? `; did you mean '${guess}'?` : "."}`, at, at);
        }
      }
    }
  };
  visit(root, data, []);
  return errors;
}

function capital(text) {
  return text.slice(0, 1).toUpperCase() + text.slice(1);
}
