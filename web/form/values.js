// Plain-data helpers shared by the form's modules: paths, equality, and how an
// unquoted answer is read. Nothing here touches the page.

// A path is an array of keys and 0-based list indexes, as in workbook's Python
// code: ["contacts", 2, "tier"]. pathKey() turns it into a stable string (the
// form's data-path attributes); formatPath() into what learners read
// ("contacts[3].tier", items counted from 1, as `workbook check` prints them).
export function pathKey(path) {
  return JSON.stringify(path);
}

export function formatPath(path) {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part + 1}]`;
    else out += out ? `.${part}` : String(part);
  }
  return out || "(top level)";
}

export function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function getAt(data, path) {
  let node = data;
  for (const part of path) {
    if (node === null || typeof node !== "object" || !(part in node)) return undefined;
    node = node[part];
  }
  return node;
}

export function deepEqual(a, b) {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null) return false;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (typeof a === "object") {
    if (Array.isArray(b)) return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length &&
      keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

export function clone(value) {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

// How an unquoted scalar is read: the same narrow subset of YAML 1.2's core schema
// as workbook/loader.py's resolve_plain(), so a value means the same thing in the
// browser as in `workbook check`: true/false are booleans, yes/no/on/off are words,
// 0123, 1:20 and 2026-01-15 are text, and infinities stay text.
const INT = /^[-+]?(?:0|[1-9][0-9]{0,99})$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const NULLS = new Set(["", "~", "null", "Null", "NULL"]);
const TRUE = new Set(["true", "True", "TRUE"]);
const FALSE = new Set(["false", "False", "FALSE"]);

export function resolvePlain(text) {
  if (NULLS.has(text)) return null;
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  if (INT.test(text) || (FLOAT.test(text) && /[0-9]/.test(text))) {
    const number = Number(text);
    if (Number.isFinite(number)) return number;
  }
  return text;
}

// Text on one line, cut to `width` characters with an ellipsis: for quoting an
// answer inside a message.
export function shorten(text, width = 40) {
  const flat = String(text).split(/\s+/).join(" ").trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

// Code points, not UTF-16 units: JSON Schema's (and Python's) idea of a length.
export function textLength(text) {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}
