// The criterion kinds of workbook/criteria/*.py that need no answer key, in
// JavaScript: the same share of the points for the same answers, and in place of
// the checker's detail sentence a standing in plain words ("3 of 25 contacts")
// with notes on what still falls short ("Ann: next action has 2 words, 3 or more
// needed").
//
// Each kind is measure(params, data, names) -> {fraction, standing, notes}, a
// pure function; `names` (see plainNames in index.js) turns field paths and
// choices into the words the form shows. Kinds with an answer key (ordering) and
// hand-scored ones (manual) are not here: the site never has their answers.
// tests/test_preview.py holds every fraction equal to Python's.

import { failingFields, failures, holds, phraseIn } from "./conditions.js";
import {
  equal, filled, get, isObject, isScalar, items, normalise, number, strip, text, words,
} from "./python.js";

export function plural(count, noun) {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

// "a, b and 3 more", as base.name_list().
export function nameList(names, limit = 5) {
  const shown = names.slice(0, limit).join(", ");
  return names.length > limit ? `${shown} and ${names.length - limit} more` : shown;
}

// A field's own value in an item (dict.get(field)): null when absent.
function own(item, field) {
  return isObject(item) && Object.hasOwn(item, field) ? item[field] : null;
}

const thousands = new Intl.NumberFormat("en-US", { maximumFractionDigits: 20 });
export const figure = (value) => thousands.format(value);

// What one failing test of a condition means, in words: "next action has 2 words,
// 3 or more needed".
export function shortfall(failure, fieldName, valueName) {
  const { test, want, value } = failure;
  const name = fieldName(failure.field);
  switch (test) {
    case "filled": return want ? `${name} is blank` : `${name} should be left blank`;
    case "min_words": return `${name} has ${plural(words(value), "word")}, ${want} or more needed`;
    case "max_words": return `${name} has ${plural(words(value), "word")}, at most ${want} wanted`;
    case "min_items": {
      const count = Array.isArray(value) ? value.length : 0;
      return `${name} lists ${count}, ${want} or more needed`;
    }
    case "equals": return `${name} is not ${valueName(failure.field, want)} yet`;
    case "in": return `${name} is not ${want.map((w) => valueName(failure.field, w)).join(" or ")}`;
    case "not_in": return `${name} should not be ${valueName(failure.field, value)}`;
    case "contains_any": return `${name} does not yet use a word such as ${nameList(want.map((w) => `"${w}"`), 3)}`;
    case "lacks_any": return `${name} uses "${phraseIn(value, want)}"`;
    default: return `${name} does not meet this yet`;
  }
}

// How a note names one item: its label field (a choice by its words), else its place.
function itemName(item, labelField, index, noun, choiceName = (value) => value) {
  const value = labelField ? own(item, labelField) : null;
  return filled(value) ? strip(text(choiceName(value))) : `${noun} ${index + 1}`;
}

function count(params, data, names) {
  const found = items(data, params.path).filter((item) => holds(params.where, item)).length;
  const low = params.min;
  const high = params.max ?? null;
  const partial = params.partial ?? true;
  const noun = params.noun ?? "item";
  if (found < low) {
    const rule = partial ? "" : "; the points come with the first one";
    return {
      fraction: partial ? found / low : 0,
      standing: low === 1 ? `No ${noun} yet${rule}` : `${found} of ${low} ${noun}s${rule}`,
      notes: [],
    };
  }
  if (high !== null && found > high) {
    return {
      fraction: partial ? 0.5 : 0,
      standing: `${plural(found, noun)}: at most ${high} wanted, so ${partial ? "half" : "none"} of the points`,
      notes: [],
    };
  }
  const wanted = high !== null && high !== low ? `${low} to ${high}` : low === 1 ? "" : `${low} or more`;
  return { fraction: 1, standing: `${plural(found, noun)}${wanted ? ` (${wanted} wanted)` : ""}`, notes: [] };
}

function every(params, data, names) {
  const noun = params.noun ?? "item";
  const selected = items(data, params.path).map((item, index) => [index, item])
    .filter(([, item]) => holds(params.when, item));
  if (!selected.length) {
    const pass = (params.none_selected ?? "fail") === "pass";
    return {
      fraction: pass ? 1 : 0,
      standing: pass ? `No ${noun}s to check yet, so these points are yours`
        : `No ${noun}s to check yet`,
      notes: [],
    };
  }
  const failing = selected.filter(([, item]) => !holds(params.require, item));
  const ok = selected.length - failing.length;
  const fieldName = (field) => names.itemField(params.path, field);
  const valueName = (field, value) => names.itemValue(params.path, field, value);
  const named = (value) => names.itemValue(params.path, params.label, value);
  const notes = failing.map(([index, item]) => `${itemName(item, params.label, index, noun, named)}: ` +
    failures(params.require, item).map((f) => shortfall(f, fieldName, valueName)).join("; "));
  return {
    fraction: !failing.length ? 1 : (params.partial ?? true) ? ok / selected.length : 0,
    standing: selected.length === 1 && !failing.length ? `The one ${noun} meets this`
      : `${ok} of ${plural(selected.length, noun)} ${selected.length === 1 ? "meets" : "meet"} this`,
    notes,
  };
}

function condition(params, data, names) {
  const require = params.require;
  const total = Object.keys(require).length;
  const failing = failingFields(require, data);
  const notes = failures(require, data).map((f) =>
    shortfall(f, (field) => names.field(field), (field, value) => names.value(field, value)));
  return {
    fraction: (total - failing.length) / total,
    standing: !failing.length ? "Meets the mark" : total === 1 ? "Not yet"
      : `${total - failing.length} of ${plural(total, "part")} meet this`,
    notes,
  };
}

function filledKind(params, data, names) {
  const paths = params.paths;
  const missing = paths.filter((path) => !filled(get(data, path)));
  return {
    fraction: (paths.length - missing.length) / paths.length,
    standing: `${paths.length - missing.length} of ${paths.length} answered`,
    notes: missing.length ? [`Still blank: ${nameList(missing.map((p) => names.field(p)), 10)}`] : [],
  };
}

function coverage(params, data, names) {
  const wanted = params.values;
  const seen = items(data, params.path)
    .filter((item) => isObject(item) && isScalar(own(item, params.field)))
    .map((item) => own(item, params.field));
  const present = wanted.filter((value) => seen.some((s) => equal(s, value)));
  const missing = wanted.filter((value) => !seen.some((s) => equal(s, value)));
  const needed = Math.min(params.min ?? wanted.length, wanted.length);
  const label = (value) => names.itemValue(params.path, params.field, value);
  const of = needed < wanted.length ? `${Math.min(present.length, needed)} of the ${needed} kinds needed`
    : `${present.length} of ${wanted.length}`;
  return {
    fraction: Math.min(present.length, needed) / needed,
    standing: `${of}${present.length ? `: ${present.map(label).join(", ")}` : ""}`,
    notes: missing.length && present.length < needed
      ? [`Not yet: ${missing.map(label).join(", ")}`] : [],
  };
}

function distinct(params, data, names) {
  const fields = params.fields;
  const noun = params.noun ?? "item";
  const seen = new Map();
  const repeated = [];
  const listed = items(data, params.path).filter(isObject);
  for (const item of listed) {
    if (!fields.some((f) => filled(own(item, f)))) continue;
    const at = (f) => (Object.hasOwn(item, f) ? item[f] : "");
    const identity = JSON.stringify(fields.map((f) => normalise(at(f))));
    if (seen.has(identity)) repeated.push(seen.get(identity));
    else seen.set(identity, fields.map((f) => strip(text(at(f)))).join(" / "));
  }
  if (!seen.size) return { fraction: 0, standing: `No ${noun}s to compare yet`, notes: [] };
  if (!repeated.length) return { fraction: 1, standing: `No ${noun} is listed twice`, notes: [] };
  return {
    fraction: Math.max(0, 1 - repeated.length / Math.max(listed.length, 1)),
    standing: `${plural(repeated.length, "repeat")} found`,
    notes: [`Listed more than once: ${nameList([...new Set(repeated)].sort())}`],
  };
}

const COMPARISONS = {
  "<": [(a, b) => a < b, "less than"],
  "<=": [(a, b) => a <= b, "at most"],
  ">": [(a, b) => a > b, "more than"],
  ">=": [(a, b) => a >= b, "at least"],
  "==": [(a, b) => a === b, "equal to"],
  "!=": [(a, b) => a !== b, "different from"],
};

function compare(params, data, names) {
  const left = number(get(data, params.left));
  const spec = params.right;
  const right = number(typeof spec === "string" ? get(data, spec) : spec);
  const rightName = typeof spec === "string" ? names.field(spec) : figure(spec);
  if (left === null || right === null) {
    return { fraction: 0, standing: `Fill in ${names.field(params.left)}` +
      (typeof spec === "string" ? ` and ${rightName}` : ""), notes: [] };
  }
  const [test, relation] = COMPARISONS[params.op];
  const said = `${names.field(params.left)} (${figure(left)}) ${test(left, right) ? "is" : "should be"} ` +
    `${relation} ${rightName}${typeof spec === "string" ? ` (${figure(right)})` : ""}`;
  return { fraction: test(left, right) ? 1 : 0, standing: said, notes: [] };
}

const MAX_EXPONENT = 64;

// numeric.expected_value(): whole numbers are multiplied exactly, as Python's
// integers are, and only the result is rounded to a JavaScript number.
function expectedValue(spec, data, names) {
  if ("value" in spec) return [spec.value, figure(spec.value)];
  if ("path" in spec) return [number(get(data, spec.path)), names.field(spec.path)];
  const paths = spec.product ?? spec.power;
  const values = paths.map((path) => number(get(data, path)));
  if (values.some((v) => v === null)) return [null, ""];
  if ("product" in spec) {
    let exact = 1n;
    let product = null;
    for (const v of values) {
      if (product === null && Number.isInteger(v)) exact *= BigInt(v);
      else product = (product ?? Number(exact)) * v;
    }
    return [product ?? Number(exact), paths.map((p) => names.field(p)).join(" × ")];
  }
  const [base, exponent] = values;
  if (!Number.isInteger(exponent) || exponent < 0 || exponent > MAX_EXPONENT) return [null, ""];
  const result = Number.isInteger(base) ? Number(BigInt(base) ** BigInt(exponent)) : base ** exponent;
  if (!Number.isFinite(result)) return [null, ""];
  return [result, `${names.field(paths[0])} to the power ${names.field(paths[1])}`];
}

function numeric(params, data, names) {
  const actual = number(get(data, params.path));
  const [expected, how] = expectedValue(params.expected, data, names);
  if (actual === null || expected === null) {
    return { fraction: 0, standing: "Fill in the numbers this is worked out from", notes: [] };
  }
  const matches = Math.abs(actual - expected) <= (params.tolerance ?? 0) * Math.abs(expected);
  return {
    fraction: matches ? 1 : 0,
    standing: matches ? `${figure(actual)} matches ${how}`
      : `${figure(actual)} should be ${how}, which is ${figure(expected)}`,
    notes: [],
  };
}

function inOrder(steps, order, complete) {
  const rank = (step) => order.findLastIndex((o) => equal(o, step));
  const positions = steps.filter((s) => isScalar(s) && rank(s) !== -1).map(rank);
  if (!positions.length || positions.some((p, i) => i > 0 && p < positions[i - 1])) return false;
  return !complete || new Set(positions).size === order.length;
}

function sequence(params, data, names) {
  const listed = items(data, params.path);
  const noun = params.noun ?? "item";
  if (!listed.length) return { fraction: 0, standing: `No ${noun}s to check yet`, notes: [] };
  const wrong = [];
  listed.forEach((item, index) => {
    const raw = isObject(item) ? own(item, params.field) : null;
    const steps = (Array.isArray(raw) ? raw : []).map((s) =>
      params.step_field && isObject(s) ? own(s, params.step_field) : s);
    if (!inOrder(steps, params.order, params.complete ?? false)) {
      wrong.push(itemName(item, params.label, index, noun));
    }
  });
  const order = params.order.map((o) => names.itemValue(params.path, params.field, o)).join(", then ");
  const ok = listed.length - wrong.length;
  return {
    fraction: ok / listed.length,
    standing: `${ok} of ${plural(listed.length, noun)} go ${order}`,
    notes: wrong.length ? [`Not in that order yet: ${nameList(wrong)}`] : [],
  };
}

function wordRange(params, data, names) {
  const low = params.min ?? 0;
  const high = params.max ?? null;
  const span = high !== null ? `${low} to ${high}` : `${low} or more`;
  const fits = (n) => n >= low && (high === null || n <= high);
  const value = get(data, params.path);
  if (Array.isArray(value)) {
    if (!value.length) return { fraction: 0, standing: "Nothing to count yet", notes: [] };
    const outside = [];
    value.forEach((item, index) => {
      const answer = params.field && isObject(item) ? own(item, params.field) : item;
      const n = words(answer);
      if (!fits(n)) outside.push(`${itemName(item, params.label, index, "item")} (${plural(n, "word")})`);
    });
    const ok = value.length - outside.length;
    return {
      fraction: ok / value.length,
      standing: `${ok} of ${value.length} are ${span} words long`,
      notes: outside.length ? [`Not yet: ${nameList(outside)}`] : [],
    };
  }
  const n = words(value);
  return { fraction: fits(n) ? 1 : 0, standing: `${plural(n, "word")}, ${span} wanted`, notes: [] };
}

const SHARES = {
  ">": [(a, b) => a > b, "higher than"],
  ">=": [(a, b) => a >= b, "at least"],
  "<": [(a, b) => a < b, "lower than"],
  "<=": [(a, b) => a <= b, "at most"],
};

function share(params, data, names) {
  const part = params.part;
  const totals = (value) => {
    if (!isObject(value)) return [0, 0];
    let some = 0;
    let whole = 0;
    for (const [name, answer] of Object.entries(value)) {
      const n = number(answer);
      if (n === null || !(n > 0)) continue;
      whole += n;
      if (part.includes(name)) some += n;
    }
    return [some, whole];
  };
  const [beforePart, beforeWhole] = totals(get(data, params.before));
  const [afterPart, afterWhole] = totals(get(data, params.after));
  if (afterWhole === 0) {
    return { fraction: 0, standing: `Fill in ${names.field(params.after)}`, notes: [] };
  }
  const before = beforeWhole ? beforePart / beforeWhole : 0;
  const after = afterPart / afterWhole;
  const [test, relation] = SHARES[params.op ?? ">"];
  const label = params.label ?? "the chosen answers";
  const percent = (x) => `${Math.round(x * 100)}%`;
  const said = `${label.slice(0, 1).toUpperCase()}${label.slice(1)}: ${percent(before)} of the total ` +
    `before, ${percent(after)} after`;
  return {
    fraction: test(after, before) ? 1 : 0,
    standing: test(after, before) ? said : `${said}; the share after should be ${relation} the share before`,
    notes: [],
  };
}

// Kind id -> measure. A kind missing here is not previewed (the panel says so), and
// tests/test_preview.py fails until every keyless kind of workbook/criteria has its port.
export const KINDS = {
  compare, condition, count, coverage, distinct, every, filled: filledKind, numeric, sequence,
  share, word_range: wordRange,
};
