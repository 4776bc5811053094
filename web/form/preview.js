// "What earns points": the panel above the form that scores the answers as they
// are typed, criterion by criterion, with the numbers `workbook check` would print
// (web/form/criteria/ works them out; tests/test_preview.py holds them equal).
//
// Criteria the site cannot score (compared with an answer key, or read by a
// person) say what the instructor looks for instead. When the form has nothing
// left to fix, its summary also says what the file would earn now and which parts
// lose points, so "the checker will accept this file" is never the whole story.
//
// The panel reads the form's answers (form.data) after every check the form makes
// (its "workbook:checked" event) and after any input, and redraws only when the
// outcome changed. It is a <details> block: on a phone it starts folded to one
// line with the running total, and it is never fixed over the fields.

import { h } from "./dom.js";
import { g, plainNames, previewScore } from "./criteria/index.js";

const CHECKED = "workbook:checked";
const NARROW = "(max-width: 44.984375em)"; // Material's phone breakpoint

const STYLE = `
.wb-preview { margin: 1em 0; }
.wb-preview > summary { min-height: 44px; display: flex; flex-wrap: wrap; align-items: center;
  gap: 0 .6em; cursor: pointer; }
.wb-preview-total { font-weight: normal; }
.wb-preview-verdict { margin: .6em 0; }
.md-typeset .wb-preview .wb-criteria { list-style: none; margin: .4em 0 .8em; padding: 0; }
.md-typeset .wb-preview .wb-criteria > li { margin: 0; padding: .55em 0;
  border-top: 1px solid var(--md-default-fg-color--lightest); }
.wb-criterion-head { display: flex; justify-content: space-between; gap: 1em; align-items: baseline; }
.wb-criterion-title { font-weight: 700; }
.wb-criterion-points { white-space: nowrap; font-variant-numeric: tabular-nums; }
.wb-criterion-state { display: inline-block; margin-left: .4em; padding: 0 .4em; border-radius: .2em;
  font-size: .85em; font-weight: 700; background: var(--md-default-fg-color--lightest); }
.wb-criteria > li[data-status="pass"] .wb-criterion-state { background: #d7f3df; color: #14532d; }
.wb-criteria > li[data-status="fail"] .wb-criterion-state { background: #fde2e1; color: #7f1d1d; }
.wb-criteria > li[data-status="partial"] .wb-criterion-state { background: #fdf1c7; color: #6b4e00; }
.wb-criteria p, .wb-criteria ul { margin: .25em 0; }
.md-typeset .wb-preview .wb-criterion-notes { margin: .25em 0 .25em .2em; }
.md-typeset .wb-preview .wb-criterion-notes li { margin: 0 0 0 1.1em; }
.wb-criterion-about { color: var(--md-default-fg-color--light); }
.wb-summary-score { margin-top: .5em; }
`;

const STATE = { pass: "full marks", partial: "part", fail: "not yet", later: "scored later" };

function injectStyle() {
  if (document.getElementById("wb-preview-style")) return;
  document.head.append(h("style", { id: "wb-preview-style" }, STYLE));
}

function withoutLearner(data) {
  if (data === null || typeof data !== "object" || Array.isArray(data)) return data;
  const { learner, ...rest } = data;
  return rest;
}

const lost = (result) => (result.points === null ? -1 : result.max - result.points);

export class PointsPreview {
  constructor(root, form, spec) {
    this.root = root;
    this.form = form;
    this.spec = spec;
    this.rubric = spec.rubric;
    this.byId = new Map(this.rubric.criteria.map((c) => [c.id, c]));
    this.names = plainNames(spec.schema);
    this.blank = JSON.stringify(withoutLearner(spec.template));
    this.signature = "";
    injectStyle();
    this.total = h("span", { class: "wb-preview-total" });
    this.verdict = h("p", { class: "wb-preview-verdict" });
    this.list = h("ol", { class: "wb-criteria" });
    const narrow = window.matchMedia?.(NARROW).matches ?? false;
    this.panel = h("details", { class: "wb-preview abstract", id: "wb-preview", open: !narrow },
      h("summary", {}, h("span", { class: "wb-preview-title" }, "What earns points:"), this.total),
      this.verdict, this.list,
      h("p", { class: "wb-preview-note" }, "Worked out in this browser the way workbook check " +
        "works it out. Nothing is sent anywhere."));
    this.scoreLine = h("p", { class: "wb-summary-score" });
    root.before(this.panel);
    let queued = false;
    const soon = () => {
      if (queued) return;
      queued = true;
      window.setTimeout(() => { queued = false; this.update(); }, 0);
    };
    root.addEventListener(CHECKED, () => this.update());
    for (const type of ["input", "change", "click"]) root.addEventListener(type, soon);
    this.update();
  }

  update() {
    const data = this.form.data;
    const problems = Number(this.root.dataset.problems ?? this.form.errors?.length ?? 0);
    const blank = JSON.stringify(withoutLearner(data)) === this.blank;
    const result = previewScore(this.rubric, data, this.names);
    const signature = JSON.stringify([problems, blank, result]);
    if (signature !== this.signature) {
      this.signature = signature;
      this.draw(result, problems, blank);
    }
    this.placeScoreLine(result, problems, blank);
  }

  draw(result, problems, blank) {
    const { points, previewed, later, max } = result;
    this.panel.dataset.points = String(points);
    this.panel.dataset.max = String(max);
    this.panel.dataset.later = String(later);
    this.total.textContent = blank ? `nothing filled in yet, ${g(max)} points to earn`
      : `${g(points)} of ${g(max)} points so far`;
    this.verdict.replaceChildren(...this.verdictText(result, problems, blank));
    const ordered = [...result.criteria].sort((a, b) => lost(b) - lost(a));
    this.list.replaceChildren(...ordered.map((r) => this.item(r, blank)));
    this.previewed = previewed;
  }

  verdictText({ points, later, max }, problems, blank) {
    const laterText = later ? ` The other ${g(later)} are scored when your file is marked.` : "";
    if (blank) {
      return [`Each part below says what earns its points. Fill in the form and the numbers move as you type.${laterText}`];
    }
    if (problems) {
      return [h("strong", {}, `${problems} thing${problems === 1 ? "" : "s"} to fix first: `),
        "the checker scores only a file it accepts. With your answers as they stand, they would " +
        `earn ${g(points)} of ${g(max)} points.${laterText}`];
    }
    return [h("strong", {}, "The checker will accept this file. "),
      `It would earn ${g(points)} of ${g(max)} points now.${laterText}`];
  }

  // One criterion: title, state and points, then where the answers stand; for a part
  // not yet full, what earns it. A blank worksheet has no score yet, only points to earn.
  item(result, blank) {
    const criterion = this.byId.get(result.id);
    const scored = result.points !== null && !blank;
    const points = scored ? `${g(result.points)} / ${g(result.max)}` : `${g(result.max)} points`;
    const li = h("li", { "data-criterion": result.id, "data-status": blank ? "blank" : result.status,
      "data-points": scored ? String(result.points) : "" },
    h("div", { class: "wb-criterion-head" },
      h("span", {}, h("span", { class: "wb-criterion-title" }, criterion.title),
        blank ? null : h("span", { class: "wb-criterion-state" }, STATE[result.status])),
      h("span", { class: "wb-criterion-points" }, points)));
    if (blank && result.points !== null) {
      li.append(h("p", { class: "wb-criterion-about" }, criterion.description));
      return li;
    }
    if (result.points === null) {
      li.append(h("p", { class: "wb-criterion-about" }, criterion.description));
      li.append(h("p", { class: "wb-criterion-standing" }, result.why === "hand"
        ? "Your instructor reads this part and gives these points by hand."
        : "This part is compared with the course's answer, which stays off this site: " +
          "the points are given when your file is scored (workbook check shows them too)."));
      return li;
    }
    li.append(h("p", { class: "wb-criterion-standing" }, `${result.standing}.`));
    if (result.notes.length) {
      li.append(h("ul", { class: "wb-criterion-notes" },
        ...result.notes.slice(0, 4).map((note) => h("li", {}, note)),
        result.notes.length > 4 ? h("li", {}, `and ${result.notes.length - 4} more`) : null));
    }
    if (result.status !== "pass") {
      li.append(h("p", { class: "wb-criterion-about" }, `To earn them: ${criterion.description}`));
    }
    return li;
  }

  // In the form's own summary, once there is nothing to fix: what the file earns now.
  placeScoreLine(result, problems, blank) {
    const summary = this.root.querySelector(".wb-summary");
    if (!summary || problems || blank) {
      this.scoreLine.remove();
      return;
    }
    const losing = [...result.criteria].filter((r) => r.points !== null && r.points < r.max)
      .sort((a, b) => lost(b) - lost(a));
    const parts = [h("strong", {}, `It would earn ${g(result.points)} of ${g(result.max)} points now`)];
    if (result.later) parts.push(` (${g(result.later)} more are scored when your file is marked)`);
    if (losing.length) {
      parts.push(". Points still to win: " + losing.slice(0, 3)
        .map((r) => `${this.byId.get(r.id).title} (${g(Math.round((r.max - r.points) * 100) / 100)} points)`)
        .join(", ") + (losing.length > 3 ? ` and ${losing.length - 3} more` : "") + ". ");
      parts.push(h("a", { href: "#wb-preview", "data-preview-link": "" }, "See what earns points"));
    } else {
      parts.push(result.later ? "." : ": full marks on every part.");
    }
    this.scoreLine.replaceChildren(...parts);
    // Right under the summary's verdict, before its list of answers still empty.
    const verdict = summary.firstElementChild;
    if (verdict && verdict !== this.scoreLine && verdict.nextElementSibling !== this.scoreLine) {
      verdict.after(this.scoreLine);
    } else if (!verdict) summary.append(this.scoreLine);
  }
}

export function mountPreview(root, form, spec) {
  if (!spec.rubric || !Array.isArray(spec.rubric.criteria)) return null;
  const preview = new PointsPreview(root, form, spec);
  root.addEventListener("click", (event) => {
    if (event.target.closest?.("[data-preview-link]")) preview.panel.open = true;
  });
  return preview;
}
