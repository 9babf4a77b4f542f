// Feedback on submits (ARCHITECTURE.md, Forms). A form being sent shows its
// button busy and cannot be sent twice until the answer comes; a file larger
// than its input's data-max-bytes is refused at the field before it is
// uploaded, with the server's own words (data-too-large).
(function () {
  "use strict";
  var doc = document;
  var RELEASE_MS = 10000; // a POST answered with a download leaves the page: free the form again

  function buttonsOf(form) {
    return form.querySelectorAll('button[type="submit"], button:not([type]), input[type="submit"]');
  }

  function setBusy(form, submitter, busy) {
    if (busy) {
      form.setAttribute("data-submitting", "");
      form.setAttribute("aria-busy", "true");
    } else {
      form.removeAttribute("data-submitting");
      form.removeAttribute("aria-busy");
    }
    var buttons = buttonsOf(form);
    var shown = submitter || buttons[0];
    buttons.forEach(function (b) {
      if (busy) b.setAttribute("aria-disabled", "true");
      else b.removeAttribute("aria-disabled");
      b.classList.toggle("is-busy", busy && b === shown);
    });
  }

  function isPost(form) {
    return (form.getAttribute("method") || "get").toLowerCase() === "post";
  }

  // A form on its way takes no second submit. This runs in the capture
  // phase, before htmx's own listener on the form: htmx would otherwise
  // abort the first request in the browser after the server got it, and
  // send the second.
  doc.addEventListener(
    "submit",
    function (e) {
      if (e.target && e.target.hasAttribute && e.target.hasAttribute("data-submitting")) {
        e.preventDefault();
        e.stopImmediatePropagation();
      }
    },
    true
  );

  // Plain POST forms go busy once nothing cancelled the submit; htmx
  // cancels the native submit of its own forms first, so those arrive here
  // already prevented and go busy in htmx:beforeRequest below.
  doc.addEventListener("submit", function (e) {
    var form = e.target;
    if (e.defaultPrevented || !form || !isPost(form)) return;
    setBusy(form, e.submitter, true);
    window.setTimeout(function () { setBusy(form, null, false); }, RELEASE_MS);
  });

  // Back from the bfcache: nothing is on its way any more.
  window.addEventListener("pageshow", function (e) {
    if (!e.persisted) return;
    doc.querySelectorAll("form[data-submitting]").forEach(function (f) { setBusy(f, null, false); });
  });

  // htmx submits (not the live previews and searches a change or keystroke
  // sends): busy while the request runs, a second one dropped.
  function submitForm(d) {
    var trig = d.requestConfig && d.requestConfig.triggeringEvent;
    if (!trig || trig.type !== "submit") return null;
    return d.elt && d.elt.tagName === "FORM" ? d.elt : null;
  }
  doc.addEventListener("htmx:beforeRequest", function (e) {
    var form = submitForm(e.detail || {});
    if (!form) return;
    if (form.hasAttribute("data-submitting")) {
      e.preventDefault();
      return;
    }
    setBusy(form, e.detail.requestConfig.triggeringEvent.submitter, true);
  });
  doc.addEventListener("htmx:afterRequest", function (e) {
    var form = submitForm(e.detail || {});
    if (form) setBusy(form, null, false);
  });

  /* ---------------------------------------------------------------- file size */
  function sizeError(input) {
    var id = (input.id || input.name) + "-size-error";
    var p = doc.getElementById(id);
    if (!p) {
      p = doc.createElement("p");
      p.className = "field-error";
      p.id = id;
      p.setAttribute("role", "alert");
      input.insertAdjacentElement("afterend", p);
    }
    return p;
  }
  doc.addEventListener("change", function (e) {
    var input = e.target;
    if (!input || input.type !== "file" || !input.hasAttribute("data-max-bytes")) return;
    var max = parseInt(input.getAttribute("data-max-bytes"), 10);
    var tooBig = false;
    for (var i = 0; i < input.files.length; i++) {
      if (input.files[i].size > max) tooBig = true;
    }
    var msg = tooBig ? input.getAttribute("data-too-large") || "The file is too large." : "";
    input.setCustomValidity(msg);
    var field = input.closest(".field");
    if (field) field.classList.toggle("has-error", tooBig);
    if (tooBig) {
      input.setAttribute("aria-invalid", "true");
      var p = sizeError(input);
      p.textContent = msg;
      input.setAttribute("aria-describedby", p.id);
    } else {
      var old = doc.getElementById((input.id || input.name) + "-size-error");
      if (old) old.remove();
      input.removeAttribute("aria-invalid");
    }
  });
})();
