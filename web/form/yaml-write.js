// Worksheet data -> YAML text that reads like the blank template: the same field
// names in the same order (the schema's, which tests hold to the template's), two
// spaces of indentation, "- " items, a blank line between the worksheet's parts.
// Comments do not survive; the schema line at the top, which editors read, does.
//
// Every value must come back from workbook/loader.py exactly as it went in, so
// text is written plain only when it cannot be read as anything else, in a
// literal block when it has several lines that a block keeps exactly, and
// otherwise double-quoted with escapes (tests round-trip random data through it).

import { isObject, resolvePlain } from "./values.js";

// Plain only: starts with a letter; letters, digits, spaces and quiet punctuation.
const SAFE_PLAIN = /^\p{L}[\p{L}\p{N} ,.'’()/&+?!%-]*$/u;
const RESERVED = /^(?:y|n|yes|no|on|off|true|false|null|~)$/i;
const SAFE_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
// Characters a block scalar cannot hold as written (YAML's non-printables, CR,
// tab, and the line and byte-order marks an editor would mangle).
const NOT_IN_BLOCK = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/u;

function wellFormed(text) {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    "\ufffd");
}

export function quote(text) {
  let out = '"';
  for (const char of wellFormed(text)) {
    const code = char.codePointAt(0);
    if (char === '"') out += '\\"';
    else if (char === "\\") out += "\\\\";
    else if (char === "\n") out += "\\n";
    else if (char === "\t") out += "\\t";
    else if (char === "\r") out += "\\r";
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) {
      out += "\\x" + code.toString(16).padStart(2, "0");
    } else if (code === 0x2028 || code === 0x2029 || code === 0xfeff || code === 0xfffe ||
      code === 0xffff) {
      out += "\\u" + code.toString(16).padStart(4, "0");
    } else out += char;
  }
  return out + '"';
}

function plainText(text) {
  return SAFE_PLAIN.test(text) && !RESERVED.test(text) && !text.endsWith(" ") &&
    resolvePlain(text) === text;
}

export function scalar(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    // Integers as digits; other numbers as JavaScript writes them (2.5, 1e+21),
    // which the loader reads back as the same number.
    return Number.isFinite(value) ? String(value) : quote(String(value));
  }
  const text = String(value);
  return plainText(text) ? text : quote(text);
}

function key(name) {
  return SAFE_KEY.test(name) && !RESERVED.test(name) ? name : quote(name);
}

// A literal block (|- or |) keeps several lines exactly, if nothing in them needs
// an escape, no line ends in a space, and the first line does not start with one.
function blockLines(text) {
  if (!text.includes("\n") || NOT_IN_BLOCK.test(text)) return null;
  let body = text;
  let chomp = "-";
  if (body.endsWith("\n")) {
    body = body.slice(0, -1);
    chomp = "";
  }
  const lines = body.split("\n");
  if (body.endsWith("\n") || !lines[0] || /^\s/.test(lines[0])) return null;
  if (lines.some((line) => /\s$/.test(line))) return null;
  return { header: `|${chomp}`, lines };
}

function orderedKeys(value, order) {
  const known = order.filter((name) => Object.hasOwn(value, name));
  return [...known, ...Object.keys(value).filter((name) => !order.includes(name))];
}

// `orderOf(path)` gives the schema's field order for the object at `path`.
export function toYaml(data, { header = [], orderOf = () => [] } = {}) {
  const out = header.map((line) => (line ? `# ${line}` : "#"));
  if (out.length) out.push("");

  const entry = (indent, lead, value, path) => {
    const pad = " ".repeat(indent);
    if (Array.isArray(value)) {
      if (!value.length) return out.push(`${pad}${lead} []`);
      out.push(`${pad}${lead}`);
      value.forEach((item, i) => listItem(indent + 2, item, [...path, i]));
    } else if (isObject(value)) {
      if (!Object.keys(value).length) return out.push(`${pad}${lead} {}`);
      out.push(`${pad}${lead}`);
      fields(indent + 2, value, path);
    } else if (typeof value === "string" && blockLines(value)) {
      const block = blockLines(value);
      out.push(`${pad}${lead} ${block.header}`);
      for (const line of block.lines) out.push(line ? `${pad}  ${line}` : "");
    } else {
      const text = scalar(value);
      out.push(text ? `${pad}${lead} ${text}` : `${pad}${lead}`);
    }
    return undefined;
  };

  const fields = (indent, value, path) => {
    for (const name of orderedKeys(value, orderOf(path))) {
      entry(indent, `${key(name)}:`, value[name], [...path, name]);
    }
  };

  // A list item: "- " then the item, its first field on the dash's line.
  const listItem = (indent, value, path) => {
    const pad = " ".repeat(indent);
    if (isObject(value) && Object.keys(value).length) {
      const start = out.length;
      fields(indent + 2, value, path);
      out[start] = `${pad}- ${out[start].slice(indent + 2)}`;
    } else if (Array.isArray(value) && value.length) {
      out.push(`${pad}-`);
      value.forEach((item, i) => listItem(indent + 2, item, [...path, i]));
    } else if (value === null || value === undefined) {
      out.push(`${pad}- null`);
    } else {
      entry(indent, "-", value, path);
    }
  };

  // The top level: a blank line before each part that spans several lines, and
  // between the envelope (exercise, version) and the rest.
  let previousWasBlock = true;
  for (const name of orderedKeys(data, orderOf([]))) {
    const value = data[name];
    const isBlock = (Array.isArray(value) && value.length > 0) ||
      (isObject(value) && Object.keys(value).length > 0) ||
      (typeof value === "string" && blockLines(value) !== null);
    if ((isBlock || previousWasBlock) && out.length && out[out.length - 1] !== "") out.push("");
    entry(0, `${key(name)}:`, value, [name]);
    previousWasBlock = isBlock;
  }
  return out.join("\n") + "\n";
}
