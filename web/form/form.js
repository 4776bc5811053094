// The "Fill it in your browser" form: one worksheet's schema rendered as fields,
// checked as the learner types, saved in this browser, downloadable as the same
// YAML file everyone else hands in, and able to open such a file again.
//
// Model: `data` is the worksheet exactly as it would be written to the file
// (plain JSON). The page is drawn from the schema and `data`; typing changes
// `data` in place and re-checks it; structural actions (add, remove, move, open,
// start over) redraw the form and put the focus back where the learner was.
// Nothing is ever sent anywhere: no request is made after the page has loaded.

import { beyondLimits, tooBigToDraw } from "./bounds.js";
import { append, h, hidden } from "./dom.js";
import { choicesOf, kindOf, labelOf, resolve, types, validate } from "./schema.js";
import {
  clone, deepEqual, getAt, isObject, pathKey, resolvePlain, shorten,
} from "./values.js";
import { readEntry } from "./store.js";
import { readWorksheet } from "./yaml-read.js";
import { toYaml } from "./yaml-write.js";

const ENVELOPE = new Set(["exercise", "version"]);
const LONG_TEXT = 300; // fields allowing more characters than this get a text box

function humanise(name) {
  if (String(name).length <= 2) return String(name).toUpperCase(); // id -> ID
  const words = String(name).replace(/_/g, " ");
  return words.slice(0, 1).toUpperCase() + words.slice(1);
}

function article(text) {
  return /^[aeiou]/i.test(text) ? `an ${text}` : `a ${text}`;
}

// A checkbox is ticked, not set to true: "true if they could..." -> "Tick if ...".
function helpFor(kind, text) {
  return kind === "boolean" ? text.replace(/^true if /i, "Tick if ") : text;
}

// A field's name inside a sentence: "Next action" -> "next action"; "ID" stays.
function lower(text) {
  return /^[A-Z][a-z]/.test(text) ? text.slice(0, 1).toLowerCase() + text.slice(1) : text;
}

// A date field: its pattern is a YYYY-MM-DD date (the form then offers the browser's
// own date picker, whose value is that same text).
const DATE_PATTERN = /\\d\{4\}-\\d\{2\}-\\d\{2\}/;
export function isDateField(node) {
  return kindOf(node) === "text" && typeof node.pattern === "string" && DATE_PATTERN.test(node.pattern);
}

// A written date the date picker can show: "2026-03-14", a real day.
function pickable(text) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const [year, month, day] = text.split("-").map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day;
}

function dateHelp(node) {
  const mayBeEmpty = new RegExp(node.pattern.replace(/\\d/g, "[0-9]")).test("");
  const pick = "Pick the day from the calendar, or type it in.";
  return mayBeEmpty ? `${pick} Leave it empty until you know it.` : pick;
}

// How a choice is written in its <option value>: text as itself; anything else
// (a number, say) marked so that 1 and "1" stay apart.
function optionValue(value) {
  return typeof value === "string" ? value : `\u0001${JSON.stringify(value)}`;
}
const CURRENT = "\u0001current"; // the option standing for a file's answer that is no choice

function patternOf(path) {
  return path.map((part) => (typeof part === "number" ? "[]" : part))
    .reduce((out, part) => (part === "[]" ? `${out}[]` : out ? `${out}.${part}` : part), "");
}

let uid = 0;
let SAVED_AT = null; // the formatter for "saved on ..." (see save())
const nextId = (stem) => `wb-${stem}-${++uid}`;

export class WorksheetForm {
  constructor(root, spec, storage) {
    this.root = root;
    this.spec = spec;
    this.schema = spec.schema;
    this.storage = storage;
    this.errors = [];
    this.fields = new Map(); // pathKey -> {element, control, error, label}
    let saved = this.usableSaved();
    this.restore(saved);
    this.build();
    try {
      this.render();
    } catch (error) {
      if (!saved) throw error;
      // Saved answers that passed bounds.js and still cannot be drawn: set aside too.
      console.error("worksheet form: saved answers could not be drawn", error);
      this.setAside();
      saved = null;
      this.restore(null);
      this.render();
    }
    this.showSetAside();
    if (saved) {
      this.say(`Your answers saved in this browser${saved.savedAt ? ` on ${saved.savedAt}` : ""} ` +
        "are back. Use Start over to clear them.");
    }
    root.dataset.opened = "0"; // files opened so far (see open())
    root.dataset.state = "ready";
  }

  restore(saved) {
    this.data = saved?.data ?? clone(this.spec.template);
    // What had been checked before a reload is marked again, as it was.
    this.touched = new Set(Array.isArray(saved?.touched) ? saved.touched.map(String) : []);
    this.showAll = saved?.showAll === true;
    // Which list items are folded to their one-line summary: list pathKey -> [true,
    // false, ...] by place. Kept with the saved answers; never part of the file.
    this.folds = isObject(saved?.folds) ? saved.folds : {};
  }

  // --- answers saved in this browser that the form cannot use --------------------

  // Why `data` cannot be drawn (bounds.js), or null.
  cannotDraw(data) {
    return beyondLimits(data) ?? tooBigToDraw(this.schema, data);
  }

  // The saved entry if the form can draw it; else it is set aside (store.js), never
  // drawn and never written over, and the page offers it for download (showSetAside).
  usableSaved() {
    const saved = this.storage.load();
    if (!saved) return null;
    if (!saved.unreadable && !this.cannotDraw(saved.data)) return saved;
    this.setAside();
    return null;
  }

  setAside() {
    if (this.storage.setAside()) return;
    // The browser would not move it: stop autosaving rather than write over it.
    const storage = this.storage;
    this.storage = {
      ...storage, save: () => false, setAsideText: () => storage.raw(), clearSetAside: () => storage.clear(),
    };
  }

  showSetAside() {
    const text = this.storage.setAsideText();
    this.aside.hidden = text === null;
    if (text === null) return this.aside.replaceChildren();
    const entry = readEntry(text);
    const why = entry ? this.cannotDraw(entry.data)?.message ?? "The form could not draw them."
      : "The stored copy is damaged and cannot be read back as answers.";
    const when = entry?.savedAt ? ` (saved ${entry.savedAt})` : "";
    const button = (label, action) => h("button", { type: "button", class: "md-button wb-button", "data-action": action }, label);
    this.aside.replaceChildren(
      h("p", {}, h("strong", {}, `Answers saved in this browser earlier${when} cannot be shown in the form. `), why),
      h("p", {}, "They are kept in this browser, apart from what you type now, until you delete " +
        "them. Download them to fix the file in a text editor, then open it here again."),
      h("div", { class: "wb-toolbar" }, button("Download the saved answers", "aside-download"),
        button("Delete them", "aside-delete")));
  }

  downloadSetAside() {
    const text = this.storage.setAsideText();
    if (text === null) return;
    // As a worksheet when the answers are within the loader's limits (too long a list,
    // say: workbook check then names what to cut); else the stored text as it is, since
    // no worksheet could hold it and the writer's recursion need not cope with it.
    const entry = readEntry(text);
    const body = entry && !beyondLimits(entry.data)
      ? toYaml(entry.data, { header: this.spec.header, orderOf: (path) => this.orderOf(path) }) : null;
    const name = `${this.spec.exercise}-saved.${body === null ? "txt" : "yaml"}`;
    offer(new Blob([body ?? text], { type: body === null ? "text/plain" : "application/yaml" }), name);
    this.say(`Downloaded ${name}.`);
  }

  deleteSetAside() {
    if (!window.confirm("Delete the answers set aside in this browser? Download them first " +
      "if you may want them.")) return;
    this.storage.clearSetAside();
    this.showSetAside();
    this.say("The set-aside answers are deleted.");
  }

  // --- the frame around the fields: toolbar, privacy note, summary ------------

  build() {
    const { title } = this.spec;
    this.fileInput = h("input", {
      type: "file", accept: ".yaml,.yml,text/yaml,application/yaml", hidden: true,
    });
    this.fileInput.addEventListener("change", () => this.openChosenFile());
    const button = (text, action, extra = {}) =>
      h("button", { type: "button", class: "md-button wb-button", "data-action": action, ...extra }, text);
    this.status = h("p", { class: "wb-status", role: "status", "aria-live": "polite" });
    this.saved = h("p", { class: "wb-saved" });
    this.alert = h("div", { class: "wb-alert", role: "alert", hidden: true });
    this.aside = h("div", { class: "wb-set-aside", hidden: true });
    this.summary = h("div", { class: "wb-summary", tabindex: "-1" });
    this.form = h("form", { class: "wb-fields", novalidate: true, "aria-label": `${title}: your answers` });
    this.form.addEventListener("submit", (event) => event.preventDefault());
    const toolbar = (where) => h("div", { class: "wb-toolbar", role: "group", "aria-label": `Worksheet file (${where})` },
      button("Download worksheet", "download", { class: "md-button md-button--primary wb-button" }),
      where === "top" ? button("Open a worksheet…", "open") : null,
      where === "top" ? button("Start over", "reset-all") : null);
    // The status line sits under the top buttons, where the learner is looking when
    // they press one; when the answers were last saved is said at the bottom.
    this.root.replaceChildren(
      toolbar("top"), this.status,
      h("p", { class: "wb-privacy" }, "Your answers stay on this device: they are saved in this " +
        "browser as you type and sent nowhere. Download the worksheet to hand it in, or to " +
        "carry on elsewhere."),
      this.aside, this.alert, this.summary, this.form, toolbar("bottom"), this.saved, this.fileInput);
    this.root.addEventListener("click", (event) => this.onClick(event));
    this.form.addEventListener("input", (event) => this.onEdit(event));
    this.form.addEventListener("change", (event) => this.onEdit(event));
    this.form.addEventListener("focusout", (event) => this.onLeave(event));
  }

  say(text) {
    this.status.textContent = "";
    // A fresh text node, so screen readers announce a repeated message again.
    window.setTimeout(() => { this.status.textContent = text; }, 30);
  }

  warn(text) {
    this.alert.replaceChildren(...(Array.isArray(text) ? text : [text]));
    this.alert.hidden = !text || (Array.isArray(text) && !text.length);
  }

  // --- schema navigation --------------------------------------------------------

  nodeAt(path) {
    let node = resolve(this.schema, this.schema);
    for (const part of path) {
      node = typeof part === "number" ? node.items : node.properties?.[part];
      if (node === undefined) return {};
      node = resolve(this.schema, node);
    }
    return node;
  }

  orderOf(path) {
    return Object.keys(this.nodeAt(path).properties ?? {});
  }

  // What a new, blank answer at `path` is: the blank worksheet's own value there
  // (its first list item standing for any item), else one made from the schema.
  blankFor(path) {
    const inTemplate = getAt(this.spec.template, path.map((p) => (typeof p === "number" ? 0 : p)));
    if (inTemplate !== undefined) return clone(inTemplate);
    const node = this.nodeAt(path);
    switch (kindOf(node)) {
      case "const": return clone(node.const);
      case "object": {
        const out = {};
        for (const name of Object.keys(node.properties ?? {})) out[name] = this.blankFor([...path, name]);
        return out;
      }
      case "array": return [];
      case "boolean": return false;
      case "number": return null;
      default: return "";
    }
  }

  // Set the answer at `path`, creating any part the file lacked on the way.
  setAt(path, value) {
    let node = this.data;
    for (let i = 0; i < path.length - 1; i++) {
      const part = path[i];
      const wantsList = typeof path[i + 1] === "number";
      const child = node[part];
      if (wantsList ? !Array.isArray(child) : !isObject(child)) {
        node[part] = wantsList ? [] : this.blankFor(path.slice(0, i + 1));
        if (!wantsList && !isObject(node[part])) node[part] = {};
      }
      node = node[part];
    }
    node[path[path.length - 1]] = value;
  }

  // --- drawing ------------------------------------------------------------------

  render(focus = null) {
    this.fields.clear();
    const children = [];
    const order = this.orderOf([]);
    const names = [...order.filter((n) => n === "learner"), ...order.filter((n) => n !== "learner")];
    for (const name of names) children.push(this.part(this.schema.properties[name], [name], 2));
    children.push(...this.unknownFields([], this.data, order));
    this.form.replaceChildren(...children.filter(Boolean));
    this.check();
    if (focus) this.restoreFocus(focus);
  }

  register(path, record) {
    this.fields.set(pathKey(path), record);
    record.element.dataset.path = pathKey(path);
    return record.element;
  }

  // One field or part of the worksheet, chosen by its schema.
  part(rawNode, path, level) {
    const node = resolve(this.schema, rawNode);
    const value = getAt(this.data, path);
    const name = path[path.length - 1];
    const label = rawNode.title ?? node.title ?? humanise(name);
    const help = helpFor(kindOf(node), rawNode.description ?? node.description ?? this.spec.help[patternOf(path)] ?? "");
    const kind = kindOf(node);
    if (kind === "const") return this.fixed(node, path, value);
    if ((kind === "object" || kind === "array") && value !== undefined && !fitsContainer(kind, value)) {
      return this.mismatch(path, label, help, value, kind);
    }
    if (kind === "object") return this.section(node, path, value ?? {}, label, help, level);
    if (kind === "array") return this.list(node, path, Array.isArray(value) ? value : [], label, help, level);
    return this.leaf(node, path, value, label, help, kind);
  }

  fixed(node, path, value) {
    if (deepEqual(value, node.const)) return null;
    const line = String(path[path.length - 1]); // "version": the line the file has, or lacks
    const error = h("p", { class: "wb-error", id: nextId("error") });
    const element = h("div", { class: "wb-problem-box" },
      h("p", {}, value === undefined
        ? `The file has no '${line}' line; it must say ${line}: ${JSON.stringify(node.const)}.`
        : `The file's '${line}' line must say ${line}: ${JSON.stringify(node.const)}, as in the blank worksheet.`),
      error,
      h("button", { type: "button", class: "md-button wb-button", "data-action": "reset", "data-target": pathKey(path) },
        "Put it back", hidden(` (${line})`)));
    return this.register(path, { element, error, label: line });
  }

  mismatch(path, label, help, value, kind) {
    const error = h("p", { class: "wb-error", id: nextId("error") });
    const element = h("div", { class: "wb-problem-box" },
      h("p", { class: "wb-part-title" }, label),
      help ? h("p", { class: "wb-help" }, help) : null,
      error,
      h("button", { type: "button", class: "md-button wb-button", "data-action": "reset", "data-target": pathKey(path) },
        "Start this part again", hidden(` (${label})`)));
    return this.register(path, { element, error, label });
  }

  section(node, path, value, label, help, level) {
    const error = h("p", { class: "wb-error", id: nextId("error") });
    const helpText = help ? h("p", { class: "wb-help" }, help) : null;
    const fieldset = h("fieldset", { class: `wb-section wb-level-${level}` },
      h("legend", {}, label), helpText, error);
    const order = Object.keys(node.properties ?? {});
    for (const name of order) fieldset.append(this.part(node.properties[name], [...path, name], level + 1) ?? "");
    append(fieldset, this.unknownFields(path, value, order));
    return this.register(path, { element: fieldset, error, label });
  }

  unknownFields(path, value, known) {
    if (!isObject(value)) return [];
    return Object.keys(value).filter((n) => !known.includes(n)).map((name) => {
      const where = `${path.length ? `${this.describe(path)}: ` : ""}the extra line '${name}'`;
      const error = h("p", { class: "wb-error", id: nextId("error") });
      const element = h("div", { class: "wb-problem-box" },
        h("p", { class: "wb-part-title" }, `${name}: `, h("q", {}, summarise(value[name]))),
        error,
        h("button", { type: "button", class: "md-button wb-button", "data-action": "remove-field", "data-target": pathKey([...path, name]) },
          "Remove it", hidden(` (${where})`)));
      return this.register([...path, name], { element, error, label: where });
    });
  }

  itemTitle(node) {
    const items = resolve(this.schema, node.items ?? {});
    return node.items?.title ?? items.title ?? null;
  }

  list(node, path, items, label, help, level) {
    const error = h("p", { class: "wb-error", id: nextId("error") });
    const title = this.itemTitle(node);
    const itemNode = resolve(this.schema, node.items ?? {});
    const structured = kindOf(itemNode) === "object";
    // A list of single answers explains its choices once, above the list, not per item.
    const choicesHelp = !structured && itemNode.description
      ? h("p", { class: "wb-help", id: nextId("help") }, itemNode.description) : null;
    const rows = h("ol", { class: `wb-items${structured ? "" : " wb-choices"}` });
    items.forEach((_, index) => rows.append(
      this.item(node, path, index, items.length, title, label, structured, choicesHelp?.id)));
    const full = node.maxItems !== undefined && items.length >= node.maxItems;
    const addText = title ? `Add ${article(title.toLowerCase())}` : `Add to ${label}`;
    // A long list is easier to get around folded: one line per item.
    const foldAll = structured && items.length >= 2 ? h("div", { class: "wb-fold-all", role: "group", "aria-label": `${label}: fold or unfold` },
      h("button", { type: "button", class: "md-button wb-button wb-tool", "data-action": "fold-all", "data-target": pathKey(path) },
        "Fold all", hidden(` ${label.toLowerCase()}`)),
      h("button", { type: "button", class: "md-button wb-button wb-tool", "data-action": "unfold-all", "data-target": pathKey(path) },
        "Unfold all", hidden(` ${label.toLowerCase()}`))) : null;
    const fieldset = h("fieldset", { class: `wb-section wb-list wb-level-${level}` },
      h("legend", {}, label),
      help ? h("p", { class: "wb-help" }, help) : null,
      choicesHelp, error, foldAll, rows,
      full ? null : h("button", { type: "button", class: "md-button wb-button wb-add", "data-action": "add", "data-target": pathKey(path) },
        `+ ${addText}`));
    return this.register(path, { element: fieldset, error, label });
  }

  // One list item with its Move up, Move down and Remove buttons. Remove is left out
  // at the list's minItems (a ranking, whose minItems is its maxItems, is reordered only).
  // An item with several answers folds to a one-line summary ("Contact 3: Aisha Bello
  // · AA: ...") that opens it again when pressed.
  item(node, path, index, count, title, listLabel, structured, helpId = null) {
    const itemPath = [...path, index];
    const name = title ? `${title} ${index + 1}` : `${listLabel}, item ${index + 1}`;
    const tools = h("div", { class: "wb-item-tools" },
      structured ? this.tool("fold", itemPath, "Fold", name) : null,
      index > 0 ? this.tool("up", itemPath, "Move up", name) : null,
      index < count - 1 ? this.tool("down", itemPath, "Move down", name) : null,
      node.minItems !== undefined && count <= node.minItems ? null
        : this.tool("remove", itemPath, "Remove", name));
    if (structured) {
      const itemNode = resolve(this.schema, node.items);
      const value = getAt(this.data, itemPath);
      if (!isObject(value)) {
        tools.firstChild.remove(); // nothing to fold
        return h("li", { class: "wb-item" }, this.mismatch(itemPath, name, "", value, "object"), tools);
      }
      const folded = this.isFolded(itemPath);
      const body = h("div", { class: "wb-item-body", id: nextId("item"), hidden: folded });
      const nameSpan = h("span", { class: "wb-item-name" });
      const mark = h("span", { class: "wb-item-mark", hidden: true });
      const toggle = h("button", {
        type: "button", class: "wb-fold", "data-action": "toggle", "data-target": pathKey(itemPath),
        "aria-expanded": folded ? "false" : "true", "aria-controls": body.id,
      }, h("span", { class: "wb-fold-icon", "aria-hidden": "true" }),
      h("span", { class: "wb-fold-text" }, h("strong", {}, name), ": ", nameSpan), mark);
      const error = h("p", { class: "wb-error", id: nextId("error") });
      const fieldset = h("fieldset", { class: "wb-section wb-item-fields", "data-folded": folded ? "true" : "false" },
        h("legend", {}, toggle), body);
      body.append(error);
      const order = Object.keys(itemNode.properties ?? {});
      for (const key of order) body.append(this.part(itemNode.properties[key], [...itemPath, key], 4) ?? "");
      append(body, this.unknownFields(itemPath, value, order));
      body.append(tools);
      this.register(itemPath, { element: fieldset, error, label: name, nameSpan, mark, toggle, body, itemNode });
      nameSpan.textContent = this.itemSummary(itemPath);
      return h("li", { class: "wb-item" }, fieldset);
    }
    const leaf = this.leaf(resolve(this.schema, node.items), itemPath, getAt(this.data, itemPath),
      "", "", kindOf(resolve(this.schema, node.items)), helpId);
    const record = this.fields.get(pathKey(itemPath));
    if (record?.labelElement) {
      record.labelElement.replaceChildren(hidden(`${listLabel}, item `), `${index + 1}.`);
    }
    return h("li", { class: "wb-item wb-choice" }, leaf, tools);
  }

  // The one line a folded item shows: its first text answer (a name), the label of
  // its first choice (a tier) and its first date, as far as they are filled in.
  itemSummary(itemPath) {
    const value = getAt(this.data, itemPath);
    const itemNode = resolve(this.schema, this.nodeAt(itemPath));
    if (!isObject(value)) return "";
    const parts = [];
    const entries = Object.entries(itemNode.properties ?? {}).map(([key, raw]) => [key, resolve(this.schema, raw)]);
    const text = entries.find(([, child]) => kindOf(child) === "text" && !isDateField(child));
    const choice = entries.find(([, child]) => kindOf(child) === "enum");
    const date = entries.find(([, child]) => isDateField(child));
    const said = (entry) => {
      const answer = entry ? value[entry[0]] : undefined;
      if (answer === undefined || answer === null || answer === "") return null;
      if (entry[1] && kindOf(entry[1]) === "enum") return labelOf(entry[1], answer) ?? summarise(answer);
      return summarise(answer);
    };
    for (const entry of [text, choice, date]) {
      const words = said(entry);
      if (words) parts.push(words);
    }
    return parts.length ? parts.join(" · ") : "not filled in yet";
  }

  isFolded(itemPath) {
    const list = this.folds[pathKey(itemPath.slice(0, -1))];
    return Array.isArray(list) && list[itemPath[itemPath.length - 1]] === true;
  }

  // Fold or unfold one drawn item in place (no redraw: the focus stays put).
  setFolded(itemPath, folded, { save = true } = {}) {
    const listKey = pathKey(itemPath.slice(0, -1));
    const index = itemPath[itemPath.length - 1];
    const list = Array.isArray(this.folds[listKey]) ? this.folds[listKey] : [];
    while (list.length <= index) list.push(false);
    list[index] = folded;
    this.folds[listKey] = list;
    const record = this.fields.get(pathKey(itemPath));
    if (record?.toggle) {
      record.body.hidden = folded;
      record.toggle.setAttribute("aria-expanded", folded ? "false" : "true");
      record.element.dataset.folded = folded ? "true" : "false";
    }
    if (save) this.save();
  }

  // Keep the folds in step with a list whose items moved: `change` edits the list's
  // array of folds the way the items were edited.
  // Call it before the items change.
  reshapeFolds(listPath, change) {
    const key = pathKey(listPath);
    const items = getAt(this.data, listPath);
    const length = Array.isArray(items) ? items.length : 0;
    const list = (Array.isArray(this.folds[key]) ? this.folds[key] : []).slice(0, length);
    while (list.length < length) list.push(false);
    change(list);
    this.folds[key] = list;
  }

  // "Move up", read out as "Move up: Contact 3".
  tool(action, path, text, name) {
    const symbol = { up: "↑", down: "↓", remove: "✕", fold: "▴" }[action];
    return h("button", { type: "button", class: "md-button wb-button wb-tool", "data-action": action, "data-target": pathKey(path) },
      // One span inside: a flex button would read its pieces out with gaps between.
      h("span", {}, h("span", { "aria-hidden": "true" }, `${symbol} `), text, hidden(`: ${name}`)));
  }

  leaf(node, path, value, label, help, kind, sharedHelpId = null) {
    const id = nextId("field");
    // The browser's date picker, when the answer is blank or a date it can show. Its
    // help says how to use it: the schema's "write it as YYYY-MM-DD" is about the file,
    // and the picker shows the date the way this device writes dates.
    const picker = isDateField(node) && (value === undefined || value === null || value === "" ||
      (typeof value === "string" && pickable(value)));
    if (picker) help = dateHelp(node);
    const helpId = help ? nextId("help") : sharedHelpId;
    const error = h("p", { class: "wb-error", id: nextId("error") });
    const describedBy = [helpId, error.id].filter(Boolean).join(" ");
    const common = { id, "data-kind": kind, "aria-describedby": describedBy, "data-control": pathKey(path) };
    let control;
    if (kind === "enum") {
      // The learner reads each choice's label; the file gets its value (the code).
      const choices = choicesOf(node);
      control = h("select", common, h("option", { value: "" }, "Choose…"));
      choices.forEach((choice) => control.append(h("option", { value: optionValue(choice.value) }, choice.label)));
      const at = choices.findIndex((choice) => deepEqual(choice.value, value));
      if (at >= 0) control.value = optionValue(choices[at].value);
      else if (value !== undefined && value !== "" && value !== null) {
        control.append(h("option", { value: CURRENT }, `${summarise(value)} (not one of the answers)`));
        control.value = CURRENT;
      } else control.value = "";
    } else if (kind === "boolean") {
      control = h("input", { type: "checkbox", ...common });
      control.checked = value === true;
    } else if (kind === "number") {
      const whole = types(node).includes("integer");
      control = h("input", { type: "text", inputmode: whole ? "numeric" : "decimal", autocomplete: "off", spellcheck: "false", ...common });
      control.value = typeof value === "number" || typeof value === "string" ? String(value) : "";
    } else if (picker) {
      // Its value is the same YYYY-MM-DD text the file holds. A date it cannot show
      // ("next Tuesday", 12/07/2026) keeps a text box, so the learner sees what the
      // file says and can put it right.
      control = h("input", { type: "date", ...common });
      control.value = typeof value === "string" ? value : "";
    } else {
      const long = (node.maxLength ?? 0) > LONG_TEXT || (typeof value === "string" && value.includes("\n"));
      control = long
        ? h("textarea", { rows: (node.maxLength ?? 0) >= 1000 ? 5 : 3, ...common })
        : h("input", { type: "text", ...common });
      control.value = typeof value === "string" ? value : "";
      if (path[0] === "learner" && ["name", "email"].includes(path[1])) {
        control.setAttribute("autocomplete", path[1] === "name" ? "name" : "email");
      }
    }
    const labelElement = h("label", { for: id }, label);
    const helpText = help ? h("p", { class: "wb-help", id: helpId }, help) : null;
    // Long answers show their length as it grows ("54 words, 310 of 2000 characters").
    const count = control.tagName === "TEXTAREA" ? h("p", { class: "wb-count", id: nextId("count") }) : null;
    if (count) {
      control.setAttribute("aria-describedby", `${describedBy} ${count.id}`);
      this.countText(count, control.value, node.maxLength);
    }
    const element = h("div", { class: `wb-field wb-${kind}` },
      kind === "boolean" ? [h("div", { class: "wb-check" }, control, labelElement), helpText]
        : [labelElement, helpText, control, count],
      error);
    return this.register(path, { element, control, error, label, labelElement, kind, node, count });
  }

  countText(element, text, most) {
    const words = text.trim() ? text.trim().split(/\s+/).length : 0;
    const characters = [...text].length;
    element.textContent = `${words} word${words === 1 ? "" : "s"}, ${characters}` +
      `${most ? ` of ${most}` : ""} characters`;
  }

  // --- checking -----------------------------------------------------------------

  shown(error) {
    if (this.showAll) return true;
    const key = pathKey(error.field);
    const prefix = key.slice(0, -1);
    for (const touched of this.touched) {
      if (touched === key || touched.startsWith(`${prefix},`)) return true;
    }
    return false;
  }

  // The element that shows a problem: its field, else the nearest drawn parent.
  recordFor(path) {
    for (let end = path.length; end >= 0; end--) {
      const record = this.fields.get(pathKey(path.slice(0, end)));
      if (record) return record;
    }
    return null;
  }

  check() {
    this.errors = validate(this.schema, this.data);
    for (const record of this.fields.values()) {
      record.error.textContent = "";
      record.error.hidden = true;
      delete record.element.dataset.invalid;
      record.control?.removeAttribute("aria-invalid");
    }
    const inItems = new Map(); // folded or not, how many shown problems each item holds
    for (const error of this.errors) {
      const record = this.recordFor(error.field);
      if (!record || !this.shown(error)) continue;
      record.error.hidden = false;
      record.error.textContent = record.error.textContent ? `${record.error.textContent} ${error.message}` : error.message;
      record.element.dataset.invalid = "true";
      record.control?.setAttribute("aria-invalid", "true");
      for (let end = error.field.length; end > 0; end--) {
        const item = this.fields.get(pathKey(error.field.slice(0, end)));
        if (item?.toggle) inItems.set(item, (inItems.get(item) ?? 0) + 1);
      }
    }
    // A folded item says it needs a fix, so nothing wrong hides behind a fold.
    for (const record of this.fields.values()) {
      if (!record.mark) continue;
      const count = inItems.get(record) ?? 0;
      record.mark.hidden = count === 0;
      record.mark.textContent = count ? ` · ${count} to fix` : "";
    }
    this.drawSummary();
    this.root.dispatchEvent(new CustomEvent("workbook:checked")); // the points preview listens
  }

  drawSummary() {
    const count = this.errors.length;
    this.root.dataset.problems = String(count);
    // Redraw only when something changed: a redraw while a button in the summary
    // is being pressed (focus leaving a field fires first) would swallow the click.
    const blanks = count ? [] : this.blanks();
    const signature = JSON.stringify([this.showAll, this.errors.map((e) => [e.where, e.message]),
      blanks.map((b) => b.key)]);
    if (signature === this.summarySignature) return;
    this.summarySignature = signature;
    if (!count) {
      this.summary.className = "wb-summary wb-summary--ok";
      if (!blanks.length) {
        this.summary.replaceChildren(h("p", {}, h("strong", {}, "Nothing to fix. "),
          "Every answer is filled in and the checker will accept this file: download the " +
          "worksheet and hand it in. (Your score depends on your answers; workbook check " +
          "previews it.)"));
        return;
      }
      // Valid is not finished: the schema lets answers be blank, the rubric does not.
      const list = h("ul", { class: "wb-notes" });
      for (const blank of blanks) {
        list.append(h("li", {}, h("a", { href: "#", "data-action": "jump", "data-target": blank.key },
          this.describe(blank.path)), blank.note ? `: ${blank.note}` : ""));
      }
      this.summary.replaceChildren(h("p", {}, h("strong", {}, "Nothing to fix: "),
        "the checker will accept this file. ", `${blanks.length} answer${blanks.length === 1 ? " is" : "s are"} ` +
        "still empty, which may cost points:"), list);
      return;
    }
    this.summary.className = "wb-summary";
    const heading = h("p", {}, h("strong", {}, `${count} thing${count === 1 ? "" : "s"} to fill in or fix`),
      " before the checker accepts this worksheet.");
    if (!this.showAll) {
      this.summary.replaceChildren(heading, h("button", { type: "button", class: "md-button wb-button", "data-action": "show-all" }, "Show what to fix"));
      return;
    }
    const list = h("ul", {});
    const dash = "–";
    this.positions = new Map([...this.form.querySelectorAll("[data-path]")].map((el, i) => [el, i]));
    const ordered = [...this.errors].sort((a, b) => this.order(a) - this.order(b));
    for (const error of ordered) {
      const record = this.recordFor(error.field);
      const target = record?.control ?? record?.element;
      list.append(h("li", {}, h("a", { href: target?.id ? `#${target.id}` : "#", "data-action": "jump", "data-target": pathKey(error.field) },
        this.describe(error.field)), ` ${dash} ${error.message}`));
    }
    this.summary.replaceChildren(heading, list);
  }

  // Answers still blank, and rankings still in the blank worksheet's order.
  blanks() {
    const found = [];
    const walk = (path) => {
      const node = this.nodeAt(path);
      const value = getAt(this.data, path);
      const kind = kindOf(node);
      if (kind === "object" && isObject(value)) {
        for (const name of Object.keys(node.properties ?? {})) walk([...path, name]);
      } else if (kind === "array" && Array.isArray(value)) {
        const ranking = node.minItems !== undefined && node.minItems === node.maxItems && node.uniqueItems;
        if (ranking && deepEqual(value, getAt(this.spec.template, path))) {
          found.push({ path, key: pathKey(path), note: "still in its starting order" });
        } else if (kindOf(resolve(this.schema, node.items ?? {})) === "object") {
          value.forEach((_, i) => walk([...path, i]));
        }
      } else if (["text", "number"].includes(kind) && (value === null || value === undefined ||
        (typeof value === "string" && !value.trim()))) {
        found.push({ path, key: pathKey(path), note: "" });
      }
    };
    for (const name of this.orderOf([])) if (!ENVELOPE.has(name)) walk([name]);
    return found;
  }

  order(error) {
    const record = this.recordFor(error.field);
    if (!record) return -1;
    return this.positions.get(record.element) ?? -1;
  }

  // The field as a person would name it: "Contact 3 (Aisha Bello): next action",
  // "About you: email", "Your contacts". Never a path: a learner who has not seen
  // YAML reads contacts[3].next_action as code.
  describe(path) {
    const groups = [];
    path.forEach((part, i) => {
      const node = this.nodeAt(path.slice(0, i + 1));
      if (typeof part === "number") {
        const listNode = this.nodeAt(path.slice(0, i));
        const title = this.itemTitle(listNode);
        const value = getAt(this.data, path.slice(0, i + 1));
        const key = firstTextKey(resolve(this.schema, listNode.items ?? {}));
        const name = key && isObject(value) && typeof value[key] === "string" && value[key].trim()
          ? ` (${summarise(value[key], 40)})` : "";
        if (title) groups.push(`${title} ${part + 1}${name}`);
        else groups.push(`${groups.pop() ?? "List"}, item ${part + 1}`);
      } else if (!(typeof path[i + 1] === "number" && this.itemTitle(node))) {
        // A list whose items have a title is named by the item ("Contact 3").
        const words = node.title ?? humanise(part);
        groups.push(groups.length ? lower(words) : words);
      }
    });
    return groups.join(": ") || "The worksheet";
  }

  // --- editing ------------------------------------------------------------------

  readControl(control) {
    const kind = control.dataset.kind;
    const record = this.fields.get(control.dataset.control);
    if (kind === "boolean") return control.checked;
    if (kind === "enum") {
      if (control.value === "") return "";
      const choice = choicesOf(record.node).find((c) => optionValue(c.value) === control.value);
      if (!choice) return getAt(this.data, JSON.parse(control.dataset.control)); // the file's own answer
      return clone(choice.value);
    }
    if (kind === "number") {
      // Read as an unquoted YAML answer is: 12 is a number, blank is nothing,
      // "12 hours" stays text (and the checker says a number is wanted).
      const text = control.value.trim();
      if (!text) return null;
      const value = resolvePlain(text);
      return typeof value === "number" ? value : text;
    }
    return control.value;
  }

  onEdit(event) {
    const control = event.target;
    if (!control.dataset?.control) return;
    const path = JSON.parse(control.dataset.control);
    const value = this.readControl(control);
    this.swapIfRanked(path, value);
    this.setAt(path, value);
    this.touched.add(pathKey(path));
    const record = this.fields.get(pathKey(path));
    if (record?.count) this.countText(record.count, control.value, record.node.maxLength);
    const item = this.fields.get(pathKey(path.slice(0, -1)));
    if (item?.nameSpan) item.nameSpan.textContent = this.itemSummary(path.slice(0, -1));
    this.check();
    this.save();
  }

  // In a list whose choices may each appear once (a ranking), choosing one already
  // used elsewhere swaps the two places, so nothing is lost or listed twice.
  swapIfRanked(path, value) {
    const index = path[path.length - 1];
    if (typeof index !== "number" || value === "") return;
    const listPath = path.slice(0, -1);
    const items = getAt(this.data, listPath);
    if (!this.nodeAt(listPath).uniqueItems || !Array.isArray(items)) return;
    const other = items.findIndex((item, i) => i !== index && deepEqual(item, value));
    if (other < 0) return;
    const previous = items[index];
    items[other] = previous;
    const control = this.fields.get(pathKey([...listPath, other]))?.control;
    const itemNode = resolve(this.schema, this.nodeAt([...listPath, other]));
    const known = choicesOf(itemNode).some((choice) => deepEqual(choice.value, previous));
    if (control) control.value = known ? optionValue(previous) : "";
    this.touched.add(pathKey([...listPath, other]));
    const words = (answer) => labelOf(itemNode, answer) ?? summarise(answer);
    const moved = summarise(previous) ? `'${words(previous)}'` : "an empty choice";
    this.say(`Swapped: '${words(value)}' is now in place ${index + 1}, and ${moved} in place ${other + 1}.`);
  }

  onLeave(event) {
    const control = event.target;
    if (!control.dataset?.control) return;
    const key = control.dataset.control;
    if (!this.touched.has(key)) {
      this.touched.add(key);
      this.check();
      this.save(); // so a field left empty is still marked after a reload
    }
  }

  save() {
    // One formatter for the page: toLocaleString() builds a new one at every keystroke.
    SAVED_AT ??= new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
    const when = SAVED_AT.format(new Date());
    const entry = { data: this.data, touched: [...this.touched], showAll: this.showAll, folds: this.folds, savedAt: when };
    if (this.storage.save(entry)) {
      this.saved.textContent = `Your answers were saved in this browser, ${when}.`;
    } else {
      this.saved.textContent = "This browser does not let the page save your answers: download " +
        "the worksheet before you leave, or they are lost.";
    }
  }

  onClick(event) {
    const trigger = event.target.closest("[data-action]");
    if (!trigger || !this.root.contains(trigger)) return;
    const action = trigger.dataset.action;
    const target = trigger.dataset.target ? JSON.parse(trigger.dataset.target) : null;
    if (action === "jump") {
      event.preventDefault();
      this.focusPath(target);
      return;
    }
    const handlers = {
      download: () => this.download(),
      open: () => this.fileInput.click(),
      "reset-all": () => this.startOver(),
      "show-all": () => { this.showAll = true; this.check(); this.summary.focus(); },
      add: () => this.addItem(target),
      remove: () => this.removeItem(target),
      up: () => this.moveItem(target, -1),
      toggle: () => this.setFolded(target, !this.isFolded(target)),
      fold: () => this.foldFromInside(target),
      "fold-all": () => this.foldAll(target, true),
      "unfold-all": () => this.foldAll(target, false),
      down: () => this.moveItem(target, 1),
      reset: () => this.resetPart(target),
      "remove-field": () => this.removeField(target),
      "aside-download": () => this.downloadSetAside(),
      "aside-delete": () => this.deleteSetAside(),
    };
    handlers[action]?.();
  }

  focusPath(path) {
    const record = this.recordFor(path);
    // A field inside a folded item is shown first: a problem is never behind a fold.
    for (let end = path.length; end > 0; end--) {
      const item = this.fields.get(pathKey(path.slice(0, end)));
      if (item?.toggle && item.body.hidden) this.setFolded(path.slice(0, end), false);
    }
    const within = record?.body ?? record?.element;
    const target = record?.control ?? within?.querySelector("[data-control]") ??
      within?.querySelector("input, select, textarea, button") ?? record?.element;
    if (!target) return;
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  }

  // The Fold button at the foot of an open item: the focus goes to the item's summary
  // line, which is where the learner's eye goes too.
  foldFromInside(itemPath) {
    this.setFolded(itemPath, true);
    const toggle = this.fields.get(pathKey(itemPath))?.toggle;
    if (toggle) {
      toggle.focus({ preventScroll: true });
      toggle.scrollIntoView({ block: "nearest" });
    }
    this.say(`${this.describe(itemPath)} folded.`);
  }

  foldAll(listPath, folded) {
    const items = getAt(this.data, listPath);
    if (!Array.isArray(items)) return;
    items.forEach((_, i) => this.setFolded([...listPath, i], folded, { save: false }));
    this.save();
    const label = this.describe(listPath);
    this.say(`${label}: all ${items.length} ${folded ? "folded" : "unfolded"}.`);
  }

  restoreFocus({ path, action }) {
    const key = pathKey(path);
    const button = action && [...this.form.querySelectorAll(`[data-action="${action}"]`)]
      .find((b) => b.dataset.target === key);
    if (button && !button.closest("[hidden]")) {
      button.focus();
      return;
    }
    // The item's own button is folded away: its summary line takes the focus.
    const toggle = this.fields.get(key)?.toggle;
    if (button && toggle) {
      toggle.focus();
      return;
    }
    this.focusPath(path);
  }

  changed(path, focus, message) {
    this.touched.add(pathKey(path));
    this.render(focus);
    this.save();
    if (message) this.say(message);
  }

  addItem(path) {
    const list = getAt(this.data, path);
    const items = Array.isArray(list) ? list : [];
    if (!Array.isArray(list)) this.setAt(path, items);
    const itemPath = [...path, items.length];
    // Items already filled in and with nothing to fix fold away, so the new one is
    // close to the others' one-line summaries rather than screens below them.
    const problems = validate(this.schema, this.data).map((e) => pathKey(e.field));
    const finished = (value, i) => isObject(value) && this.itemSummary([...path, i]) !== "not filled in yet" &&
      !problems.some((key) => key.startsWith(pathKey([...path, i]).slice(0, -1)));
    let autoFolded = 0;
    this.reshapeFolds(path, (folds) => {
      items.forEach((value, i) => {
        if (!folds[i] && finished(value, i)) [folds[i], autoFolded] = [true, autoFolded + 1];
      });
      folds.push(false);
    });
    items.push(this.blankFor(itemPath));
    const node = this.nodeAt(path);
    const title = this.itemTitle(node) ?? "Item";
    const note = autoFolded ? ` The ${autoFolded === 1 ? "one" : `${autoFolded}`} above ` +
      `${autoFolded === 1 ? "is" : "are"} folded: press ${autoFolded === 1 ? "its" : "a"} summary line to open it again.` : "";
    this.changed(path, { path: itemPath }, `${title} ${items.length} added.${note}`);
  }

  removeItem(itemPath) {
    const path = itemPath.slice(0, -1);
    const index = itemPath[itemPath.length - 1];
    const items = getAt(this.data, path);
    const title = this.itemTitle(this.nodeAt(path)) ?? "Item";
    const gone = this.itemName(items[index], title, index, this.nodeAt(itemPath));
    this.reshapeFolds(path, (folds) => folds.splice(index, 1));
    items.splice(index, 1);
    const next = items.length ? { path: [...path, Math.min(index, items.length - 1)], action: "remove" } : { path, action: "add" };
    this.changed(path, next, `${gone} removed.`);
  }

  moveItem(itemPath, step) {
    const path = itemPath.slice(0, -1);
    const index = itemPath[itemPath.length - 1];
    const items = getAt(this.data, path);
    const to = index + step;
    if (to < 0 || to >= items.length) return;
    this.reshapeFolds(path, (folds) => { [folds[index], folds[to]] = [folds[to], folds[index]]; });
    [items[index], items[to]] = [items[to], items[index]];
    const title = this.itemTitle(this.nodeAt(path)) ?? "Item";
    // Keep the focus on the same button of the moved item, or its other one at an end.
    let action = step < 0 ? "up" : "down";
    if ((to === 0 && action === "up") || (to === items.length - 1 && action === "down")) {
      action = action === "up" ? "down" : "up";
    }
    this.changed(path, { path: [...path, to], action },
      `${this.itemName(items[to], title, index, this.nodeAt([...path, to]))} moved to position ${to + 1} of ${items.length}.`);
  }

  // How a status message names an item: its choice's label ("Callback files"), or
  // its title and place with its first answer ("Contact 2, Grace Okafor").
  itemName(value, title, index, node) {
    if (typeof value === "string" && value) return `'${labelOf(node, value) ?? value}'`;
    const first = isObject(value) ? Object.values(value).find((v) => typeof v === "string" && v.trim()) : null;
    return `${title} ${index + 1}${first ? `, ${summarise(first)}` : ""}`;
  }

  resetPart(path) {
    this.setAt(path, this.blankFor(path));
    this.changed(path, { path }, `${this.describe(path)} started again.`);
  }

  removeField(path) {
    const parent = path.length > 1 ? getAt(this.data, path.slice(0, -1)) : this.data;
    delete parent[path[path.length - 1]];
    this.changed(path.slice(0, -1), { path: path.slice(0, -1) }, `The extra line '${path[path.length - 1]}' removed.`);
  }

  // --- whole worksheets: start over, download, open ------------------------------

  startOver() {
    const question = "Start over? This clears your answers from this browser. Download the " +
      "worksheet first if you want to keep them.";
    if (!deepEqual(this.data, this.spec.template) && !window.confirm(question)) return;
    this.data = clone(this.spec.template);
    this.touched.clear();
    this.showAll = false;
    this.folds = {};
    this.storage.clear();
    this.warn("");
    this.render();
    this.saved.textContent = "";
    this.say("The form is blank again; nothing is saved in this browser.");
    this.form.querySelector("input, select, textarea")?.focus();
  }

  yaml() {
    return toYaml(this.data, { header: this.spec.header, orderOf: (path) => this.orderOf(path) });
  }

  download() {
    const name = `${this.spec.exercise}.yaml`;
    offer(new Blob([this.yaml()], { type: "application/yaml" }), name);
    this.showAll = true;
    this.check();
    const left = this.errors.length;
    this.say(left ? `Downloaded ${name}. It still has ${left} thing${left === 1 ? "" : "s"} to fix, listed above; ` +
      "workbook check will list them too." : `Downloaded ${name}: ready to hand in.`);
  }

  async openChosenFile() {
    const file = this.fileInput.files?.[0];
    this.fileInput.value = "";
    if (!file) return;
    if (file.size > 100000) {
      // Reading a large file takes a moment on a phone; say so before it starts.
      this.status.textContent = `Reading ${file.name}…`;
      await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    this.open(bytes, file.name);
  }

  // A file that cannot be opened: what it is first ("This is a Word document, not a
  // text file."), then what to do, in the words workbook check uses (web/form/slips.js,
  // workbook/slips.py, workbook/checking.py).
  refuse(name, { line, column, message, hint }) {
    const where = line ? ` (line ${line}${column ? `, column ${column}` : ""})` : "";
    this.status.textContent = "";
    this.warn([h("p", {}, h("strong", {}, `${name} could not be opened${where}. `), message),
      hint ? h("p", {}, h("strong", {}, "What to do: "), hint) : null,
      h("p", { class: "wb-help" }, "Your answers in the form are as they were. " +
        "workbook check shows the same problem in the file.")].filter(Boolean));
  }

  open(bytes, name) {
    // Counts every attempt, so a test (or a person's script) can wait for the outcome.
    this.root.dataset.opened = String(Number(this.root.dataset.opened ?? 0) + 1);
    const read = readWorksheet(bytes);
    if (read.problem) {
      this.refuse(name, read.problem);
      return;
    }
    const named = read.data.exercise;
    if (named !== this.spec.exercise) {
      const other = typeof named === "string" ? this.spec.exercises[named] : undefined;
      this.status.textContent = "";
      this.warn([h("p", {}, h("strong", {}, `${name} is not this exercise's worksheet. `),
        other ? [`It is the worksheet for "${other.title}": `, h("a", { href: other.url }, `open it on that exercise's page`), "."]
          : `It says exercise: ${summarise(named ?? "(nothing)")}; this page is "${this.spec.title}" (${this.spec.exercise}).`),
      h("p", {}, "Your answers in the form are as they were.")]);
      return;
    }
    // Far more than the worksheet allows is refused before anything is drawn (bounds.js).
    const big = tooBigToDraw(this.schema, read.data);
    if (big) {
      this.refuse(name, { line: null, column: null, ...read.at(big.path), message: big.message, hint: big.hint });
      return;
    }
    const data = this.giveBackText(read.data, read.raw);
    if (!deepEqual(this.data, this.spec.template) && !deepEqual(this.data, data) &&
      !window.confirm(`Replace the answers in the form with those in ${name}?`)) return;
    this.data = data;
    this.warn("");
    this.showAll = true;
    this.folds = this.foldsForOpened(data);
    this.render();
    this.save();
    const left = this.errors.length;
    this.say(`Opened ${name}. ${left ? `${left} thing${left === 1 ? "" : "s"} to fix, listed above.` : "Nothing to fix."}`);
    this.summary.focus();
  }

  // A file just opened shows its long lists (more than 3 items) folded, one line per
  // item; an item with something to fix says so on its line.
  foldsForOpened(data) {
    const folds = {};
    const walk = (path) => {
      const node = this.nodeAt(path);
      const value = getAt(data, path);
      if (kindOf(node) === "object" && isObject(value)) {
        for (const name of Object.keys(node.properties ?? {})) walk([...path, name]);
      } else if (kindOf(node) === "array" && Array.isArray(value) &&
        kindOf(resolve(this.schema, node.items ?? {})) === "object") {
        folds[pathKey(path)] = value.map(() => value.length > 3);
        value.forEach((_, i) => walk([...path, i]));
      }
    };
    walk([]);
    return folds;
  }

  // Where the schema wants text and the file had an unquoted 1.10 or 12, the text
  // as written is the answer, exactly as workbook/checking.py decides.
  giveBackText(data, raw) {
    const out = clone(data);
    const fixes = validate(this.schema, out).filter((e) => e.keyword === "type" &&
      e.expected?.includes("string") && raw.has(pathKey(e.path)));
    if (!fixes.length) return out;
    for (const error of fixes) {
      const parent = error.path.length > 1 ? getAt(out, error.path.slice(0, -1)) : out;
      parent[error.path[error.path.length - 1]] = raw.get(pathKey(error.path));
    }
    return out;
  }
}

// Hand the reader a file made here, through a link the browser downloads.
function offer(blob, name) {
  const link = h("a", { href: URL.createObjectURL(blob), download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

function fitsContainer(kind, value) {
  return kind === "object" ? isObject(value) : Array.isArray(value);
}

function firstTextKey(itemNode) {
  return Object.entries(itemNode.properties ?? {}).find(([, child]) => kindOf(child) === "text")?.[0] ?? null;
}

function summarise(value, width = 60) {
  return shorten(typeof value === "string" ? value : JSON.stringify(value), width);
}
