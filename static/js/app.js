/* Gatehouse — small progressive enhancements. No inline script anywhere (CSP).
   Everything is delegated on document, so content swapped in by htmx just works.
   - sidebar off-canvas toggle on phones ([data-nav-toggle], [data-nav-close])
   - <details class="dropdown">: close on outside click and Escape, one open at a time
   - keyboard navigation in the sidebar (ArrowUp/Down, Home/End, ArrowLeft/Right on groups)
   - data-confirm="Question?" on forms, submit buttons, links and htmx elements
   - dismissible alerts ([data-dismiss])
   - a "Scroll →" hint on table wrappers wider than the screen (.table-wrap.is-scrollable)
   - filter forms ([data-sync-url]) show the URL's query after every swap and history step */
(function () {
  "use strict";

  var doc = document;
  var root = doc.documentElement;

  function closest(el, sel) {
    return el && el.closest ? el.closest(sel) : null;
  }

  /* ---------------------------------------------------------------- sidebar */
  function sidebar() {
    return doc.getElementById("sidebar");
  }
  function toggles() {
    return doc.querySelectorAll("[data-nav-toggle]");
  }
  function isNavOpen() {
    return doc.body.classList.contains("nav-open");
  }
  function setNav(open) {
    var sb = sidebar();
    if (!sb) return;
    doc.body.classList.toggle("nav-open", open);
    toggles().forEach(function (t) {
      t.setAttribute("aria-expanded", open ? "true" : "false");
    });
    if (open) {
      var first = sb.querySelector('[aria-current="page"]') || sb.querySelector(".sidenav-link");
      if (first) first.focus({ preventScroll: true });
    } else if (location.hash === "#sidebar") {
      // the no-JS fallback uses :target; drop it without adding history
      history.replaceState(null, "", location.pathname + location.search);
    }
  }

  // The menu button is a real <button> with aria-expanded in the markup;
  // an old "#sidebar" link (the no-JS fallback) still opens the drawer.
  function initToggles() {
    if (location.hash === "#sidebar") setNav(true);
  }

  // Close the off-canvas menu when the viewport grows past the breakpoint.
  if (window.matchMedia) {
    var wide = window.matchMedia("(min-width: 901px)");
    var onWide = function () {
      if (wide.matches && isNavOpen()) setNav(false);
    };
    if (wide.addEventListener) wide.addEventListener("change", onWide);
  }

  /* ---------------------------------------------------------------- dropdowns */
  function openDropdowns() {
    return doc.querySelectorAll("details.dropdown[open]");
  }
  function closeDropdowns(except) {
    openDropdowns().forEach(function (d) {
      if (d !== except) d.removeAttribute("open");
    });
  }

  // Only one dropdown open at a time ("toggle" does not bubble: capture it).
  doc.addEventListener(
    "toggle",
    function (e) {
      var d = e.target;
      if (d && d.matches && d.matches("details.dropdown") && d.open) closeDropdowns(d);
    },
    true
  );

  /* ---------------------------------------------------------------- clicks */
  doc.addEventListener("click", function (e) {
    var t = e.target;

    if (closest(t, "[data-nav-toggle]")) {
      e.preventDefault();
      setNav(!isNavOpen());
      return;
    }
    if (closest(t, "[data-nav-close]")) {
      e.preventDefault();
      setNav(false);
      var back = doc.querySelector("[data-nav-toggle]");
      if (back) back.focus(); // focus must not stay in the hidden drawer
      return;
    }

    // outside click closes dropdowns
    var inside = closest(t, "details.dropdown");
    closeDropdowns(inside);

    // a click on a link inside a dropdown or the phone sidebar closes it
    var link = closest(t, "a[href]");
    if (link && inside && !e.defaultPrevented) inside.removeAttribute("open");
    if (link && isNavOpen() && closest(link, "#sidebar") && !closest(link, "[data-nav-close]")) setNav(false);

    var dismiss = closest(t, "[data-dismiss]");
    if (dismiss) {
      var box = closest(dismiss, dismiss.getAttribute("data-dismiss") || ".alert");
      if (box) box.remove();
      return;
    }

    // data-confirm on plain links and non-submit buttons (htmx ones go through htmx:confirm)
    var c = closest(t, "a[data-confirm], button[data-confirm]:not([type=submit])");
    if (c && !e.defaultPrevented && !isHtmx(c) && !window.confirm(c.getAttribute("data-confirm"))) {
      e.preventDefault();
      e.stopPropagation();
    }
  });

  /* ---------------------------------------------------------------- keyboard */
  doc.addEventListener("keydown", function (e) {
    if (e.key === "Escape") {
      var open = openDropdowns();
      if (open.length) {
        open.forEach(function (d) {
          d.removeAttribute("open");
          if (d.contains(doc.activeElement)) {
            var s = d.querySelector("summary");
            if (s) s.focus();
          }
        });
        e.preventDefault();
        return;
      }
      if (isNavOpen()) {
        setNav(false);
        var tg = doc.querySelector("[data-nav-toggle]");
        if (tg) tg.focus();
        e.preventDefault();
      }
      return;
    }

    var nav = closest(e.target, "[data-sidenav]");
    if (nav) sidenavKeys(e, nav);
  });

  // Focusable in the sidebar: not inside a collapsed group (a collapsed
  // group's own summary stays reachable) and actually rendered.
  function visible(el) {
    var from = el.tagName === "SUMMARY" ? el.parentElement.parentElement : el.parentElement;
    if (from && closest(from, "details:not([open])")) return false;
    return !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  }

  function sidenavKeys(e, nav) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var items = Array.prototype.filter.call(nav.querySelectorAll("a[href], summary"), visible);
    var i = items.indexOf(e.target);
    if (i < 0) return;
    var next = null;
    switch (e.key) {
      case "ArrowDown":
        next = items[(i + 1) % items.length];
        break;
      case "ArrowUp":
        next = items[(i - 1 + items.length) % items.length];
        break;
      case "Home":
        next = items[0];
        break;
      case "End":
        next = items[items.length - 1];
        break;
      case "ArrowRight":
        if (e.target.tagName === "SUMMARY") {
          var d = e.target.parentNode;
          if (!d.open) d.open = true;
          else next = d.querySelector("a[href]");
        }
        break;
      case "ArrowLeft":
        var group = closest(e.target, "details");
        if (group) {
          if (e.target.tagName === "SUMMARY") group.open = false;
          else next = group.querySelector("summary");
        }
        break;
      default:
        return;
    }
    e.preventDefault();
    if (next) next.focus();
  }

  /* ---------------------------------------------------------------- confirm */
  function isHtmx(el) {
    return !!closest(el, "[hx-get],[hx-post],[hx-put],[hx-patch],[hx-delete],[data-hx-get],[data-hx-post],[data-hx-put],[data-hx-patch],[data-hx-delete],[hx-boost=true]");
  }

  function confirmText(el, submitter) {
    if (submitter && submitter.getAttribute && submitter.hasAttribute("data-confirm")) {
      return submitter.getAttribute("data-confirm");
    }
    return el && el.getAttribute ? el.getAttribute("data-confirm") : null;
  }

  // Plain forms. htmx-driven forms cancel the native submit in their own
  // listener (which runs first) and are confirmed through htmx:confirm below.
  doc.addEventListener("submit", function (e) {
    if (e.defaultPrevented) return;
    var msg = confirmText(e.target, e.submitter);
    if (msg && !window.confirm(msg)) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  });

  doc.addEventListener("htmx:confirm", function (e) {
    var d = e.detail || {};
    var trig = d.triggeringEvent;
    var msg = confirmText(d.elt, trig && trig.submitter);
    if (!msg) return;
    e.preventDefault();
    if (window.confirm(msg)) d.issueRequest(true);
  });

  /* ---------------------------------------------------------------- htmx niceties */
  // Close menus after a boosted navigation / swap.
  doc.addEventListener("htmx:beforeSwap", function () {
    closeDropdowns(null);
  });

  /* ---------------------------------------------------------------- wide tables */
  // A table wrapper whose table is wider than it gets .is-scrollable (the
  // CSS shows "Scroll →") and .is-scrolled-end once read to its end.
  function markScrollers() {
    doc.querySelectorAll(".table-wrap").forEach(function (w) {
      var more = w.scrollWidth - w.clientWidth > 1;
      w.classList.toggle("is-scrollable", more);
      w.classList.toggle("is-scrolled-end", more && w.scrollLeft + w.clientWidth >= w.scrollWidth - 1);
    });
  }
  window.addEventListener("resize", markScrollers);
  doc.addEventListener("htmx:afterSettle", markScrollers);
  // scroll does not bubble: listen in the capture phase
  doc.addEventListener(
    "scroll",
    function (e) {
      var w = e.target;
      if (w && w.classList && w.classList.contains("table-wrap")) markScrollers();
    },
    true
  );

  /* ---------------------------------------------------------------- filters follow the URL */
  // A filter form outside the region it swaps (the members search) keeps
  // what the URL says: after a pager or sort link, Back and Forward (htmx
  // restores its snapshot, whose fields hold the values the page was first
  // rendered with), its search box and menus show the URL's query. A box
  // being typed in is left alone: its own request is on the way.
  function syncFilters(always) {
    var params = new URLSearchParams(location.search);
    doc.querySelectorAll("form[data-sync-url]").forEach(function (f) {
      Array.prototype.forEach.call(f.elements, function (el) {
        if (!el.name || el.type === "hidden" || el.type === "submit" || el.type === "button") return;
        if (!always && el === doc.activeElement) return;
        var v = params.get(el.name) || "";
        if (el.tagName === "SELECT") {
          if (!el.querySelector('option[value="' + v.replace(/["\\]/g, "") + '"]')) v = el.options.length ? el.options[0].value : "";
          if (el.value !== v) el.value = v;
        } else if (el.value !== v) {
          el.value = v;
        }
      });
    });
  }
  doc.addEventListener("htmx:afterSettle", function () {
    syncFilters(false);
  });
  doc.addEventListener("htmx:historyRestore", function () {
    syncFilters(true);
  });
  window.addEventListener("pageshow", function () {
    syncFilters(true);
  });

  /* ---------------------------------------------------------------- init */
  function init() {
    root.classList.add("js");
    initToggles();
    markScrollers();
  }
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", init);
  else init();
})();
