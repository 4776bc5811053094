// Entry point of assets/worksheet-form.js, loaded only by the exercise pages.
// Each page carries its form's description as JSON (written at build time by
// workbook/sitegen.py's form_spec()) and an element to draw the form into.

import { datedSteps, toIcs } from "./calendar.js";
import { WorksheetForm } from "./form.js";
import { mountPreview } from "./preview.js";
import { SchemaError, assertSubset } from "./schema.js";
import { storeFor } from "./store.js";
import { readWorksheet } from "./yaml-read.js";
import { toYaml } from "./yaml-write.js";

function mount() {
  const specElement = document.getElementById("workbook-form-spec");
  const root = document.querySelector("[data-workbook-form]");
  if (!specElement || !root) return;
  const spec = JSON.parse(specElement.textContent);
  try {
    assertSubset(spec.schema);
  } catch (error) {
    if (!(error instanceof SchemaError)) throw error;
    root.dataset.state = "broken";
    root.textContent = "This exercise's schema uses something the form cannot draw " +
      `(${error.message}). Download the worksheet and fill it in with a text editor instead.`;
    console.error(`worksheet form: ${error.message}`);
    return;
  }
  window.workbookForm = new WorksheetForm(root, spec, storeFor(spec.exercise));
  // "What earns points" (the rubric scored live, above the form: preview.js) and the
  // calendar button come in a task of their own: one long task on a phone's CPU
  // blocks a reader's first tap, and Lighthouse counts it (README: Lighthouse).
  setTimeout(() => {
    window.workbookPreview = mountPreview(root, window.workbookForm, spec);
    mountCalendar(root, window.workbookForm, spec);
  }, 0);
}

// "Add my dated steps to a calendar": the worksheet's dated steps (spec.calendar says
// which lists hold them) as an .ics file made in the browser, the same events
// `workbook agenda --ics` writes. Shown only for exercises that have dated steps.
function mountCalendar(root, form, spec) {
  if (!spec.calendar?.length) return;
  const box = document.createElement("div");
  box.className = "wb-calendar";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "md-button wb-calendar-button";
  button.textContent = "Add my dated steps to a calendar (.ics)";
  const status = document.createElement("p");
  status.className = "wb-calendar-status";
  status.setAttribute("aria-live", "polite");
  box.append(button, status);
  root.after(box);
  const source = `${spec.exercise}.yaml`;
  const steps = () => datedSteps(form.data, spec.calendar, spec.exercise, source);
  const update = () => {
    const count = steps().length;
    button.disabled = count === 0;
    status.textContent = count === 0
      ? "Give a step a date (the date box) and it can go in your calendar."
      : `${count} dated step${count === 1 ? "" : "s"}: each becomes an all-day reminder ` +
        "on its date. The file is made on this device; nothing is sent anywhere.";
  };
  button.addEventListener("click", async () => {
    const text = await toIcs(steps(), spec.title);
    const url = URL.createObjectURL(new Blob([text], { type: "text/calendar" }));
    const link = Object.assign(document.createElement("a"),
      { href: url, download: `${spec.exercise}-steps.ics` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  });
  root.addEventListener("workbook:checked", update);
  root.addEventListener("input", update);
  update();
}

// The pure parts, for tests and the curious: text -> data and data -> text, by the
// same code the form uses.
window.workbookYaml = {
  read: (text) => {
    const result = readWorksheet(new TextEncoder().encode(text));
    return result.problem ? { problem: result.problem } : { data: result.data, raw: Object.fromEntries(result.raw) };
  },
  write: (data, header = []) => toYaml(data, { header }),
};

// In a task after the script's own evaluation, for the same reason as above. The
// script itself is fetched only when the reader nears the form (web/form/loader.js).
setTimeout(mount, 0);
