// Name a learner's slip for what it is, on the line where it was made: the form's
// copy of workbook/slips.py, with the same rules and the same words (the tests in
// tests/test_slips.py hold the two together). Two jobs:
//   * sniff(bytes): a Word document, PDF, image, spreadsheet, RTF file or zip saved
//     under a .yaml name, recognised from its first bytes (and a zip's member names);
//   * diagnose(text, errorLine): after the YAML parser refused a file, the slip on or
//     above the line it stopped at (pasted characters, a wrapped answer, a missing
//     space after a colon, a reserved character at the start of an answer).
// Both return {line, column, code, message, hint} (1-based; line null for the whole
// file) or null.

const COPY_TEXT = "copy the text into a plain text editor such as Notepad (Windows) or TextEdit " +
  "(Mac: Format > Make Plain Text), and save it as a .yaml file. Or fill the worksheet in on " +
  "the exercise's page, in your browser.";

const KINDS = {
  word: ["This is a Word document, not a text file.", "Open it in Word, " + COPY_TEXT],
  "word-old": ["This is an older Word document (.doc), not a text file.",
    "Open it in Word, " + COPY_TEXT],
  "office-old": ["This is a Microsoft Office document, not a text file.",
    "Open it in the program that made it, " + COPY_TEXT],
  spreadsheet: ["This is a spreadsheet, not a text file.",
    "Worksheets are plain text. Start from the blank worksheet in a text editor such as " +
    "Notepad or TextEdit and copy your answers across, or fill it in on the exercise's page, " +
    "in your browser."],
  presentation: ["This is a slide presentation, not a text file.",
    "Open it in the program that made it, " + COPY_TEXT],
  odt: ["This is a word-processor document (OpenDocument), not a text file.",
    "Open it in LibreOffice, " + COPY_TEXT],
  pages: ["This is an Apple Pages or Numbers document, not a text file.",
    "Open it in Pages, " + COPY_TEXT],
  rtf: ["This is a rich-text (RTF) document, not a plain text file.",
    "In TextEdit choose Format > Make Plain Text, then save it again as a .yaml file; in " +
    "WordPad, copy the text into Notepad and save it from there."],
  pdf: ["This is a PDF, not a text file.",
    "A PDF cannot be checked. Go back to the file you made it from, copy the text into a " +
    "plain text editor such as Notepad or TextEdit, and save it as a .yaml file."],
  image: ["This is a picture, not a text file.",
    "A screenshot or photo cannot be checked. Hand in the worksheet itself: the .yaml file " +
    "you filled in, or the one the form on the exercise's page downloads."],
  zip: ["This is a zip archive, not a text file.", "Unzip it and check the .yaml worksheet inside."],
  html: ["This is a web page (HTML), not a plain text file.",
    "It was probably saved as a web page. Copy the worksheet's text into a plain text editor " +
    "such as Notepad or TextEdit and save it as a .yaml file."],
};

const IMAGE_STARTS = ["\x89PNG\r\n\x1a\n", "\xff\xd8\xff", "GIF87a", "GIF89a", "II*\0", "MM\0*"];
const HEIF_BRANDS = ["heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1", "avif"];
const OLE = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1";
const TEXT_START = new Set([..."abcdefghijklmnopqrstuvwxyz#-\n \r"].map((c) => c.charCodeAt(0)));

// Bytes as a string of code points 0-255, so ASCII needles can be searched for.
const asBinary = (bytes) => {
  let out = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return out;
};
const utf16 = (word) => [...word].map((c) => c + "\0").join("");

function zipKind(raw) {
  if (raw.slice(30, 38) === "mimetype") {
    const kind = raw.slice(38, 120);
    if (kind.includes("opendocument.spreadsheet")) return "spreadsheet";
    if (kind.includes("opendocument.presentation")) return "presentation";
    return "odt";
  }
  if (raw.includes("word/document.xml")) return "word";
  if (raw.includes("xl/workbook.xml")) return "spreadsheet";
  if (raw.includes("ppt/presentation.xml")) return "presentation";
  if (raw.includes("Index/Document.iwa")) return "pages";
  return "zip";
}

// The kind of non-text file the bytes are, or null for text (as file_kind in slips.py).
export function fileKind(bytes) {
  if (bytes.length === 0 || TEXT_START.has(bytes[0])) return null;
  const head = asBinary(bytes.subarray(0, 16));
  if (head.startsWith("PK\x03\x04") || head.startsWith("PK\x05\x06")) return zipKind(asBinary(bytes));
  if (head.startsWith("%PDF-")) return "pdf";
  if (head.startsWith(OLE)) {
    const raw = asBinary(bytes);
    if (raw.includes(utf16("WordDocument"))) return "word-old";
    if (raw.includes(utf16("Workbook")) || raw.includes(utf16("Book"))) return "spreadsheet";
    return "office-old";
  }
  if (head.startsWith("{\\rtf")) return "rtf";
  if (IMAGE_STARTS.some((start) => head.startsWith(start))) return "image";
  if (head.slice(0, 4) === "RIFF" && head.slice(8, 12) === "WEBP") return "image";
  if (head.slice(4, 8) === "ftyp" && HEIF_BRANDS.includes(head.slice(8, 12))) return "image";
  const start = asBinary(bytes.subarray(0, 200)).replace(/^[\xef\xbb\xbf \t\r\n]*/, "").toLowerCase();
  if (["<!doctype html", "<html", "<?xml"].some((s) => start.startsWith(s))) return "html";
  return null;
}

export function sniff(bytes) {
  const kind = fileKind(bytes);
  if (kind === null) return null;
  const [message, hint] = KINDS[kind];
  return { line: null, column: null, code: `file.${kind}`, message, hint };
}

const hex = (char) => char.codePointAt(0).toString(16).toUpperCase().padStart(4, "0");

const SPACES = {
  "\u00a0": "a non-breaking space", "\u202f": "a narrow non-breaking space",
  "\u200b": "a zero-width space", "\u3000": "a wide (ideographic) space",
  "\ufeff": "an invisible zero-width character", "\u2007": "a figure space",
  "\u1680": "an unusual space", "\u205f": "an unusual space",
};
for (let c = 0x2000; c < 0x200b; c++) {
  if (c !== 0x2007) SPACES[String.fromCharCode(c)] = "an unusual space";
}
const DASHES = {
  "\u2013": "an en dash (\u2013)", "\u2014": "an em dash (\u2014)", "\u2012": "a figure dash (\u2012)",
  "\u2015": "a horizontal bar (\u2015)", "\u2212": "a minus sign (\u2212)",
  "\u2010": "a typographic hyphen (\u2010)", "\u2011": "a non-breaking hyphen (\u2011)",
  "\u2022": "a bullet (\u2022)", "\u25cf": "a bullet (\u25cf)", "\u25aa": "a bullet (\u25aa)",
  "\u00b7": "a middle dot (\u00b7)", "\u2043": "a hyphen bullet (\u2043)",
};
const CURLY = "\u201c\u201d\u2018\u2019\u201e\u00ab\u00bb";
const has = (table, char) => char !== "" && Object.hasOwn(table, char);

const KEY_LINE = /^( *)(?:- +)?([^\s#:"'][^:#]*?):(?: +|$)/u;
const NO_SPACE = /^( *)(?:- +)?([A-Za-z_][A-Za-z0-9_-]*):([^\s:/\\].*)$/u;
const BLOCK_START = /^.*(?::|^ *-) +[|>][-+0-9]* *(?:#.*)?$/u;
const COLON_THEN = /^( *)(?:- +)?[A-Za-z_][A-Za-z0-9_-]*:(.)/u;
// A field name in curly quotes, as Word writes "name": the quotes become part of it.
const CURLY_KEY = new RegExp(`^( *(?:- +)?)([${CURLY}])([^${CURLY}:#\n]+)([${CURLY}]):(?: |$)`, "u");
// `name: #1 fan`: YAML reads the # after a space as the start of a comment.
const HASH_ANSWER = /^( *(?:- +)?[^\s#:"'][^:#]*?:[ \t]+)(#[^\s#].*?)\s*$/u;

const RESERVED = {
  "@": "'@' cannot start an answer: YAML keeps it for future use.",
  "`": "A backtick (`) cannot start an answer: YAML keeps it for future use.",
  "%": "'%' cannot start an answer: YAML reads it as an instruction to the reader.",
  "*": "'*' at the start of an answer means \"repeat another value\" in YAML.",
  "&": "'&' at the start of an answer gives a value a name in YAML.",
  "!": "'!' at the start of an answer marks a value's type in YAML.",
  "|": "'|' at the start of an answer starts a multi-line answer on the lines below.",
  ">": "'>' at the start of an answer starts a multi-line answer on the lines below.",
  "?": "'? ' at the start of an answer starts a complicated kind of field name in YAML.",
  "-": "'- ' at the start of an answer starts a list, which cannot begin there.",
};

const indentOf = (line) => /^ */.exec(line)[0].length;
const slip = (line, column, code, message, hint) => ({ line, column, code, message, hint });

function quote(value) {
  if (value.includes('"')) return "single quotes: '" + value.replaceAll("'", "''") + "'";
  return 'double quotes: "' + value.replaceAll("\\", "\\\\") + '"';
}

// The answer without the curly quotes around it (an apostrophe inside stays).
function uncurl(value) {
  let inner = value.trimEnd().slice(1);
  if (inner && CURLY.includes(inner.at(-1))) inner = inner.slice(0, -1);
  return inner;
}

function valueStart(line) {
  const match = KEY_LINE.exec(line);
  let start;
  if (match) start = match[0].length;
  else {
    const indent = indentOf(line);
    if (!line.startsWith("- ", indent)) return null;
    start = indent + 2;
  }
  while (start < line.length && line[start] === " ") start++;
  return start < line.length ? start : null;
}

function closedThenMore(value) {
  const opener = value[0];
  if (opener === '"' || opener === "'") {
    let i = 1;
    while (i < value.length) {
      const char = value[i];
      if (opener === '"' && char === "\\") { i += 2; continue; }
      if (char === opener) {
        if (opener === "'" && value[i + 1] === "'") { i += 2; continue; }
        const rest = value.slice(i + 1).trim();
        return rest !== "" && !rest.startsWith("#");
      }
      i++;
    }
    return false;
  }
  const closer = opener === "[" ? "]" : "}";
  return !value.split(" #")[0].trimEnd().endsWith(closer);
}

function pasted(line, number) {
  const indent = indentOf(line);
  const first = line.slice(indent, indent + 1);
  if (has(SPACES, first)) {
    return slip(number, indent + 1, "paste.space",
      `The indentation of this line contains ${SPACES[first]} (U+${hex(first)}): it looks like ` +
      "a space, but YAML does not count it as one. Text copied from Word or a web page often " +
      "brings it along.",
      "Delete the spaces at the start of this line and type them again with the space bar.");
  }
  if (has(DASHES, first) && ["", " ", "\t", "\u00a0"].includes(line.slice(indent + 1, indent + 2))) {
    return slip(number, indent + 1, "paste.dash",
      `This line starts with ${DASHES[first]} where a list item needs a plain hyphen (-). Word ` +
      "and many websites turn hyphens into dashes or bullets.",
      "Replace it with the hyphen key (-), followed by one space.");
  }
  if (first === "-" && /^\p{L}/u.test(line.slice(indent + 1, indent + 2)) && line.includes(": ")) {
    const key = line.slice(indent + 1).split(":")[0];
    return slip(number, indent + 2, "slip.list-dash-space",
      "A list item needs a space after its hyphen.", `Write '- ${key}:' rather than '-${key}:'.`);
  }
  const curlyKey = CURLY_KEY.exec(line);
  if (curlyKey) {
    const [, before, opening, name, closing] = curlyKey;
    return slip(number, before.length + 1, "paste.curly-key",
      `The field name ${opening}${name}${closing} is in curly quote marks, which Word and web ` +
      `pages put in. YAML takes them for part of the name, so it does not see the field '${name}'.`,
      `Delete the quote marks: write '${name}:'.`);
  }
  const colon = COLON_THEN.exec(line);
  if (colon && has(SPACES, colon[2])) {
    return slip(number, colon[0].length, "paste.space",
      `After the colon on this line comes ${SPACES[colon[2]]} (U+${hex(colon[2])}), not an ` +
      "ordinary space, so YAML does not see a field and its answer.",
      "Delete the character after the colon and type a space with the space bar.");
  }
  const start = valueStart(line);
  if (start !== null && CURLY.includes(line[start])) {
    const rest = line.slice(start + 1);
    if (rest.includes(": ") || rest.endsWith(":") || rest.includes(" #")) {
      return slip(number, start + 1, "paste.curly-quote",
        `This answer starts with a curly quote mark (${line[start]}). YAML reads curly quotes ` +
        "as ordinary letters, so they do not protect the colon inside the answer the way " +
        "straight quotes (\") do.",
        `Use straight quotes instead of curly ones: put the whole answer in ${quote(uncurl(line.slice(start)))}.`);
    }
  }
  return null;
}

function reserved(line, number) {
  const start = valueStart(line);
  if (start === null) return null;
  const value = line.slice(start);
  const first = value[0];
  if ("\"'[{".includes(first) && closedThenMore(value)) {
    const what = { '"': "a quote mark", "'": "a quote mark", "[": "a square bracket",
      "{": "a curly bracket" }[first];
    return slip(number, start + 1, "slip.closed-then-more",
      `This answer starts with ${what}, so YAML expects the answer to end where it closes, ` +
      "but more text follows.", `Put the whole answer in ${quote(value.trimEnd())}.`);
  }
  const colon = value.indexOf(": ");
  if (!has(RESERVED, first) && !"\"'[{".includes(first) && colon > 0) {
    return slip(number, start + colon + 1, "slip.colon-in-answer",
      "This answer contains a colon followed by a space, which YAML reads as the start of " +
      "another field.", `Put the whole answer in ${quote(value.trimEnd())}.`);
  }
  if (!has(RESERVED, first)) return null;
  const second = value.slice(1, 2);
  if ("?-".includes(first) && second !== "" && second !== " ") return null;
  if ("|>".includes(first) &&
      !/^[A-Za-z0-9(]/.test(value.slice(1).replace(/^[-+0-9 ]*/, "").replace(/\r$/, "").trimStart())) {
    return null;
  }
  return slip(number, start + 1, "slip.reserved-start", RESERVED[first],
    `Put the whole answer in ${quote(value.trimEnd())}.`);
}

function contextual(lines, i) {
  const line = lines[i];
  const number = i + 1;
  const nospace = NO_SPACE.exec(line.trimEnd());
  if (nospace && !line.includes(": ")) {
    const [, lead, key, rest] = nospace;
    const column = nospace[0].indexOf(key, lead.length) + key.length + 2;
    return slip(number, column, "slip.no-space-after-colon",
      `There is no space after the colon in '${key}:${rest.slice(0, 20)}', so YAML reads it all ` +
      "as one piece of text rather than a field and its answer.",
      `Put a space after the colon: ${key}: ${rest.slice(0, 20)}`);
  }
  const stripped = line.trim();
  if (!stripped || stripped.startsWith("#")) return null;
  const indent = indentOf(line);
  let j = i - 1;
  while (j >= 0 && (!lines[j].trim() || lines[j].trimStart().startsWith("#"))) j--;
  while (j >= 0 && !KEY_LINE.test(lines[j]) && !lines[j].trimStart().startsWith("- ")) {
    if (indentOf(lines[j]) <= indent) return null;
    j--;
  }
  if (j < 0) return null;
  const above = KEY_LINE.exec(lines[j]);
  if (!above) return null;
  const key = above[2];
  const keyColumn = above[0].indexOf(key, above[1].length);
  const answer = lines[j].slice(above[0].length).trim();
  if (!answer || "\"'|>[{&*!#".includes(answer[0])) return null;
  const isField = KEY_LINE.test(line);
  if (!isField && !stripped.startsWith("- ") && indent <= keyColumn) {
    return slip(number, indent + 1, "slip.wrapped-answer",
      `This line looks like the rest of the answer to '${key}' on line ${j + 1}, but it does ` +
      `not start to the right of '${key}', so YAML reads it as a new field without a colon.`,
      `Indent this line two spaces further than '${key}:', or join it to the end of line ${j + 1}.`);
  }
  if (isField && indent > keyColumn) {
    return slip(number, indent + 1, "slip.over-indented",
      `This field starts further right than '${key}' on line ${j + 1}, which already has an ` +
      "answer, so YAML cannot tell where it belongs.",
      `Start it in the same column as '${key}' (or, if the colon is part of your answer, put ` +
      "the answer in double quotes).");
  }
  return null;
}

// A field name that starts with a pasted space, a dash and a space, or a curly quote
// mark: never a real one.
export function oddKey(key) {
  const first = key.slice(0, 1);
  return has(SPACES, first) || (first !== "" && CURLY.includes(first)) ||
    (has(DASHES, first) && key.slice(1, 2) === " ");
}

// `name: #1 fan`, for a field whose answer came out empty (commented_answer in slips.py).
export function commentedAnswer(line, number) {
  const match = HASH_ANSWER.exec(line.replace(/\r$/, ""));
  if (!match) return null;
  const [, before, value] = match;
  return slip(number, before.length + 1, "slip.hash-answer",
    "This answer starts with #, and YAML reads a # after a space as the start of a comment, " +
    "so the answer came out empty.", `Put the whole answer in ${quote(value)}.`);
}

// The pasted character at the start of one line (1-based number), if any: for a file
// that parses but has a field name such as "\u00a0tier" (see explain_line in slips.py).
export function explainLine(line, number) {
  return pasted(line.replace(/\r$/, ""), number);
}

// The slip that best explains a parse error reported on errorLine (0-based), or null.
export function diagnose(text, errorLine) {
  const lines = text.split("\n").slice(0, errorLine + 1).map((line) => line.replace(/\r$/, ""));
  let blockIndent = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const indent = indentOf(line);
    if (blockIndent >= 0) {
      if (!line.trim() || indent > blockIndent) continue;
      blockIndent = -1;
    }
    if (line.trimStart().startsWith("#")) continue;
    let found = pasted(line, i + 1) ?? reserved(line, i + 1);
    if (found === null && i >= errorLine - 2) found = contextual(lines, i);
    if (found !== null) return found;
    if (BLOCK_START.test(line)) blockIndent = indent;
  }
  return null;
}
