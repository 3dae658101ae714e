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

  return { load: load, save: save, clear: clear, el: el };
})();
