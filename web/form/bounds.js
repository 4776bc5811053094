// What the form declines to draw, decided before it draws anything.
//
// A file the loader accepts can still be far bigger than any worksheet: 5,000
// contacts where the schema allows 500 (20 s to draw and 4 s a keystroke on a
// desktop), a list of 249,000 numbers (never finishes), a stored entry of 20,000
// contacts (the page hung on every later visit). Such a file is invalid anyway,
// so nothing is lost by refusing to draw it: the form says what `workbook check`
// says about it (the same words: workbook/checking.py), keeps the answers it had,
// and leaves the file as it is. Lists up to their maxItems are drawn (the largest
// a schema allows stays responsive: tests/test_form_limits.py).
//
// Answers saved in this browser go through the same door, plus the loader's size
// and depth limits, since they never passed through yaml-read.js.

import { kindOf, resolve } from "./schema.js";
import { formatPath, isObject, shorten } from "./values.js";
import { LIMITS } from "./yaml-read.js";

// `workbook check` lists at most this many problems (checking.py's MAX_ERRORS); a file
// with more unknown fields than that is not a worksheet with a few typos.
export const MOST_UNKNOWN = 100;
// A list whose schema sets no maxItems is drawn up to this many items. Our schemas all
// set one; a new exercise's author may not.
export const MOST_DRAWN = 1000;

// The fields that say who a list item is about (workbook/checking.py's _ITEM_NAMES).
const ITEM_NAMES = ["name", "contact", "target"];

// "'outreach[1].channels' (Lena Brooks, planning manager…)": the path as an editor
// shows it, then who the innermost item along it is about; checking.py's _field_word.
export function fieldWord(path, data) {
  if (!path.length) return "the worksheet";
  const words = `'${formatPath(path)}'`;
  const items = []; // [position in path, list item]
  let current = data;
  for (let index = 0; index < path.length; index++) {
    const part = path[index];
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, part)) break;
    current = current[part];
    if (typeof part === "number") items.push([index, current]);
  }
  for (const [index, item] of items.reverse()) {
    if (!isObject(item)) continue;
    for (const key of ITEM_NAMES) {
      const name = item[key];
      const rest = path.slice(index + 1);
      if (typeof name === "string" && name.trim() && !(rest.length === 1 && rest[0] === key)) {
        return `${words} (${shorten(name, 30)})`;
      }
    }
  }
  return words;
}

const count = (n, one, many = `${one}s`) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

// -> {path, message, hint} for the first list that is too long or the first of too
// many unknown fields, or null when the data can be drawn.
export function tooBigToDraw(root, data) {
  let unknown = 0;
  let firstUnknown = null;
  const walk = (rawNode, value, path) => {
    const node = resolve(root, rawNode);
    const kind = kindOf(node);
    if (kind === "array" && Array.isArray(value)) {
      const most = node.maxItems ?? MOST_DRAWN;
      if (value.length > most) {
        const where = fieldWord(path, data);
        return node.maxItems === undefined
          ? { path, message: `${where} has ${count(value.length, "item")}; the form shows at most ` +
              `${most.toLocaleString("en")}.`, hint: "Fill this worksheet in with a text editor and check it with workbook check." }
          : { path, message: `${where} may have at most ${most} items; it has ${value.length}.`,
              hint: `Remove ${value.length - most}, keeping your best.` };
      }
      for (let i = 0; i < value.length; i++) {
        const found = walk(node.items ?? {}, value[i], [...path, i]);
        if (found) return found;
      }
    } else if (kind === "object" && isObject(value)) {
      const known = node.properties ?? {};
      for (const name of Object.keys(value)) {
        if (Object.hasOwn(known, name)) {
          const found = walk(known[name], value[name], [...path, name]);
          if (found) return found;
        } else {
          firstUnknown ??= { path, name };
          if (++unknown > MOST_UNKNOWN) {
            const where = fieldWord(firstUnknown.path, data);
            return {
              path: firstUnknown.path,
              message: `The file has more than ${MOST_UNKNOWN} fields this worksheet does not have ` +
                `(the first: unknown field '${firstUnknown.name}' in ${where}).`,
              hint: "Check that this is the worksheet you meant to open; workbook check lists them.",
            };
          }
        }
      }
    }
    return null;
  };
  return walk(root, data, []);
}

// The loader's limits on plain data (answers saved in this browser were never read
// from a file): -> {path, message, hint} in its words, or null. Iterative, so no
// depth of nesting can overflow the stack.
export function beyondLimits(data) {
  let nodes = 0;
  const stack = [[data, 0]];
  while (stack.length) {
    const [value, depth] = stack.pop();
    if (++nodes > LIMITS.maxNodes) {
      return { path: [], message: `The answers have more than ${LIMITS.maxNodes.toLocaleString("en")} values.`,
        hint: "Worksheets are far smaller." };
    }
    if (value === null || typeof value !== "object") continue;
    if (depth >= LIMITS.maxDepth) {
      return { path: [], message: `The answers nest more than ${LIMITS.maxDepth} levels deep.`,
        hint: "Worksheets use a few levels of indentation." };
    }
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return null;
}
