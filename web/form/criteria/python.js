// Python's meaning of the few operations the rubric's criteria rely on, so the
// preview beside the form reaches the very numbers `workbook check` prints.
//
// workbook/criteria/*.py count words with str.split(), compare answers with ==,
// fold case with str.casefold(), match words with re's Unicode \w and round with
// round(x, 2). JavaScript's nearest equivalents differ at the edges (its \s knows
// U+FEFF, its \w is ASCII only, toFixed rounds a tie up, true !== 1); each
// function here gives Python's answer instead. tests/test_preview.py holds them
// equal to Python on hand-picked edge cases.

// str.isspace(): what str.split() and str.strip() treat as whitespace.
const SPACE = "\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const SPACES = new RegExp(`[${SPACE}]+`, "u");
const EDGES = new RegExp(`^[${SPACE}]+|[${SPACE}]+$`, "gu");
// re's \w on text: letters, digits and other numerals, and the underscore.
export const WORD = "[\\p{L}\\p{N}_]";
const NON_WORD = new RegExp(`[^\\p{L}\\p{N}_]+`, "gu");

export function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

// Python's str.split() with no argument: the words between runs of whitespace.
export function split(text) {
  return text.split(SPACES).filter((part) => part !== "");
}

export function strip(text) {
  return text.replace(EDGES, "");
}

// base.words(): how many words a text answer has (anything else has none).
export function words(value) {
  return typeof value === "string" ? split(value).length : 0;
}

// base.filled(): non-blank text, a non-empty list or section, any number or boolean.
export function filled(value) {
  if (value === null || value === undefined) return false;
  if (typeof value === "string") return strip(value) !== "";
  if (Array.isArray(value)) return value.length > 0;
  if (isObject(value)) return Object.keys(value).length > 0;
  return true;
}

// base.number(): the value if it is a number (booleans are not), else null.
export function number(value) {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

// base.is_scalar(): text, numbers, booleans and None.
export function isScalar(value) {
  return value === null || value === undefined || ["string", "number", "boolean"].includes(typeof value);
}

// base.get(): follow a dotted path through mappings; null when absent.
export function get(data, path) {
  let current = data;
  for (const part of path.split(".")) {
    if (!isObject(current) || !Object.hasOwn(current, part)) return null;
    current = current[part];
  }
  return current === undefined ? null : current;
}

// base.items(): the list at `path`, or an empty list.
export function items(data, path) {
  const value = get(data, path);
  return Array.isArray(value) ? value : [];
}

// Python's ==: a boolean is the number 0 or 1, lists and mappings compare item by item.
export function equal(a, b) {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  const numeric = (x) => typeof x === "number" || typeof x === "boolean";
  if (numeric(a) && numeric(b)) return Number(a) === Number(b);
  if (a === null || b === null || typeof a !== typeof b) return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length &&
      a.every((item, index) => equal(item, b[index]));
  }
  if (isObject(a)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length &&
      keys.every((key) => Object.hasOwn(b, key) && equal(a[key], b[key]));
  }
  return a === b;
}

// `value in values` for a list.
export function among(value, values) {
  return Array.isArray(values) && values.some((candidate) => equal(value, candidate));
}

// repr() of a float: the shortest digits that read back the same, written as Python does
// ("1e+16", "1.5e-05", "3.0").
function floatRepr(value) {
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return String(value); // ints, mostly
  const [mantissa, exponentText] = value.toExponential().split("e");
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const sign = exponent < 0 ? "-" : "+";
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  const text = String(value);
  return text.includes(".") ? text : `${text}.0`;
}

function repr(value) {
  if (typeof value === "string") {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    const body = value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\r/g, "\\r")
      .replace(/\t/g, "\\t");
    return quote + (quote === "'" ? body.replace(/'/g, "\\'") : body) + quote;
  }
  return text(value);
}

// str(): how Python writes any answer as text (None, True, 3, [...], {...}).
// A number the file wrote as 3.0 is 3 here: JSON keeps no difference between the two.
export function text(value) {
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return floatRepr(value);
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return `[${value.map(repr).join(", ")}]`;
  return `{${Object.entries(value).map(([k, v]) => `${repr(k)}: ${repr(v)}`).join(", ")}}`;
}

// str.casefold(), close enough for matching words: full case folding maps ß to ss
// and a final ς to σ, which lower-casing alone does not.
export function casefold(value) {
  return value.toUpperCase().toLowerCase().replace(/ς/g, "σ");
}

// base.normalise(): case-folded text with runs of punctuation and space collapsed.
export function normalise(value) {
  return split(casefold(text(value).replace(NON_WORD, " "))).join(" ");
}

// round(x, 2): the nearest hundredth, and on an exact tie the even one (Python's
// round(0.125, 2) is 0.12, where (0.125).toFixed(2) is "0.13"). A double lies
// exactly halfway between two hundredths only when it is an odd number of eighths.
export function round2(x) {
  if (!Number.isFinite(x)) return x;
  const eighths = x * 8;
  if (Number.isInteger(eighths) && Math.abs(eighths) % 2 === 1 && Math.abs(eighths) < 2 ** 50) {
    const below = Math.floor(x * 100); // x * 100 is exact here: a whole number and a half
    return (below % 2 === 0 ? below : below + 1) / 100;
  }
  return Number(x.toFixed(2));
}

// f"{value:g}", as the checker prints points (at most six significant digits).
export function g(value) {
  return String(Number(value.toPrecision(6)));
}
