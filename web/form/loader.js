// The form's loader: the only form script an exercise page loads at first. It fetches
// and runs the form itself (assets/worksheet-form.js, 180 KB with its YAML parser)
// when the reader comes within a couple of screens of the form, or follows a link
// to it, not at page load. On a phone the form sits thousands of pixels down the
// page, and evaluating its script and building it cost a mid-range phone a few
// hundred milliseconds of blocked taps that a reader of the exercise's introduction
// never needed (README: Lighthouse on a phone). The preview panel the form adds
// above itself goes in while still off screen, so nothing the reader sees moves.
//
// A plain script, copied as it is (workbook/mkdocs_hooks.py): no imports, nothing to
// bundle. Browsers without IntersectionObserver load the form at once.
(function () {
  "use strict";
  var self = document.currentScript;
  var root = document.querySelector("[data-workbook-form]");
  if (!self || !root || !self.dataset.formScript) return;
  var load = function () {
    var script = document.createElement("script");
    script.src = self.dataset.formScript;
    document.body.appendChild(script);
  };
  if (!("IntersectionObserver" in window)) {
    load();
    return;
  }
  var observer = new IntersectionObserver(function (entries) {
    for (var i = 0; i < entries.length; i++) {
      if (entries[i].isIntersecting) {
        observer.disconnect();
        load();
        return;
      }
    }
  }, { rootMargin: "1500px 0px" });
  observer.observe(root);
})();
