"""Semantic diff of two maps: what an edit did to the argument (see docs/diff-fmt.md).

Compares the *loaded* maps, so layout, quoting, comments, the order of nodes
and the order of relation lists never count as changes. Reports, by kind:

* nodes added, removed, renamed (the same node under a new id: same quote, or
  near-identical text, matched one-to-one, best match first) and changed
  (every field of :class:`argmap.map.model.Node` that is not its id or a
  relation: kind, text, quote, actor, answers, tags, note, ignore, draft);
* relations added, removed and changed (``supports``/``attacks``, linked
  ``with`` groups as one relation, ``undercuts``), with renamed ids followed;
  a relation is the same when its kind, premises and target are; a change of
  its other fields (``scheme``, ``roles``) is a relation changed;
* map fields changed (title, source).

The compared fields are derived from the model (:data:`NODE_FIELDS`,
:data:`RELATION_FIELDS`, :data:`MAP_FIELDS`), so a field added to the format
is compared without a change here. List fields are compared ignoring order.
* how the ``argmap check`` result changed: problems introduced and fixed.

Renderers: :func:`render_text` (rich), :func:`to_json` (stable schema,
``"argmap_diff": 1``) and :func:`render_markdown` (a pull-request comment).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any

import msgspec

from argmap.map.diagnostics import plural
from argmap.map.model import NODE_ORDER, RELATION_ORDER, SOURCE_ORDER, TOP_ORDER, Relation as ModelRelation

SCHEMA_VERSION = 1
RENAME_TEXT_SIMILARITY = 0.90  # rapidfuzz ratio (0..1) for "near-identical text"
RELATION_KINDS = ("supports", "attacks", "undercuts")
# Derived from the model: a node's fields other than its id and its relations (which are
# compared as relations); a relation's fields other than its target and co-premises (which
# make it the relation it is); the map's own fields (source compared field by field).
NODE_FIELDS = tuple(f for f in NODE_ORDER if f != "id" and f not in RELATION_KINDS)
RELATION_FIELDS = tuple(f for f in RELATION_ORDER if f not in ("to", "with"))
MAP_FIELDS = tuple(f for f in TOP_ORDER if f not in ("argmap", "nodes", "source"))
# encoded name ("with") -> attribute name ("with_") of a model relation
_RELATION_ATTR = dict(zip(ModelRelation.__struct_encode_fields__, ModelRelation.__struct_fields__))


# --------------------------------------------------------------------------- model


class Relation:
    """One relation of the argument, independent of which node holds it.

    Its identity is ``(kind, sources, target)``; ``fields`` holds its other
    fields that are set (``scheme``, ``roles``: :data:`RELATION_FIELDS`), as plain data.
    """

    __slots__ = ("kind", "sources", "target", "fields", "_key")

    def __init__(self, kind: str, sources: tuple[str, ...], target: str, fields: dict[str, Any] | None = None):
        self.kind = kind  # "supports" | "attacks" | "undercuts"
        self.sources = sources  # sorted; several for a linked relation
        self.target = target  # a node id, or a relation reference for undercuts
        self.fields = {k: v for k, v in (fields or {}).items() if v is not None and v != {} and v != []}
        self._key = (target, kind, sources, _canonical(self.fields))

    def __eq__(self, other) -> bool:
        return isinstance(other, Relation) and self._key == other._key

    def __hash__(self) -> int:
        return hash(self._key)

    def __repr__(self) -> str:
        return f"Relation({self.describe()!r})"

    @property
    def identity(self) -> tuple:
        return (self.kind, self.sources, self.target)

    @property
    def scheme(self) -> str | None:
        return self.fields.get("scheme")

    def head(self, markdown: bool = False) -> str:
        """``a + b supports c (jointly)``; with ``markdown`` the ids as code."""
        ids = [f"`{i}`" if markdown else i for i in (*self.sources, self.target)]
        linked = " (jointly)" if len(self.sources) > 1 else ""
        return f"{' + '.join(ids[:-1])} {self.kind} {ids[-1]}{linked}"

    def describe(self, markdown: bool = False) -> str:
        """The head, then the scheme and the roles (escaped with ``markdown``)."""
        show = _md if markdown else _show
        scheme = f" [{show(self.scheme)}]" if self.scheme else ""
        roles = self.fields.get("roles")
        roles = f" (roles: {show(roles)})" if roles else ""
        return self.head(markdown) + scheme + roles

    def to_json(self) -> dict:
        out = {"kind": self.kind, "from": list(self.sources), "to": self.target}
        for name in RELATION_FIELDS:
            out[name] = self.fields.get(name)
        return out

    def sort_key(self):
        return self._key


def _canonical(value: Any) -> str:
    import json

    return json.dumps(value, sort_keys=True, ensure_ascii=False)


@dataclass
class FieldChange:
    field: str
    old: Any
    new: Any

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Rename:
    old: str
    new: str
    by: str  # "quote" | "text"
    similarity: float  # text similarity 0..1

    def to_json(self) -> dict:
        return {"old": self.old, "new": self.new, "by": self.by, "similarity": round(self.similarity, 3)}


@dataclass
class NodeChange:
    id: str
    kind: str
    fields: list[FieldChange]
    old_id: str | None = None  # when the node was also renamed

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "old_id": self.old_id,
            "kind": self.kind,
            "fields": [f.to_json() for f in self.fields],
        }


@dataclass
class RelationChange:
    """A relation whose kind, premises and target stayed, and whose other fields changed."""

    relation: Relation  # as it is in the new map
    fields: list[FieldChange]

    def to_json(self) -> dict:
        r = self.relation
        return {"kind": r.kind, "from": list(r.sources), "to": r.target,
                "fields": [f.to_json() for f in self.fields]}


@dataclass
class Problem:
    """A check finding, as the diff reports it (no positions: lines move)."""

    rule: str
    name: str
    severity: str
    message: str
    node: str | None
    line: int | None = None

    def to_json(self) -> dict:
        return asdict(self)

    def describe(self) -> str:
        where = f"{self.node}: " if self.node else ""
        return f"{self.rule} {self.name} ({self.severity}) {where}{self.message}"


@dataclass
class ChecksDiff:
    ran: bool
    introduced: list[Problem] = field(default_factory=list)
    fixed: list[Problem] = field(default_factory=list)
    note: str | None = None  # why checks did not run

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class MapDiff:
    old_name: str
    new_name: str
    map_fields: list[FieldChange] = field(default_factory=list)
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    renamed: list[Rename] = field(default_factory=list)
    changed: list[NodeChange] = field(default_factory=list)
    relations_added: list[Relation] = field(default_factory=list)
    relations_removed: list[Relation] = field(default_factory=list)
    relations_changed: list[RelationChange] = field(default_factory=list)
    checks: ChecksDiff | None = None

    @property
    def has_changes(self) -> bool:
        """Whether the argument changed (check results alone do not count)."""
        return bool(
            self.map_fields or self.added or self.removed or self.renamed or self.changed
            or self.relations_added or self.relations_removed or self.relations_changed
        )

    def summary_counts(self) -> dict[str, int]:
        checks = self.checks or ChecksDiff(False)
        return {
            "map_fields_changed": len(self.map_fields),
            "nodes_added": len(self.added),
            "nodes_removed": len(self.removed),
            "nodes_renamed": len(self.renamed),
            "nodes_changed": len(self.changed),
            "relations_added": len(self.relations_added),
            "relations_removed": len(self.relations_removed),
            "relations_changed": len(self.relations_changed),
            "problems_introduced": len(checks.introduced),
            "problems_fixed": len(checks.fixed),
        }

    def summary(self) -> str:
        """One line: ``1 node added, 2 changed, 1 relation removed; 1 problem fixed``."""
        c = self.summary_counts()

        def group(noun: str, pairs) -> str | None:
            present = [(c[key], word) for key, word in pairs if c[key]]
            if not present:
                return None
            (n, word), rest = present[0], present[1:]
            return f"{plural(n, noun)} {word}" + "".join(f", {m} {w}" for m, w in rest)

        parts = [
            group("node", (("nodes_added", "added"), ("nodes_removed", "removed"),
                           ("nodes_renamed", "renamed"), ("nodes_changed", "changed"))),
            group("relation", (("relations_added", "added"), ("relations_removed", "removed"),
                               ("relations_changed", "changed"))),
            group("map field", (("map_fields_changed", "changed"),)),
        ]
        line = ", ".join(p for p in parts if p) or "no argument changes"
        checks = group("problem", (("problems_introduced", "introduced"), ("problems_fixed", "fixed")))
        return f"{line}; {checks}" if checks else line


# --------------------------------------------------------------------------- comparing


_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


def _norm(text: str | None) -> str:
    if not text:
        return ""
    return " ".join(text.translate(_QUOTES).split()).casefold()


def _similarity(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    return fuzz.ratio(_norm(a), _norm(b)) / 100.0


def _first_by_id(amap) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for node in amap.nodes:
        out.setdefault(node.id, node)
    return out


def find_renames(old_nodes: dict, new_nodes: dict, removed: list[str], added: list[str]) -> list[Rename]:
    """Pair removed and added ids that are the same node: same quote or near-identical text."""
    candidates = []
    for o in removed:
        a = old_nodes[o]
        for n in added:
            b = new_nodes[n]
            text_sim = _similarity(a.text, b.text)
            if a.quote and b.quote and _norm(a.quote) == _norm(b.quote):
                candidates.append((2.0 + text_sim, o, n, "quote", text_sim))
            elif text_sim >= RENAME_TEXT_SIMILARITY:
                candidates.append((text_sim, o, n, "text", text_sim))
    candidates.sort(key=lambda c: (-c[0], removed.index(c[1]), added.index(c[2])))
    renames = [Rename(o, n, *how) for o, n, how in _one_to_one((o, n, (by, sim)) for _s, o, n, by, sim in candidates)]
    renames.sort(key=lambda r: added.index(r.new))
    return renames


def _one_to_one(candidates) -> list[tuple]:
    """``(old, new, value)`` candidates, best first → those that use each old and each new once."""
    used_old: set = set()
    used_new: set = set()
    out = []
    for old, new, value in candidates:
        if old not in used_old and new not in used_new:
            used_old.add(old)
            used_new.add(new)
            out.append((old, new, value))
    return out


def _map_ref(ref: str, ids: dict[str, str]) -> str:
    return "->".join(ids.get(part, part) for part in ref.split("->"))


def _plain(value: Any) -> Any:
    """A field's value as plain data (the canonical form ``argmap export --to json`` writes)."""
    if isinstance(value, Enum):
        return value.value
    return msgspec.to_builtins(value)


def _renamed(name: str, value: Any, ids: dict[str, str]) -> Any:
    """A field's plain value with the ids of renamed nodes in it followed."""
    if not ids or not value:
        return value
    if name == "roles":
        return {role: ids.get(i, i) for role, i in value.items()}
    if name == "answers":
        return [dict(a, reason=_map_ref(a["reason"], ids)) for a in value]
    return value


def _relation_fields(rel, ids: dict[str, str]) -> dict[str, Any]:
    return {name: _renamed(name, _plain(getattr(rel, _RELATION_ATTR[name])), ids) for name in RELATION_FIELDS}


def relations_of(amap, ids: dict[str, str] | None = None) -> Counter:
    """Every relation of a map as a multiset, ids renamed through ``ids``."""
    ids = ids or {}
    out: Counter = Counter()
    for node in amap.nodes:
        me = ids.get(node.id, node.id)
        for kind in ("supports", "attacks"):
            for rel in getattr(node, kind):
                members = {me, *(ids.get(w, w) for w in rel.with_)}
                target = ids.get(rel.to, rel.to)
                out[Relation(kind, tuple(sorted(members)), target, _relation_fields(rel, ids))] += 1
        for ref in node.undercuts:
            out[Relation("undercuts", (me,), _map_ref(ref, ids))] += 1
    return out


def _unordered_equal(old: list, new: list) -> bool:
    return len(old) == len(new) and sorted(map(_canonical, old)) == sorted(map(_canonical, new))


def _changes(names, old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    """Field changes between two sets of plain values; lists are compared ignoring order."""
    changes = []
    for name in names:
        a, b = old.get(name), new.get(name)
        if isinstance(a, list) and isinstance(b, list) and _unordered_equal(a, b):
            continue
        if a == b:
            continue
        changes.append(FieldChange(name, a, b))
    return changes


def _field_changes(a, b, ids: dict[str, str] | None = None) -> list[FieldChange]:
    """Changes of :data:`NODE_FIELDS` from node ``a`` (old, its ids renamed through ``ids``) to ``b``."""
    ids = ids or {}
    old = {name: _renamed(name, _plain(getattr(a, name)), ids) for name in NODE_FIELDS}
    new = {name: _plain(getattr(b, name)) for name in NODE_FIELDS}
    return _changes(NODE_FIELDS, old, new)


def _pair_relation_changes(removed: list[Relation], added: list[Relation]):
    """Removed and added relations with the same kind, premises and target are one relation changed,
    paired one to one, fewest field changes first. Returns (removed, added, changed)."""
    by_identity: dict[tuple, list[int]] = {}
    for i, r in enumerate(removed):
        by_identity.setdefault(r.identity, []).append(i)
    candidates = []
    for j, r in enumerate(added):
        for i in by_identity.get(r.identity, ()):
            changes = _changes(RELATION_FIELDS, removed[i].fields, r.fields)
            candidates.append((len(changes), i, j, changes))
    candidates.sort(key=lambda c: c[:3])
    pairs = _one_to_one((i, j, changes) for _n, i, j, changes in candidates)
    used_old = {i for i, _j, _changes in pairs}
    used_new = {j: changes for _i, j, changes in pairs}
    changed = [RelationChange(added[j], used_new[j]) for j in sorted(used_new)]
    return (
        [r for i, r in enumerate(removed) if i not in used_old],
        [r for j, r in enumerate(added) if j not in used_new],
        changed,
    )


def _map_field_changes(old, new) -> list[FieldChange]:
    out = []
    for key in MAP_FIELDS:
        a, b = _plain(getattr(old, key)), _plain(getattr(new, key))
        if a != b:
            out.append(FieldChange(key, a, b))
    for key in SOURCE_ORDER:
        a = getattr(old.source, key) if old.source is not None else None
        b = getattr(new.source, key) if new.source is not None else None
        if a != b:
            out.append(FieldChange(f"source.{key}", a, b))
    return out


def diff_maps(old_loaded, new_loaded, *, checks: bool = True, config=None) -> MapDiff:
    """Compare two loaded maps (:class:`argmap.io.loading.LoadedMap`)."""
    from argmap.map.model import node_to_data

    old, new = old_loaded.map, new_loaded.map
    result = MapDiff(old_loaded.name, new_loaded.name)
    result.map_fields = _map_field_changes(old, new)

    old_nodes, new_nodes = _first_by_id(old), _first_by_id(new)
    removed = [i for i in old_nodes if i not in new_nodes]
    added = [i for i in new_nodes if i not in old_nodes]
    result.renamed = find_renames(old_nodes, new_nodes, removed, added)
    renamed_old = {r.old: r.new for r in result.renamed}
    renamed_new = {r.new for r in result.renamed}
    result.removed = [node_to_data(old_nodes[i]) for i in removed if i not in renamed_old]
    result.added = [node_to_data(new_nodes[i]) for i in added if i not in renamed_new]

    new_to_old = {v: k for k, v in renamed_old.items()}
    for node_id, node in new_nodes.items():
        old_id = new_to_old.get(node_id, node_id if node_id in old_nodes else None)
        if old_id is None:
            continue
        fields = _field_changes(old_nodes[old_id], node, renamed_old)
        if fields:
            result.changed.append(
                NodeChange(node_id, node.kind.value, fields, old_id if old_id != node_id else None)
            )

    old_rel = relations_of(old, renamed_old)
    new_rel = relations_of(new)
    added_rel = sorted((new_rel - old_rel).elements(), key=Relation.sort_key)
    removed_rel = sorted((old_rel - new_rel).elements(), key=Relation.sort_key)
    result.relations_removed, result.relations_added, result.relations_changed = _pair_relation_changes(
        removed_rel, added_rel
    )

    if checks:
        result.checks = diff_checks(old_loaded, new_loaded, renamed_old, config)
    return result


def diff_checks(old_loaded, new_loaded, renamed: dict[str, str], config=None) -> ChecksDiff:
    """Problems the edit introduced and fixed, matched by rule, node and message."""
    try:
        from argmap.checks import run_checks

        old_diags = run_checks(old_loaded, config)
        new_diags = run_checks(new_loaded, config)
    except ImportError:
        return ChecksDiff(False, note="argmap check is not available in this installation")
    except Exception as exc:  # a check that cannot run must not hide the diff itself
        from argmap.map.errors import ArgmapError

        if isinstance(exc, ArgmapError):
            return ChecksDiff(False, note=f"checks did not run: {exc.message}")
        raise

    pattern = re.compile(r"(?<![A-Za-z0-9_.-])(" + "|".join(map(re.escape, renamed)) + r")(?![A-Za-z0-9_-])") if renamed else None

    def key(d, rename: bool):
        node = renamed.get(d.node, d.node) if rename else d.node
        message = pattern.sub(lambda m: renamed[m.group(1)], d.message) if rename and pattern else d.message
        return (d.rule, node, message)

    def problem(d, rename: bool) -> Problem:
        rule, node, message = key(d, rename)
        return Problem(rule, d.name, d.severity.value, message, node, d.line)

    old_keys = Counter(key(d, True) for d in old_diags)
    new_keys = Counter(key(d, False) for d in new_diags)
    gone = old_keys - new_keys
    came = new_keys - old_keys
    fixed, introduced = [], []
    for d in old_diags:
        k = key(d, True)
        if gone[k] > 0:
            gone[k] -= 1
            fixed.append(problem(d, True))
    for d in new_diags:
        k = key(d, False)
        if came[k] > 0:
            came[k] -= 1
            introduced.append(problem(d, False))
    return ChecksDiff(True, introduced, fixed)


# --------------------------------------------------------------------------- git


def read_at_revision(path, rev: str) -> str:
    """The text of ``path`` at git revision ``rev`` (``git show REV:./path``, no shell)."""
    import subprocess
    from pathlib import Path

    from argmap.map.errors import ToolError, UsageError
    from argmap.io.files import decode_text

    p = Path(path)
    if not rev or rev.startswith("-") or any(c in rev for c in "\n\x00"):
        raise UsageError(f"{rev!r} is not a git revision.")
    folder = p.parent if str(p.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"{path}: the folder {folder} does not exist.")
    spec = f"{rev}:./{p.name}"
    try:
        proc = subprocess.run(
            ["git", "--no-pager", "-C", str(folder), "show", spec],
            capture_output=True,
            timeout=60,
            check=False,
        )
    except FileNotFoundError:
        raise ToolError("git is not installed (or not on PATH); --rev needs it.") from None
    except subprocess.TimeoutExpired:
        raise ToolError(f"git show {spec} took longer than 60 seconds; gave up.") from None
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip()
        low = err.lower()
        if "not a git repository" in low:
            raise UsageError(
                f"{path}: not inside a git repository, so --rev cannot be used; compare two files with "
                "'argmap diff OLD NEW'."
            )
        if "does not exist in" in low or "exists on disk, but not in" in low:
            raise UsageError(f"{path}: the file does not exist at revision {rev!r} (a new map?).")
        if "invalid object name" in low or "unknown revision" in low or "bad revision" in low or "ambiguous argument" in low or "invalid reference" in low:
            raise UsageError(f"unknown git revision {rev!r}.")
        first = err.splitlines()[0] if err else f"exit status {proc.returncode}"
        raise ToolError(f"git show {spec} failed: {first}")
    return decode_text(proc.stdout, f"{rev}:{path}", what="map")


# --------------------------------------------------------------------------- rendering


def to_json(d: MapDiff) -> dict:
    """The documented JSON form (docs/diff-fmt.md); keys are stable within ``argmap_diff: 1``."""
    return {
        "argmap_diff": SCHEMA_VERSION,
        "old": d.old_name,
        "new": d.new_name,
        "changed": d.has_changes,
        "summary": d.summary_counts(),
        "map": [f.to_json() for f in d.map_fields],
        "nodes": {
            "added": d.added,
            "removed": d.removed,
            "renamed": [r.to_json() for r in d.renamed],
            "changed": [c.to_json() for c in d.changed],
        },
        "relations": {
            "added": [r.to_json() for r in d.relations_added],
            "removed": [r.to_json() for r in d.relations_removed],
            "changed": [c.to_json() for c in d.relations_changed],
        },
        "checks": (d.checks or ChecksDiff(False, note="not run (--no-checks)")).to_json(),
    }


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, list):
        items = ("{" + _show(v) + "}" if isinstance(v, dict) else _show(v) for v in value)
        return "[" + ", ".join(items) + "]" if value else "[]"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) if value else "(none)"
    return str(value)


def _rename_note(r: Rename) -> str:
    return "same quote" if r.by == "quote" else f"text {round(r.similarity * 100)}% similar"


def _word_diff(old: str, new: str):
    """Two rich Texts with the words that differ emphasised (colour only on a terminal)."""
    import difflib

    from rich.text import Text

    a, b = old.split(), new.split()
    left, right = Text(style="red"), Text(style="green")
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        for text, words, emphasis in ((left, a[i1:i2], "bold reverse"), (right, b[j1:j2], "bold reverse")):
            if not words:
                continue
            if len(text):
                text.append(" ")
            text.append(" ".join(words), style=None if op == "equal" else emphasis)
    return left, right


def render_text(d: MapDiff, console) -> None:
    """Print the diff with rich (colours only on a terminal; NO_COLOR honoured by rich)."""
    from rich.text import Text

    head = Text()
    head.append(f"{d.old_name} → {d.new_name}: ", style="bold")
    head.append(d.summary())
    console.print(head)

    def section(title: str) -> None:
        console.print(Text(title, style="bold underline"))

    def line(sign: str, style: str, body: str) -> None:
        t = Text("  ")
        t.append(sign + " ", style=style)
        t.append(body)
        console.print(t)

    def field_lines(fields: list[FieldChange]) -> None:
        for f in fields:
            if isinstance(f.old, str) and isinstance(f.new, str):
                console.print(Text(f"      {f.field}:"))
                old_line, new_line = _word_diff(f.old, f.new)
                console.print(Text("        - ", style="red") + old_line)
                console.print(Text("        + ", style="green") + new_line)
            else:
                console.print(Text(f"      {f.field}: {_show(f.old)} → {_show(f.new)}"))

    if d.map_fields:
        section("Map")
        for f in d.map_fields:
            line("~", "yellow", f"{f.field}: {_show(f.old)} → {_show(f.new)}")
    for title, nodes, sign, style in (("Nodes added", d.added, "+", "green"), ("Nodes removed", d.removed, "-", "red")):
        if nodes:
            section(title)
            for n in nodes:
                line(sign, style, f"{n['id']} ({n['kind']}): {n['text']}")
    if d.renamed:
        section("Nodes renamed")
        for r in d.renamed:
            line("~", "yellow", f"{r.old} → {r.new} ({_rename_note(r)})")
    if d.changed:
        section("Nodes changed")
        for c in d.changed:
            title = f"{c.id} ({c.kind})" + (f", was {c.old_id}" if c.old_id else "")
            line("~", "yellow", title)
            field_lines(c.fields)
    for title, relations, sign, style in (("Relations added", d.relations_added, "+", "green"),
                                          ("Relations removed", d.relations_removed, "-", "red")):
        if relations:
            section(title)
            for r in relations:
                line(sign, style, r.describe())
    if d.relations_changed:
        section("Relations changed")
        for c in d.relations_changed:
            line("~", "yellow", c.relation.head())
            field_lines(c.fields)
    if d.checks is not None:
        if not d.checks.ran:
            console.print(Text(f"Check results not compared: {d.checks.note}", style="dim"))
        elif d.checks.introduced or d.checks.fixed:
            section("Check results")
            for p in d.checks.introduced:
                line("+", "red", "introduced: " + p.describe())
            for p in d.checks.fixed:
                line("-", "green", "fixed: " + p.describe())


_MD_ESCAPE = re.compile(r"([\\`*_\[\]<>|~])")


def _md(text: Any) -> str:
    """Inline markdown text: escaped, on one line."""
    s = _show(text) if not isinstance(text, str) else text
    s = " ".join(s.split())
    s = s.replace("&", "&amp;")
    return _MD_ESCAPE.sub(r"\\\1", s)


def _fence(body: str, lang: str = "") -> str:
    longest = max((len(m) for m in re.findall(r"`+", body)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{lang}\n{body}\n{ticks}"


def render_markdown(d: MapDiff) -> str:
    """A pull-request comment: a summary line, the details collapsed."""
    out = [f"**argmap diff** `{d.new_name}`: {d.summary()}"]
    if not d.has_changes and not (d.checks and (d.checks.introduced or d.checks.fixed)):
        return out[0] + "\n"
    body: list[str] = []

    def section(title: str, items: list[str]) -> None:
        if items:
            body.append(f"**{title}**\n")
            body.extend(items)
            body.append("")

    section("Map", [f"- {f.field}: {_md(f.old)} → {_md(f.new)}" for f in d.map_fields])
    section("Nodes added", [f"- `{n['id']}` ({n['kind']}): {_md(n['text'])}" for n in d.added])
    section("Nodes removed", [f"- `{n['id']}` ({n['kind']}): {_md(n['text'])}" for n in d.removed])
    section("Nodes renamed", [f"- `{r.old}` → `{r.new}` ({_rename_note(r)})" for r in d.renamed])

    def field_items(fields: list[FieldChange]) -> list[str]:
        items = []
        for f in fields:
            if isinstance(f.old, str) and isinstance(f.new, str):
                block = _fence(f"- {' '.join(f.old.split())}\n+ {' '.join(f.new.split())}", "diff")
                items.append(f"  - {f.field}:\n" + "\n".join("    " + ln for ln in block.splitlines()))
            else:
                items.append(f"  - {f.field}: {_md(f.old)} → {_md(f.new)}")
        return items

    changed = []
    for c in d.changed:
        changed.append(f"- `{c.id}` ({c.kind})" + (f", was `{c.old_id}`" if c.old_id else ""))
        changed.extend(field_items(c.fields))
    section("Nodes changed", changed)
    section("Relations added", [f"- {r.describe(markdown=True)}" for r in d.relations_added])
    section("Relations removed", [f"- {r.describe(markdown=True)}" for r in d.relations_removed])
    rel_changed = []
    for c in d.relations_changed:
        rel_changed.append(f"- {c.relation.head(markdown=True)}")
        rel_changed.extend(field_items(c.fields))
    section("Relations changed", rel_changed)
    if d.checks is not None and d.checks.ran:
        def problem(verb: str, p: Problem) -> str:
            where = f"`{p.node}`: " if p.node else ""
            return f"- {verb}: **{p.rule}** {p.name} ({p.severity}) {where}{_md(p.message)}"

        section(
            "Check results",
            [problem("introduced", p) for p in d.checks.introduced] + [problem("fixed", p) for p in d.checks.fixed],
        )
    elif d.checks is not None and d.checks.note:
        body.append(f"_Check results not compared: {_md(d.checks.note)}_\n")
    out.append("")
    out.append("<details><summary>Details</summary>")
    out.append("")
    out.extend(body)
    out.append("</details>")
    return "\n".join(out).rstrip("\n") + "\n"
