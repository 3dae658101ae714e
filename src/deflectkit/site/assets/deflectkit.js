/* deflectkit site script: directory filters, open-now badges, Pagefind search box.
 * Vendored, no dependencies, no requests to other hosts. Everything from the data is
 * inserted with textContent or setAttribute, never innerHTML. */
(function () {
  "use strict";

  var DAY_INDEX = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
  var fmtCache = {};

  /* Weekday (0 = Monday) and minute after midnight of `date` in the IANA zone `tz`. */
  function localTime(tz, date) {
    var fmt = fmtCache[tz];
    if (!fmt) {
      try {
        fmt = new Intl.DateTimeFormat("en-US", {
          timeZone: tz, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23"
        });
      } catch (e) {
        return null;
      }
      fmtCache[tz] = fmt;
    }
    var parts = fmt.formatToParts(date), out = {};
    for (var i = 0; i < parts.length; i++) out[parts[i].type] = parts[i].value;
    var hour = parseInt(out.hour, 10) % 24;
    return { day: DAY_INDEX[out.weekday], minute: hour * 60 + parseInt(out.minute, 10) };
  }

  /* true / false, or null when hours are unknown. `hours` is seven lists of [start, end). */
  function isOpen(hours, always, tz, date) {
    if (always) return true;
    if (!hours) return null;
    var t = localTime(tz, date);
    if (!t) return null;
    var spans = hours[t.day] || [];
    for (var i = 0; i < spans.length; i++) {
      if (spans[i][0] <= t.minute && t.minute < spans[i][1]) return true;
    }
    return false;
  }

  function setBadge(el, open) {
    el.hidden = false;
    el.classList.remove("dk-open-yes", "dk-open-no", "dk-open-unknown");
    if (open === true) { el.textContent = "Open now"; el.classList.add("dk-open-yes"); }
    else if (open === false) { el.textContent = "Closed now"; el.classList.add("dk-open-no"); }
    else { el.textContent = "Call for hours"; el.classList.add("dk-open-unknown"); }
  }

  function providerBadges() {
    var now = new Date();
    var badges = document.querySelectorAll(".dk-provider .dk-open[data-tz]");
    for (var i = 0; i < badges.length; i++) {
      var el = badges[i], hours = null;
      try { hours = JSON.parse(el.getAttribute("data-hours") || "null"); } catch (e) { hours = null; }
      setBadge(el, isOpen(hours, false, el.getAttribute("data-tz"), now));
    }
  }

  /* Great-circle distance in miles. */
  function miles(lat1, lon1, lat2, lon2) {
    var r = Math.PI / 180, dLat = (lat2 - lat1) * r, dLon = (lon2 - lon1) * r;
    var a = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
      Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 3958.8 * 2 * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r.json();
    });
  }

  function directory(root) {
    var form = root.querySelector(".dk-filters");
    var count = root.querySelector(".dk-count");
    var list = root.querySelector(".dk-results");
    var more = root.querySelector(".dk-more");
    var urlPattern = root.getAttribute("data-provider-url");
    var zips = null, zipsLoading = null, data = null, shown = 50, PAGE = 50;

    function bit(vocab, word) {
      for (var i = 0; i < vocab.length; i++) if (vocab[i][0] === word) return 1 << i;
      return 0;
    }

    function loadZips() {
      if (!zipsLoading) {
        zipsLoading = getJSON(root.getAttribute("data-zips")).then(function (z) { zips = z; render(); })
          .catch(function () { zips = {}; render(); });
      }
    }

    function matches() {
      var f = form.elements, P = data.providers, out = [];
      var need = bit(data.vocab.needs, f.need.value), med = bit(data.vocab.meds, f.med.value);
      var pay = bit(data.vocab.pay, f.pay.value), lang = f.lang.value;
      var always = f.always.checked, drop = f.dropoff.checked, openNow = f.open.checked;
      var zip = f.zip.value.trim(), radius = parseFloat(f.radius.value) || 0, origin = null;
      zipNote = "";
      if (/^\d{5}$/.test(zip)) {
        if (zips === null) { loadZips(); zipNote = "Loading ZIP codes…"; }
        else if (zips[zip]) origin = zips[zip];
        else zipNote = "ZIP " + zip + " is not in this directory's area.";
      }
      var now = new Date();
      for (var i = 0; i < P.length; i++) {
        var p = P[i];
        if (need && !(p[5] & need)) continue;
        if (med && !(p[6] & med)) continue;
        if (pay && !(p[7] & pay)) continue;
        if (lang && p[8].indexOf(lang) < 0) continue;
        if (always && !p[9]) continue;
        if (drop && !p[10]) continue;
        var place = data.places[p[2]];
        var open = isOpen(p[11] === null ? null : data.hours[p[11]], p[9], place[3], now);
        if (openNow && open !== true) continue;
        var dist = null;
        if (origin && p[3] !== null) dist = miles(origin[0], origin[1], p[3], p[4]);
        if (origin && radius && (dist === null || dist > radius)) continue;
        out.push({ p: p, open: open, dist: dist });
      }
      if (origin) out.sort(function (a, b) {
        return (a.dist === null ? 1e9 : a.dist) - (b.dist === null ? 1e9 : b.dist);
      });
      return out;
    }

    var zipNote = "";

    function item(m) {
      var p = m.p, li = document.createElement("li"), a = document.createElement("a");
      a.href = urlPattern.replace("__slug__", encodeURIComponent(p[0]));
      a.textContent = p[1];
      li.appendChild(a);
      var meta = document.createElement("span");
      meta.className = "dk-muted";
      var place = data.places[p[2]];
      var bits = [place[0] + (place[2] ? ", " + place[2] : "")];
      if (m.dist !== null) bits.push(m.dist.toFixed(1) + " mi");
      if (p[10]) bits.push("Police drop-off");
      meta.textContent = " " + bits.join(" · ") + " ";
      li.appendChild(meta);
      var badge = document.createElement("span");
      badge.className = "dk-badge dk-open";
      if (p[9]) { badge.textContent = "Open 24/7"; badge.classList.add("dk-open-yes"); }
      else setBadge(badge, m.open);
      li.appendChild(badge);
      return li;
    }

    function render() {
      var found = matches();
      var total = data.providers.length;
      count.textContent = (found.length === total ? "All " + total + " providers" :
        found.length + " of " + total + " providers match") + (zipNote ? ". " + zipNote : "");
      count.setAttribute("data-count", String(found.length));
      while (list.firstChild) list.removeChild(list.firstChild);
      var frag = document.createDocumentFragment();
      for (var i = 0; i < found.length && i < shown; i++) frag.appendChild(item(found[i]));
      list.appendChild(frag);
      more.hidden = found.length <= shown;
    }

    getJSON(root.getAttribute("data-index")).then(function (d) {
      data = d;
      form.hidden = false;
      form.addEventListener("input", function () { shown = PAGE; render(); });
      form.addEventListener("change", function () { shown = PAGE; render(); });
      form.addEventListener("reset", function () { setTimeout(function () { shown = PAGE; render(); }, 0); });
      form.addEventListener("submit", function (e) { e.preventDefault(); });
      more.addEventListener("click", function () { shown += PAGE * 4; render(); });
      render();
      /* Re-check open-now every minute while the page is open in the field. */
      setInterval(render, 60000);
    }).catch(function () {
      count.textContent = "Could not load the directory index; use the browse pages below.";
    });
  }

  function search(el) {
    var src = el.getAttribute("data-bundle");
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = src.replace(/\.js$/, ".css");
    document.head.appendChild(css);
    var script = document.createElement("script");
    script.src = src;
    script.onload = function () {
      if (typeof window.PagefindUI !== "function") return;
      var ui = new window.PagefindUI({
        element: "#" + el.id, showSubResults: false, showImages: false, resetStyles: false,
        bundlePath: src.replace(/pagefind-ui\.js$/, ""),
        translations: { placeholder: "Name, service or city" }
      });
      /* Pagefind's input has only a title; tie it to our visible label (axe: label-title-only). */
      var tries = 0, timer = setInterval(function () {
        var input = el.querySelector("input");
        if (input || ++tries > 50) {
          clearInterval(timer);
          if (input) input.id = el.id + "-input";
        }
      }, 100);
      return ui;
    };
    script.onerror = function () { el.hidden = true; };
    document.head.appendChild(script);
  }

  function init() {
    /* Material's search dialog has no accessible name (axe: aria-dialog-name). */
    var dialog = document.querySelector(".md-search[role=dialog]");
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "Search this site");
    providerBadges();
    var dirs = document.querySelectorAll(".dk-directory");
    for (var i = 0; i < dirs.length; i++) directory(dirs[i]);
    var boxes = document.querySelectorAll(".dk-search[data-bundle]");
    for (var j = 0; j < boxes.length; j++) search(boxes[j]);
  }

  window.deflectkit = { isOpen: isOpen, localTime: localTime, miles: miles };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
