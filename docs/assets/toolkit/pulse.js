/*
 * deflectkit officer culture pulse survey (docs/toolkit/pulse-survey.md).
 *
 * Progressive enhancement, as the readiness checklist (docs/assets/playbook/readiness.js):
 * without this script the page is a plain form to print and fill in by hand. With it, answers
 * are kept in this browser's localStorage (nothing leaves the device), and each group and the
 * whole survey get a score out of 100. No network requests; storage and element helpers come
 * from docs/assets/playbook/answers.js, loaded first.
 *
 * Scoring (also printed on the page): answers are worth 1 to 5 points; statements marked
 * data-dk-reverse="true" are reversed (6 - points); a score is (average - 1) x 25 over the
 * answered statements.
 */
(function () {
  "use strict";

  var STORAGE_KEY = "deflectkit.pulse.v1";
  var answers = window.deflectkitAnswers;
  var el = answers ? answers.el : null;

  // Points for one statement (1-5, reversed where marked), or null when unanswered.
  function points(item, state) {
    var value = state[item.id];
    if (typeof value !== "number" || value < 1 || value > 5) {
      return null;
    }
    return item.getAttribute("data-dk-reverse") === "true" ? 6 - value : value;
  }

  function score(items, state) {
    var total = 0;
    var answered = 0;
    items.forEach(function (item) {
      var p = points(item, state);
      if (p !== null) {
        total += p;
        answered += 1;
      }
    });
    return {
      answered: answered,
      count: items.length,
      value: answered === 0 ? null : Math.round(((total / answered) - 1) * 25)
    };
  }

  function describe(result) {
    var answered = result.answered + " of " + result.count + " answered";
    return result.value === null ? "no answers yet (" + answered + ")"
      : result.value + " out of 100 (" + answered + ")";
  }

  function init() {
    var root = document.getElementById("dk-pulse");
    if (!root || !answers) {
      return;  // without the helpers the page stays a plain, printable form
    }
    var groups = Array.prototype.slice.call(root.querySelectorAll(".dk-pulse-group"));
    var items = Array.prototype.slice.call(root.querySelectorAll("fieldset.dk-pulse-item"));
    var state = answers.load(STORAGE_KEY);

    items.forEach(function (item) {
      var radios = item.querySelectorAll("input[type=radio]");
      Array.prototype.forEach.call(radios, function (radio) {
        radio.checked = state[item.id] === Number(radio.value);
      });
    });

    // Summary above the form: overall score, one line per group, print and clear buttons.
    var summary = answers.summaryBox(root, {
      key: STORAGE_KEY, id: "dk-pulse-summary", overallId: "dk-pulse-overall",
      clearId: "dk-pulse-clear", printLabel: "Print this survey",
      onClear: function () {
        Array.prototype.forEach.call(root.querySelectorAll("input[type=radio]"), function (radio) {
          radio.checked = false;
        });
        state = {};
        render();
      },
    });
    var overall = summary.overall;
    var groupList = summary.list;

    // One score line per group, right under its heading.
    var scoreLines = groups.map(function (group) {
      var line = el("p", "dk-score");
      line.id = "dk-pulse-score-" + group.getAttribute("data-dk-group");
      var heading = group.querySelector("h3");
      group.insertBefore(line, heading ? heading.nextSibling : group.firstChild);
      return line;
    });

    function render() {
      while (groupList.firstChild) {
        groupList.removeChild(groupList.firstChild);
      }
      groups.forEach(function (group, index) {
        var groupItems = Array.prototype.slice.call(group.querySelectorAll("fieldset.dk-pulse-item"));
        var text = describe(score(groupItems, state));
        scoreLines[index].textContent = "Score: " + text;
        var heading = group.querySelector("h3");
        var name = heading ? heading.textContent.replace(/\u00b6/g, "").trim() : group.id;
        var line = el("li");
        var jump = el("a", null, name);
        jump.setAttribute("href", "#" + (heading ? heading.id : ""));
        line.appendChild(jump);
        line.appendChild(document.createTextNode(": " + text));
        groupList.appendChild(line);
      });
      overall.textContent = "Overall: " + describe(score(items, state)) + ".";
    }

    root.addEventListener("change", function (event) {
      var radio = event.target;
      var item = radio && radio.closest ? radio.closest("fieldset.dk-pulse-item") : null;
      if (!item || radio.type !== "radio") {
        return;
      }
      var value = Number(radio.value);
      if (radio.checked && value >= 1 && value <= 5) {
        state[item.id] = value;
        answers.save(STORAGE_KEY, state);
        render();
      }
    });

    render();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
