"""A fast YAML reader for plain maps: the data of the careful loader, or :class:`NotFast`.

``load(text)`` returns exactly what ``argmap.io.yamlload._yaml_load(text)[0]``
returns (values, types and key order), several times faster, or raises
:class:`NotFast` so that the caller runs the careful loader (which then
reports anchors, duplicate keys, tags and syntax errors with positions).
It gives no positions: a caller computes them lazily, only when a
diagnostic needs one (``Positions(text=...)``).

The parsing is done by ``yaml-rs`` (a Rust YAML 1.2 parser). It differs from
the careful loader (libyaml, a YAML 1.1 parser with argmap's resolver) in
ways that are all refused here rather than translated:

* anchors, aliases, tags, merge keys, directives and more than one
  document: a conservative scan of the text refuses any text where one
  *could* be (``&``/``*``/``!`` after a separator, ``<<`` anywhere, a
  line starting ``%`` or ``...``, a ``---`` line after content);
* characters libyaml reads differently or refuses (NEL, U+2028/9, a BOM
  inside the text, control characters), tabs (the two differ on tabs as
  separators) and a carriage return that is not part of CRLF;
* numbers: YAML 1.1 and 1.2 read ``012``, ``0o17``, ``1e3``, ``1_000``,
  ``+.5``, ``1:30`` differently, and the parsed value no longer shows how it
  was written. So every token of the text that looks like a number in either
  schema must be a plain decimal (``-12``, ``0.5``) that both read alike;
* strings: the result does not show quoting, so a string the careful
  resolver would have typed as a number if written plain (``"12"``) is
  refused when the same text appears where a plain scalar can start
  (``=`` always); yaml-rs reads exactly the plain forms of null and booleans
  that the careful loader reads (``~ null Null NULL``, ``true True TRUE``...),
  so such a string was quoted;
* yaml-rs quirks found by the tests: it reads ``_1`` and ``1_`` as numbers
  (covered by the number scan), an empty block scalar (``v: |``) as a line
  break and a block scalar at the very end of the text with a line break
  (strings of line breaks alone, and ``|``/``>`` in a text without a final
  line break, are refused), and it accepts ``[|x]``, ``[:x]``, ``[?x]`` and
  ``[x:]`` in flow collections, which libyaml refuses or reads otherwise
  (strings starting ``| > ? :`` that also appear where a plain scalar can
  start, and ``:`` before ``, ] }``, are refused);
* non-string keys, duplicate keys (yaml-rs reports them), values of any type
  but ``dict``/``list``/``str``/``int``/``float``/``bool``/``None``, and any
  error of the parser.

tests/test_yamlfast.py checks equality with the careful loader on the
project's maps, the benchmark maps and generated documents.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["NotFast", "load"]


class NotFast(Exception):
    """The fast path cannot promise the careful loader's result: use that loader."""


# The patterns start with a literal character or a small set, which `re`
# searches for quickly; the look-behind then checks what precedes it.
# Anchors (&a) and aliases (*a), as the careful loader looks for them.
_ANCHOR = re.compile(r"&(?<=[\s\[\{,:?-]&)[^\s,\[\]\{\}]")
_ALIAS = re.compile(r"\*(?<=[\s\[\{,:?-]\*)[^\s,\[\]\{\}]")
# Tags (!foo, !!int, !<...>, a lone !) where a node can start.
_TAG = re.compile(r"!(?<=[\s\[\{,:?-]!)")
_EMPTY_FLOW_VALUE = re.compile(r":[ ]*[\]},]")
_DOC_START = re.compile(r"^---(?:\s|$)", re.M)
_COMMENTS_AND_BLANKS = re.compile(r"(?:[ ]*(?:#[^\n]*)?(?:\r?\n|$))*")
# Characters that are not YAML-printable, line breaks only YAML 1.1 knows
# (NEL, U+2028, U+2029), a byte-order mark inside the text, and tabs.
# Spelt as the list of what is refused: the negated class takes 8x longer to compile.
_ODD_CHARS = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
_ASCII_OK = bytes(range(0x20, 0x7F)) + b"\n\r"

# Tokens that may be a number in YAML 1.1 or 1.2: where a plain scalar can
# start (after a space, a flow indicator or a colon), a digit, or signs, dots
# and underscores then a digit (yaml-rs reads '_1' as 1 and '__1.5' as 1.5).
# They are found in the UTF-8 bytes mapped through _CLASSES (digits to '0',
# '-+._' to '_', separators to ' '), where b" 0" and b" __" or b" _0" mark
# their starts: `re` finds a literal far faster than a character set.
# Non-ASCII bytes count as separators, to err on the side of more tokens.
_CLASSES = bytes(
    0x20 if b >= 0x80 or chr(b) in " \t\n\r\x0b\x0c[]{},:"
    else 0x30 if chr(b) in "0123456789"
    else 0x5F if chr(b) in "-+._"
    else 0x61
    for b in range(256)
)
_DIGIT_START = re.compile(rb" 0")
_SIGN_START = re.compile(rb" _[_0]")
_TOKEN = re.compile(rb"[^\s,\[\]{}#\x80-\xff]*")
# '.inf' and '.nan' in any case, anywhere: no digit to find them by.
_INF_NAN = re.compile(r"\.[iInN][nNaA][fFnN]")
# What looks like a number in either schema once underscores are dropped
# (a superset, with '.inf'/'.nan' and sexagesimals).
_NUMBER_LIKE = re.compile(
    r"[-+]?(?:[0-9]+(?::[0-9]+)*(?:\.[0-9]*)?|\.[0-9]+|0[xX][0-9a-fA-F]*|0[oO][0-7]*|0[bB][01]*"
    r"|\.[A-Za-z]+)(?:[eE][-+]?[0-9]*)?"
)
# The numbers both read alike: a plain decimal integer or fraction, not too long.
_SAFE_NUMBER = re.compile(r"[-+]?(?:0|[1-9][0-9]{0,17})(?:\.[0-9]{0,17})?")

_NULL_TAG = "tag:yaml.org,2002:null"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_INF = float("inf")

_library = None
_resolvers: dict = {}
_FIRSTS: set[str] = set()  # first characters of the strings _string_ok must look at
_INDICATORS = frozenset("|>?:")


def _scan(text: str) -> set[str]:
    """Raise NotFast when the text may hold something the two loaders read differently.

    Returns every token that starts like a number where a plain scalar can
    start: a number-like string that is none of them was written quoted.
    """
    if text.isascii():
        odd = bool(text.encode("ascii").translate(None, _ASCII_OK))
    else:
        odd = _ODD_CHARS.search(text) is not None
    if odd or "<<" in text or ("\r" in text and text.count("\r") != text.count("\r\n")):
        raise NotFast("unusual characters or line breaks, or a merge key")
    if _ANCHOR.search(text) or _ALIAS.search(text) or _TAG.search(text) or text.startswith(("&", "*", "!")):
        raise NotFast("an anchor, alias or tag may be present")
    if _EMPTY_FLOW_VALUE.search(text):
        raise NotFast("a ':' before ',', ']' or '}' (yaml-rs reads '[x:]' as a mapping, libyaml refuses it)")
    if not text.endswith("\n") and ("|" in text or ">" in text):
        raise NotFast("a block scalar may end the text without a line break")
    if text.startswith(("%", "...")) or "\n%" in text or "\n..." in text:
        raise NotFast("a directive or a document end marker may be present")
    if text.startswith("---") or "\n---" in text:
        starts = list(_DOC_START.finditer(text))
        if len(starts) > 1 or (starts and _COMMENTS_AND_BLANKS.match(text).end() < starts[0].start()):
            raise NotFast("more than one document may be present")
    if _INF_NAN.search(text):
        raise NotFast("'.inf' or '.nan' may be present")
    tokens = set()
    data = b" " + text.encode("utf-8")
    classes = data.translate(_CLASSES)
    match = _TOKEN.match
    for start in (_DIGIT_START, _SIGN_START):
        for m in start.finditer(classes):
            token = match(data, m.start() + 1).group().decode("ascii").rstrip(":")  # '3:' in '3: x', 'Step 3: ..'
            if _NUMBER_LIKE.fullmatch(token.replace("_", "")):
                if not _SAFE_NUMBER.fullmatch(token):
                    raise NotFast(f"a number the two YAML schemas may read differently: {token!r}")
                tokens.add(token)
    return tokens


def _string_ok(value: str, tokens: set[str], text: str) -> bool:
    """Is ``value`` a string for the careful loader too, however it was written?

    The parser's result no longer shows whether a string was quoted. A string
    the careful resolver would keep a string anyway is fine. One it would read
    as null or a boolean was quoted (yaml-rs reads exactly those plain forms
    as null and booleans too). One it would read as a number was quoted unless
    the same text appears in the text as a token where a plain scalar starts.
    """
    first = value[:1]
    if first == "\n":
        # yaml-rs reads an empty block scalar ('v: |') as a line break, libyaml as ''.
        return value.strip("\n") != ""
    if first in _INDICATORS:
        # yaml-rs reads '[|x]', '[>x]', '[:x]', '[?x]' as strings; libyaml refuses
        # them or reads a mapping. Fine if quoted: nowhere a plain scalar can start.
        head = re.match(r"\S{1,20}", value).group()
        return re.search(r"(?<![^\s\[\]{},:?-])" + re.escape(head), text) is None
    for tag, regexp in _resolvers.get(value[:1], ()):
        if regexp.match(value):
            if tag in (_NULL_TAG, _BOOL_TAG):
                return True
            if tag in (_INT_TAG, _FLOAT_TAG):
                return value not in tokens
            return False  # '=' (value) and '<<' (merge)
    return True


def _check(data: Any, tokens: set[str], text: str) -> None:
    """Raise NotFast unless every value is of a kind both loaders build alike."""
    firsts = _FIRSTS  # a string starting otherwise is a string for the careful resolver
    stack = [data]
    pop, push = stack.pop, stack.append
    while stack:
        obj = pop()
        cls = obj.__class__
        if cls is dict:
            for key in obj:
                if key.__class__ is not str:
                    raise NotFast("a key that is not a string")
                if key[:1] in firsts and not _string_ok(key, tokens, text):
                    raise NotFast(f"the key {key[:40]!r} may have been written plain")
        if cls is dict or cls is list:
            for value in obj.values() if cls is dict else obj:
                vcls = value.__class__
                if vcls is str:
                    if value[:1] in firsts and not _string_ok(value, tokens, text):
                        raise NotFast(f"the string {value[:40]!r} may have been written plain")
                elif vcls is dict or vcls is list:
                    push(value)
                else:
                    _scalar(value)
        elif cls is str:
            if obj[:1] in firsts and not _string_ok(obj, tokens, text):
                raise NotFast(f"the string {obj[:40]!r} may have been written plain")
        else:
            _scalar(obj)


def _scalar(value: Any) -> None:
    cls = value.__class__
    if cls is int or cls is float:
        # Only plain decimals are in the text (checked by _scan); both read them alike.
        if value != value or value in (_INF, -_INF):
            raise NotFast("a NaN or an infinity")
    elif value is None or cls is bool:
        # Both schemas read exactly ~, null, Null, NULL and nothing as null, and
        # true/True/TRUE/false/False/FALSE as booleans (tests/test_yamlfast.py).
        pass
    else:
        raise NotFast(f"a value of type {cls.__name__}")


def load(text: str) -> Any:
    """YAML text → plain data, as ``argmap.io.yamlload._yaml_load(text)[0]``; or raise NotFast."""
    tokens = _scan(text)  # before the import: a refused text needs no parser
    library = _library or _setup()
    try:
        data = library.loads(text, parse_datetime=False, duplicate_key_policy=library.DuplicateKeyPolicy.Error)
    except Exception as exc:  # any complaint of the parser: the careful loader says what and where
        raise NotFast(f"the fast parser refused the text: {str(exc)[:200]}") from None
    _check(data, tokens, text)
    return data


# PyYAML's implicit resolvers as argmap's careful loader (argmap.io.yamlload) uses them,
# kept here so that the fast path needs no PyYAML import: (first characters, tag,
# pattern, verbose). tests/test_yamlfast.py checks this table equals the loader's.
_RESOLVER_TABLE = (
    (['n', 'N', '~', ''], 'null', '^(?: ~\n                    |null|Null|NULL\n                    | )$', True),
    (['t', 'T', 'f', 'F'], 'bool', '^(?:true|True|TRUE|false|False|FALSE)$', False),
    (['-', '+', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '.'], 'float', '^(?:[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?\n                    |\\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?\n                    |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*\n                    |[-+]?\\.(?:inf|Inf|INF)\n                    |\\.(?:nan|NaN|NAN))$', True),
    (['-', '+', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], 'int', '^(?:[-+]?0b[0-1_]+\n                    |[-+]?0[0-7_]+\n                    |[-+]?(?:0|[1-9][0-9_]*)\n                    |[-+]?0x[0-9a-fA-F_]+\n                    |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$', True),
    (['<'], 'merge', '^(?:<<)$', False),
    (['='], 'value', '^(?:=)$', False),
    (['!', '&', '*'], 'yaml', '^(?:!|&|\\*)$', False),
)


def resolvers() -> dict[str, list]:
    """``_RESOLVER_TABLE`` as PyYAML keeps resolvers: first character → [(tag, regexp)]."""
    out: dict[str, list] = {}
    for firsts, tag, pattern, verbose in _RESOLVER_TABLE:
        rx = re.compile(pattern, re.X if verbose else 0)
        for first in firsts:
            out.setdefault(first, []).append(("tag:yaml.org,2002:" + tag, rx))
    return out


def _setup():
    global _library, _resolvers
    try:
        import yaml_rs
    except ImportError:  # a platform without its wheel: the careful loader does it all
        raise NotFast("yaml-rs is not installed") from None
    _resolvers = resolvers()
    # A string the careful resolver would read as null or a boolean is fine
    # either way (see _string_ok), so only these first characters matter.
    _FIRSTS.update(k for k, v in _resolvers.items() if any(tag not in (_NULL_TAG, _BOOL_TAG) for tag, _ in v))
    _FIRSTS.update("\n", _INDICATORS)
    _library = yaml_rs
    return yaml_rs
