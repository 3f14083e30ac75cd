/* argmap render --html: interaction. Reads its data from the JSON block; builds
   every piece of map text with textContent (never innerHTML); makes no request.
   Big maps: nothing on load walks the drawing or the article. Indexes (edges and
   passages of a node, incoming relations, search texts) are built on first use,
   node labels are laid out only for the nodes in view (see updateLabels), and the
   script fires a "ready" event on the document once its handlers are bound. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("argmap-data").textContent);
  var order = Object.keys(data.nodes);  // in the map's order (ids never look like numbers)
  // keyed by map id: no prototype, so an id such as "constructor" is just an id
  function dict() { return Object.create(null); }
  var nodes = Object.assign(dict(), data.nodes);
  var svg = document.querySelector("#map svg");
  var article = document.getElementById("article");
  var details = document.getElementById("details");
  var search = document.getElementById("search");
  var searchCount = document.getElementById("search-count");
  var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var overview = document.createDocumentFragment();
  while (details.firstChild) overview.appendChild(details.firstChild);
  details.appendChild(overview.cloneNode(true));
  var NONE = [];

  // ------------------------------------------------------------------ lookups, built when first needed
  var gCache = dict();
  function gOf(id) {  // the node's <g> in the drawing (argmap.views.dot names it node-<id>)
    if (!svg) return null;
    if (!(id in gCache)) {
      var g = document.getElementById("node-" + id);
      gCache[id] = g && g.getAttribute("data-node") === id ? g : null;
    }
    return gCache[id];
  }
  function indexBy(root, selector, attr) {  // map id -> the elements whose attr lists it
    var index = dict();
    if (root) root.querySelectorAll(selector).forEach(function (e) {
      e.getAttribute(attr).split(" ").forEach(function (n) { (index[n] = index[n] || []).push(e); });
    });
    return index;
  }
  var edgeIndex = null, markIndex = null;
  function edgesOf(id) {
    edgeIndex = edgeIndex || indexBy(svg, "g.edge[data-ends]", "data-ends");
    return edgeIndex[id] || NONE;
  }
  function marksOf(id) {
    markIndex = markIndex || indexBy(article, "mark.q[data-n]", "data-n");
    return markIndex[id] || NONE;
  }
  function quoteOf(id) {  // a quote equal to its highlighted passage travels once, in the article
    var n = nodes[id];
    if (n.quote == null && n.quoteMarked) n.quote = marksOf(id).map(function (m) { return m.textContent; }).join("");
    return n.quote;
  }
  function list(n, key) { return n[key] || NONE; }
  function rel(r) { return typeof r === "string" ? { to: r } : r; }
  var incomingIndex = null;
  function incoming(id) {  // "supported by" / "attacked by" / "undercut by"
    if (!incomingIndex) {
      incomingIndex = dict();
      var add = function (to, what, src) {
        if (!nodes[to]) return;
        var inc = incomingIndex[to] = incomingIndex[to] || { supports: [], attacks: [], undercuts: [] };
        if (inc[what].indexOf(src) < 0) inc[what].push(src);
      };
      order.forEach(function (src) {
        var n = nodes[src];
        ["supports", "attacks"].forEach(function (what) {
          list(n, what).forEach(function (r) {
            r = rel(r);
            [src].concat(r["with"] || []).forEach(function (m) { add(r.to, what, m); });
          });
        });
        list(n, "undercuts").forEach(function (ref) { add(ref.split("->")[0], "undercuts", src); });
      });
    }
    return incomingIndex[id] || { supports: NONE, attacks: NONE, undercuts: NONE };
  }

  // ------------------------------------------------------------------ raising: the rest of the map dimmed
  // One translucent veil over the drawing, with copies of the elements that
  // matter drawn above it. Cheap even for big maps (opacity on each element is
  // not); the real nodes keep their place in the Tab order and still take the
  // clicks (veil and copies let pointer events through). The copies are plain
  // clones, styled by the page like the originals (a <use> copy is not: its
  // text lost the page's font and spacing).
  var SVGNS = "http://www.w3.org/2000/svg";
  var RAISE_LIMIT = 400;  // more search matches than this are outlined, not raised
  var layer = svg ? (svg.querySelector("g.graph") || svg) : null, top = null;
  if (svg) {
    top = document.createElementNS(SVGNS, "g");
    top.setAttribute("class", "raised");
    top.setAttribute("aria-hidden", "true");
    var veil = document.createElementNS(SVGNS, "rect");
    veil.setAttribute("class", "veil");
    ["x", "y"].forEach(function (a) { veil.setAttribute(a, "-10000000"); });  // wider than any drawing
    ["width", "height"].forEach(function (a) { veil.setAttribute(a, "20000000"); });
    top.appendChild(veil);
  }
  function copyOf(el) {
    var c = el.cloneNode(true);
    [c].concat(Array.prototype.slice.call(c.querySelectorAll("[id]"))).forEach(function (e) { e.removeAttribute("id"); });
    ["data-node", "data-ends", "tabindex", "role", "aria-label", "aria-current"].forEach(function (a) { c.removeAttribute(a); });
    if (c.classList.contains("node")) { c.classList.remove("node"); c.classList.add("copy"); }
    return c;
  }
  function updateVeil() {
    if (!svg) return;
    while (top.childNodes.length > 1) top.removeChild(top.lastChild);  // the old copies first
    var els = [];
    if (selected !== null) svg.querySelectorAll("g.edge.near, g.node.near").forEach(function (e) { els.push(e); });
    if (searching && matches.length <= RAISE_LIMIT) matches.forEach(function (id) {
      var g = gOf(id);
      if (g && !g.classList.contains("near")) els.push(g);
    });
    if (!els.length) { if (top.parentNode) top.parentNode.removeChild(top); return; }
    els.forEach(function (el) { top.appendChild(copyOf(el)); });
    layer.appendChild(top);
  }

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
      r = rel(r);
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
  function draftLabel(n) { return "draft " + n.draft.confidence.toFixed(2); }

  // ------------------------------------------------------------------ details panel
  function showDetails(id) {
    var n = nodes[id];
    details.textContent = "";
    var head = el("div", "row");
    head.appendChild(el("span", "kind " + n.kind, n.kind));
    head.appendChild(el("span", "nid", id));
    if (n.draft) head.appendChild(el("span", "badge draft", draftLabel(n)));
    head.appendChild(el("span", "sp"));
    var close = el("button", "btn", "Clear (Esc)");
    close.type = "button";
    close.addEventListener("click", clear);
    head.appendChild(close);
    details.appendChild(head);
    details.appendChild(el("h2", null, n.text));
    if (n.actor) details.appendChild(el("p", "note", "Actor: " + n.actor));
    var quote = quoteOf(id), marks = marksOf(id);
    if (quote) {
      details.appendChild(el("blockquote", marks.length ? "in-article" : null, "\u201c" + quote + "\u201d"));
      if (marks.length) {
        var show = el("button", "btn", "Show in article");
        show.type = "button";
        show.addEventListener("click", function () { scrollToPassage(id, true); });
        details.appendChild(show);
      } else if (data.hasSource) {
        details.appendChild(el("p", "note", "This quote was not found in the source text."));
      }
    }
    var inc = incoming(id);
    [
      section("Supports", relItems(list(n, "supports"))),
      section("Attacks", relItems(list(n, "attacks"))),
      section("Undercuts", list(n, "undercuts").map(function (ref) {
        var f = document.createDocumentFragment();
        ref.split("->").forEach(function (p, i) { if (i) f.appendChild(document.createTextNode(" \u2192 ")); f.appendChild(goLink(p)); });
        return f;
      })),
      section("Supported by", inc.supports.map(goLink)),
      section("Attacked by", inc.attacks.map(goLink)),
      section("Undercut by", inc.undercuts.map(goLink))
    ].forEach(function (s) { if (s) details.appendChild(s); });
    var asked = list(n, "questions");  // critical questions of the reasons for this node (docs/schemes.md)
    if (asked.length) {
      details.appendChild(el("h3", null, "Critical questions"));
      var qs = el("ul", "questions");
      asked.forEach(function (r) {
        var li = el("li");
        var from = r.reason.split("->")[0];
        li.appendChild(goLink(from));
        li.appendChild(document.createTextNode(" (" + r.scheme + "): "));
        if (r.defeated_by.length) {
          li.appendChild(document.createTextNode("defeated by "));
          r.defeated_by.forEach(function (b, i) { if (i) li.appendChild(document.createTextNode(", ")); li.appendChild(goLink(b)); });
        } else {
          li.appendChild(document.createTextNode(r.open.length + " open, " + r.answered.length + " answered"));
        }
        var sub = el("ul");
        r.open.forEach(function (q) { sub.appendChild(el("li", "q-open", "? " + q[1])); });
        r.answered.forEach(function (q) {
          var a = el("li", "q-answered", "\u2713 " + q[1] + " \u2014 answered by ");
          q[2].forEach(function (b, i) { if (i) a.appendChild(document.createTextNode(", ")); a.appendChild(goLink(b)); });
          sub.appendChild(a);
        });
        li.appendChild(sub);
        qs.appendChild(li);
      });
      details.appendChild(qs);
    }
    if (list(n, "tags").length) details.appendChild(el("p", "note", "Tags: " + n.tags.join(", ")));
    if (n.note) { details.appendChild(el("h3", null, "Note")); details.appendChild(el("p", null, n.note)); }
    if (n.draft) {
      details.appendChild(el("p", "note", "Drafted by argmap extract" + (n.draft.backend ? " (" + n.draft.backend + ")" : "") +
        " with confidence " + n.draft.confidence.toFixed(2) + "; not reviewed yet."));
    }
    var probs = list(n, "problems");
    if (probs.length) {
      details.appendChild(el("h3", null, "Check problems"));
      var ul = el("ul", "probs");
      probs.forEach(function (p) {
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
    var g = gOf(id);
    if (g) {
      svg.classList.add("has-sel");
      g.classList.add("selected", "near");
      g.setAttribute("aria-current", "true");
      edgesOf(id).forEach(function (e) {
        e.classList.add("near");
        e.getAttribute("data-ends").split(" ").forEach(function (o) { var og = gOf(o); if (og) og.classList.add("near"); });
      });
      if (opts.reveal) reveal(id);
    }
    updateVeil();
    marksOf(id).forEach(function (m) { m.classList.add("active"); });
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
    var ms = marksOf(id);
    if (!ms.length) return;
    ms[0].scrollIntoView({ block: "center", inline: "nearest", behavior: reduced ? "auto" : "smooth" });
    if (focus) ms[0].focus({ preventScroll: true });
  }

  // ------------------------------------------------------------------ pan, zoom and labels
  // The SVG keeps its natural size and moves by a CSS transform (scale k, then
  // translate tx, ty in the map pane's pixels): no SVG re-layout while panning.
  // Node boxes come with the data (in SVG units), so finding what is in view
  // asks the browser for no layout.
  var mapPane = document.getElementById("map");
  var full = null, view = { k: 1, tx: 0, ty: 0 }, pane = null;
  if (svg) {
    var b = svg.viewBox.baseVal;
    full = { w: b.width || 1, h: b.height || 1 };
    svg.setAttribute("width", full.w);
    svg.setAttribute("height", full.h);
  }
  function apply() {
    svg.style.transform = "translate(" + view.tx + "px, " + view.ty + "px) scale(" + view.k + ")";
    view.fitted = false;
    scheduleLabels();
  }
  function paneRect() { return (pane = mapPane.getBoundingClientRect()); }
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
  function centreOn(id, yShare) {
    var r = pane || paneRect(), box = nodes[id].box;
    if (!box) return;
    view.tx = r.width / 2 - view.k * (box[0] + box[2] / 2);
    view.ty = r.height * (yShare == null ? 0.5 : yShare) - view.k * (box[1] + box[3] / 2);
    apply();
  }
  function reveal(id) {  // bring a node into view unless it is there already
    var box = nodes[id].box, r = paneRect();
    if (!box) return;
    var x0 = view.tx + view.k * box[0], y0 = view.ty + view.k * box[1];
    if (x0 >= 0 && y0 >= 0 && x0 + view.k * box[2] <= r.width && y0 + view.k * box[3] <= r.height) return;
    centreOn(id);
  }
  // Labels: a node's text is laid out only while the node is in view (or
  // near it), and only when the view holds at most LABEL_LIMIT nodes; laying
  // out the text of 10,000 nodes took most of a big page's opening time.
  var LABEL_LIMIT = 1500, labelled = dict(), labelsDue = false;
  function scheduleLabels() {
    if (labelsDue) return;
    labelsDue = true;
    requestAnimationFrame(updateLabels);
  }
  function updateLabels() {
    labelsDue = false;
    var r = pane || paneRect(), k = view.k;
    var mx = r.width / 2, my = r.height / 2;  // half a pane more on every side
    var x0 = (-view.tx - mx) / k, x1 = (r.width - view.tx + mx) / k, y0 = (-view.ty - my) / k, y1 = (r.height - view.ty + my) / k;
    var want = dict(), count = 0;
    for (var i = 0; i < order.length && count <= LABEL_LIMIT; i++) {
      var box = nodes[order[i]].box;
      if (box && box[0] <= x1 && box[0] + box[2] >= x0 && box[1] <= y1 && box[1] + box[3] >= y0) {
        want[order[i]] = true;
        count++;
      }
    }
    if (count > LABEL_LIMIT) want = dict();
    Object.keys(labelled).forEach(function (id) { if (!want[id]) { var g = gOf(id); if (g) g.classList.remove("lbl"); } });
    Object.keys(want).forEach(function (id) { if (!labelled[id]) { var g = gOf(id); if (g) g.classList.add("lbl"); } });
    labelled = want;
  }
  // Start where the text is readable: the whole map when it fits at a legible
  // scale, else a legible window around the (first) thesis.
  var LEGIBLE = 0.9;  // CSS px per SVG unit: 11pt labels at about 10px
  var MAX_FIT = 1.35;  // a small map is not blown up beyond this
  function initialView() {
    fit();
    var r = pane;
    if (!r.width || !r.height || view.k >= LEGIBLE) return;
    view.k = LEGIBLE;
    var focus = order.filter(function (id) { return nodes[id].kind === "thesis" && nodes[id].box; })[0];
    view.tx = (r.width - full.w * view.k) / 2;
    view.ty = 0;
    if (focus) centreOn(focus, 0.3);
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
      if (g) reveal(g.getAttribute("data-node"));
    });
    // the tooltip (the quote, else the text, and the node's problems), made when first pointed at
    svg.addEventListener("pointerover", function (e) {
      var g = e.target.closest && e.target.closest("g.node[data-node]");
      if (!g || g.tipped) return;
      g.tipped = true;
      var id = g.getAttribute("data-node"), n = nodes[id], q = quoteOf(id);
      var lines = [q ? "\u201c" + q + "\u201d" : n.text];
      if (n.draft) lines.push(draftLabel(n));
      list(n, "problems").forEach(function (p) { lines.push(p.severity + ": " + p.message + " [" + p.rule + " " + p.name + "]"); });
      var t = document.createElementNS(SVGNS, "title");
      t.textContent = lines.join("\n");
      g.insertBefore(t, g.firstChild);
    });
    document.getElementById("zoom-in").addEventListener("click", function () { zoomAt(1 / 1.35); });
    document.getElementById("zoom-out").addEventListener("click", function () { zoomAt(1.35); });
    document.getElementById("zoom-fit").addEventListener("click", fit);
    var resizing = null;
    window.addEventListener("resize", function () {  // keep a fitted map fitted
      clearTimeout(resizing);
      resizing = setTimeout(function () { paneRect(); if (view.fitted) fit(); else scheduleLabels(); }, 120);
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
  details.addEventListener("click", function (e) {  // links to nodes: relations, the drafts to review
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
      var off = !!hidden[nodes[id].kind], g = gOf(id);
      if (g && g.classList.contains("off") !== off) { g.classList.toggle("off", off); g.setAttribute("tabindex", off ? "-1" : "0"); }
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
  var matches = [], matched = dict(), cursor = -1, searching = false, haystack = null;
  function runSearch() {
    var q = search.value.trim().toLowerCase(), terms = q ? q.split(/\s+/) : [];
    if (terms.length && !haystack) haystack = order.map(function (id) {
      var n = nodes[id];
      return (id + " " + n.text + " " + (quoteOf(id) || "") + " " + (n.actor || "") + " " + list(n, "tags").join(" ")).toLowerCase();
    });
    var now = dict();
    matches = [];
    if (terms.length) order.forEach(function (id, i) {
      if (!hidden[nodes[id].kind] && terms.every(function (t) { return haystack[i].indexOf(t) >= 0; })) {
        matches.push(id);
        now[id] = true;
      }
    });
    Object.keys(matched).forEach(function (id) { if (!now[id]) { var g = gOf(id); if (g) g.classList.remove("match"); } });
    matches.forEach(function (id) { if (!matched[id]) { var g = gOf(id); if (g) g.classList.add("match"); } });
    matched = now;
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

  // ------------------------------------------------------------------ print: an index of every node
  var index = document.getElementById("index"), indexed = false;
  function buildIndex() {
    if (indexed || !index) return;
    indexed = true;
    index.appendChild(el("h2", null, "Nodes"));
    var dl = el("dl");
    order.forEach(function (id) {
      var n = nodes[id], dt = el("dt"), dd = el("dd", null, n.text), rels = [];
      dt.appendChild(el("span", "kind " + n.kind, n.kind));
      dt.appendChild(document.createTextNode(" " + id));
      ["supports", "attacks"].forEach(function (what) {
        var to = list(n, what).map(function (r) { return rel(r).to; });
        if (to.length) rels.push(what + " " + to.join(", "));
      });
      if (list(n, "undercuts").length) rels.push("undercuts " + n.undercuts.join(", "));
      if (rels.length) { dd.appendChild(el("br")); dd.appendChild(el("i", null, rels.join("; "))); }
      dl.appendChild(dt);
      dl.appendChild(dd);
    });
    index.appendChild(dl);
  }
  window.addEventListener("beforeprint", buildIndex);
  if (window.matchMedia) {
    var printing = window.matchMedia("print");
    if (printing.addEventListener) printing.addEventListener("change", function (e) { if (e.matches) buildIndex(); });
  }

  // A link to "page.html#node-id" opens with that node selected.
  if (svg) initialView();
  var start = decodeURIComponent(location.hash.slice(1));
  if (start && nodes[start]) select(start, { reveal: true });
  window.addEventListener("hashchange", function () {
    var id = decodeURIComponent(location.hash.slice(1));
    if (nodes[id] && id !== selected) select(id, { reveal: true });
  });
  document.documentElement.setAttribute("data-ready", "1");
  if (performance.mark) performance.mark("ready");
  document.dispatchEvent(new Event("ready"));
})();
