// argmap site: search the nodes of every map (text and id), from the inline index.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("site-data").textContent);
  var input = document.getElementById("search");
  var count = document.getElementById("search-count");
  var list = document.getElementById("results");
  var LIMIT = 50;
  var rows = data.nodes.map(function (n) {
    return { map: n[0], id: n[1], kind: n[2], text: n[3], hay: (n[1] + " " + n[3]).toLowerCase() };
  });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function marked(text, terms) {
    // the text with the first match of each term in <mark> (built as nodes, never as HTML)
    var low = text.toLowerCase(), spans = [];
    terms.forEach(function (t) {
      var i = low.indexOf(t);
      if (i >= 0) spans.push([i, i + t.length]);
    });
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var frag = document.createDocumentFragment(), at = 0;
    spans.forEach(function (s) {
      if (s[0] < at) return;
      frag.appendChild(document.createTextNode(text.slice(at, s[0])));
      frag.appendChild(el("mark", "", text.slice(s[0], s[1])));
      at = s[1];
    });
    frag.appendChild(document.createTextNode(text.slice(at)));
    return frag;
  }

  function run() {
    var q = input.value.trim().toLowerCase();
    list.textContent = "";
    if (!q) { count.textContent = ""; return; }
    var terms = q.split(/\s+/);
    var hits = rows.filter(function (r) {
      return terms.every(function (t) { return r.hay.indexOf(t) >= 0; });
    });
    var maps = {};
    hits.forEach(function (h) { maps[h.map] = 1; });
    var nmaps = Object.keys(maps).length;
    count.textContent = hits.length + (hits.length === 1 ? " node" : " nodes") +
      (hits.length ? " in " + nmaps + (nmaps === 1 ? " map" : " maps") : "") +
      (hits.length > LIMIT ? " (first " + LIMIT + " shown)" : "");
    hits.slice(0, LIMIT).forEach(function (h) {
      var page = data.maps[h.map];
      var li = el("li");
      li.setAttribute("data-map", page[0]);
      li.setAttribute("data-node", h.id);
      var a = el("a", "hit");
      a.href = page[0] + "#" + encodeURIComponent(h.id);
      a.appendChild(marked(h.text, terms));
      li.appendChild(a);
      li.appendChild(document.createTextNode(" "));
      var nid = el("span", "nid");
      nid.appendChild(document.createTextNode(h.kind + " "));
      nid.appendChild(marked(h.id, terms));
      li.appendChild(nid);
      li.appendChild(el("span", "in", " in " + page[1]));
      list.appendChild(li);
    });
  }

  input.addEventListener("input", run);
  document.addEventListener("keydown", function (e) {
    if (e.key === "/" && document.activeElement !== input) { e.preventDefault(); input.focus(); }
    else if (e.key === "Escape" && document.activeElement === input) { input.value = ""; run(); }
  });
  if (input.value) run();
  document.documentElement.setAttribute("data-ready", "1");
})();
