/*
 * deflectkit: answers kept in this browser only, shared by the readiness checklist
 * (docs/playbook/readiness.md) and the officer pulse survey (docs/toolkit/pulse-survey.md).
 *
 * Answers live in localStorage under one key per page; nothing leaves the device. When storage
 * is disabled (private mode, policy) or holds junk, a page starts empty and still works for
 * the visit. Load this script before the page's own script (both with defer, in that order).
 */
window.deflectkitAnswers = (function () {
  "use strict";

  function load(key) {
    try {
      var raw = window.localStorage.getItem(key);
      var parsed = raw ? JSON.parse(raw) : {};
      return parsed && typeof parsed === "object" ? parsed : {};
    } catch (e) {
      return {};
    }
  }

  function save(key, state) {
    try {
      window.localStorage.setItem(key, JSON.stringify(state));
    } catch (e) {
      // Without storage the page still works for this visit.
    }
  }

  function clear(key) {
    try {
      window.localStorage.removeItem(key);
    } catch (e) {
      // Nothing stored, nothing to clear.
    }
  }

  // A new element with an optional class and text (text, never HTML: nothing is parsed).
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  // The summary above a form: an overall line, a list for one score per part, and Print and
  // Clear buttons. Clear forgets the stored answers, then calls `o.onClear` to reset the page.
  // Inserted before `root`; returns the overall line and the list for the page to fill.
  function summaryBox(root, o) {
    var summary = el("section", "dk-summary");
    summary.id = o.id;
    summary.setAttribute("aria-live", "polite");
    var overall = el("p", "dk-overall");
    overall.id = o.overallId;
    var list = el("ul", "dk-step-scores");
    var controls = el("p", "dk-controls dk-no-print");
    var printButton = el("button", "md-button", o.printLabel);
    printButton.type = "button";
    printButton.addEventListener("click", function () {
      window.print();
    });
    var clearButton = el("button", "md-button", "Clear my answers");
    clearButton.type = "button";
    clearButton.id = o.clearId;
    clearButton.addEventListener("click", function () {
      clear(o.key);
      o.onClear();
    });
    controls.appendChild(printButton);
    controls.appendChild(document.createTextNode(" "));
    controls.appendChild(clearButton);
    summary.appendChild(overall);
    summary.appendChild(list);
    summary.appendChild(controls);
    root.parentNode.insertBefore(summary, root);
    return { overall: overall, list: list };
  }

  return { load: load, save: save, clear: clear, el: el, summaryBox: summaryBox };
})();
