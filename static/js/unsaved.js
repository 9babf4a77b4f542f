// Unsaved edits ask before leaving the page (ARCHITECTURE.md, Previews).
// A form marked data-unsaved becomes dirty on its first edit; submitting it
// (plain or through htmx) or htmx replacing it makes it clean again. The
// browser asks only while a dirty form is on the page.
(function () {
  "use strict";
  var dirty = new WeakSet();
  function form(el) { return el && el.closest ? el.closest("form[data-unsaved]") : null; }
  function mark(e) { var f = form(e.target); if (f) dirty.add(f); }
  document.addEventListener("input", mark, true);
  document.addEventListener("change", mark, true);
  document.addEventListener("submit", function (e) { var f = form(e.target); if (f) dirty.delete(f); }, true);
  window.addEventListener("beforeunload", function (e) {
    var forms = document.querySelectorAll("form[data-unsaved]");
    for (var i = 0; i < forms.length; i++) {
      if (dirty.has(forms[i])) { e.preventDefault(); e.returnValue = ""; return ""; }
    }
  });
})();
