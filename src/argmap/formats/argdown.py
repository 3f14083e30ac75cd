"""Argdown: source (``.argdown``) and Argdown JSON (what ``argdown json`` writes).

There is no Argdown parser for Python, so this module reads the syntax the
Argdown documentation teaches: front matter, comments (``//``, ``/* */``,
``<!-- -->``), headings, titled and untitled statements (``[T]: text``),
arguments (``<T>: text``), relation trees (``+ - <+ <- +> -> >< _> <_``),
premise–conclusion structures (``(1) …``, ``----`` or ``--`` rules ``--``),
tags (``#tag``, ``#(two words)``), data (``{key: value}``), mentions, links,
emphasis and backslash escapes. Both readers build the same
:class:`ArgdownDoc` (equivalence classes, arguments, relations as Argdown's
own model has them, after its rule that an argument's outgoing relations
belong to its conclusion), so the source and its JSON import to the same map.

Mapping to an argmap map
------------------------
* Statements (equivalence classes) become nodes; untitled paragraphs that
  are in no relation and no premise–conclusion structure are prose, not
  statements of the argument, and are counted, not imported.
* Arguments without a premise–conclusion structure become nodes (their
  description is the text).
* An argument's premise–conclusion structure becomes linked supports:
  each inference step's premises jointly support its conclusion, with the
  inference rules as the ``scheme``. The argument's title and description
  have no place in the map and are counted in the summary. Attacks and
  undercuts aimed at such an argument become undercuts of that support;
  supports aimed at it become supports of its conclusion.
* An undercut of an argument without structure undercuts the argument's
  own outgoing relations. Contradictions become two attacks.
* Data keys ``kind``, ``quote``, ``actor``, ``note``, ``ignore``, and the
  relations Argdown cannot draw (``attacks`` with ``with``/``scheme``,
  ``undercuts`` of attacks and of undercuts), as written by argmap's export,
  are read back; other data is ignored.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from argmap.formats.base import (
    ATTACK, SUPPORT, ForeignInvalid, Graph, ImportResult, apply_carried, carried_fields, carried_roles, map_ext,
    readable_id, slug,
)

# --------------------------------------------------------------------------- model


@dataclass
class AStatement:
    title: str
    text: str = ""
    untitled: bool = False
    tags: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)
    order: int = 0


@dataclass
class AArgument:
    title: str
    description: str = ""
    tags: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)
    pcs: list[tuple[str, str, list[str]]] = field(default_factory=list)  # (role, statement title, rules)
    order: int = 0


@dataclass
class ARelation:
    type: str  # support | attack | undercut | contradictory | entails | contrary
    source: str
    source_type: str  # statement | argument
    target: str
    target_type: str

    def key(self):
        return (self.type, self.source_type, self.source, self.target_type, self.target)


@dataclass
class ArgdownDoc:
    statements: dict[str, AStatement] = field(default_factory=dict)
    arguments: dict[str, AArgument] = field(default_factory=dict)
    relations: list[ARelation] = field(default_factory=list)
    headings: int = 0
    front: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- source lexing

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_PCS_ITEM = re.compile(r"^(\s*)\((\d+)\)\s*(.*)$")
_DASHES = re.compile(r"^\s*(-{2,})\s*$")
_REL = re.compile(r"^(\s*)(\+>|->|<\+|<-|><|_>|<_|\+|-)\s+(\S.*)$")
_STMT_DEF = re.compile(r"^\[((?:[^\]\\]|\\.)+)\]:\s*(.*)$", re.S)
_STMT_REF = re.compile(r"^\[((?:[^\]\\]|\\.)+)\](?!\()\s*(.*)$", re.S)
_ARG_DEF = re.compile(r"^<((?:[^>\\]|\\.)+)>:\s*(.*)$", re.S)
_ARG_REF = re.compile(r"^<((?:[^>\\]|\\.)+)>\s*(.*)$", re.S)
_TAG = re.compile(r"(?<![\w\\])#(?:\(([^)]*)\)|([\w][\w-]*))")
# link text stops at an unescaped "[" and the URL at "(": keeps the match linear (fuzzing found
# 8 KB of "[" taking 9 s with the unbounded form)
_LINK = re.compile(r"(?<!\\)\[((?:[^\[\]\\]|\\.)*)\]\(([^()]*)\)")
_EMPH = [
    re.compile(r"(?<![\\\w])\*\*(?=\S)(.+?)(?<=\S)(?<!\\)\*\*"),
    re.compile(r"(?<![\\\w])__(?=\S)(.+?)(?<=\S)(?<!\\)__(?!\w)"),
    re.compile(r"(?<![\\\w*])\*(?=\S)(.+?)(?<=\S)(?<![\\*])\*(?!\*)"),
    re.compile(r"(?<![\\\w_])_(?=\S)(.+?)(?<=\S)(?<![\\_])_(?![\w_])"),
]
_ESC = re.compile(r"\\(.)")
_COMMENT_ENDS = {"<!--": "-->", "/*": "*/"}

REL_TYPES = {
    "+": ("support", "child"),
    "<+": ("support", "child"),
    "-": ("attack", "child"),
    "<-": ("attack", "child"),
    "+>": ("support", "parent"),
    "->": ("attack", "parent"),
    "><": ("contradictory", "parent"),
    "_>": ("undercut", "parent"),
    "<_": ("undercut", "child"),
}


# where something other than plain text may start: an escape, a block comment, a line comment
_COMMENT_START = re.compile("|".join([r"\\.", *map(re.escape, _COMMENT_ENDS), "//"]), re.S)


def _strip_comments(text: str) -> str:
    """Blank out comments, keeping line breaks (so line numbers stay right).

    A ``//`` starts a comment at the start of a line (after spaces) or after a
    space or tab, never after ``:`` (``https://``); an escaped character is
    text. The plain runs between the places :data:`_COMMENT_START` finds are
    copied whole.
    """
    out = []
    n = len(text)
    pos = 0
    line_start = True  # nothing but spaces since the last line break
    search = _COMMENT_START.search
    m = search(text)
    while m:
        i = m.start()
        if i > pos:
            run = text[pos:i]
            out.append(run)
            tail = run[run.rfind("\n") + 1:]
            if tail and not tail.isspace():
                line_start = False
            elif "\n" in run:
                line_start = True
        token = m.group()
        if token[0] == "\\":
            out.append(token)
            line_start = False
            pos = m.end()
        elif token in _COMMENT_ENDS:
            j = text.find(_COMMENT_ENDS[token], m.end())
            j = n if j < 0 else j + len(_COMMENT_ENDS[token])
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            pos = j
        elif (line_start or text[i - 1] in " \t") and not (i > 0 and text[i - 1] == ":"):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            pos = j
        else:  # a "/" of the text: the next one may start a comment
            out.append("/")
            line_start = False
            pos = i + 1
        m = search(text, pos)
    out.append(text[pos:])
    return "".join(out)


def _split_data(content: str) -> tuple[str, dict, str | None]:
    """``text {k: v}`` → (text, data, error)."""
    s = content.rstrip()
    if not s.endswith("}"):
        return content, {}, None
    depth = 0
    in_str = None
    start = None
    i = len(s) - 1
    # scan backwards for the matching brace, skipping quoted strings roughly
    while i >= 0:
        ch = s[i]
        if in_str:
            if ch == in_str and (i == 0 or s[i - 1] != "\\"):
                in_str = None
        elif ch in "\"'":
            in_str = ch
        elif ch == "}":
            depth += 1
        elif ch == "{":
            depth -= 1
            if depth == 0:
                start = i
                break
        i -= 1
    if start is None or (start > 0 and s[start - 1] == "\\"):
        return content, {}, None
    raw = s[start:]
    import yaml

    try:
        data = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        return s[:start], {}, f"data {raw[:40]!r} is not valid YAML ({getattr(exc, 'problem', None) or exc})"
    if not isinstance(data, dict):
        return content, {}, None
    return s[:start], data, None


# Argdown's shortcodes for logical symbols (and the heart its primer uses), in both spellings
_SHORTCODES = {
    "A": "∀", "E": "∃", "->": "→", "<->": "↔", "~": "¬", "^": "∧", "v": "∨", "v_": "⊻",
    "<>": "◇", "[]": "◻", "therefore": "∴", "heart": "❤",
}
_SHORTCODE_RX = re.compile(
    r"(?<!\\)(?:"
    + "|".join(
        rf"{re.escape(o)}{re.escape(k)}{re.escape(o)}"
        for k in sorted(_SHORTCODES, key=len, reverse=True)
        for o in (".", ":")
    )
    + ")"
)


def _shortcodes(s: str) -> str:
    return _SHORTCODE_RX.sub(lambda m: _SHORTCODES[m.group(0)[1:-1]], s)


def _escape_shortcodes(s: str) -> str:
    """Escape every shortcode :func:`_shortcodes` would expand. Shortcodes can overlap
    (``.~.~.`` holds two), and one pass escapes only the first of them: so repeat until
    none is left (each pass escapes at least one; a backslash never makes a new one)."""
    while _SHORTCODE_RX.search(s):
        s = _SHORTCODE_RX.sub(lambda m: "\\" + m.group(0), s)
    return s


def clean_text(raw: str) -> tuple[str, list[str]]:
    """Argdown inline text → (plain text, tags). Trailing tags leave the text; inline ones keep their word."""
    tags: list[str] = []

    def tag(m):
        t = (m.group(1) if m.group(1) is not None else m.group(2)).strip()
        if t:
            tags.append(t)
        return "\x00" + t + "\x01"

    s = _TAG.sub(tag, _shortcodes(raw))
    s = _LINK.sub(lambda m: m.group(1), s)
    for rx in _EMPH:
        s = rx.sub(lambda m: m.group(1), s)
    s = " ".join(s.split())
    # drop trailing tags, keep inline ones as words
    s = re.sub(r"(?:\s*\x00[^\x01]*\x01)+\s*$", "", s)
    s = re.sub(r"\x00([^\x01]*)\x01", r"\1", s)
    s = _ESC.sub(r"\1", s)
    return s.strip(), tags


def _unescape_title(t: str) -> str:
    return _ESC.sub(r"\1", " ".join(t.split()))


@dataclass
class _Elem:
    kind: str  # statement | argument
    title: str | None


class _Parser:
    def __init__(self, text: str, name: str):
        self.name = name
        self.doc = ArgdownDoc()
        self.untitled = 0
        self.untitled_args = 0
        self.order = 0
        self.lines = text.split("\n")

    # elements ---------------------------------------------------------------
    def _content(self, content: str) -> _Elem:
        content = content.strip()
        body, data, err = _split_data(content)
        if err:
            self.doc.warnings.append(f"{self.name}: {err}")
        body = body.strip()
        for rx, kind in ((_STMT_DEF, "statement"), (_ARG_DEF, "argument")):
            m = rx.match(body)
            if m:
                return self._elem(kind, _unescape_title(m.group(1)), m.group(2), data)
        for rx, kind in ((_ARG_REF, "argument"), (_STMT_REF, "statement")):  # a reference, perhaps with tags
            m = rx.match(body)
            if m and (not m.group(2).strip() or m.group(2).lstrip().startswith("#")):
                return self._elem(kind, _unescape_title(m.group(1)), m.group(2), data, ref=True)
        return self._elem("statement", None, body, data)

    def _elem(self, kind: str, title: str | None, raw_text: str, data: dict, ref: bool = False) -> _Elem:
        text, tags = clean_text(raw_text)
        if ref:
            text = ""
        self.order += 1
        if kind == "statement":
            if title is None:
                self.untitled += 1
                title = f"Untitled {self.untitled}"
                st = AStatement(title, text, True, order=self.order)
                self.doc.statements[title] = st
            st = self.doc.statements.get(title)
            if st is None:
                st = AStatement(title, order=self.order)
                self.doc.statements[title] = st
            if text and not st.text:
                st.text = text
                st.order = self.order  # a statement stands where it is first defined
            st.tags.extend(t for t in tags if t not in st.tags)
            for k, v in data.items():
                st.data.setdefault(k, v)
        else:
            arg = self.doc.arguments.get(title)
            if arg is None:
                arg = AArgument(title, order=self.order)
                self.doc.arguments[title] = arg
            if text and not arg.description:
                arg.description = text
            arg.tags.extend(t for t in tags if t not in arg.tags)
            for k, v in data.items():
                arg.data.setdefault(k, v)
        return _Elem(kind, title)

    # blocks -----------------------------------------------------------------
    def parse(self) -> ArgdownDoc:
        lines = self.lines
        i = 0
        n = len(lines)
        # front matter
        while i < n and not lines[i].strip():
            i += 1
        if i < n and lines[i].strip() == "===":
            j = i + 1
            while j < n and lines[j].strip() != "===":
                j += 1
            if j >= n:
                raise ForeignInvalid(f"{self.name}:{i + 1}: the front matter opened with '===' is never closed.")
            import yaml

            try:
                # each front-matter line ends with a line break, the last one too (a literal block
                # there keeps its final line break)
                fm = yaml.load("".join(ln + "\n" for ln in lines[i + 1 : j]),
                               Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
                if isinstance(fm, dict):
                    self.doc.front = fm
            except yaml.YAMLError:
                self.doc.warnings.append(f"{self.name}:{i + 2}: the front matter is not valid YAML; ignored")
            i = j + 1
        last_top: _Elem | None = None  # the last top-level element (a PCS attaches to an argument)
        while i < n:
            line = lines[i]
            if not line.strip():
                i += 1
                continue
            if _HEADING.match(line):
                self.doc.headings += 1
                last_top = None
                i += 1
                continue
            if _PCS_ITEM.match(line) or _DASHES.match(line):
                arg_title = None
                if last_top is not None and last_top.kind == "argument":
                    arg_title = last_top.title
                i = self._pcs(i, arg_title)
                last_top = None
                continue
            # a top-level element with its continuation lines and relation tree
            i, content = self._collect(i, line.strip())
            last_top = self._content(content)
            i = self._tree(i, last_top, len(line) - len(line.lstrip()))
        self.doc.relations = transform_relations(self.doc)
        return self.doc

    def _collect(self, i: int, first: str) -> tuple[int, str]:
        """Join continuation lines: until a blank line or a line that starts something else."""
        parts = [first]
        i += 1
        while i < len(self.lines):
            ln = self.lines[i]
            if not ln.strip() or _REL.match(ln) or _PCS_ITEM.match(ln) or _DASHES.match(ln) or _HEADING.match(ln):
                break
            parts.append(ln.strip())
            i += 1
        return i, " ".join(parts)

    def _tree(self, i: int, root: _Elem, root_indent: int) -> int:
        stack: list[tuple[int, _Elem]] = [(root_indent, root)]
        while i < len(self.lines):
            ln = self.lines[i]
            m = _REL.match(ln)
            if not m:
                break
            indent = len(m.group(1))
            while len(stack) > 1 and stack[-1][0] >= indent:
                stack.pop()
            parent = stack[-1][1]
            i, content = self._collect(i, m.group(3))
            child = self._content(content)
            rtype, holder = REL_TYPES[m.group(2)]
            if holder == "child":
                self._relate(rtype, child, parent)
            else:
                self._relate(rtype, parent, child)
            stack.append((indent, child))
        return i

    def _relate(self, rtype: str, a: _Elem, b: _Elem) -> None:
        self.doc.relations.append(ARelation(rtype, a.title, a.kind, b.title, b.kind))

    def _pcs(self, i: int, arg_title: str | None) -> int:
        if arg_title is None:
            self.untitled_args += 1
            arg_title = f"Untitled argument {self.untitled_args}"
            self.order += 1
            self.doc.arguments[arg_title] = AArgument(arg_title, order=self.order)
        arg = self.doc.arguments[arg_title]
        items: list[tuple[str, str, list[str]]] = []
        pending_rules: list[str] | None = None
        n = len(self.lines)
        while i < n:
            ln = self.lines[i]
            if not ln.strip():
                # a blank line ends the structure unless it goes on with an item or an inference
                j = i
                while j < n and not self.lines[j].strip():
                    j += 1
                if j < n and (_PCS_ITEM.match(self.lines[j]) or _DASHES.match(self.lines[j])) and (
                    pending_rules is not None or not items or items[-1][0] == "premise"
                ):
                    i = j
                    continue
                break
            dm = _DASHES.match(ln)
            if dm:
                if len(dm.group(1)) >= 4:
                    pending_rules = []
                    i += 1
                    continue
                # "--" rules "--"
                j = i + 1
                rules_lines = []
                while j < n and not _DASHES.match(self.lines[j]):
                    if _PCS_ITEM.match(self.lines[j]):
                        break
                    rules_lines.append(self.lines[j].strip())
                    j += 1
                if j < n and _DASHES.match(self.lines[j]):
                    body, rdata, _ = _split_data(" ".join(x for x in rules_lines if x))
                    body = clean_text(body)[0]
                    pending_rules = [r.strip() for r in body.split(",") if r.strip()] if body else []
                    if isinstance(rdata.get("scheme"), str) and rdata["scheme"].strip():
                        pending_rules = [rdata["scheme"]]  # argmap's export: the exact scheme name
                    i = j + 1
                else:
                    pending_rules = []
                    i += 1
                continue
            im = _PCS_ITEM.match(ln)
            if not im:
                break
            i, content = self._collect(i, im.group(3))
            elem = self._content(content)
            if elem.kind != "statement":
                self.doc.warnings.append(f"{self.name}:{i}: an argument inside a premise-conclusion structure; left out")
                continue
            if pending_rules is not None:
                items.append(("conclusion", elem.title, pending_rules))
                pending_rules = None
            else:
                items.append(("premise", elem.title, []))
            i = self._tree(i, elem, len(im.group(1)))
        if pending_rules is not None:
            self.doc.warnings.append(f"{self.name}: a premise-conclusion structure of <{arg_title}> ends with an inference but no conclusion")
        # last conclusion is the main one
        roles = []
        last_c = max((k for k, it in enumerate(items) if it[0] == "conclusion"), default=None)
        for k, (role, title, rules) in enumerate(items):
            if role == "conclusion":
                role = "main-conclusion" if k == last_c else "intermediary-conclusion"
            roles.append((role, title, rules))
        if last_c is None and items:
            self.doc.warnings.append(f"{self.name}: the premise-conclusion structure of <{arg_title}> has no conclusion")
        if arg.pcs and roles:
            self.doc.warnings.append(f"{self.name}: <{arg_title}> has two premise-conclusion structures; the last one is kept")
        if roles:
            arg.pcs = roles
        return i


def transform_relations(doc: ArgdownDoc) -> list[ARelation]:
    """Argdown's rule: outgoing relations of an argument with a conclusion start at the conclusion;
    self-relations and duplicates are dropped."""
    out: list[ARelation] = []
    seen = set()
    for r in doc.relations:
        if r.source_type == "argument":
            arg = doc.arguments.get(r.source)
            concl = main_conclusion(arg) if arg else None
            if concl is not None and r.type in ("support", "attack", "contradictory"):
                r = ARelation(r.type, concl, "statement", r.target, r.target_type)
        if r.source == r.target and r.source_type == r.target_type:
            continue
        if r.key() in seen:
            continue
        seen.add(r.key())
        out.append(r)
    return out


def main_conclusion(arg: AArgument | None) -> str | None:
    return next((title for role, title, _ in arg.pcs if role == "main-conclusion"), None) if arg else None


def parse_source(text: str, name: str = "<argdown>") -> ArgdownDoc:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # front matter is YAML: keep it out of comment stripping ("//" may be data there) and out of
    # the tab expansion (a tab inside one of its strings is data too)
    front = ""
    m = re.match(r"\A(\s*===[ \t]*\n.*?\n===[ \t]*)(?:\n|\Z)", text, re.S)
    if m:
        front, text = m.group(1) + "\n", text[m.end():]
    text = text.replace("\t", "    ")  # in Argdown's indentation, a tab counts as four spaces
    stripped = _strip_comments(text)
    # lines that held only a comment vanish (a comment inside a relation tree does not end it)
    kept = [s for o, s in zip(text.split("\n"), stripped.split("\n")) if s.strip() or not o.strip()]
    return _Parser(front + "\n".join(kept), name).parse()


# --------------------------------------------------------------------------- Argdown JSON


from argmap.io.files import is_argdown_json as looks_like_json  # noqa: E402  (the one sniffer, in io)


def _seq(value) -> list:
    """A JSON value that should be a list, or an empty list (hostile documents put numbers there)."""
    return value if isinstance(value, list) else []

def _json_text(text: str, tags: list[str]) -> str:
    """Argdown JSON text is already clean, except that it ends with the statement's tags."""
    s = " ".join(text.split())
    while True:
        m = re.search(r"\s*#(?:\(([^)]*)\)|([\w][\w-]*))\s*$", s)
        if not m or (m.group(1) if m.group(1) is not None else m.group(2)).strip() not in tags:
            break
        s = s[: m.start()]

    def inline(m):
        t = m.group(1) if m.group(1) is not None else m.group(2)
        return t if t.strip() in tags else m.group(0)

    return _TAG.sub(inline, s).strip()


def _first_line(members: list, fallback: int) -> float:
    """Order of first appearance in the source: the first member's line (column breaks ties)."""
    best = None
    for m in members:
        line, col = m.get("startLine"), m.get("startColumn")
        if isinstance(line, int):
            key = line + (col if isinstance(col, int) else 0) / 10000.0
            best = key if best is None else min(best, key)
    return best if best is not None else 1e9 + fallback


def parse_json_doc(data, name: str) -> ArgdownDoc:
    if not looks_like_json(data):
        raise ForeignInvalid(f"{name}: not an Argdown JSON export (it needs 'statements' and 'arguments' objects).")
    doc = ArgdownDoc()
    order = 0
    for title, ec in data["statements"].items():
        if not isinstance(ec, dict):
            raise ForeignInvalid(f"{name}: statement {title!r} is not an object.")
        order += 1
        members = [m for m in _seq(ec.get("members")) if isinstance(m, dict)]
        defining = [m for m in members if m.get("text") and str(m["text"]).strip() and not m.get("isReference")]
        tags = [str(t) for t in _seq(ec.get("tags"))]
        txt = _json_text(str(defining[0]["text"]) if defining else "", tags)
        data_ = {}
        for d in [m.get("data") for m in members] + [ec.get("data")]:  # the first value of a key wins
            if isinstance(d, dict):
                for k, v in d.items():
                    data_.setdefault(k, v)
        untitled = bool(re.match(r"^Untitled \d+$", str(title)))
        doc.statements[str(title)] = AStatement(
            str(title), txt, untitled, tags, data_, _first_line(defining or members, order)
        )
    for title, a in data["arguments"].items():
        if not isinstance(a, dict):
            raise ForeignInvalid(f"{name}: argument {title!r} is not an object.")
        order += 1
        members = [m for m in _seq(a.get("members")) if isinstance(m, dict)]
        desc = next((str(m["text"]) for m in members if m.get("text") and str(m["text"]).strip()), "")
        atags = [str(t) for t in _seq(a.get("tags"))]
        pcs = []
        for item in _seq(a.get("pcs")):
            if not isinstance(item, dict) or "title" not in item:
                continue
            role = item.get("role") or "premise"
            rules = []
            inf = item.get("inference")
            if isinstance(inf, dict):
                rules = [str(r) for r in _seq(inf.get("inferenceRules"))]
                idata = inf.get("data") if isinstance(inf.get("data"), dict) else {}
                if isinstance(idata.get("scheme"), str) and idata["scheme"].strip():
                    rules = [idata["scheme"]]
            pcs.append((role, str(item["title"]), rules))
        data_ = a.get("data") if isinstance(a.get("data"), dict) else {}
        doc.arguments[str(title)] = AArgument(
            str(title), _json_text(desc, atags), atags, dict(data_), pcs, _first_line(members, order)
        )
    for r in _seq(data.get("relations")):
        if not isinstance(r, dict):
            continue
        ft = "argument" if r.get("fromType") == "argument" else "statement"
        tt = "argument" if r.get("toType") in ("argument", "inference") else "statement"
        doc.relations.append(ARelation(str(r.get("relationType")), str(r.get("from")), ft, str(r.get("to")), tt))
    sections = _seq(data.get("sections"))

    def count(secs):
        return sum(1 + count(_seq(s.get("children"))) for s in secs if isinstance(s, dict))

    doc.headings = count(sections)
    doc.relations = transform_relations(doc)
    return doc


# --------------------------------------------------------------------------- doc → map

def doc_to_result(doc: ArgdownDoc) -> ImportResult:
    g = Graph()
    s = g.summary
    for w in doc.warnings:
        s.warn(w)
    front = doc.front
    if isinstance(front.get("title"), str):
        g.title = " ".join(front["title"].split())
    ext = front.get("argmap") if isinstance(front.get("argmap"), dict) else {}
    if isinstance(ext.get("title"), str):  # argmap's export keeps the exact title here
        g.title = ext["title"]
    src = ext.get("source") if isinstance(ext.get("source"), dict) else {}
    g.take_source_meta(src)
    if isinstance(src.get("text"), str) and src["text"].strip():
        g.source_text = src["text"]

    in_pcs = {t for a in doc.arguments.values() for _, t, _ in a.pcs}
    related = set()
    for r in doc.relations:
        related.add((r.source_type, r.source))
        related.add((r.target_type, r.target))
    # statements
    key_of: dict[tuple[str, str], str] = {}
    prose = 0
    items = sorted(
        [("statement", st.order, st) for st in doc.statements.values()] + [("argument", a.order, a) for a in doc.arguments.values()],
        key=lambda x: x[1],
    )
    for kind, _, obj in items:
        if kind == "statement":
            if obj.untitled and obj.title not in in_pcs and ("statement", obj.title) not in related and not obj.data:
                prose += 1
                continue
            hint = None if obj.untitled else obj.title
            text = obj.text or obj.title
        elif obj.pcs:
            continue
        else:
            hint, text = obj.title, obj.description or obj.title
        if hint is not None and not readable_id(hint):
            hint = slug(hint)
        gn = g.add_node(f"{kind[0]}:{obj.title}", text, id_hint=hint)  # "s:" statements, "a:" arguments
        gn.tags = list(obj.tags)
        apply_carried(gn, obj.data, ("quote", "actor", "note", "ignore"))
        key_of[(kind, obj.title)] = gn.key
    s.count("untitled paragraphs in no relation and no argument left out as prose (not statements of the argument)", prose)

    # premise-conclusion structures
    main_rel: dict[str, str] = {}
    pcs_args = 0
    described = 0
    for a in doc.arguments.values():
        if not a.pcs:
            continue
        pcs_args += 1
        if a.description or not a.title.startswith("Untitled argument"):
            described += 1
        premises: list[str] = []
        step = 0
        for role, title, rules in a.pcs:
            k = key_of.get(("statement", title))
            if k is None:
                continue
            if role == "premise":
                premises.append(k)
                continue
            step += 1
            if premises:
                rk = f"pcs:{a.title}#{step}"
                g.add_rel(rk, SUPPORT, premises, k, ", ".join(rules) or None)
                if role == "main-conclusion":
                    main_rel[a.title] = rk
            premises = [k]
        if step > 1:
            s.count("arguments with intermediary conclusions split into one linked support per inference step")
    s.count("premise-conclusion structures kept as linked supports (premises → conclusion, inference rules as scheme)", pcs_args)
    s.count("argument titles/descriptions of premise-conclusion structures not kept (the map has no argument objects)", described)

    # relations
    def source_key(r: ARelation, what: str) -> str | None:
        """The node a relation starts from (an argument with a structure speaks through its
        conclusion); None, with a warning, when there is none."""
        src = key_of.get((r.source_type, r.source))
        if src is None and r.source_type == "argument":
            mc = main_conclusion(doc.arguments.get(r.source))
            src = key_of.get(("statement", mc)) if mc else None
        if src is None:
            s.warn(f"{what} from {r.source!r} left out: no such statement or argument")
        return src

    out_rels_of: dict[str, list[str]] = {}
    deferred_undercuts = []
    for r in doc.relations:
        if r.type in ("support", "attack", "contradictory", "contrary", "entails"):
            src = source_key(r, "relation")
            if src is None:
                continue
            if r.target_type == "argument" and r.target in main_rel:
                if r.type == "support" or r.type == "entails":
                    mc = main_conclusion(doc.arguments[r.target])
                    tk = key_of.get(("statement", mc))
                    g.add_rel(f"r{len(g.rels)}", SUPPORT, [src], tk)
                    s.count("supports of arguments with a premise-conclusion structure written as supports of its conclusion")
                else:
                    g.add_rel(f"r{len(g.rels)}", ATTACK, [src], main_rel[r.target])
                    s.count("attacks on arguments with a premise-conclusion structure written as undercuts of its inference")
                continue
            tgt = key_of.get((r.target_type, r.target))
            if tgt is None:
                s.warn(f"relation to {r.target!r} left out: no such statement or argument")
                continue
            support = r.type in ("support", "entails")
            rk = g.add_rel(f"r{len(g.rels)}", SUPPORT if support else ATTACK, [src], tgt).key
            if support or r.type == "attack":
                s.count(f"{'support' if support else 'attack'} relations")
            else:
                g.add_rel(f"r{len(g.rels)}", ATTACK, [tgt], src)
                s.count(f"{r.type} relations written as two attacks, one each way")
            out_rels_of.setdefault(src, []).append(rk)
        elif r.type == "undercut":
            deferred_undercuts.append(r)
        else:
            s.warn(f"relation type {r.type!r} is unknown; left out")
    for r in deferred_undercuts:
        src = source_key(r, "undercut")
        if src is None:
            continue
        if r.target in main_rel:
            g.add_rel(f"u{len(g.rels)}", ATTACK, [src], main_rel[r.target])
            s.count("undercuts of arguments kept as undercuts of their inference")
            continue
        tgt = key_of.get((r.target_type, r.target))
        if tgt is None:
            s.warn(f"undercut of {r.target!r} left out: no such argument")
            continue
        targets = out_rels_of.get(tgt, [])
        if targets:
            for t in targets:
                g.add_rel(f"u{len(g.rels)}", ATTACK, [src], t)
            s.count("undercuts of arguments kept as undercuts of the argument's relations")
        else:
            g.add_rel(f"u{len(g.rels)}", ATTACK, [src], tgt)
            s.count("undercuts of arguments that have no outgoing relation written as attacks")
    _data_relations(g, key_of, doc)
    s.count("headings (groups) not kept: the map has no groups", doc.headings)
    s.count("statements and arguments imported as map nodes", len(g.nodes))
    return g.to_result()


def _data_relations(g: Graph, key_of: dict, doc: ArgdownDoc) -> None:
    """Relations Argdown cannot draw, carried in data by argmap's export."""
    by_title = {t: k for (kind, t), k in key_of.items() if kind == "statement"}

    def find_rel(ref: str) -> str | None:
        holder, _, rest = ref.partition("->")
        if not rest:
            return None
        tgt = find_rel(rest) if "->" in rest else by_title.get(rest)
        holder = by_title.get(holder)
        return next((r.key for r in g.rels.values() if r.premises and r.premises[0] == holder and r.target == tgt), None)

    pending = []
    for (kind, title), key in key_of.items():
        if kind != "statement":
            continue
        data = doc.statements[title].data
        for field_, kind in (("attacks", ATTACK), ("supports", SUPPORT)):
            for rel in data.get(field_) or []:
                if not (isinstance(rel, dict) and rel.get("to") in by_title):
                    continue
                tgt = by_title[rel["to"]]
                prem = [key] + [by_title[w] for w in rel.get("with") or [] if w in by_title]
                scheme = rel.get("scheme") if isinstance(rel.get("scheme"), str) else None
                # the drawn plain relation stands for this one: replace it, keeping its key
                drawn = [r for r in g.rels.values() if r.kind == kind and r.premises == [key] and r.target == tgt]
                if drawn:
                    drawn[0].premises = prem
                    drawn[0].scheme = scheme
                else:
                    g.add_rel(f"d{len(g.rels)}", kind, prem, tgt, scheme)
        for ref in data.get("undercuts") or []:
            if isinstance(ref, str):
                pending.append((key, ref))
        roles = data.get("roles") if isinstance(data.get("roles"), dict) else {}
        for field_, kind in (("supports", SUPPORT), ("attacks", ATTACK)):
            by_target = roles.get(field_) if isinstance(roles.get(field_), dict) else {}
            for tgt, value in by_target.items():
                for r in g.rels.values():
                    if r.kind == kind and r.premises[:1] == [key] and r.target == by_title.get(tgt):
                        r.roles = carried_roles(value)
                        break
    pending.sort(key=lambda x: x[1].count("->"))
    for key, ref in pending:
        t = find_rel(ref)
        if t is None:
            g.summary.warn(f"undercut {ref!r} in the data of a statement names no relation; left out")
            continue
        g.add_rel(f"d{len(g.rels)}", ATTACK, [key], t)


def import_argdown(path, text: str) -> ImportResult:
    head = text.lstrip()[:1]
    if head in ("{", "["):
        try:
            json.loads(text)
        except (ValueError, RecursionError):
            pass
        else:
            raise ForeignInvalid(f"{path}: this is JSON, not Argdown source (for Argdown's JSON export use --from argdown-json).")
    if head == "<" and re.match(r"\s*<(\?xml|arggraph|!DOCTYPE)", text):
        raise ForeignInvalid(f"{path}: this is XML, not Argdown source (for arg-microtexts use --from microtexts).")
    doc = parse_source(text, str(path))
    if not doc.statements and not doc.arguments:
        raise ForeignInvalid(f"{path}: no Argdown statements or arguments found.")
    return doc_to_result(doc)


def import_argdown_json(path, text: str) -> ImportResult:
    from argmap.formats.jsonio import load_json

    data = load_json(text, str(path), "an Argdown JSON export")
    return doc_to_result(parse_json_doc(data, str(path)))


# --------------------------------------------------------------------------- export

_TEXT_ESC = re.compile(r"([\\\[\]<>{}#@*_])")


def escape_text(text: str) -> str:
    s = " ".join(text.split())
    s = _TEXT_ESC.sub(r"\\\1", s)
    s = re.sub(r"/(?=[/*])", r"\\/", s)
    return _escape_shortcodes(s)


def escape_title(title: str) -> str:
    return re.sub(r"([\\\[\]<>])", r"\\\1", title)


_DATA_ESC = {"<": "\\x3c", "#": "\\x23", "{": "\\x7b", "}": "\\x7d", "[": "\\x5b", "]": "\\x5d", "/": "\\x2f", "\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def data_str(value) -> str:
    """YAML flow (which Argdown reads) with the characters Argdown's lexer would see escaped."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {data_str(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(data_str(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if value is None:
        return "null"
    out = []
    for ch in str(value):
        if ch in _DATA_ESC:
            out.append(_DATA_ESC[ch])
        elif ord(ch) < 0x20:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _tag(t: str) -> str:
    if re.fullmatch(r"[\w][\w-]*", t):
        return f"#{t}"
    return "#(" + t.replace(")", "").replace("(", "") + ")"


def _front_matter_ext(ext: dict) -> str:
    """What Argdown has no place for, as YAML in the front matter, laid out as
    argmap lays out maps: the source article becomes a literal block, line by
    line as in the article, that Argdown users can read (it was one long JSON
    string). A text holding a line that is only ``===`` (which would close the
    front matter) stays one JSON string."""
    from argmap.io.yamlemit import canonical_yaml

    block = canonical_yaml({"argmap": ext}).rstrip("\n")
    if any(line.strip() == "===" for line in block.splitlines()):
        return f"argmap: {json.dumps(ext, ensure_ascii=False)}"
    return block


def export_argdown(loaded):
    from argmap.map.graph import build

    amap = loaded.map
    g = build(amap)
    notes: list[str] = []
    lines: list[str] = []
    ext = map_ext(loaded)
    if amap.title or ext:
        lines.append("===")
        if amap.title:
            lines.append(f"title: {data_str(amap.title)}")
        if ext:
            lines.append(_front_matter_ext(ext))
        lines.append("===")
        lines.append("")
    undercut_refs = {u.ref for u in g.undercuts}
    # supports that need an argument (linked, with a scheme, or undercut); the rest are drawn plainly
    as_argument: dict[str, str] = {}
    data_extra: dict[str, dict] = {}
    simple: dict[str, list] = {}
    for e in g.edges:
        if e.kind == "supports" and (e.members or e.scheme is not None or e.ref in undercut_refs):
            as_argument.setdefault(e.ref, f"{e.source} supports {e.target}")
            continue
        simple.setdefault(e.source, []).append(e)
        if e.kind == "attacks" and (e.members or e.scheme):
            # linked / named attacks: Argdown cannot draw them; carried in data
            rel = {"to": e.target}
            if e.members:
                rel["with"] = list(e.members[1:])
            if e.scheme:
                rel["scheme"] = e.scheme
            data_extra.setdefault(e.source, {}).setdefault("attacks", []).append(rel)
            notes.append(f"the linked or named attack {e.ref} is drawn as a plain attack; its 'with'/'scheme' are kept in Argdown data")
    und_native: dict[str, list[str]] = {}
    for u in g.undercuts:
        if u.ref in as_argument:
            und_native.setdefault(u.source, []).append(as_argument[u.ref])
        else:
            data_extra.setdefault(u.source, {}).setdefault("undercuts", []).append(u.ref)
            notes.append(f"the undercut {u.own_ref} has no Argdown form (Argdown undercuts only arguments); kept in Argdown data")
    seen = set()
    for n in amap.nodes:
        if n.id in seen:
            continue
        seen.add(n.id)
        data = carried_fields(n, quote=True, tags=False, **data_extra.get(n.id, {}))  # tags are Argdown tags
        roles = {k: {r.to: dict(r.roles) for r in getattr(n, k) if r.roles} for k in ("supports", "attacks")}
        if any(roles.values()):
            data["roles"] = {k: v for k, v in roles.items() if v}
        tags = " ".join(_tag(t) for t in n.tags)
        head = f"[{escape_title(n.id)}]: {escape_text(n.text)}"
        if tags:
            head += " " + tags
        head += " " + data_str(data)
        lines.append(head)
        for e in simple.get(n.id, []):
            marker = "+>" if e.kind == "supports" else "->"
            lines.append(f"  {marker} [{escape_title(e.target)}]")
        for title in und_native.get(n.id, []):
            lines.append(f"  _> <{escape_title(title)}>")
        lines.append("")
    written: set[str] = set()
    for e in g.edges:
        title = as_argument.get(e.ref)
        if title is None or e.kind != "supports" or e.ref in written:
            continue
        written.add(e.ref)
        lines.append(f"<{escape_title(title)}>")
        lines.append("")
        for k, m in enumerate(e.sources, 1):
            lines.append(f"({k}) [{escape_title(m)}]")
        if e.scheme:
            lines.append("--")
            rules = [r.strip() for r in " ".join(e.scheme.split()).split(",") if r.strip()]
            exact = "" if ", ".join(rules) == e.scheme else " " + data_str({"scheme": e.scheme})
            shown = escape_text(e.scheme)
            if re.match(r"\(\d+\)", shown):  # "(1) ..." would start a numbered statement
                shown, exact = "scheme", " " + data_str({"scheme": e.scheme})
            lines.append(shown + exact)
            lines.append("--")
        else:
            lines.append("----")
        lines.append(f"({len(e.sources) + 1}) [{escape_title(e.target)}]")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n", sorted(set(notes))
