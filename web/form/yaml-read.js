// A worksheet file -> plain data, refusing what workbook/loader.py refuses.
//
// The YAML itself is parsed by the `yaml` package (eemeli/yaml, from npm); this
// module decides what the values mean and what a worksheet may not contain, so
// that a file the form opens means what it means to `workbook check`:
//   * UTF-8 (with or without a byte-order mark) or UTF-16 with one, at most 2 MiB;
//     no control characters;
//   * one document whose top level is a set of fields;
//   * no anchors, aliases, tags, merge keys ('<<'), duplicate keys, or field
//     names that are not words; nesting and size capped as in the loader;
//   * unquoted values read by values.js's resolvePlain(), the loader's own rules,
//     and the source text of each such value kept, so a field the schema wants as
//     text gets "1.10" back rather than 1.1 (as checking.py does).
// A file that is not text at all (a Word document, PDF, picture, spreadsheet) and the
// slips first-time YAML writers make are named by slips.js, with workbook/slips.py's
// words and on the line where the slip was made.
// Problems come back as {line, column, message, hint, code}, never as exceptions.

import { isAlias, isMap, isScalar, isSeq, parseAllDocuments } from "yaml";

import { commentedAnswer, diagnose, explainLine, oddKey, sniff } from "./slips.js";
import { resolvePlain } from "./values.js";

export const LIMITS = { maxBytes: 2 * 1024 * 1024, maxDepth: 40, maxNodes: 250000 };

const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\ufffe\uffff]/u;

class Refusal extends Error {
  constructor(message, hint = "", at = null, mark = null) {
    super(message);
    this.hint = hint;
    this.at = at; // an offset into the text, when known
    // The '&name' or '!' that comes before the node, where the loader points; the
    // parser's range starts after it.
    this.mark = mark;
    this.where = null; // or {line, column}, 1-based, when a slip names them itself
  }
}

function slipRefusal(slip) {
  const refusal = new Refusal(slip.message, slip.hint);
  refusal.code = slip.code;
  if (slip.line !== null) refusal.where = { line: slip.line, column: slip.column };
  return refusal;
}

function empty() {
  return new Refusal("The worksheet is empty.", "Start again from the blank worksheet.");
}

function decode(bytes) {
  // The file type first: a Word document is better called one than "too big", and its
  // bytes are never "an older encoding" (workbook/loader.py's load_bytes does the same).
  const slip = sniff(bytes);
  if (slip) throw slipRefusal(slip);
  if (bytes.length > LIMITS.maxBytes) {
    throw new Refusal(`The file is ${bytes.length.toLocaleString("en")} bytes; a worksheet may be ` +
      `at most ${LIMITS.maxBytes.toLocaleString("en")} bytes.`,
    "Check that this is the right file: worksheets are a few kilobytes.");
  }
  const starts = (...bom) => bom.every((b, i) => bytes[i] === b);
  if (starts(0xff, 0xfe, 0, 0) || starts(0, 0, 0xfe, 0xff)) {
    throw new Refusal("This file is saved as UTF-32, which worksheets do not use.",
      "Save it again as UTF-8 (most editors offer this under Save As).");
  }
  let encoding = "utf-8";
  let skip = 0;
  if (starts(0xef, 0xbb, 0xbf)) skip = 3;
  else if (starts(0xff, 0xfe)) [encoding, skip] = ["utf-16le", 2];
  else if (starts(0xfe, 0xff)) [encoding, skip] = ["utf-16be", 2];
  let text;
  try {
    text = new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes.subarray(skip));
  } catch {
    throw new Refusal(`This file is not saved as ${encoding.toUpperCase()}.`,
      "It was probably saved in an older encoding such as Latin-1 or Windows-1252. Save it " +
      "again as UTF-8 (in Notepad: File > Save As > Encoding: UTF-8), then open it again.");
  }
  // libyaml takes these as line breaks in some places and as text in others (NEL
  // inside quotes becomes a space); rather than guess, the form declines them.
  const odd = /[\u0085\u2028\u2029]/u.exec(text);
  if (odd) {
    const code = odd[0].codePointAt(0).toString(16).toUpperCase().padStart(4, "0");
    throw new Refusal(`The file contains an unusual line-break character (U+${code}).`,
      "Replace it with an ordinary line break or a space in a text editor, then open the " +
      "file again.", odd.index);
  }
  const bad = FORBIDDEN.exec(text);
  if (bad) {
    const code = bad[0].codePointAt(0).toString(16).toUpperCase().padStart(4, "0");
    throw new Refusal(`The file contains an invisible control character (U+${code}).`,
      "Delete it in a text editor; retype the line if unsure.", bad.index);
  }
  return text;
}

const SYNTAX_HINTS = [
  ["TAB_AS_INDENT", "This line is indented with a tab. Replace the tab with spaces."],
  ["DUPLICATE_KEY", "This field appears twice. Keep one of them (merge the answers if both matter)."],
  ["MISSING_CHAR", "A quote mark or bracket was opened but never closed. Close it."],
  ["BLOCK_AS_IMPLICIT_KEY", "A colon followed by a space starts a new field. If your answer " +
    "contains ': ', put the whole answer in double quotes."],
  ["BAD_INDENT", "Check the indentation: fields of the same part start in the same column."],
];

function syntaxRefusal(error, text, errors = [error]) {
  // Parsers stop at or after the cause; look back for a slip that can be named (as
  // workbook/loader.py does), unless the line it stopped at is indented with a tab.
  // The furthest end of the errors' spans: the yaml package marks where a construct
  // began (a key on the line above a field indented too far); libyaml, where it failed.
  const ends = errors.map((e) => e.pos?.[1] ?? e.pos?.[0]).filter((n) => typeof n === "number");
  const at = ends.length ? Math.max(...ends) : undefined;
  if (at !== undefined && at !== null && error.code !== "TAB_AS_INDENT") {
    const { line } = lineColumn(text, at);
    const stopped = text.split("\n", line)[line - 1] ?? "";
    if (!stopped.slice(0, stopped.length - stopped.trimStart().length).includes("\t")) {
      const slip = diagnose(text, line - 1);
      if (slip) return slipRefusal(slip);
    }
  }
  const hint = SYNTAX_HINTS.find(([code]) => code === error.code)?.[1] ??
    "Compare this line with the blank worksheet: check indentation, colons and quotes.";
  const message = error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
  return new Refusal(`Not valid YAML: ${message}.`, hint, error.pos?.[0] ?? null);
}

function build(document, text) {
  const raw = new Map(); // JSON path -> source text of an unquoted non-text value
  // JSON path -> offset of the field name whose answer is a list or a set of fields:
  // where a refusal about the whole list points (bounds.js), as the checker's does.
  const places = new Map();
  let nodes = 0;
  // `name: #1 fan` reads as an empty answer; such fields are looked at after the whole
  // file is read, as workbook/loader.py does, and only if the text has a # there at all.
  const hashAfterColon = /:[ \t]+#[^\s#]/u.test(text);
  const emptyKeys = [];

  const check = (node, depth) => {
    if (++nodes > LIMITS.maxNodes) {
      throw new Refusal(`The file has more than ${LIMITS.maxNodes.toLocaleString("en")} values.`,
        "Worksheets are far smaller; check that this is the right file.", node.range?.[0]);
    }
    if (isAlias(node)) {
      throw new Refusal(`'*${node.source}': a '*' at the start of an answer means "repeat ` +
        "another value\" in YAML, which worksheets do not use.",
        `Put the whole answer in double quotes, for example "*${node.source}".`,
        node.range?.[0]);
    }
    if (node.anchor) {
      throw new Refusal(`'&${node.anchor}': a '&' at the start of an answer gives a value a ` +
        "name in YAML, which worksheets do not use.",
        `Put the whole answer in double quotes, for example "&${node.anchor} ...".`,
        node.range?.[0], `&${node.anchor}`);
    }
    if (node.tag && !(isScalar(node) && node.tag === "!")) {
      throw new Refusal("A '!' at the start of an answer marks its type in YAML (a tag), " +
        "which worksheets do not use.", "Put the whole answer in double quotes, or remove the '!'.",
        node.range?.[0], "!");
    }
    if ((isMap(node) || isSeq(node)) && depth >= LIMITS.maxDepth) {
      throw new Refusal(`The file nests more than ${LIMITS.maxDepth} levels deep.`,
        "Worksheets use a few levels of indentation; check the file.", node.range?.[0]);
    }
  };

  const value = (node, path, depth) => {
    if (node === null || node === undefined) return null; // "key:" with nothing after it
    check(node, depth);
    if (isMap(node)) {
      const out = {};
      for (const pair of node.items) {
        const keyNode = pair.key;
        if (keyNode !== null && keyNode !== undefined) check(keyNode, depth + 1);
        if (isMap(keyNode) || isSeq(keyNode)) {
          throw new Refusal("A field name must be a word, not a list or a set of fields.",
            "Check the indentation of this line and the one above.", keyNode.range?.[0]);
        }
        const name = keyNode === null || keyNode === undefined ? null
          : keyNode.type === "PLAIN" ? resolvePlain(keyNode.value) : keyNode.value;
        if (typeof name !== "string") {
          throw new Refusal(`The field name '${keyNode?.source ?? ""}' is not a word.`,
            "Field names are words such as 'name:'; if this was meant as an answer, it " +
            "belongs after a colon.", keyNode?.range?.[0] ?? pair.value?.range?.[0]);
        }
        if (oddKey(name) && typeof keyNode.range?.[0] === "number") {
          // "\u00a0tier: AA" parses as a field called "\u00a0tier": name the pasted
          // character instead, as workbook/loader.py does.
          const { line } = lineColumn(text, keyNode.range[0]);
          const slip = explainLine(text.split("\n", line)[line - 1], line);
          if (slip) throw slipRefusal(slip);
        }
        if (name === "<<" && keyNode.type === "PLAIN") {
          throw new Refusal("Merge keys ('<<') are not allowed in a worksheet.",
            "Write the fields out in full.", keyNode.range?.[0]);
        }
        if (Object.hasOwn(out, name)) {
          throw new Refusal(`The field '${name}' appears twice.`,
            "Keep one of them (merge the answers if both matter).", keyNode.range?.[0]);
        }
        // defineProperty, not out[name] = ...: a field called __proto__ stays a field.
        if ((isMap(pair.value) || isSeq(pair.value)) && typeof keyNode.range?.[0] === "number") {
          places.set(JSON.stringify([...path, name]), keyNode.range[0]);
        }
        const item = value(pair.value, [...path, name], depth + 1);
        if (item === null && hashAfterColon && typeof keyNode.range?.[0] === "number") {
          emptyKeys.push(keyNode.range[0]);
        }
        Object.defineProperty(out, name, {
          value: item,
          enumerable: true, writable: true, configurable: true,
        });
      }
      return out;
    }
    if (isSeq(node)) return node.items.map((item, i) => value(item, [...path, i], depth + 1));
    if (isScalar(node)) {
      // Quoted and block scalars are text. A plain one is read by the loader's rules,
      // even after a '!' tag, as workbook/loader.py does.
      if (node.type !== "PLAIN") return node.value;
      const resolved = resolvePlain(node.value);
      if (typeof resolved !== "string") raw.set(JSON.stringify(path), node.value);
      return resolved;
    }
    throw new Refusal("Unexpected YAML structure.", "", node.range?.[0]);
  };

  if (document.contents === null || document.contents === undefined) throw empty();
  const data = value(document.contents, [], 0);
  for (const offset of emptyKeys) {
    const { line } = lineColumn(text, offset);
    const slip = commentedAnswer(text.split("\n", line)[line - 1], line);
    if (slip) throw slipRefusal(slip);
  }
  if (data === null) throw empty();
  if (typeof data !== "object" || Array.isArray(data)) {
    throw new Refusal(`The worksheet's top level is ${Array.isArray(data) ? "a list" : "a single value"}` +
      ", not a set of fields.", "A worksheet starts with fields such as 'exercise:' at the left " +
      "margin. Start from the blank worksheet.", 0);
  }
  const at = (path) => {
    const offset = places.get(JSON.stringify(path));
    return offset === undefined ? null : lineColumn(text, offset);
  };
  return { data, raw, at };
}

// bytes (a Uint8Array) -> {data, raw, at} or {problem: {line, column, message, hint}};
// at(path) is the {line, column} of the field holding a list or set of fields.
export function readWorksheet(bytes) {
  let text = "";
  try {
    text = decode(bytes);
    // The failsafe schema keeps every value as its text; resolvePlain() reads it.
    const documents = parseAllDocuments(text, {
      schema: "failsafe", uniqueKeys: true, strict: true, merge: false,
    });
    for (const document of documents) {
      const error = document.errors[0];
      if (error) throw syntaxRefusal(error, text, document.errors);
    }
    if (documents.length === 0) throw empty();
    if (documents.length > 1) {
      throw new Refusal("The file holds more than one document (a line with '---' starts another).",
        "Keep one worksheet per file and remove the extra '---' line.", documents[1].range?.[0]);
    }
    return build(documents[0], text);
  } catch (error) {
    if (!(error instanceof Refusal)) {
      return { problem: { line: null, column: null, message: `This file could not be read: ${error}.`, hint: "" } };
    }
    const offset = error.mark && error.at !== null && error.at !== undefined
      ? Math.max(0, text.lastIndexOf(error.mark, error.at)) : error.at;
    const at = error.where ?? (offset === null || offset === undefined
      ? { line: null, column: null } : lineColumn(text, offset));
    return { problem: { ...at, message: error.message, hint: error.hint, code: error.code ?? null } };
  }
}

// 1-based line and column of an offset into the text, as editors count them.
function lineColumn(text, offset) {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}
