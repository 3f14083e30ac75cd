/* argmap render --html: interaction. Reads its data from the JSON block; builds
   every piece of map text with textContent (never innerHTML); makes no request. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("argmap-data").textContent);
  var nodes = data.nodes, order = data.order;
  var svg = document.querySelector("#map svg");
  var article = document.getElementById("article");
  var details = document.getElementById("details");
  var search = document.getElementById("search");
  var searchCount = document.getElementById("search-count");
  var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var overview = document.createDocumentFragment();
  while (details.firstChild) overview.appendChild(details.firstChild);
  details.appendChild(overview.cloneNode(true));

  var gOf = {}, edgesOf = {}, marksOf = {};
  if (svg) {
    svg.querySelectorAll("g.node[data-node]").forEach(function (g) { gOf[g.getAttribute("data-node")] = g; });
    svg.querySelectorAll("g.edge[data-ends]").forEach(function (g) {
      g.getAttribute("data-ends").split(" ").forEach(function (id) { (edgesOf[id] = edgesOf[id] || []).push(g); });
    });
  }
  if (article) {
    article.querySelectorAll("mark.q[data-n]").forEach(function (m) {
      m.getAttribute("data-n").split(" ").forEach(function (id) { (marksOf[id] = marksOf[id] || []).push(m); });
    });
  }

  // Dimming: one translucent veil over the drawing, with copies (<use>) of the
  // elements that matter drawn above it. Cheap even for big maps (opacity on
  // each element is not), and the real nodes keep their place in the Tab order
  // and still take the clicks (veil and copies let pointer events through).
  var SVGNS = "http://www.w3.org/2000/svg";
  var layer = svg ? (svg.querySelector("g.graph") || svg) : null, top = null;
  if (svg) {
    top = document.createElementNS(SVGNS, "g");
    top.setAttribute("class", "raised");
    top.setAttribute("aria-hidden", "true");
    var veil = document.createElementNS(SVGNS, "rect");
    veil.setAttribute("class", "veil");
    ["x", "y"].forEach(function (a) { veil.setAttribute(a, "-100000"); });
    ["width", "height"].forEach(function (a) { veil.setAttribute(a, "200000"); });
    top.appendChild(veil);
  }
  function updateVeil() {
    if (!svg) return;
    var els = [];
    if (selected !== null) svg.querySelectorAll(".near").forEach(function (e) { els.push(e); });
    if (searching) matches.forEach(function (id) { if (gOf[id] && !gOf[id].classList.contains("near")) els.push(gOf[id]); });
    while (top.childNodes.length > 1) top.removeChild(top.lastChild);
    if (!els.length) { if (top.parentNode) top.parentNode.removeChild(top); return; }
    els.forEach(function (el) {
      if (!el.id) return;
      var u = document.createElementNS(SVGNS, "use");
      u.setAttribute("href", "#" + el.id);
      top.appendChild(u);
    });
    layer.appendChild(top);
  }

  order.forEach(function (id) {
    if (gOf[id] && nodes[id].problems.length) {
      gOf[id].classList.add("problem");
      gOf[id].setAttribute("aria-label", gOf[id].getAttribute("aria-label") + " (" + nodes[id].problems.length +
        (nodes[id].problems.length === 1 ? " problem)" : " problems)"));
    }
  });

  // Incoming relations, for "supported by" / "attacked by" / "undercut by".
  var incoming = {};
  order.forEach(function (id) { incoming[id] = { supports: [], attacks: [], undercuts: [] }; });
  order.forEach(function (id) {
    var n = nodes[id];
    ["supports", "attacks"].forEach(function (rel) {
      n[rel].forEach(function (r) {
        [id].concat(r["with"] || []).forEach(function (src) {
          if (incoming[r.to] && incoming[r.to][rel].indexOf(src) < 0) incoming[r.to][rel].push(src);
        });
      });
    });
    n.undercuts.forEach(function (ref) {
      var tgt = ref.split("->")[0];
      if (incoming[tgt]) incoming[tgt].undercuts.push(id + " \u2192 " + ref);
    });
  });

  // ------------------------------------------------------------------ DOM helpers
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function goLink(id) {
    if (!nodes[id]) return el("span", "note", id + " (no such node in the map)");
    var a = el("a", "go", nodes[id].text);
    a.href = "#" + encodeURIComponent(id);
    a.setAttribute("data-go", id);
    a.title = id;
    return a;
  }
  function section(title, items) {
    if (!items.length) return null;
    var f = document.createDocumentFragment();
    f.appendChild(el("h3", null, title));
    var ul = el("ul");
    items.forEach(function (it) { var li = el("li"); li.appendChild(it); ul.appendChild(li); });
    f.appendChild(ul);
    return f;
  }
  function relItems(rels) {
    return rels.map(function (r) {
      var f = document.createDocumentFragment();
      f.appendChild(goLink(r.to));
      if ((r["with"] || []).length) {
        f.appendChild(document.createTextNode(" (together with "));
        r["with"].forEach(function (w, i) { if (i) f.appendChild(document.createTextNode(", ")); f.appendChild(goLink(w)); });
        f.appendChild(document.createTextNode(")"));
      }
      if (r.scheme) f.appendChild(el("span", "note", " \u2014 " + r.scheme));
      return f;
    });
  }

  // ------------------------------------------------------------------ details panel
  function showDetails(id) {
    var n = nodes[id];
    details.textContent = "";
    var head = el("div", "row");
    head.appendChild(el("span", "kind " + n.kind, n.kind));
    head.appendChild(el("span", "nid", id));
    head.appendChild(el("span", "sp"));
    var close = el("button", "btn", "Clear (Esc)");
    close.type = "button";
    close.addEventListener("click", clear);
    head.appendChild(close);
    details.appendChild(head);
    details.appendChild(el("h2", null, n.text));
    if (n.actor) details.appendChild(el("p", "note", "Actor: " + n.actor));
    if (n.quote) {
      var bq = el("blockquote", marksOf[id] ? "in-article" : null, "\u201c" + n.quote + "\u201d");
      details.appendChild(bq);
      if (marksOf[id]) {
        var show = el("button", "btn", "Show in article");
        show.type = "button";
        show.addEventListener("click", function () { scrollToPassage(id, true); });
        details.appendChild(show);
      } else if (data.hasSource) {
        details.appendChild(el("p", "note", "This quote was not found in the source text."));
      }
    }
    var inc = incoming[id];
    [
      section("Supports", relItems(n.supports)),
      section("Attacks", relItems(n.attacks)),
      section("Undercuts", n.undercuts.map(function (ref) {
        var f = document.createDocumentFragment(), parts = ref.split("->");
        parts.forEach(function (p, i) { if (i) f.appendChild(document.createTextNode(" \u2192 ")); f.appendChild(goLink(p)); });
        return f;
      })),
      section("Supported by", inc.supports.map(goLink)),
      section("Attacked by", inc.attacks.map(goLink)),
      section("Undercut by", inc.undercuts.map(function (s) { return goLink(s.split(" ")[0]); }))
    ].forEach(function (s) { if (s) details.appendChild(s); });
    if (n.tags.length) details.appendChild(el("p", "note", "Tags: " + n.tags.join(", ")));
    if (n.note) { details.appendChild(el("h3", null, "Note")); details.appendChild(el("p", null, n.note)); }
    if (n.draft) details.appendChild(el("p", "note", "Draft from " + (n.draft.backend || "extract") + ", confidence " + n.draft.confidence));
    if (n.problems.length) {
      details.appendChild(el("h3", null, "Check problems"));
      var ul = el("ul", "probs");
      n.problems.forEach(function (p) {
        var li = el("li");
        li.appendChild(el("span", "sev " + p.severity, p.severity));
        li.appendChild(document.createTextNode(p.message + " "));
        li.appendChild(el("span", "nid", "[" + p.rule + " " + p.name + (p.line ? ", line " + p.line : "") + "]"));
        ul.appendChild(li);
      });
      details.appendChild(ul);
    }
  }

  // ------------------------------------------------------------------ selection
  var selected = null;
  function select(id, opts) {
    opts = opts || {};
    if (!nodes[id]) return;
    clear(true);
    selected = id;
    if (svg) {
      svg.classList.add("has-sel");
      var g = gOf[id];
      if (g) {
        g.classList.add("selected", "near");
        g.setAttribute("aria-current", "true");
        (edgesOf[id] || []).forEach(function (e) {
          e.classList.add("near");
          e.getAttribute("data-ends").split(" ").forEach(function (o) { if (gOf[o]) gOf[o].classList.add("near"); });
        });
        if (opts.reveal) reveal(g);
      }
    }
    updateVeil();
    (marksOf[id] || []).forEach(function (m) { m.classList.add("active"); });
    if (opts.scroll !== false) scrollToPassage(id, false);
    showDetails(id);
    try { history.replaceState(null, "", "#" + encodeURIComponent(id)); } catch (e) { /* file: URLs may refuse */ }
  }
  function clear(keepHash) {
    if (svg) {
      svg.classList.remove("has-sel");
      svg.querySelectorAll(".selected, .near").forEach(function (e) {
        e.classList.remove("selected", "near");
        e.removeAttribute("aria-current");
      });
    }
    var had = selected;
    if (article) article.querySelectorAll("mark.active").forEach(function (m) { m.classList.remove("active"); });
    if (selected !== null && keepHash !== true) {
      details.textContent = "";
      details.appendChild(overview.cloneNode(true));
      try { history.replaceState(null, "", location.pathname + location.search); } catch (e) { /* ignore */ }
    }
    if (keepHash !== true) {
      selected = null;
      if (had !== null) updateVeil();
    }
  }
  function scrollToPassage(id, focus) {
    var ms = marksOf[id];
    if (!ms || !ms.length) return;
    ms[0].scrollIntoView({ block: "center", inline: "nearest", behavior: reduced ? "auto" : "smooth" });
    if (focus) ms[0].focus({ preventScroll: true });
  }

  // ------------------------------------------------------------------ pan and zoom
  // The SVG keeps its natural size and moves by a CSS transform (scale k, then
  // translate tx, ty in the map pane's pixels): no SVG re-layout while panning.
  var mapPane = document.getElementById("map");
  var full = null, view = { k: 1, tx: 0, ty: 0 };
  if (svg) {
    var b = svg.viewBox.baseVal;
    full = { w: b.width || 1, h: b.height || 1 };
    svg.setAttribute("width", full.w);
    svg.setAttribute("height", full.h);
  }
  function apply() {
    svg.style.transform = "translate(" + view.tx + "px, " + view.ty + "px) scale(" + view.k + ")";
    view.fitted = false;
  }
  function paneRect() { return mapPane.getBoundingClientRect(); }
  function zoomAt(f, cx, cy) {  // f > 1 zooms out, f < 1 zooms in, around client point (cx, cy)
    var r = paneRect(), k = view.k / f, fitK = Math.min(r.width / full.w, r.height / full.h);
    if (k > 8 || k < fitK / 4) return;
    var px = cx == null ? r.width / 2 : cx - r.left, py = cy == null ? r.height / 2 : cy - r.top;
    view.tx = px - (px - view.tx) * (k / view.k);
    view.ty = py - (py - view.ty) * (k / view.k);
    view.k = k;
    apply();
  }
  function fit() {
    var r = paneRect();
    view.k = Math.min(r.width / full.w, r.height / full.h, MAX_FIT) || 1;
    view.tx = (r.width - full.w * view.k) / 2;
    view.ty = (r.height - full.h * view.k) / 2;
    apply();
    view.fitted = true;
  }
  function centreOn(g, yShare) {
    var r = paneRect(), gb = g.getBoundingClientRect();
    view.tx += r.left + r.width / 2 - (gb.left + gb.width / 2);
    view.ty += r.top + r.height * (yShare == null ? 0.5 : yShare) - (gb.top + gb.height / 2);
    apply();
  }
  function reveal(g) {
    var r = g.getBoundingClientRect(), s = paneRect();
    if (r.left >= s.left && r.right <= s.right && r.top >= s.top && r.bottom <= s.bottom) return;
    centreOn(g);
  }
  // Start where the text is readable: the whole map when it fits at a legible
  // scale, else a legible window around the (first) thesis.
  var LEGIBLE = 0.9;  // CSS px per SVG unit: 11pt labels at about 10px
  var MAX_FIT = 1.35;  // a small map is not blown up beyond this
  function initialView() {
    fit();
    var r = paneRect();
    if (!r.width || !r.height || view.k >= LEGIBLE) return;
    view.k = LEGIBLE;
    var focus = order.filter(function (id) { return nodes[id].kind === "thesis" && gOf[id]; })[0];
    view.tx = (r.width - full.w * view.k) / 2;
    view.ty = 0;
    apply();
    if (focus) centreOn(gOf[focus], 0.3);
    // keep the map's edges from drifting into the pane
    view.tx = Math.min(0, Math.max(view.tx, r.width - full.w * view.k));
    if (full.h * view.k > r.height) view.ty = Math.min(0, Math.max(view.ty, r.height - full.h * view.k));
    apply();
  }
  if (svg) {
    mapPane.addEventListener("wheel", function (e) {
      e.preventDefault();
      zoomAt(Math.pow(1.0015, e.deltaMode === 1 ? e.deltaY * 30 : e.deltaY), e.clientX, e.clientY);
    }, { passive: false });
    var pointers = {}, drag = null, moved = false, pinch = null;
    mapPane.addEventListener("pointerdown", function (e) {
      if (e.button !== 0) return;
      pointers[e.pointerId] = { x: e.clientX, y: e.clientY };
      var ids = Object.keys(pointers);
      if (ids.length === 1) { drag = { x: e.clientX, y: e.clientY }; moved = false; }
      else if (ids.length === 2) {
        var a = pointers[ids[0]], c = pointers[ids[1]];
        pinch = { d: Math.hypot(a.x - c.x, a.y - c.y) }; drag = null;
      }
    });
    mapPane.addEventListener("pointermove", function (e) {
      if (!pointers[e.pointerId]) return;
      pointers[e.pointerId] = { x: e.clientX, y: e.clientY };
      var ids = Object.keys(pointers);
      if (pinch && ids.length === 2) {
        var a = pointers[ids[0]], c = pointers[ids[1]], d = Math.hypot(a.x - c.x, a.y - c.y);
        if (d > 0 && pinch.d > 0) zoomAt(pinch.d / d, (a.x + c.x) / 2, (a.y + c.y) / 2);
        pinch.d = d; moved = true;
        return;
      }
      if (!drag) return;
      var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (!moved && Math.hypot(dx, dy) < 5) return;
      if (!moved) { moved = true; mapPane.setPointerCapture(e.pointerId); mapPane.classList.add("dragging"); }
      view.tx += dx; view.ty += dy; drag = { x: e.clientX, y: e.clientY };
      apply();
    });
    var up = function (e) {
      delete pointers[e.pointerId];
      if (Object.keys(pointers).length < 2) pinch = null;
      if (!Object.keys(pointers).length) { drag = null; mapPane.classList.remove("dragging"); }
    };
    mapPane.addEventListener("pointerup", up);
    mapPane.addEventListener("pointercancel", up);
    mapPane.addEventListener("click", function (e) {
      if (e.target.closest && e.target.closest(".zoom")) return;
      if (moved) { moved = false; return; }
      var g = e.target.closest && e.target.closest("g.node[data-node]");
      if (g) { e.preventDefault(); select(g.getAttribute("data-node")); }
      else if (selected) clear();
    });
    svg.addEventListener("keydown", function (e) {
      var g = e.target.closest && e.target.closest("g.node[data-node]");
      if (g && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); select(g.getAttribute("data-node")); }
    });
    svg.addEventListener("focusin", function (e) {
      var g = e.target.closest && e.target.closest("g.node[data-node]");
      if (g) reveal(g);
    });
    document.getElementById("zoom-in").addEventListener("click", function () { zoomAt(1 / 1.35); });
    document.getElementById("zoom-out").addEventListener("click", function () { zoomAt(1.35); });
    document.getElementById("zoom-fit").addEventListener("click", fit);
    var resizing = null;
    window.addEventListener("resize", function () {  // keep a fitted map fitted
      clearTimeout(resizing);
      resizing = setTimeout(function () { if (view.fitted) fit(); }, 120);
    });
  }

  // ------------------------------------------------------------------ article passages
  function fromPassage(m) {
    var ids = m.getAttribute("data-n").split(" ").filter(function (id) { return !hidden[nodes[id].kind]; });
    if (!ids.length) return;
    var i = ids.indexOf(selected);  // overlapping quotes: each click selects the next one
    select(ids[(i + 1) % ids.length], { scroll: false, reveal: true });
  }
  if (article) {
    article.addEventListener("click", function (e) {
      var m = e.target.closest && e.target.closest("mark.q[data-n]");
      if (m && !m.classList.contains("off") && !String(window.getSelection()).length) fromPassage(m);
    });
    article.addEventListener("keydown", function (e) {
      var m = e.target.closest && e.target.closest("mark.q[data-n]");
      if (m && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); fromPassage(m); }
    });
  }
  details.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[data-go]");
    if (a) { e.preventDefault(); select(a.getAttribute("data-go"), { reveal: true }); }
  });

  // ------------------------------------------------------------------ filters and search
  var hidden = {};
  document.querySelectorAll("#kinds input[data-kind]").forEach(function (box) {
    box.addEventListener("change", function () {
      hidden[box.getAttribute("data-kind")] = !box.checked;
      applyFilters();
    });
  });
  function applyFilters() {
    order.forEach(function (id) {
      var off = !!hidden[nodes[id].kind], g = gOf[id];
      if (g) { g.classList.toggle("off", off); g.setAttribute("tabindex", off ? "-1" : "0"); }
    });
    if (svg) svg.querySelectorAll("g.edge[data-ends]").forEach(function (e) {
      e.classList.toggle("off", e.getAttribute("data-ends").split(" ").some(function (id) { return nodes[id] && hidden[nodes[id].kind]; }));
    });
    if (article) article.querySelectorAll("mark.q[data-n]").forEach(function (m) {
      var all = m.getAttribute("data-n").split(" ").every(function (id) { return hidden[nodes[id].kind]; });
      m.classList.toggle("off", all);
      m.setAttribute("tabindex", all ? "-1" : "0");
    });
    if (selected && hidden[nodes[selected].kind]) clear();
    runSearch();
  }
  var matches = [], cursor = -1, searching = false;
  function runSearch() {
    var q = search.value.trim().toLowerCase(), terms = q ? q.split(/\s+/) : [];
    matches = [];
    order.forEach(function (id) {
      var n = nodes[id], hay = (id + " " + n.text + " " + (n.quote || "") + " " + (n.actor || "") + " " + n.tags.join(" ")).toLowerCase();
      var ok = terms.length > 0 && !hidden[n.kind] && terms.every(function (t) { return hay.indexOf(t) >= 0; });
      if (ok) matches.push(id);
      if (gOf[id]) gOf[id].classList.toggle("match", ok);
    });
    searching = terms.length > 0;
    if (svg) svg.classList.toggle("searching", searching);
    updateVeil();
    searchCount.textContent = terms.length ? matches.length + (matches.length === 1 ? " match" : " matches") : "";
    cursor = -1;
  }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && matches.length) {
      e.preventDefault();
      cursor = (cursor + 1) % matches.length;
      select(matches[cursor], { reveal: true });
      searchCount.textContent = (cursor + 1) + " of " + matches.length;
    }
  });

  // ------------------------------------------------------------------ keyboard
  document.addEventListener("keydown", function (e) {
    var typing = e.target === search;
    if (e.key === "Escape") {
      if (typing && search.value) { search.value = ""; runSearch(); }
      clear();
      return;
    }
    if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "/") { e.preventDefault(); search.focus(); }
    else if (svg && (e.key === "+" || e.key === "=")) zoomAt(1 / 1.35);
    else if (svg && (e.key === "-" || e.key === "_")) zoomAt(1.35);
    else if (svg && e.key === "0") fit();
  });

  // A link to "page.html#node-id" opens with that node selected.
  if (svg) initialView();
  var start = decodeURIComponent(location.hash.slice(1));
  if (start && nodes[start]) select(start, { reveal: true });
  window.addEventListener("hashchange", function () {
    var id = decodeURIComponent(location.hash.slice(1));
    if (nodes[id] && id !== selected) select(id, { reveal: true });
  });
  document.documentElement.setAttribute("data-ready", "1");
})();
