"""Fidelity on the third-party corpora in ../shared/corpora (skipped locally when absent, failing under CI).

* the 4 Argdown examples: the .argdown source gives the same statements,
  arguments and relations as the Argdown CLI's own JSON export beside it, and
  both import to the same map;
* the 110 microtexts present as AIF and as arggraph XML (paired by their
  identical .txt) import to equal maps: same relations, nodes equal by text up
  to segmentation differences (matched fuzzily and reported);
* every corpus file imports, passes ``argmap check`` without errors, and its
  DOT renders to SVG;
* argmap → AIF / xAIF / SADFace / Argdown → argmap gives an equal map for the
  seed map and every imported corpus map.
"""

from __future__ import annotations

import collections
import json
import os
from pathlib import Path

import pytest

from argmap.formats import EXPORTERS, IMPORTERS, detect, resolve
from argmap.formats.argdown import clean_text, parse_json_doc, parse_source
from argmap.io.loading import load_map, load_text
from argmap.io.writing import dumps
from conftest import SEED_MAP, need
from test_formats import _canon, source_of

ARGDOWN = [
    "argdown-primer",
    "Populism-Core-Argument-Argdown-Example",
    "greenspan-schefczyk_hardwrap",
    "legalisation-softdrugs",
]
ROUNDTRIP_FORMATS = ("aif", "xaif", "sadface", "argdown")


def corpus_files(corpora: Path) -> list[Path]:
    files = sorted((corpora / "microtexts").glob("*.xml"))
    files += sorted((corpora / "aif").glob("*/*.json"))
    files += sorted((corpora / "argdown").glob("*.argdown")) + sorted((corpora / "argdown").glob("*.json"))
    files += sorted((corpora / "sadface").glob("*.json"))
    return files


def import_file(path: Path):
    text = path.read_text(encoding="utf-8")
    fmt = detect(str(path), text)
    assert fmt in IMPORTERS, f"{path}: detected {fmt!r}"
    return fmt, resolve(IMPORTERS[fmt])(path, text)


@pytest.fixture(scope="module")
def imported(corpora):
    out = {}
    for f in corpus_files(corpora):
        out[f] = import_file(f)
    return out


# --------------------------------------------------------------------------- Argdown


def _argdown_canon(doc):
    def norm(t):
        return " ".join(clean_text(t)[0].lower().split())

    def name(kind, title):
        if kind == "statement":
            st = doc.statements[title]
            return ("S", norm(st.text)) if st.untitled else ("S", title)
        return ("A", title)

    statements = collections.Counter(
        ("S", norm(s.text)) if s.untitled else ("S", s.title, norm(s.text)) for s in doc.statements.values()
    )
    arguments = {a.title: [(role, name("statement", t)) for role, t, _ in a.pcs] for a in doc.arguments.values()}
    relations = collections.Counter((r.type, name(r.source_type, r.source), name(r.target_type, r.target)) for r in doc.relations)
    return statements, arguments, relations


@pytest.mark.parametrize("stem", ARGDOWN)
def test_argdown_source_matches_argdown_json(corpora, stem):
    src = corpora / "argdown" / f"{stem}.argdown"
    js = corpora / "argdown" / f"{stem}.json"
    a = parse_source(src.read_text(encoding="utf-8"), src.name)
    b = parse_json_doc(json.loads(js.read_text(encoding="utf-8")), js.name)
    assert len(a.statements) == len(b.statements)
    assert len(a.arguments) == len(b.arguments)
    assert len(a.relations) == len(b.relations)
    sa, aa, ra = _argdown_canon(a)
    sb, ab, rb = _argdown_canon(b)
    assert sa == sb, "statements differ"
    assert aa == ab, "premise-conclusion structures differ"
    assert ra == rb, "relations differ (type and endpoints)"
    # and both import to the same map (the JSON has no front matter, hence no title)
    ma = resolve(IMPORTERS["argdown"])(src, src.read_text(encoding="utf-8")).map
    mb = resolve(IMPORTERS["argdown-json"])(js, js.read_text(encoding="utf-8")).map
    ma.title = None
    assert dumps(ma) == dumps(mb)


def test_argdown_counts_are_the_ones_argdown_reports(corpora):
    counts = {}
    for stem in ARGDOWN:
        doc = parse_source((corpora / "argdown" / f"{stem}.argdown").read_text(encoding="utf-8"))
        counts[stem] = (len(doc.statements), len(doc.arguments), len(doc.relations))
    assert counts == {
        "argdown-primer": (17, 4, 10),
        "Populism-Core-Argument-Argdown-Example": (69, 27, 24),
        "greenspan-schefczyk_hardwrap": (36, 6, 5),
        "legalisation-softdrugs": (1, 17, 19),
    }


# --------------------------------------------------------------------------- microtexts: AIF vs arggraph


def _structure(amap):
    """Relations of a map with nodes named by index: linked relations as member sets."""
    from argmap.map.graph import build

    g = build(amap)
    rel_of: dict[str, tuple] = {}
    items = []
    for e in g.edges:
        desc = (e.kind, frozenset(e.sources), e.target, e.scheme)
        rel_of[e.ref] = desc
        for m in e.sources:  # a linked relation may be named by any member
            rel_of[f"{m}->{e.target}"] = desc
        items.append(desc)
    pending = sorted(g.undercuts, key=lambda u: u.ref.count("->"))
    for u in pending:
        target = rel_of.get(u.ref)
        assert target is not None, f"undercut of unknown relation {u.ref}"
        desc = ("undercuts", frozenset([u.source]), target, None)
        rel_of[u.own_ref] = desc
        items.append(desc)
    return collections.Counter(items)


def _rename(counter, names):
    def fix(x):
        if isinstance(x, tuple):
            return tuple(fix(y) for y in x)
        if isinstance(x, frozenset):
            return frozenset(fix(y) for y in x)
        if isinstance(x, str) and x in names:
            return names[x]
        return x

    return collections.Counter({fix(k): v for k, v in counter.items()})


def _match_nodes(a, b):
    """Pair the nodes of two maps by text (exact first, then fuzzy); return names and the fuzzy pairs."""
    from rapidfuzz import fuzz

    from argmap.formats.base import normalize

    ta = {n.id: normalize(n.text).lower() for n in a.nodes}
    tb = {n.id: normalize(n.text).lower() for n in b.nodes}
    pairs = {}
    free_b = dict(tb)
    for ia, t in ta.items():
        hit = next((ib for ib, u in free_b.items() if u == t), None)
        if hit is not None:
            pairs[ia] = hit
            del free_b[hit]
    fuzzy = []
    for ia, t in ta.items():
        if ia in pairs:
            continue
        best = max(free_b, key=lambda ib: fuzz.ratio(t, free_b[ib]), default=None)
        assert best is not None, f"no partner for {ia!r}"
        score = fuzz.ratio(t, free_b[best])
        assert score >= 70, f"{ia!r} ({t!r}) has no close partner (best {free_b[best]!r}, {score:.0f})"
        fuzzy.append((ta[ia], free_b[best], round(score)))
        pairs[ia] = best
        del free_b[best]
    assert not free_b, f"unpaired nodes: {sorted(free_b)}"
    return pairs, fuzzy


# In AIFdb's copy of micro_k011 (nodeset6455) the texts sit on the wrong I nodes: the conclusion of
# the four supports and the attack is "This helps the landlords," where the arggraph (and the
# text) make "If there must be rent increases, there should also be a cap..." the central claim.
# The graphs have the same shape; only the labelling differs. Both importers read their file
# faithfully, so the maps differ exactly there.
MISLABELED = {("nodeset6455.json", "micro_k011.xml")}


def _shape(amap):
    """The unlabelled shape: relation kinds with the in/out degrees of their ends."""
    from argmap.map.graph import build

    g = build(amap)
    indeg = collections.Counter(e.target for e in g.edges)
    return collections.Counter((e.kind, len(e.sources), indeg[e.source], indeg[e.target]) for e in g.edges)


def test_microtexts_aif_and_arggraph_import_to_equal_maps(corpora, imported):
    xml_by_text = {}
    for x in sorted((corpora / "microtexts").glob("*.xml")):
        t = x.with_suffix(".txt")
        if t.exists():
            xml_by_text[" ".join(t.read_text(encoding="utf-8").split())] = x
    pairs = 0
    fuzzy_report = []
    for j in sorted((corpora / "aif" / "microtexts").glob("*.json")):
        text = " ".join(j.with_suffix(".txt").read_text(encoding="utf-8").split())
        x = xml_by_text.get(text)
        assert x is not None, f"{j.name}: no arggraph with the same text"
        ma = imported[j][1].map
        mx = imported[x][1].map
        assert len(ma.nodes) == len(mx.nodes), f"{j.name} vs {x.name}: node counts"
        names, fuzzy = _match_nodes(ma, mx)
        fuzzy_report += [(j.name, x.name, *f) for f in fuzzy]
        if (j.name, x.name) in MISLABELED:
            # same shape, texts on other nodes: a defect of the AIFdb copy (see MISLABELED)
            assert _rename(_structure(ma), names) != _structure(mx)
            assert _shape(ma) == _shape(mx), f"{j.name} vs {x.name}: not even the shape is the same"
            pairs += 1
            continue
        assert _rename(_structure(ma), names) == _structure(mx), f"{j.name} vs {x.name}: relations differ"
        # the sides agree too: the kind the AIF structure implies is the one the annotation gives
        for ia, ix in names.items():
            assert ma.node(ia).kind == mx.node(ix).kind, f"{j.name} {ia} vs {x.name} {ix}: kinds differ"
        assert ma.source.text.split() == mx.source.text.split()
        pairs += 1
    assert pairs == 110
    # the README's fact: two pairs split a sentence at a different word
    assert len({(a, b) for a, b, *_ in fuzzy_report}) == 2, fuzzy_report
    print("\nsegmentation differences (AIF text | arggraph text | similarity):")
    for row in fuzzy_report:
        print("  ", " | ".join(map(str, row)))


# --------------------------------------------------------------------------- every file: import, check, render


def test_every_corpus_file_imports_and_passes_check(imported):
    from argmap.checks import run_checks
    from argmap.map.diagnostics import Severity

    assert len(imported) >= 239
    failures = []
    findings = collections.Counter()
    for path, (fmt, res) in imported.items():
        loaded = load_text(dumps(res.map, "json"), name=f"{path.name}.json")
        for d in run_checks(loaded):
            findings[(d.rule, d.name, d.severity.value)] += 1
            if d.severity == Severity.ERROR:
                failures.append(d.format())
        # the source text is kept and every quote is a verbatim span of it
        if res.map.source is not None and res.map.source.text:
            for n in res.map.nodes:
                if n.quote:
                    assert n.quote in res.map.source.text, f"{path.name}: quote of {n.id} not verbatim"
    assert not failures, "\n".join(failures[:20])
    print("\nfindings on the imported corpus:", dict(findings))


def test_every_corpus_map_renders_to_svg(imported):
    try:
        from argmap.views.dot import build_dot
        from argmap.views.layout import run_layout
    except ImportError:  # pragma: no cover - the render modules are part of argmap
        need(False, "argmap.views.dot / argmap.views.layout are missing")
    from concurrent.futures import ThreadPoolExecutor

    import defusedxml.ElementTree as ET

    def render(item):
        path, (_fmt, res) = item
        svg = run_layout(build_dot(res.map)).decode("utf-8")
        root = ET.fromstring(svg.encode("utf-8"))
        kinds = {"thesis", "claim", "premise", "recommendation", "objection"}
        drawn = sum(1 for el in root.iter() if (el.get("class") or "").split()[:1] == ["node"]
                    and set((el.get("class") or "").split()[1:]) & kinds)
        return path, drawn, len(res.map.nodes)

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(render, imported.items()))
    assert len(results) == len(imported)
    short = [(p.name, d, n) for p, d, n in results if d < n]
    assert not short, f"maps whose SVG lacks nodes: {short[:10]}"


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("fmt", ROUNDTRIP_FORMATS)
def test_roundtrip_every_corpus_map_and_the_seed(fmt, imported, tmp_path):
    maps = [("seed", load_map(SEED_MAP))]
    for path, (_f, res) in imported.items():
        maps.append((path.name, load_text(dumps(res.map, "json"), name=f"{path.name}.json")))
    bad = []
    for name, loaded in maps:
        out = resolve(EXPORTERS[fmt])(loaded)
        text = out[0] if isinstance(out, tuple) else out
        back = resolve(IMPORTERS[fmt])(tmp_path / f"x.{fmt}", text).map
        if _canon(back) != _canon(loaded.map, source_of(loaded)):
            bad.append(name)
    assert not bad, f"{fmt}: {len(bad)} maps changed: {bad[:10]}"


def test_argdown_export_opens_in_argdown_cli(tmp_path, imported):
    """Optional: when the Argdown CLI is installed (bench/peers), its JSON of our export imports to the same map."""
    import shutil
    import subprocess

    from conftest import ROOT

    cli = os.environ.get("ARGDOWN_CLI") or str(ROOT / "bench" / "peers" / "argdown" / "node_modules" / ".bin" / "argdown")
    if not Path(cli).exists() and not shutil.which("argdown"):
        pytest.skip("the Argdown CLI is not installed (optional: bench/peers or ARGDOWN_CLI)")
    cli = cli if Path(cli).exists() else shutil.which("argdown")
    samples = [("seed", load_map(SEED_MAP))]
    for path, (_f, res) in list(imported.items())[::10]:
        samples.append((path.stem, load_text(dumps(res.map, "json"), name=f"{path.name}.json")))
    for name, loaded in samples:
        text, _ = resolve(EXPORTERS["argdown"])(loaded)
        (tmp_path / f"{name}.argdown").write_text(text, encoding="utf-8")
    r = subprocess.run([cli, "json", str(tmp_path / "*.argdown"), str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    for name, loaded in samples:
        js = tmp_path / f"{name}.json"
        assert js.exists(), r.stdout + r.stderr
        back = resolve(IMPORTERS["argdown-json"])(js, js.read_text(encoding="utf-8")).map
        a = _canon(back)
        b = _canon(loaded.map, source_of(loaded))
        for d in (a, b):
            d.pop("title", None)
            d.pop("source", None)
        assert a == b, name
