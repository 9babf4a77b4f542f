/* Gatehouse — permission grid behaviour (views/permgrid). No inline script (CSP);
   delegated on document so grids swapped in by htmx just work.
   - ticking an action other than View ticks View in the same row, and says so
     (the server adds it too: web.DecodePermForm)
   - unticking View clears the row's other actions and flags (without View they do nothing)
   - a module's fields row shows the "default" that follows its Edit box (data-module-edit) */
(function () {
  "use strict";

  var doc = document;

  function say(grid, msg) {
    var live = grid.querySelector("[data-permgrid-live]");
    if (live) live.textContent = msg;
  }

  function rowLabel(input) {
    var row = input.closest("tr");
    var th = row && row.querySelector(".perm-module");
    if (!th) return input.getAttribute("data-perm-module");
    var key = th.querySelector(".perm-module-key");
    var text = th.textContent;
    if (key) text = text.replace(key.textContent, "");
    return text.trim();
  }

  // syncFields keeps the fields row's data-module-edit in step with the
  // module's Edit box: the "default" label shown follows it.
  function syncFields(grid, mod) {
    var row = grid.querySelector('[data-perm-fields="' + mod + '"]');
    var edit = grid.querySelector('input[data-perm-module="' + mod + '"][data-perm-action="edit"]');
    if (row && edit) row.setAttribute("data-module-edit", edit.checked ? "true" : "false");
  }

  doc.addEventListener("change", function (e) {
    var t = e.target;
    if (!t || !t.matches || !t.matches("[data-permgrid] input[type=checkbox][data-perm-module]")) return;
    var grid = t.closest("[data-permgrid]");
    var mod = t.getAttribute("data-perm-module");
    var act = t.getAttribute("data-perm-action");
    var view = grid.querySelector('input[data-perm-module="' + mod + '"][data-perm-action="view"]');
    if (!view) return;
    syncFields(grid, mod);
    var label = rowLabel(view);

    if (t.checked && act && t !== view && !view.checked) {
      view.checked = true;
      say(grid, "View was ticked for " + label + ": the other actions need it.");
      return;
    }
    if (t === view && !view.checked) {
      var cleared = 0;
      grid.querySelectorAll('input[data-perm-module="' + mod + '"]').forEach(function (i) {
        if (i !== view && i.checked) {
          i.checked = false;
          cleared++;
        }
      });
      if (cleared) say(grid, "Without View, " + label + "'s other actions and flags do nothing, so they were cleared too.");
    }
    syncFields(grid, mod);
  });
})();
