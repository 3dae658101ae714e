/* deflectkit site script: directory filters and result cards, open-until badges, the
 * offline service worker. Vendored, no dependencies, no requests to other hosts.
 * Everything from the data is inserted with textContent or setAttribute, never innerHTML.
 * Sentences come from window.deflectkitStrings (a table per language), written above this
 * script at build time from deflectkit/site/strings.py; the page's <html lang> picks one. */
(function () {
  "use strict";

  var TABLES = window.deflectkitStrings || {};
  var LANG = (document.documentElement.getAttribute("lang") || "en").slice(0, 2).toLowerCase();
  var S = TABLES[LANG] || TABLES.en || {};
  var DAY_INDEX = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
  var fmtCache = {};
  var script = document.currentScript;
  /* The site root, from this script's own address (pages live at any depth), or written
   * into the page as data-base where the script itself is (the directory home: one round
   * trip on a slow link; deflectkit/site/first_paint.py). */
  var BASE = !script ? "" : script.src
    ? script.src.replace(/assets\/deflectkit\/deflectkit\.js(\?.*)?$/, "")
    : script.hasAttribute("data-base") ? new URL(script.getAttribute("data-base"), location.href).href : "";

  function t(key, values) {
    var text = S[key] || key;
    for (var k in values || {}) text = text.split("{" + k + "}").join(String(values[k]));
    return text;
  }

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
    return status(hours, always, tz, date).open;
  }

  function hhmm(minute) {
    var m = ((minute % 1440) + 1440) % 1440;
    return ("0" + Math.floor(m / 60)).slice(-2) + ":" + ("0" + (m % 60)).slice(-2);
  }

  /* Open or not, and the badge text: "Open until 08:00", "Opens 07:00", "Opens Thu 07:00".
   * Spans are laid out on a two-week line from the local minute now, so a night shift that
   * runs past midnight (22:00-24:00 then 00:00-08:00) reads as one span. */
  function status(hours, always, tz, date) {
    if (always) return { open: true, text: t("open_24_7") };
    if (!hours) return { open: null, text: t("call_for_hours") };
    var now = localTime(tz, date);
    if (!now) return { open: null, text: t("call_for_hours") };
    var line = [];
    for (var d = 0; d < 8; d++) {
      var spans = hours[(now.day + d) % 7] || [];
      for (var i = 0; i < spans.length; i++) {
        line.push([d * 1440 + spans[i][0] - now.minute, d * 1440 + spans[i][1] - now.minute]);
      }
    }
    line.sort(function (a, b) { return a[0] - b[0]; });
    for (var j = 0; j < line.length; j++) {
      if (line[j][0] <= 0 && 0 < line[j][1]) {
        var end = line[j][1];
        for (var k = j + 1; k < line.length && line[k][0] <= end; k++) end = Math.max(end, line[k][1]);
        if (end >= 7 * 1440) return { open: true, text: t("open_now") };
        return { open: true, text: t("open_until", { time: hhmm(now.minute + end) }) };
      }
    }
    for (var n = 0; n < line.length; n++) {
      if (line[n][0] > 0) {
        var at = now.minute + line[n][0], days = Math.floor(at / 1440), time = hhmm(at);
        var wait = line[n][0];  /* minutes until intake opens: the ranking charges for it */
        if (days === 0) return { open: false, wait: wait, text: t("opens", { time: time }) };
        if (days === 1) return { open: false, wait: wait, text: t("opens_tomorrow", { time: time }) };
        var names = t("weekdays").split(",");
        return { open: false, wait: wait, text: t("opens_day", { day: names[(now.day + days) % 7], time: time }) };
      }
    }
    return { open: false, wait: null, text: t("closed_now") };
  }

  function setBadge(el, st) {
    el.hidden = false;
    var cls = st.open === true ? "dk-open-yes" : st.open === false ? "dk-open-no" : "dk-open-unknown";
    if (el.textContent !== st.text) el.textContent = st.text;
    if (!el.classList.contains(cls)) {
      el.classList.remove("dk-open-yes", "dk-open-no", "dk-open-unknown");
      el.classList.add(cls);
    }
  }

  /* Great-circle angle between two points, in radians (times a radius: a distance). */
  function arc(lat1, lon1, lat2, lon2) {
    var r = Math.PI / 180, dLat = (lat2 - lat1) * r, dLon = (lon2 - lon1) * r;
    var a = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
      Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 2 * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
  }

  /* Great-circle distance in miles (what the cards show; the ranking works in km). */
  var EARTH_MILES = 3958.8;
  function miles(lat1, lon1, lat2, lon2) {
    return EARTH_MILES * arc(lat1, lon1, lat2, lon2);
  }

  /* Today as whole days since 1970-01-01, on the phone's calendar (the index's `verified`). */
  function epochDay(date) {
    return Math.round(Date.UTC(date.getFullYear(), date.getMonth(), date.getDate()) / 86400000);
  }

  /* Mirrors penalty_km in src/deflectkit/core/ranking.py term by term: change both together.
   * `R` is the index's "ranking" (the library's weights, written at build time), `st` the
   * row's status(), `verifiedDay` the day number of its last check (or null), `today`
   * epochDay(). Waits are counted in local clock minutes, the library's in elapsed time:
   * they differ only across a daylight-saving change. */
  function penaltyKm(p, st, verifiedDay, today, R) {
    var w = R.weights, penalty = 0;
    if (st.open === null) penalty += w.not_24_7_km + w.hours_unknown_km;
    else if (st.open === false) {
      var waitHours = typeof st.wait === "number" ? st.wait / 60 : R.never_hours;
      penalty += w.not_24_7_km + w.per_hour_closed_km * waitHours;
    } else if (!p[9]) penalty += w.not_24_7_km;
    if (!p[10]) penalty += w.no_dropoff_km;
    var minutes = p[16];
    penalty += w.per_handoff_minute_km *
      Math.min(w.handoff_minutes_cap, minutes !== null ? minutes : w.unknown_handoff_minutes);
    if (typeof verifiedDay !== "number" || today - verifiedDay > w.stale_after_days) penalty += w.stale_km;
    return penalty;
  }

  /* dk.match's order: providers without a location after every located one; then score
   * (km from the point plus penalties, to the metre), distance, slug (the library's
   * directory order, its last tie-break). */
  function byRank(a, b) {
    var ua = a.km === null, ub = b.km === null;
    if (ua !== ub) return ua ? 1 : -1;
    if (a.score !== b.score) return a.score - b.score;
    if (a.km !== b.km) return a.km < b.km ? -1 : 1;
    return bySlug(a, b);
  }
  function bySlug(a, b) {
    var sa = a.r.p[0], sb = b.r.p[0];
    return sa < sb ? -1 : sa > sb ? 1 : 0;
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r.json();
    });
  }

  /* The searched point stays in this tab (sessionStorage), never leaves the phone. */
  /* A phone keeps a tab (and its sessionStorage) for days, and an officer drives: a position
   * older than this would rank "nearest" from where the car was, so it is dropped and the
   * officer taps "Use my location" again. */
  var ORIGIN_MAX_AGE_MS = 10 * 60 * 1000;
  function savedOrigin() {
    try {
      var saved = JSON.parse(sessionStorage.getItem("dk-origin") || "null");
      if (!saved || !saved.at || !saved.origin) return null;
      var age = Date.now() - saved.at;
      return age >= 0 && age <= ORIGIN_MAX_AGE_MS ? saved.origin : null;
    } catch (e) { return null; }
  }
  function saveOrigin(o) {
    var saved = JSON.stringify({ origin: o, at: Date.now() });
    try { sessionStorage.setItem("dk-origin", saved); } catch (e) { /* private mode */ }
  }

  /* iPhones do not open geo: links; Apple Maps' address opens the Maps app there. */
  function directionsHref(lat, lon, fallback) {
    if (/iPhone|iPad|iPod/.test(navigator.userAgent) && lat !== null && !isNaN(lat)) {
      return "https://maps.apple.com/?daddr=" + lat + "," + lon;
    }
    return fallback;
  }

  /* Provider pages: the lead card's badge, distance and directions link. */
  function providerCards() {
    var cards = document.querySelectorAll(".dk-card-page");
    for (var i = 0; i < cards.length; i++) {
      var card = cards[i], badge = card.querySelector(".dk-open[data-tz]");
      if (badge) {
        var hours = null;
        try { hours = JSON.parse(badge.getAttribute("data-hours") || "null"); } catch (e) { hours = null; }
        setBadge(badge, status(hours, false, badge.getAttribute("data-tz"), new Date()));
      }
      var lat = parseFloat(card.getAttribute("data-lat")), lon = parseFloat(card.getAttribute("data-lon"));
      var origin = savedOrigin(), dist = card.querySelector(".dk-dist");
      if (origin && dist && !isNaN(lat)) {
        dist.textContent = t("miles", { miles: miles(origin[0], origin[1], lat, lon).toFixed(1) });
        dist.hidden = false;
      }
      var dir = card.querySelector(".dk-directions");
      if (dir && !isNaN(lat)) dir.href = directionsHref(lat, lon, dir.getAttribute("href"));
    }
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function directory(root) {
    var form = root.querySelector(".dk-filters");
    var count = root.querySelector(".dk-count");
    var list = root.querySelector(".dk-results");
    var more = root.querySelector(".dk-more");
    var skip = root.querySelector(".dk-skip");
    var placeMsg = root.querySelector("#dk-place-msg");
    var ageMsg = root.querySelector("#dk-age-msg");
    var urlPattern = root.getAttribute("data-provider-url");
    var base = root.getAttribute("data-index-base");
    var shards = JSON.parse(root.getAttribute("data-shards") || "{}");
    var zip3 = JSON.parse(root.getAttribute("data-zip3") || "{}");
    var keys = Object.keys(shards);
    var loaded = {}, loading = {}, zipTables = {}, rows = [];
    var geo = null, PAGE = 50, shown = PAGE, lastKey = null, cards = {}, current = [];
    var f = form.elements;
    var synonyms = JSON.parse(root.getAttribute("data-synonyms") || "[]");
    /* National directories: a name typed with no place chosen is looked up in Pagefind's
     * index (loaded when the box is first focused), then only the shards it names load. */
    var pf = null, pfHits = null, pfFor = null;

    function add(key, d) {
      loaded[key] = d;
      /* Rows placed at their ZIP code's centroid (as dk.match places them): ranked there,
       * but Directions go to the street address. */
      var byZip = {};
      for (var z = 0; z < (d.zip_located || []).length; z++) byZip[d.zip_located[z]] = true;
      rows = rows.concat(d.providers.map(function (p, i) { return { p: p, d: d, byZip: !!byZip[i] }; }));
    }
    /* A small directory carries its index in the page: no second trip on a slow link. */
    var inline = root.querySelectorAll(".dk-inline-index");
    for (var n = 0; n < inline.length; n++) {
      try { add(inline[n].getAttribute("data-key"), JSON.parse(inline[n].textContent)); } catch (e) { /* fetched below */ }
    }
    /* A directory small enough to list at once (even one over a state line) loads every
     * shard, as for one state; only a national one asks for a place first. */
    var whole = root.hasAttribute("data-load-all");

    /* Load a state's index (once) and redraw when it arrives. */
    function need(key) {
      if (loaded[key] || loading[key] || !shards[key]) return;
      loading[key] = getJSON(base + encodeURIComponent(key) + ".json").then(function (d) {
        add(key, d);
        render(true);
      }).catch(function () { loaded[key] = { providers: [] }; count.textContent = t("load_failed"); });
    }

    function zipTable(state) {
      if (zipTables[state] === undefined) {
        zipTables[state] = null;
        getJSON(base + "zips-" + encodeURIComponent(state) + ".json")
          .then(function (z) { zipTables[state] = z; render(true); })
          .catch(function () { zipTables[state] = {}; render(true); });
      }
      return zipTables[state];
    }

    /* Where distances are measured from: "Use my location", else a 5-digit ZIP code. */
    function origin() {
      var zip = f.zip.value.trim(), msg = "";
      if (zip) {
        geo = null;
        if (!/^\d{5}$/.test(zip)) return { point: null, msg: "zip_short" };
        var state = zip3[zip.slice(0, 3)];
        var table = state ? zipTable(state) : {};
        if (table === null) return { point: null, msg: "zip_loading" };
        if (!table[zip]) return { point: null, msg: "zip_unknown" };
        return { point: table[zip], msg: msg };
      }
      return { point: geo, msg: geo ? "located" : "" };
    }

    /* The shards to read: all of a small directory; else those near the point or the state chosen. */
    function wanted(point) {
      if (keys.length <= 1 || whole) return keys;
      var out = [], pad = 1.5;  /* degrees: ~100 miles, the largest radius */
      for (var i = 0; i < keys.length; i++) {
        var b = shards[keys[i]];
        if (f.state && f.state.value === keys[i]) out.push(keys[i]);
        else if (point && b[1] !== null && point[0] >= b[1] - pad && point[0] <= b[3] + pad &&
          point[1] >= b[2] - pad && point[1] <= b[4] + pad) out.push(keys[i]);
      }
      return out;
    }

    function bit(vocab, word) {
      for (var i = 0; i < vocab.length; i++) if (vocab[i][0] === word) return 1 << i;
      return 0;
    }

    /* Words of a search box query, with brand names and street words swapped for ours. */
    function queryWords() {
      var q = " " + f.q.value.toLowerCase().replace(/[^a-z0-9\u00c0-\u024f]+/g, " ") + " ";
      for (var i = 0; i < synonyms.length; i++) {
        q = q.split(" " + synonyms[i][0] + " ").join(" " + synonyms[i][1] + " ");
      }
      return q.split(" ").filter(function (w) { return w.length > 1; });
    }

    function haystack(r) {
      if (r.text) return r.text;
      var p = r.p, d = r.d, place = d.places[p[2]], parts = [p[1], place[0], place[1], place[2], p[14] || ""];
      var lists = [["needs", 5], ["meds", 6], ["services", 17], ["pops", 18]];
      for (var i = 0; i < lists.length; i++) {
        var vocab = d.vocab[lists[i][0]], bits = p[lists[i][1]];
        /* Each entry is [word, English label, Spanish label]: either language finds it. */
        for (var j = 0; j < vocab.length; j++) if (bits & (1 << j)) parts.push.apply(parts, vocab[j]);
      }
      r.text = " " + parts.join(" ").toLowerCase().replace(/[^a-z0-9\u00c0-\u024f]+/g, " ") + " ";
      return r.text;
    }

    function national(o) {
      return keys.length > 1 && !whole && !o.point && !(f.state && f.state.value);
    }

    function pagefind() {
      if (!pf) {
        pf = import(BASE + "pagefind/pagefind.js").then(function (m) {
          return Promise.resolve(m.options({ basePath: BASE + "pagefind/" })).then(function () { return m; });
        });
      }
      return pf;
    }

    function lookUp(query) {
      if (pfFor === query) return;
      pfFor = query;
      pfHits = null;
      pagefind().then(function (m) { return m.search(query); }).then(function (r) {
        return Promise.all(r.results.slice(0, 20).map(function (x) { return x.data(); }));
      }).then(function (found) {
        if (pfFor !== query) return;
        var hits = {};
        for (var i = 0; i < found.length; i++) {
          var slug = (found[i].url.match(/providers\/([^\/?#]+?)(?:\.html|\/|$)/) || [])[1];
          if (slug) hits[decodeURIComponent(slug)] = true;
          if (found[i].meta && found[i].meta.shard) need(found[i].meta.shard);
        }
        pfHits = hits;
        render(true);
      }).catch(function () { pfHits = {}; render(true); });
    }

    function matches(point) {
      var words = queryWords(), out = [], now = new Date(), today = epochDay(now);
      var byName = pfHits && national({ point: point }) && words.length;
      var radius = parseFloat(f.radius.value) || 0, age = parseInt(f.age.value, 10);
      for (var i = 0; i < rows.length; i++) {
        var r = rows[i], p = r.p, d = r.d, v = d.vocab;
        if (byName && !pfHits[p[0]]) continue;
        if (f.state && f.state.value && !point && d !== loaded[f.state.value]) continue;
        if (f.need.value && !(p[5] & bit(v.needs, f.need.value))) continue;
        if (f.med.value && !(p[6] & bit(v.meds, f.med.value))) continue;
        if (f.pay.value && !(p[7] & bit(v.pay, f.pay.value))) continue;
        if (f.lang.value && p[8].indexOf(f.lang.value) < 0) continue;
        if (f.care.value && !(p[17] & bit(v.services, f.care.value))) continue;
        if (f.pop.value && !(p[18] & bit(v.pops, f.pop.value))) continue;
        if (f.always.checked && !p[9]) continue;
        if (f.dropoff.checked && !p[10]) continue;
        if (f.walkin.checked && !p[15]) continue;
        if (!isNaN(age) && ((p[19] !== null && age < p[19]) || (p[20] !== null && age > p[20]))) continue;
        /* Found by Pagefind already, or matched here word by word. */
        var hay = words.length && !byName ? haystack(r) : "", ok = true;
        for (var w = 0; w < words.length && ok && !byName; w++) ok = hay.indexOf(words[w]) >= 0;
        if (!ok) continue;
        var st = status(p[11] === null ? null : d.hours[p[11]], p[9], d.places[p[2]][3], now);
        if (f.open.checked && st.open !== true) continue;
        var angle = point && p[3] !== null ? arc(point[0], point[1], p[3], p[4]) : null;
        var dist = angle === null ? null : EARTH_MILES * angle;
        if (point && radius && (dist === null || dist > radius)) continue;
        var m = { r: r, st: st, dist: dist, km: null, score: 0 };
        if (point) rank(m, angle, today);
        out.push(m);
      }
      /* Without a place: the directory's own order (by slug), whichever shard loaded first. */
      out.sort(point ? byRank : bySlug);
      return out;
    }

    /* The library's score: km from the point plus penalties, rounded as dk.match rounds. */
    function rank(m, angle, today) {
      var d = m.r.d, R = d.ranking, before = m.r.p[21];
      if (!R) { m.km = m.dist; m.score = m.dist || 0; return; }  /* an index before version 4: distance */
      m.km = angle === null ? null : angle * R.earth_km;
      /* The row says how many days before the index's newest check it was verified. */
      var verifiedDay = typeof before === "number" ? d.verified_base - before : null;
      m.score = Math.round(((m.km || 0) + penaltyKm(m.r.p, m.st, verifiedDay, today, R)) * 1000) / 1000;
    }

    function card(m) {
      var p = m.r.p, d = m.r.d, place = d.places[p[2]];
      var li = el("li", "dk-card"), h = el("h2", "dk-card-name"), a = el("a", "", p[1]);
      li.setAttribute("data-slug", p[0]);
      a.href = urlPattern.replace("__slug__", encodeURIComponent(p[0]));
      h.appendChild(a);
      li.appendChild(h);
      var status_ = el("p", "dk-card-status"), badge = el("span", "dk-badge dk-open");
      var dist = el("span", "dk-dist");
      status_.appendChild(badge);
      status_.appendChild(document.createTextNode(" "));
      status_.appendChild(dist);
      li.appendChild(status_);
      var actions = el("p", "dk-card-actions");
      if (p[12]) {
        var call = el("a", "dk-call md-button md-button--primary", t("call", { phone: p[13] }));
        call.href = "tel:" + p[12];
        actions.appendChild(call);
      }
      var exact = p[3] !== null && !m.r.byZip;
      var geoHref = exact ? "geo:" + p[3] + "," + p[4] + "?q=" + p[3] + "," + p[4] :
        p[14] ? "geo:0,0?q=" + encodeURIComponent(p[14]) : null;
      if (geoHref) {
        var dir = el("a", "dk-directions md-button", t("directions"));
        dir.href = exact ? directionsHref(p[3], p[4], geoHref) : geoHref;
        if (actions.firstChild) actions.appendChild(document.createTextNode(" "));
        actions.appendChild(dir);
      }
      if (actions.firstChild) li.appendChild(actions);
      var facts = [];
      if (p[10]) facts.push(t("dropoff"));
      if (p[16] !== null) facts.push(t("handoff", { minutes: p[16] }));
      if (p[15]) facts.push(t("walk_in"));
      if (facts.length) li.appendChild(el("p", "dk-card-facts", facts.join(" · ")));
      var addr = p[14] || [place[0], place[2]].filter(Boolean).join(", ");
      if (addr) li.appendChild(el("p", "dk-card-addr", addr));
      update(li, m);
      return li;
    }

    /* The parts of a card that change with the clock or the point: badge and distance. */
    function update(li, m) {
      setBadge(li.querySelector(".dk-open"), m.st);
      var dist = li.querySelector(".dk-dist");
      var text = m.dist === null ? "" : t("miles", { miles: m.dist.toFixed(1) });
      if (dist.textContent !== text) dist.textContent = text;
      dist.hidden = !text;
    }

    function stateKey(o) {
      var parts = [];
      for (var i = 0; i < f.length; i++) {
        var x = f[i];
        if (x.name) parts.push(x.name + "=" + (x.type === "checkbox" ? x.checked : x.value));
      }
      return parts.join("&") + "|" + (o.point ? o.point.join(",") : "") + "|" + rows.length + "|" + shown;
    }

    function messages(o) {
      var msg = o.msg ? t(o.msg, { zip: f.zip.value.trim() }) : "";
      /* A half-typed ZIP is only wrong once the officer has left the box. */
      if (o.msg === "zip_short" && document.activeElement === f.zip) msg = "";
      if (!o.point && f.radius.value && !msg) msg = t("radius_needs_place");
      if (placeMsg.textContent !== msg) placeMsg.textContent = msg;
      placeMsg.classList.toggle("dk-msg-bad", /zip_short|zip_unknown/.test(o.msg) || msg === t("radius_needs_place"));
      var age = f.age.value.trim(), bad = age && !/^\d{1,3}$/.test(age) || parseInt(age, 10) > 120;
      var ageText = bad ? t("age_bad") : "";
      if (ageMsg.textContent !== ageText) ageMsg.textContent = ageText;
    }

    /* Redraw only when the result set or its order changed; reuse each card's node so a
     * finger already on a card keeps it. `force` after new data arrives. */
    function render(force) {
      keepInAddress();
      var o = origin();
      messages(o);
      var want = wanted(o.point);
      for (var i = 0; i < want.length; i++) need(want[i]);
      var key = stateKey(o);
      if (!force && key === lastKey) return;
      lastKey = key;
      var pending = want.some(function (k) { return !loaded[k]; });
      var words = queryWords();
      if (national(o) && words.length) {
        lookUp(words.join(" "));
        if (!pfHits) { count.textContent = t("loading"); return; }
        pending = Object.keys(loading).some(function (k) { return !loaded[k]; });
      } else if (!want.length) {
        count.textContent = t("count_pick_place");
        count.setAttribute("data-count", "0");
        reconcile([]);
        return;
      }
      var found = matches(o.point), total = rows.length;
      var text = pending && !rows.length ? t("loading") :
        found.length === total ? t("count_all", { total: total }) :
        found.length ? t("count_some", { found: found.length, total: total }) : t("no_match");
      if (count.textContent !== text) count.textContent = text;
      if (!pending) count.setAttribute("data-count", String(found.length));
      reconcile(found.slice(0, shown));
      more.hidden = found.length <= shown;
    }

    function reconcile(items) {
      var next = {}, before = list.firstChild;
      for (var i = 0; i < items.length; i++) {
        var slug = items[i].r.p[0], li = cards[slug];
        if (li) update(li, items[i]);
        else li = card(items[i]);
        next[slug] = li;
        if (li !== before) list.insertBefore(li, before);
        else before = before.nextSibling;
      }
      while (before) { var gone = before; before = before.nextSibling; list.removeChild(gone); }
      cards = next;
      current = items;
    }

    /* The one-minute tick: badges and open-now only, never the list under a finger. */
    function tick() {
      if (f.open.checked) { render(true); return; }
      var now = new Date();
      for (var i = 0; i < current.length; i++) {
        var m = current[i], p = m.r.p, d = m.r.d;
        m.st = status(p[11] === null ? null : d.hours[p[11]], p[9], d.places[p[2]][3], now);
        update(cards[p[0]], m);
      }
    }

    /* The filters live in the address (?need=opioids&dropoff=1…): a reload, a shared link
     * and the language switch keep them. A position is never written there, only that one
     * was used ("near=me"); it stays in this tab's sessionStorage. */
    var switcher = document.querySelector(".dk-lang-switch");
    var switchBase = switcher ? switcher.getAttribute("href").split("?")[0] : null;
    function filterQuery() {
      var params = new URLSearchParams();
      for (var i = 0; i < f.length; i++) {
        var x = f[i];
        if (!x.name) continue;
        if (x.type === "checkbox") { if (x.checked) params.set(x.name, "1"); }
        else if (x.value) params.set(x.name, x.value);
      }
      if (geo && !f.zip.value) params.set("near", "me");
      return params.toString();
    }
    function restoreFilters(params) {
      var details = form.querySelector(".dk-more-filters");
      for (var i = 0; i < f.length; i++) {
        var x = f[i], v = x.name ? params.get(x.name) : null;
        if (v === null) continue;
        if (x.type === "checkbox") x.checked = v === "1";
        else x.value = v;
        if (details && details.contains(x) && (x.checked || x.value)) details.open = true;
      }
      if (params.get("near") === "me") geo = savedOrigin();
    }
    function keepInAddress() {
      var qs = filterQuery(), search = qs ? "?" + qs : "";
      if (switcher) switcher.setAttribute("href", switchBase + search);
      if (location.search !== search && window.history && history.replaceState) {
        try { history.replaceState(history.state, "", location.pathname + search + location.hash); } catch (e) { /* file: pages */ }
      }
    }

    function locate() {
      if (!navigator.geolocation) { placeMsg.textContent = t("location_unavailable"); return; }
      placeMsg.textContent = t("locating");
      navigator.geolocation.getCurrentPosition(function (pos) {
        geo = [pos.coords.latitude, pos.coords.longitude];
        saveOrigin(geo);
        f.zip.value = "";
        render(true);
      }, function (err) {
        /* Denied is the officer's setting to change; a timeout or no fix is the signal. */
        placeMsg.textContent = t(err && err.code === 1 ? "location_denied" : "location_failed");
        placeMsg.classList.add("dk-msg-bad");
      }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 });
    }

    form.hidden = false;
    if (skip) skip.hidden = false;
    if (keys.length > 1) f.q.addEventListener("focus", function () { pagefind().catch(function () { return null; }); });
    form.addEventListener("input", function () { shown = PAGE; render(false); });
    form.addEventListener("change", function () { shown = PAGE; render(false); });
    f.zip.addEventListener("blur", function () { render(false); });
    form.addEventListener("reset", function () {
      geo = null;
      setTimeout(function () { shown = PAGE; render(true); }, 0);
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    root.querySelector(".dk-locate").addEventListener("click", locate);
    more.addEventListener("click", function () { shown += PAGE * 4; render(false); });
    restoreFilters(new URLSearchParams(location.search));
    render(true);
    setInterval(tick, 60000);
  }

  /* The offline copy: a service worker at the site root, registered once the page is idle. */
  function offline() {
    if (!("serviceWorker" in navigator) || !BASE || location.protocol === "file:") return;
    window.addEventListener("load", function () {
      navigator.serviceWorker.register(BASE + "sw.js", { scope: BASE }).catch(function () { /* optional */ });
    });
  }

  /* The header search covers the prose pages; providers are searched on the directory, with
   * its filters. Offer that search with the same words, at the top of the header's results. */
  function headerSearch() {
    var input = document.querySelector(".md-search__input");
    var output = document.querySelector(".md-search__output");
    if (!input || !output || !BASE) return;
    var p = el("p", "dk-search-providers"), a = el("a", "");
    p.appendChild(a);
    p.hidden = true;
    output.insertBefore(p, output.firstChild);
    input.addEventListener("input", function () {
      var q = input.value.trim();
      p.hidden = !q;
      a.textContent = t("search_directory", { q: q });
      a.href = BASE + (LANG === "es" ? "es/" : "") + "directory/?q=" + encodeURIComponent(q);
    });
  }

  /* The theme reads <link rel="alternate"> as a whole site in another language and takes
   * over clicks on links into it, dropping the query string that carries the filters. The
   * language switch goes where its own address says. */
  function languageSwitch() {
    var links = document.querySelectorAll(".dk-lang-switch");
    for (var i = 0; i < links.length; i++) {
      links[i].addEventListener("click", function (e) { e.stopPropagation(); });
    }
  }

  /* Code blocks and wide tables scroll sideways: a keyboard must reach them too
   * (axe: scrollable-region-focusable). */
  function focusableScrollers() {
    var scrollers = document.querySelectorAll(".md-typeset pre > code, .md-typeset__scrollwrap");
    for (var s = 0; s < scrollers.length; s++) {
      if (!scrollers[s].hasAttribute("tabindex")) scrollers[s].setAttribute("tabindex", "0");
    }
  }

  function init() {
    /* The theme's search dialog has no accessible name (axe: aria-dialog-name). */
    var dialog = document.querySelector(".md-search[role=dialog]");
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", t("search_site"));
    focusableScrollers();
    /* The theme wraps wide tables once its own script has run, after this one. */
    window.addEventListener("load", focusableScrollers);
    if (window.document$ && window.document$.subscribe) window.document$.subscribe(focusableScrollers);
    headerSearch();
    languageSwitch();
    providerCards();
    setInterval(providerCards, 60000);
    var dirs = document.querySelectorAll(".dk-directory");
    for (var i = 0; i < dirs.length; i++) directory(dirs[i]);
  }

  window.deflectkit = {
    isOpen: isOpen, status: status, localTime: localTime, miles: miles,
    penaltyKm: penaltyKm, epochDay: epochDay
  };
  offline();
  /* Loaded async from the head: start once the footer is parsed (the content is then
   * complete), without waiting for DOMContentLoaded, which waits for the theme's script
   * (seconds on a slow link). */
  var started = false, poll = null;
  function start() {
    if (started) return;
    started = true;
    if (poll) clearInterval(poll);
    init();
  }
  if (document.readyState !== "loading" || document.querySelector(".md-footer")) start();
  else {
    poll = setInterval(function () { if (document.querySelector(".md-footer")) start(); }, 50);
    document.addEventListener("DOMContentLoaded", start);
  }
})();
