// Dated steps as a calendar file, in the browser: the form's "Add to my calendar"
// download, the same events `workbook agenda --ics` writes (workbook/agenda.py).
//
// Which lists hold dated steps, and which field names each step, comes from the
// exercise's rubric (`calendar:`), passed in the form's description. The file is
// RFC 5545 iCalendar: CRLF lines folded at 75 octets, text escaped, one all-day
// event per step. Built here, downloaded from memory: nothing is sent anywhere.

const PRODID = "-//Networking Workbook//workbook agenda//EN";

function at(data, dotted) {
  let node = data;
  for (const part of dotted.split(".")) {
    if (node === null || typeof node !== "object" || Array.isArray(node)) return undefined;
    node = node[part];
  }
  return node;
}

function text(value) {
  if (value === null || value === undefined || typeof value === "object") return "";
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value).split(/\s+/u).filter(Boolean).join(" ");
}

function label(field) {
  const words = field.split(".").pop().replace(/[_-]/g, " ");
  return words.slice(0, 1).toUpperCase() + words.slice(1);
}

// A real YYYY-MM-DD date (2026-02-30 is not one), or null.
export function parseDate(value) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day && year >= 1;
  return real ? value : null;
}

// Every dated step of the worksheet, ordered by date, then by where it comes from.
export function datedSteps(data, sources, exercise, source) {
  const steps = [];
  for (const where of sources ?? []) {
    const items = at(data, where.list);
    if (!Array.isArray(items)) continue;
    items.forEach((item, index) => {
      if (item === null || typeof item !== "object" || Array.isArray(item)) return;
      const date = parseDate(text(item[where.date]));
      let summary = text(at(item, where.summary));
      if (!date || !summary) return;
      if (where.label) summary = `${where.label} ${summary}`;
      const details = (where.details ?? [])
        .map((field) => [label(field), text(at(item, field))])
        .filter(([, value]) => value);
      steps.push({ date, source, exercise, position: `${where.list}[${index + 1}]`,
        summary, details });
    });
  }
  const key = (s) => [s.date, s.source, s.exercise, s.position, s.summary].join("\u0000");
  return steps.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function escapeText(value) {
  return value.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,")
    .replace(/\r?\n/g, "\\n");
}

// Lines longer than 75 octets continue on the next line after a space (RFC 5545
// 3.1), never splitting a UTF-8 character.
function fold(line) {
  const encoder = new TextEncoder();
  const parts = [];
  let current = "";
  let size = 0;
  for (const char of line) {
    const width = encoder.encode(char).length;
    const limit = parts.length ? 74 : 75;
    if (size + width > limit) {
      parts.push(current);
      current = "";
      size = 0;
    }
    current += char;
    size += width;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

const compact = (date) => date.replace(/-/g, "");

function nextDay(date) {
  const [year, month, day] = date.split("-").map(Number);
  return new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
}

async function uid(step) {
  const fields = [step.source, step.exercise, step.position, step.date, step.summary];
  const bytes = new TextEncoder().encode(fields.join("\u001f"));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 24)}@networking-workbook`;
}

// The calendar's text. Same rules as workbook/agenda.py: all-day events, a UID
// that depends only on the step, DTSTAMP from the latest step's date (not the
// clock), so the same worksheet always gives the same file.
export async function toIcs(steps, title) {
  const stamp = steps.length ? compact(steps[steps.length - 1].date) : "20000101";
  const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", `PRODID:${PRODID}`, "CALSCALE:GREGORIAN",
    "X-WR-CALNAME:Networking Workbook steps"];
  for (const step of steps) {
    const description = [...step.details.map(([name, value]) => `${name}: ${value}`),
      `From: ${title}, ${step.position} (${step.source})`].join("\n");
    lines.push("BEGIN:VEVENT", `UID:${await uid(step)}`, `DTSTAMP:${stamp}T000000Z`,
      `DTSTART;VALUE=DATE:${compact(step.date)}`,
      `DTEND;VALUE=DATE:${compact(nextDay(step.date))}`,
      `SUMMARY:${escapeText(step.summary)}`, `DESCRIPTION:${escapeText(description)}`,
      "TRANSP:TRANSPARENT", "END:VEVENT");
  }
  lines.push("END:VCALENDAR");
  return lines.map(fold).join("\r\n") + "\r\n";
}
