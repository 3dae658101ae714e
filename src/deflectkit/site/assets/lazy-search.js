/* Loaded in the page head, before the theme's script: the theme fetches its whole site-search
 * index (search/search_index.json) on every page load. Hold that one request until someone
 * opens the search box, so a phone on a weak signal spends nothing on search it does not use. */
(function () {
  "use strict";
  var proto = XMLHttpRequest.prototype, open = proto.open, send = proto.send;
  var waiting = [], wanted = false;

  function want() {
    if (wanted) return;
    wanted = true;
    for (var i = 0; i < waiting.length; i++) waiting[i]();
    waiting = [];
  }

  proto.open = function (method, url) {
    this.dkSearchIndex = /(^|\/)search\/search_index\.json(\?|$)/.test(String(url));
    return open.apply(this, arguments);
  };
  proto.send = function () {
    var xhr = this, args = arguments;
    if (!xhr.dkSearchIndex || wanted) return send.apply(xhr, args);
    waiting.push(function () { send.apply(xhr, args); });
  };

  function isSearch(el) {
    return el && el.closest && (el.closest("label[for=__search]") || el.closest(".md-search") ||
      el.id === "__search");
  }
  document.addEventListener("focusin", function (e) { if (isSearch(e.target)) want(); }, true);
  document.addEventListener("click", function (e) { if (isSearch(e.target)) want(); }, true);
  document.addEventListener("change", function (e) { if (isSearch(e.target)) want(); }, true);
})();
