"""The LLM backend: any OpenAI-compatible chat-completions endpoint.

Hosted models and local servers (llama.cpp's ``llama-server``, Ollama, vLLM,
LM Studio) all speak ``POST {base_url}/chat/completions``; this backend talks
to them with the standard library only (``urllib.request``).

* **It never writes the map's words.** The article is segmented by argmap;
  the model sees numbered units (``u1``, ``u2``, ...) and answers with JSON
  that labels and links them *by id*. Quotes are always the units' spans; an
  ``actor`` is kept only when it is words of its unit.
* **Deterministic where it can be:** temperature 0, and every valid answer is
  cached on disk, keyed by a SHA-256 of the endpoint, model and messages
  (``--cache-dir``, else ``$ARGMAP_CACHE_DIR``, else
  ``$XDG_CACHE_HOME/argmap`` or ``~/.cache/argmap``), so a re-run costs
  nothing and gives the same draft.
* **Invalid answers** (not JSON, unknown ids, kinds or relations, not exactly
  one thesis, missing units) are sent back once with the list of problems;
  a second invalid answer is a clear error (exit 2), never a half map.
* The key comes from ``ARGMAP_LLM_API_KEY`` (sent as ``Authorization: Bearer``;
  local servers need none). It is never part of the cache key.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import urllib.error
import urllib.request
from pathlib import Path

from argmap.map.errors import ToolError, UsageError
from argmap.extract.base import KINDS, Label, Progress
from argmap.extract.segment import Segmentation

NAME = "llm"
API_KEY_ENV = "ARGMAP_LLM_API_KEY"
BASE_URL_ENV = "ARGMAP_LLM_BASE_URL"
MODEL_ENV = "ARGMAP_LLM_MODEL"
CACHE_ENV = "ARGMAP_CACHE_DIR"
PROMPT_VERSION = 1

SYSTEM_PROMPT = """You analyse the argument of an article for an argument map.
The article has been split into numbered units. For EVERY unit decide:
- kind: one of "thesis" (the article's main claim; exactly one unit), "claim" (an intermediate
  conclusion), "premise" (a reason or evidence), "recommendation" (a proposed action or policy),
  "objection" (a view the author concedes or argues against, or what supports such a view),
  or "none" (not argument: headings, bylines, background without argumentative role).
- target: the id of the ONE unit it supports or attacks (null for the thesis and for "none").
- relation: "supports" or "attacks" (null when target is null). Links must not form cycles.
- actor: for a recommendation, who should act, copied word for word from the unit; else null.
- confidence: a number from 0 to 1.
Refer to units only by their ids. Do not rewrite or quote the text.
Answer with one JSON object and nothing else:
{"units": [{"id": "u1", "kind": "premise", "target": "u2", "relation": "supports", "actor": null, "confidence": 0.8}, ...]}"""


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


def user_prompt(seg: Segmentation) -> str:
    lines = []
    if seg.title:
        lines.append(f"Title: {seg.title}")
    lines.append("Units (id [paragraph] text):")
    for u in seg.units:
        lines.append(f"{u.id} [¶{u.paragraph + 1}] {' '.join(u.text.split())}")
    return "\n".join(lines)


class InvalidAnswer(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def parse_answer(content: str, seg: Segmentation) -> list[Label]:
    """Validate the model's JSON; raise :class:`InvalidAnswer` listing every problem."""
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
    by_id = {u.id: u for u in seg.units}
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
            if target not in by_id:
                problems.append(f"{uid}: unknown target {target!r}")
                continue
            if target == uid:
                problems.append(f"{uid}: a unit cannot target itself")
                continue
            if relation not in ("supports", "attacks"):
                problems.append(f"{uid}: relation must be \"supports\" or \"attacks\", not {relation!r}")
                continue
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
        labels[uid] = Label(uid, kind, target if kind else None, relation if kind else None, conf, [], actor)
    missing = [u for u in by_id if u not in mentioned]
    if missing:
        shown = ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else "")
        problems.append(f"{len(missing)} unit(s) not labelled: {shown}")
    theses = [uid for uid, lab in labels.items() if lab.kind == "thesis"]
    if len(theses) != 1:
        problems.append(f"exactly one unit must be the thesis, not {len(theses)}")
    if problems:
        raise InvalidAnswer(problems)
    return [labels[u.id] for u in seg.units]


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
    ):
        self.base_url = base_url or os.environ.get(BASE_URL_ENV)
        self.model = model or os.environ.get(MODEL_ENV)
        if not self.base_url:
            raise UsageError(f"the llm backend needs --base-url (or {BASE_URL_ENV}), e.g. http://127.0.0.1:8080/v1.")
        if not re.match(r"https?://", self.base_url):
            raise UsageError(f"--base-url must start with http:// or https://, not {self.base_url!r}.")
        if not self.model:
            raise UsageError(f"the llm backend needs --model (or {MODEL_ENV}), the model name the endpoint serves.")
        self.api_key = api_key if api_key is not None else os.environ.get(API_KEY_ENV)
        self.cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
        self.use_cache = use_cache
        self.timeout = timeout
        self.url = endpoint_url(self.base_url)
        self.name = f"{NAME}:{self.model}"
        self.calls = 0  # HTTP requests made (for tests and progress)

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

    def _post(self, body: dict) -> str:
        data = json.dumps(body).encode("utf-8")
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        req = urllib.request.Request(self.url, data=data, headers=headers, method="POST")
        self.calls += 1
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                raw = resp.read()
        except urllib.error.HTTPError as exc:
            detail = ""
            try:
                detail = exc.read().decode("utf-8", "replace").strip()[:200]
            except Exception:
                pass
            if exc.code in (401, 403):
                raise ToolError(
                    f"the LLM endpoint {self.url} refused the request (HTTP {exc.code}); "
                    f"check the key in {API_KEY_ENV}."
                ) from None
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
            content = payload["choices"][0]["message"]["content"]
        except (UnicodeDecodeError, ValueError, KeyError, IndexError, TypeError):
            return ""  # not a chat-completions answer: treated as an invalid answer
        return content if isinstance(content, str) else ""

    # ------------------------------------------------------------------ backend

    def label(self, seg: Segmentation, progress: Progress | None = None) -> list[Label]:
        messages = [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": user_prompt(seg)},
        ]
        problems: list[str] = []
        for attempt in (1, 2):
            body = {"model": self.model, "messages": messages, "temperature": 0}
            if attempt == 1:
                first_body = body
            content = self._cached(body)
            if content is not None:
                if progress:
                    progress(f"using the cached answer of {self.model}")
            else:
                if progress:
                    progress(
                        f"asking {self.model} at {self.url} to label {len(seg.units)} units"
                        + (" (second try)" if attempt == 2 else "")
                    )
                content = self._post(body)
            try:
                labels = parse_answer(content, seg)
            except InvalidAnswer as exc:
                problems = exc.problems
                if attempt == 1:
                    messages = [
                        *messages,
                        {"role": "assistant", "content": content},
                        {
                            "role": "user",
                            "content": "Your answer was invalid: "
                            + "; ".join(problems)
                            + ". Reply again with only the corrected JSON object, labelling every unit.",
                        },
                    ]
                continue
            self._store(body, content)
            if attempt == 2:
                self._store(first_body, content)  # a re-run finds the corrected answer at once
            return labels
        shown = "; ".join(problems[:5]) + (" ..." if len(problems) > 5 else "")
        raise ToolError(f"the model {self.model} gave an invalid answer twice ({shown}); try another model.")
