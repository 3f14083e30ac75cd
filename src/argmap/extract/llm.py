"""The LLM backend: any OpenAI-compatible chat-completions endpoint.

Hosted models and local servers (llama.cpp's ``llama-server``, Ollama, vLLM,
LM Studio) all speak ``POST {base_url}/chat/completions``; this backend talks
to them with the standard library only (``urllib.request``).

* **It never writes the map's words.** The article is segmented by argmap;
  the model sees numbered units (``u1``, ``u2``, ...) and answers with JSON
  that labels and links them *by id*. Quotes are always the units' spans; an
  ``actor`` is kept only when it is words of its unit (the answer schema
  leaves actors and confidences out to keep answers short: a
  recommendation's actor is then read from its sentence as the heuristic
  backend reads it).
* **Deterministic where it can be:** temperature 0, and every valid answer is
  cached on disk, keyed by a SHA-256 of the endpoint, model and messages
  (``--cache-dir``, else ``$ARGMAP_CACHE_DIR``, else
  ``$XDG_CACHE_HOME/argmap`` or ``~/.cache/argmap``), so a re-run costs
  nothing and gives the same draft.
* **Invalid answers** (not JSON, unknown ids, kinds or relations, not exactly
  one thesis, missing units) are sent back once with the list of problems;
  on the second answer, what assembly repairs anyway (a self or unknown
  target, a thesis missing or doubled) passes with the repair's cue, and
  anything else is a clear error (exit 2), never a half map.
* **Bounded answers.** Every request sets ``max_tokens`` from the number of
  units it asks about and sends the answer's JSON Schema as
  ``response_format`` (llama.cpp's server, vLLM and Ollama constrain the
  output with it; a server that refuses the field is asked again without it).
  An answer cut at ``max_tokens`` is an invalid answer, never a hang.
* **Small contexts.** Requests are planned to fit ``--context`` tokens (4,096
  by default: prompt *and* answer); a longer article is sent in chunks of
  units (``--chunk N`` sets their size) whose labels are merged, later chunks
  seeing the thesis found in the first. A server that still says the request
  exceeds its context gets its own message: a larger context or a smaller
  ``--chunk``.
* **A repair pass from ``check``.** The map drawn from a valid answer is
  checked; its findings (and the links assembly had to repair) are sent back
  once, and the corrected answer is kept when it is valid.
* The key comes from ``ARGMAP_LLM_API_KEY`` (sent as ``Authorization: Bearer``;
  local servers need none). It is never part of the cache key.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import urllib.error
import urllib.request
from pathlib import Path

from argmap.map.errors import ToolError, UsageError
from argmap.extract.base import Label, Progress
from argmap.extract.segment import Segmentation
from argmap.map.model import KINDS

NAME = "llm"
API_KEY_ENV = "ARGMAP_LLM_API_KEY"
BASE_URL_ENV = "ARGMAP_LLM_BASE_URL"
MODEL_ENV = "ARGMAP_LLM_MODEL"
CACHE_ENV = "ARGMAP_CACHE_DIR"
PROMPT_VERSION = 2
DEFAULT_CONTEXT = 4096

SYSTEM_PROMPT = """You map the argument of an article. Its units are numbered. For EVERY unit give:
kind: "thesis" (the main claim; exactly one), "claim" (an intermediate conclusion), "premise" (a reason
or evidence), "recommendation" (a proposed action), "objection" (a view the author concedes or argues
against) or "none" (not argument);
target: the id of the ONE unit it supports or attacks (null for the thesis and "none"); no cycles;
relation: "supports" or "attacks" (null when target is null).
Use ids only; never quote the text. Answer with one JSON object only:
{"units":[{"id":"u1","kind":"premise","target":"u2","relation":"supports"}]}"""

# What one unit's answer costs, in tokens, at most (an object of four short fields), and the
# characters per token assumed for English text (conservative: Gemma's, Llama's and GPT tokenizers
# average 4 to 4.5 on prose)
COMPACT_TOKENS_PER_UNIT = 8  # "u12 premise>u3;" in a repair request
TOKENS_PER_ANSWER_UNIT = 40  # measured: 37 with Gemma 3 through llama.cpp's schema grammar (newlines included)
ANSWER_OVERHEAD = 32
CHARS_PER_TOKEN = 4.0
OVERFLOW = re.compile(
    r"exceeds? the (?:available )?context|context (?:size|length|window)|maximum context|context_length_exceeded|"
    r"too many tokens|n_ctx|prompt is too long|input is too long|reduce the length",
    re.I,
)


def default_cache_dir() -> Path:
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "argmap"


def endpoint_url(base_url: str) -> str:
    url = base_url.rstrip("/")
    if url.endswith("/chat/completions"):
        return url
    return url + "/chat/completions"


def user_prompt(seg: Segmentation, units=None, thesis=None) -> str:
    """The units to label, one a line (``u7 [¶3] text``); ``thesis``: a unit of an earlier chunk."""
    lines = []
    if seg.title:
        lines.append(f"Title: {seg.title}")
    if thesis is not None:
        lines.append(f"Earlier in the article, the thesis is {thesis.id}: {' '.join(thesis.text.split())}")
        lines.append(f"Label only the units below (no new thesis unless one clearly overrides {thesis.id}); "
                     f"they may target {thesis.id}.")
    lines.append("Units (id text; a blank line between paragraphs):")
    last = None
    for u in seg.units if units is None else units:
        if last is not None and u.paragraph != last:
            lines.append("")
        last = u.paragraph
        lines.append(unit_line(u))
    return "\n".join(lines)


def unit_line(u) -> str:
    return f"{u.id} {' '.join(u.text.split())}"


def estimate_tokens(text: str) -> int:
    """A conservative token count for English text (no tokenizer needed)."""
    return int(len(text) / CHARS_PER_TOKEN) + 1


def answer_tokens(n_units: int) -> int:
    """``max_tokens`` for an answer about ``n_units`` units."""
    return ANSWER_OVERHEAD + TOKENS_PER_ANSWER_UNIT * n_units


def answer_schema(ids: list[str], targets: list[str]) -> dict:
    """The JSON Schema of an answer: every unit once, ids and targets from the request only."""
    return {
        "type": "object",
        "properties": {
            "units": {
                "type": "array",
                "minItems": len(ids),
                "maxItems": len(ids),
                "items": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string", "enum": ids},
                        "kind": {"type": "string", "enum": [*KINDS, "none"]},
                        "target": {"anyOf": [{"type": "string", "enum": targets}, {"type": "null"}]},
                        "relation": {"anyOf": [{"type": "string", "enum": ["supports", "attacks"]},
                                               {"type": "null"}]},
                    },
                    "required": ["id", "kind", "target", "relation"],
                    "additionalProperties": False,
                },
            }
        },
        "required": ["units"],
        "additionalProperties": False,
    }


def plan_chunks(seg: Segmentation, context: int, chunk: int | None = None) -> list[list]:
    """Split the units into requests that fit ``context`` tokens (prompt and answer), in reading order.

    ``chunk`` fixes the number of units per request; otherwise as many as fit.
    """
    units = list(seg.units)
    if chunk:
        return [units[i:i + chunk] for i in range(0, len(units), chunk)] or [[]]
    # + thesis line and framing, and room for the feedback of a second try or a repair pass
    base = estimate_tokens(SYSTEM_PROMPT) + estimate_tokens(seg.title or "") + 120 + FEEDBACK_TOKENS
    budget = context - 64 - base
    chunks: list[list] = [[]]
    used = 0
    for u in units:
        cost = estimate_tokens(unit_line(u)) + 2 + TOKENS_PER_ANSWER_UNIT + COMPACT_TOKENS_PER_UNIT
        if chunks[-1] and used + cost + ANSWER_OVERHEAD > budget:
            chunks.append([])
            used = 0
        chunks[-1].append(u)
        used += cost
    if len(chunks) > 1:  # as many requests as needed, of even sizes (no three-unit tail)
        size = -(-len(units) // len(chunks))
        chunks = [units[i:i + size] for i in range(0, len(units), size)]
    return chunks


class InvalidAnswer(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def parse_answer(content: str, seg: Segmentation, units=None, extra_targets=(), require_thesis: bool = True,
                 lenient: bool = False) -> list[Label]:
    """Validate the model's JSON; raise :class:`InvalidAnswer` listing every problem.

    ``units``: the units asked about (default: all); ``extra_targets``: ids of units outside them that
    may be targeted (an earlier chunk's thesis); ``require_thesis``: exactly one thesis (else at most one).
    ``lenient`` (the last try): problems that assembly repairs anyway pass (a unit targeting itself or
    an unknown unit is relinked to the thesis; a thesis missing or doubled is promoted or demoted, with
    the cues that say so); JSON that is not an answer, missing units or unknown kinds never pass.
    """
    text = content.strip()
    fence = re.search(r"```(?:json)?\s*(.*?)```", text, re.S)
    if fence:
        text = fence.group(1).strip()
    if not text.startswith(("{", "[")):
        i, j = text.find("{"), text.rfind("}")
        if i >= 0 and j > i:
            text = text[i : j + 1]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidAnswer([f"the answer is not JSON ({exc.msg} at character {exc.pos})"]) from None
    items = data.get("units") if isinstance(data, dict) else data if isinstance(data, list) else None
    if not isinstance(items, list):
        raise InvalidAnswer(['the answer has no "units" list'])
    asked = list(seg.units if units is None else units)
    by_id = {u.id: u for u in asked}
    targetable = set(by_id) | set(extra_targets)
    problems: list[str] = []
    labels: dict[str, Label] = {}
    mentioned: set[str] = set()  # ids the answer labelled, validly or not
    for k, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append(f"item {k + 1} is not an object")
            continue
        uid = item.get("id")
        if uid not in by_id:
            problems.append(f"item {k + 1}: unknown unit id {uid!r}")
            continue
        if uid in labels or uid in mentioned:
            problems.append(f"{uid} is labelled twice")
            continue
        mentioned.add(uid)
        kind = item.get("kind")
        if isinstance(kind, str):
            kind = kind.strip().lower()
            kind = {"not argumentative": "none", "non-argumentative": "none", "null": "none",
                    "conclusion": "claim", "main claim": "thesis", "reason": "premise",
                    "counterargument": "objection"}.get(kind, kind)
        if kind not in (*KINDS, "none", None):
            problems.append(f"{uid}: unknown kind {kind!r}")
            continue
        kind = None if kind in ("none", None) else kind
        target = item.get("target")
        if isinstance(target, int) or (isinstance(target, str) and target.strip().isdigit()):
            target = f"u{int(target)}"  # "3" or 3 for u3
        elif isinstance(target, str) and target.strip().lower() in ("", "none", "null"):
            target = None
        relation = item.get("relation")
        if isinstance(relation, str):
            relation = {"support": "supports", "supported": "supports", "pro": "supports",
                        "attack": "attacks", "attacked": "attacks", "con": "attacks", "rebuts": "attacks",
                        "undercuts": "attacks"}.get(relation.strip().lower(), relation.strip().lower())
        if target is not None:
            if target not in targetable and not lenient:
                problems.append(f"{uid}: unknown target {target!r}")
                continue
            if target == uid and not lenient:
                problems.append(f"{uid}: a unit cannot target itself")
                continue
            if relation not in ("supports", "attacks"):
                if not lenient:
                    problems.append(f"{uid}: relation must be \"supports\" or \"attacks\", not {relation!r}")
                    continue
                relation = "attacks" if kind == "objection" else "supports"
        else:
            relation = None
        try:
            conf = float(item.get("confidence", 0.6))
        except (TypeError, ValueError):
            conf = 0.6
        conf = min(1.0, max(0.0, conf))
        actor = item.get("actor")
        unit_text = " ".join(by_id[uid].text.split())
        if not isinstance(actor, str) or not actor.strip() or actor.strip().lower() not in unit_text.lower():
            actor = None  # an actor must be words of the unit: nothing invented
        else:
            actor = actor.strip()
        if actor is None and kind == "recommendation":
            from argmap.extract.heuristic import _actor

            actor = _actor(by_id[uid].text)  # who should act, read from the sentence itself
        labels[uid] = Label(uid, kind, target if kind else None, relation if kind else None, conf, [], actor)
    missing = [u for u in by_id if u not in mentioned]
    if missing:
        shown = ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else "")
        problems.append(f"{len(missing)} unit(s) not labelled: {shown}")
    theses = [uid for uid, lab in labels.items() if lab.kind == "thesis"]
    if lenient:
        pass  # assembly promotes or demotes
    elif require_thesis and len(theses) != 1:
        problems.append(f"exactly one unit must be the thesis, not {len(theses)}")
    elif not require_thesis and len(theses) > 1:
        problems.append(f"at most one unit may be the thesis, not {len(theses)}")
    if problems:
        raise InvalidAnswer(problems)
    return [labels[u.id] for u in asked]


class ContextOverflow(ToolError):
    """The server says the request does not fit the model's context."""


class LLMBackend:
    name = NAME

    def __init__(
        self,
        base_url: str | None = None,
        model: str | None = None,
        api_key: str | None = None,
        cache_dir: str | os.PathLike | None = None,
        use_cache: bool = True,
        timeout: float = 300.0,
        context: int = DEFAULT_CONTEXT,
        chunk: int | None = None,
        repair: bool = True,
    ):
        self.base_url = base_url or os.environ.get(BASE_URL_ENV)
        self.model = model or os.environ.get(MODEL_ENV)
        if not self.base_url:
            raise UsageError(f"the llm backend needs --base-url (or {BASE_URL_ENV}), e.g. http://127.0.0.1:8080/v1.")
        if not re.match(r"https?://", self.base_url):
            raise UsageError(f"--base-url must start with http:// or https://, not {self.base_url!r}.")
        if not self.model:
            raise UsageError(f"the llm backend needs --model (or {MODEL_ENV}), the model name the endpoint serves.")
        if context < 512:
            raise UsageError(f"--context must be at least 512 tokens, not {context}.")
        if chunk is not None and chunk < 1:
            raise UsageError(f"--chunk must be at least 1 unit, not {chunk}.")
        self.api_key = api_key if api_key is not None else os.environ.get(API_KEY_ENV)
        self.cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
        self.use_cache = use_cache
        self.timeout = timeout
        self.context = context
        self.chunk = chunk
        self.repair = repair
        self.use_schema = True  # turned off for a server that refuses response_format
        self.url = endpoint_url(self.base_url)
        self.name = f"{NAME}:{self.model}"

    # ------------------------------------------------------------------ HTTP and cache

    def _cache_path(self, body: dict) -> Path:
        key = json.dumps({"url": self.url, "body": body, "v": PROMPT_VERSION}, sort_keys=True, ensure_ascii=False)
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
        return self.cache_dir / "llm" / digest[:2] / f"{digest}.json"

    def _cached(self, body: dict) -> str | None:
        if not self.use_cache:
            return None
        try:
            data = json.loads(self._cache_path(body).read_text(encoding="utf-8"))
            return data["content"] if isinstance(data.get("content"), str) else None
        except (OSError, ValueError, KeyError, AttributeError):
            return None

    def _store(self, body: dict, content: str) -> None:
        if not self.use_cache:
            return
        path = self._cache_path(body)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            from argmap.io.writing import atomic_write

            atomic_write(path, json.dumps({"model": self.model, "url": self.url, "content": content}, ensure_ascii=False))
        except Exception:  # a cache that cannot be written only costs a re-request
            pass

    def _overflow(self, detail: str, body: dict) -> ContextOverflow:
        sent = sum(estimate_tokens(m["content"]) for m in body["messages"]) + body.get("max_tokens", 0)
        return ContextOverflow(
            f"the model's context is too small for the request ({detail or 'the server said so'}); about {sent} "
            f"tokens were asked for (prompt and answer). Start the server with a larger context (llama-server "
            f"-c 8192, Ollama's num_ctx, vLLM's --max-model-len) and pass it as --context, or send fewer units "
            f"per request with a smaller --chunk (e.g. --chunk 20)."
        )

    def _post(self, body: dict) -> tuple[str, str | None]:
        """(content, finish_reason) of one chat-completions request."""
        data = json.dumps(body).encode("utf-8")
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        req = urllib.request.Request(self.url, data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                raw = resp.read()
        except urllib.error.HTTPError as exc:
            detail = ""
            with contextlib.suppress(Exception):
                detail = exc.read().decode("utf-8", "replace").strip()
            try:  # the message of an OpenAI-style error body
                msg = json.loads(detail)["error"]
                detail = msg["message"] if isinstance(msg, dict) else str(msg)
            except Exception:
                pass
            detail = " ".join(detail.split())[:300]
            if exc.code in (401, 403):
                raise ToolError(
                    f"the LLM endpoint {self.url} refused the request (HTTP {exc.code}); "
                    f"check the key in {API_KEY_ENV}."
                ) from None
            if OVERFLOW.search(detail) or exc.code == 413:
                raise self._overflow(detail, body) from None
            if exc.code in (400, 422) and "response_format" in body and re.search(
                    r"response_format|json_schema|schema|grammar", detail, re.I):
                raise _SchemaRefused(detail) from None
            raise ToolError(
                f"the LLM endpoint {self.url} answered HTTP {exc.code}"
                + (f" ({detail})" if detail else "")
                + "; check --base-url and --model."
            ) from None
        except urllib.error.URLError as exc:
            raise ToolError(f"cannot reach the LLM endpoint {self.url} ({exc.reason}); is the server running?") from None
        except TimeoutError:
            raise ToolError(f"the LLM endpoint {self.url} did not answer within {self.timeout:g} s.") from None
        except OSError as exc:
            raise ToolError(f"cannot reach the LLM endpoint {self.url} ({exc}).") from None
        try:
            payload = json.loads(raw.decode("utf-8"))
            choice = payload["choices"][0]
            content = choice["message"]["content"]
            finish = choice.get("finish_reason")
        except (UnicodeDecodeError, ValueError, KeyError, IndexError, TypeError, AttributeError):
            return "", None  # not a chat-completions answer: treated as an invalid answer
        return (content if isinstance(content, str) else ""), finish

    def _ask(self, messages: list[dict], ids: list[str], targets: list[str], progress, what: str) -> tuple[str, dict]:
        """One answer (cached or asked): (content, the request body, for the cache)."""
        body = {"model": self.model, "messages": messages, "temperature": 0, "max_tokens": answer_tokens(len(ids))}
        if self.use_schema:
            body["response_format"] = {"type": "json_schema", "json_schema": {
                "name": "argmap_units", "strict": True, "schema": answer_schema(ids, targets)}}
        content = self._cached(body)
        if content is not None:
            if progress:
                progress(f"using the cached answer of {self.model} ({what})")
            return content, body
        if progress:
            progress(f"asking {self.model} at {self.url} to label {what}")
        try:
            content, finish = self._post(body)
        except _SchemaRefused as exc:
            if progress:
                progress(f"the server refused the answer schema ({exc}); asking without it")
            self.use_schema = False
            return self._ask(messages, ids, targets, progress, what)
        if finish == "length":
            content = _CUT + content
        return content, body

    # ------------------------------------------------------------------ backend

    def label(self, seg: Segmentation, progress: Progress | None = None) -> list[Label]:
        chunks = plan_chunks(seg, self.context, self.chunk)
        if progress and len(chunks) > 1:
            progress(f"{len(seg.units)} units in {len(chunks)} requests (of at most "
                     f"{max(len(c) for c in chunks)} units) to fit a {self.context}-token context")
        out: list[Label] = []
        thesis = None
        for k, units in enumerate(chunks):
            what = f"{len(units)} units" + (f" (part {k + 1} of {len(chunks)})" if len(chunks) > 1 else "")
            labels, messages = self._label_chunk(seg, units, thesis, progress, what)
            if self.repair:
                labels = self._repair(seg, units, thesis, labels, messages, progress, what)
            if thesis is None:
                thesis = next((u for u, lab in zip(units, labels) if lab.kind == "thesis"), None)
            out.extend(labels)
        return out

    def _label_chunk(self, seg, units, thesis, progress, what):
        messages = [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": user_prompt(seg, units, thesis)},
        ]
        ids = [u.id for u in units]
        targets = ids + ([thesis.id] if thesis is not None else [])
        extra = [thesis.id] if thesis is not None else []
        problems: list[str] = []
        first_body = None
        for attempt in (1, 2):
            content, body = self._ask(messages, ids, targets, progress, what + (" (second try)" if attempt == 2 else ""))
            first_body = first_body or body
            try:
                labels = _parse(content, seg, units, extra, thesis is None, lenient=attempt == 2)
            except InvalidAnswer as exc:
                problems = exc.problems
                if attempt == 1:
                    # the same request with the problems added (not the whole answer again: the
                    # conversation has to fit the context the request was planned for)
                    messages = [messages[0], {"role": "user", "content": messages[1]["content"] + FEEDBACK.format(
                        "Your previous answer was invalid: " + _capped(problems))}]
                continue
            self._store(body, content)
            if attempt == 2:
                self._store(first_body, content)  # a re-run finds the corrected answer at once
            return labels, messages
        shown = "; ".join(problems[:5]) + (" ..." if len(problems) > 5 else "")
        raise ToolError(f"the model {self.model} gave an invalid answer twice ({shown}); try another model"
                        + (", or a smaller --chunk" if any("cut at" in p for p in problems) else "") + ".")

    def _repair(self, seg, units, thesis, labels, messages, progress, what):
        """Send the draft's check findings back once; keep the corrected answer when it is valid and better."""
        findings = check_findings(seg, units, labels, thesis)
        if not findings:
            return labels
        if progress:
            progress(f"argmap check found {len(findings)} problem(s) in the draft; asking {self.model} to correct them")
        ids = [u.id for u in units]
        targets = ids + ([thesis.id] if thesis is not None else [])
        repair_messages = [messages[0], {"role": "user", "content": messages[1]["content"].split(FEEDBACK_MARK)[0]
                                         + FEEDBACK.format(
            "Your previous answer, in short: " + "; ".join(_compact(lab) for lab in labels)
            + "\nargmap check found these problems in the map drawn from it:\n- " + _capped(findings, "\n- "))}]
        new, new_body = self._ask(repair_messages, ids, targets, progress, what + " (repair)")
        try:
            fixed = _parse(new, seg, units, [thesis.id] if thesis is not None else [], thesis is None)
        except InvalidAnswer:
            return labels  # the first valid answer stands
        if len(check_findings(seg, units, fixed, thesis)) > len(findings):
            return labels
        self._store(new_body, new)
        return fixed


class _SchemaRefused(Exception):
    pass


FEEDBACK_MARK = "\n\n---\n"
FEEDBACK = FEEDBACK_MARK + "{}\nAnswer again with only the corrected JSON object, labelling every unit."
FEEDBACK_TOKENS = 300  # room planned for the feedback of a second try or a repair, beside the compact answer


def _capped(problems: list[str], sep: str = "; ", limit: int = 1000) -> str:
    out = ""
    for k, p in enumerate(problems):
        if len(out) + len(p) > limit:
            return out + f"{sep}... ({len(problems) - k} more)"
        out += (sep if out else "") + p
    return out


def _compact(lab: Label) -> str:
    """A unit's label in a few tokens: "u3 premise>u1", "u5 objection!u1", "u2 none"."""
    kind = lab.kind or "none"
    if lab.target is None:
        return f"{lab.unit} {kind}"
    return f"{lab.unit} {kind}{'>' if lab.relation == 'supports' else '!'}{lab.target}"


_CUT = "\x00cut\x00"  # marks an answer the server cut at max_tokens


def _parse(content, seg, units, extra, require_thesis, lenient=False):
    if content.startswith(_CUT):
        content = content.removeprefix(_CUT)
        try:
            return parse_answer(content, seg, units, extra, require_thesis, lenient)
        except InvalidAnswer as exc:
            raise InvalidAnswer([f"the answer was cut at max_tokens ({answer_tokens(len(units))} tokens)",
                                 *exc.problems[:3]]) from None
    return parse_answer(content, seg, units, extra, require_thesis, lenient)


def check_findings(seg: Segmentation, units, labels: list[Label], thesis=None) -> list[str]:
    """What ``argmap check`` (and assembly's repairs) say about the map drawn from ``labels``, by unit id.

    The draft markers themselves (AM110) are left out: every draft has them.
    """
    from argmap.checks import run_checks
    from argmap.extract.assemble import assemble
    from argmap.extract.segment import Segmentation as Seg
    from argmap.io.loading import load_text
    from argmap.io.writing import dumps

    sub = Seg(seg.text, seg.title, list(units) + ([thesis] if thesis is not None else []))
    labs = list(labels) + ([Label(thesis.id, "thesis", confidence=1.0)] if thesis is not None else [])
    if thesis is not None:  # in a later chunk the earlier thesis stays the thesis
        labs = [Label(l.unit, "claim", l.target, l.relation, l.confidence, l.cues, l.actor)
                if l.kind == "thesis" and l.unit != thesis.id else l for l in labs]
    amap = assemble(sub, labs, backend=NAME, source={"text": seg.text})
    if amap is None:
        return ["no unit is argument: label the units that state or support the article's position"]
    unit_of = {}
    by_text = {u.text: u.id for u in sub.units}
    for n in amap.nodes:
        unit_of[n.id] = by_text.get(n.quote, n.id)
    out: list[str] = []
    for n in amap.nodes:
        uid = unit_of[n.id]
        for cue in n.draft.cues if n.draft else ():
            if cue == "relinked":
                out.append(f"{uid}: its target was unknown, itself or closed a cycle; it was linked to the thesis")
            elif cue == "promoted-to-thesis":
                out.append(f"{uid}: no unit was the thesis; this one was made the thesis")
    loaded = load_text(dumps(amap, "yaml"), name="draft.yaml")
    for d in run_checks(loaded):
        if d.rule == "AM110" or d.severity.name.lower() not in ("error", "warning"):
            continue
        msg = d.message
        for nid, uid in sorted(unit_of.items(), key=lambda kv: -len(kv[0])):
            msg = re.sub(rf"(?<![\w-]){re.escape(nid)}(?![\w-])", uid, msg)
        out.append(f"{d.rule} {msg}")
    return out
