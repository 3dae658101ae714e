/*
 * deflectkit readiness self-assessment (docs/playbook/readiness.md).
 *
 * Progressive enhancement: the page is a plain, printable checklist without this script.
 * With it, ticks are kept in this browser's localStorage (nothing leaves the device), each
 * step shows a score, and an overall summary lists the gaps with links to the section that
 * helps. No network requests; storage and element helpers come from answers.js, loaded first.
 */
(function () {
  "use strict";

  var STORAGE_KEY = "deflectkit.readiness.v1";
  var answers = window.deflectkitAnswers;
  var el = answers ? answers.el : null;

  function percent(done, total) {
    return total === 0 ? 0 : Math.round((100 * done) / total);
  }

  function init() {
    var root = document.getElementById("dk-readiness");
    if (!root || !answers) {
      return;  // without the helpers the page stays a plain, printable checklist
    }
    var steps = Array.prototype.slice.call(root.querySelectorAll("fieldset.dk-step"));
    var boxes = Array.prototype.slice.call(root.querySelectorAll("input.dk-ready-box"));
    var state = answers.load(STORAGE_KEY);

    boxes.forEach(function (box) {
      box.checked = state[box.id] === true;
    });

    // Summary box above the checklist: overall score, one line per step, controls.
    var summary = answers.summaryBox(root, {
      key: STORAGE_KEY, id: "dk-readiness-summary", overallId: "dk-overall",
      clearId: "dk-clear", printLabel: "Print this checklist",
      onClear: function () {
        boxes.forEach(function (box) {
          box.checked = false;
        });
        state = {};
        render();
      },
    });
    var overall = summary.overall;
    var stepList = summary.list;

    // The gaps go after the checklist, so the boxes stay near the top of the page.
    var gapsSection = el("section", "dk-gaps-section");
    gapsSection.id = "dk-gaps-section";
    var gapsTitle = el("h3", "dk-gaps-title");
    gapsTitle.id = "dk-gaps-title";
    var gapsList = el("ul", "dk-gaps");
    gapsList.id = "dk-gaps";
    gapsSection.appendChild(gapsTitle);
    gapsSection.appendChild(gapsList);
    root.parentNode.insertBefore(gapsSection, root.nextSibling);

    // One score line per step, right under its legend.
    var scoreLines = steps.map(function (step) {
      var line = el("p", "dk-score");
      line.id = "dk-score-" + step.getAttribute("data-dk-step");
      var legend = step.querySelector("legend");
      step.insertBefore(line, legend ? legend.nextSibling : step.firstChild);
      return line;
    });

    function render() {
      var doneAll = 0;
      var gaps = [];
      while (stepList.firstChild) {
        stepList.removeChild(stepList.firstChild);
      }
      steps.forEach(function (step, index) {
        var stepBoxes = step.querySelectorAll("input.dk-ready-box");
        var done = 0;
        Array.prototype.forEach.call(stepBoxes, function (box) {
          if (box.checked) {
            done += 1;
          } else {
            var item = box.closest("li");
            var help = item ? item.querySelector("a.dk-help, a") : null;
            var label = box.closest("label");
            gaps.push({
              step: step.querySelector("legend").textContent,
              text: label ? label.textContent.trim() : box.id,
              href: help ? help.getAttribute("href") : null
            });
          }
        });
        doneAll += done;
        var score = done + " of " + stepBoxes.length + " (" + percent(done, stepBoxes.length) + "%)";
        scoreLines[index].textContent = "Score: " + score;
        var line = el("li");
        var jump = el("a", null, step.querySelector("legend").textContent);
        jump.setAttribute("href", "#" + step.id);
        line.appendChild(jump);
        line.appendChild(document.createTextNode(": " + score));
        stepList.appendChild(line);
        step.setAttribute("data-dk-complete", done === stepBoxes.length ? "true" : "false");
      });

      overall.textContent =
        "Overall: " + doneAll + " of " + boxes.length + " in place (" + percent(doneAll, boxes.length) + "%).";

      while (gapsList.firstChild) {
        gapsList.removeChild(gapsList.firstChild);
      }
      gapsTitle.textContent = gaps.length === 0
        ? "No gaps left. Keep measuring and repeat this check every three months."
        : "Your gaps (" + gaps.length + "), with the section that helps";
      gaps.forEach(function (gap) {
        var li = el("li");
        li.appendChild(el("strong", null, gap.step + ": "));
        li.appendChild(document.createTextNode(gap.text + " "));
        if (gap.href) {
          var link = el("a", null, "How to do this");
          link.setAttribute("href", gap.href);
          li.appendChild(link);
        }
        gapsList.appendChild(li);
      });
    }

    root.addEventListener("change", function (event) {
      var box = event.target;
      if (!box || !box.classList || !box.classList.contains("dk-ready-box")) {
        return;
      }
      if (box.checked) {
        state[box.id] = true;
      } else {
        delete state[box.id];
      }
      answers.save(STORAGE_KEY, state);
      render();
    });

    render();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
