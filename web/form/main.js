// Entry point of assets/worksheet-form.js, loaded only by the exercise pages.
// Each page carries its form's description as JSON (written at build time by
// workbook/sitegen.py's form_spec()) and an element to draw the form into.

import { WorksheetForm } from "./form.js";
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

mount();
