"""The LLM backend against a fake OpenAI-compatible server on loopback (no internet)."""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from typer.testing import CliRunner

from argmap.cli import app
from argmap.map.errors import ToolError, UsageError
from argmap.extract import draft, segment
from argmap.extract.llm import LLMBackend, endpoint_url, parse_answer, InvalidAnswer

ARTICLE = (
    "Cities should tax empty homes. Empty homes push rents up, because they take flats off the market. "
    "Some say such a tax is hard to collect. But Vancouver collects it without trouble."
)


def good_answer(user_prompt: str, *, actor: str | None = None) -> str:
    """A valid labelling: u1 the thesis, u4/u5... as the prompt's units allow."""
    ids = re.findall(r"^(u\d+) ", user_prompt, re.M)
    earlier = re.search(r"the thesis is (u\d+)", user_prompt)
    if earlier:  # a later chunk: everything supports the thesis found before
        return json.dumps({"units": [{"id": u, "kind": "premise", "target": earlier.group(1),
                                      "relation": "supports"} for u in ids]})
    units = []
    for k, uid in enumerate(ids):
        if k == 0:
            units.append({"id": uid, "kind": "thesis", "target": None, "relation": None, "confidence": 0.9,
                          "actor": actor})
        elif k == 2:
            units.append({"id": uid, "kind": "objection", "target": ids[0], "relation": "attacks", "confidence": 0.7})
        elif k == 3:
            units.append({"id": uid, "kind": "claim", "target": ids[2], "relation": "attacks", "confidence": 0.7})
        else:
            units.append({"id": uid, "kind": "premise", "target": ids[0], "relation": "supports", "confidence": 0.8})
    return json.dumps({"units": units})


class FakeServer:
    """A tiny chat-completions server; ``script`` is a list of responses, one per request.

    Each response is ``("ok", content_or_callable)``, ``("status", code)`` or ``("raw", bytes)``.
    """

    def __init__(self):
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        self.script: list[tuple] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length).decode("utf-8"))
                fake.requests.append({"path": self.path, "body": body})
                fake.headers.append(dict(self.headers))
                kind, value = fake.script.pop(0) if fake.script else ("ok", good_answer)
                if kind in ("status", "error"):
                    code, message = (value, "nope") if kind == "status" else value
                    self.send_response(code)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(json.dumps({"error": {"code": code, "message": message}}).encode())
                    return
                finish = "stop"
                if kind == "cut":  # an answer the server stopped at max_tokens
                    kind, finish = "ok", "length"
                if kind == "raw":
                    payload = value
                else:
                    user = [m for m in body["messages"] if m["role"] == "user"][0]["content"]
                    content = value(user) if callable(value) else value
                    payload = json.dumps(
                        {"id": "x", "object": "chat.completion",
                         "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                                      "finish_reason": finish}]}
                    ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    with FakeServer() as s:
        yield s


def backend(server, tmp_path, **kw) -> LLMBackend:
    return LLMBackend(base_url=server.url, model="fake-model", cache_dir=tmp_path / "cache", **kw)


def test_llm_draft_labels_units_by_id_and_quotes_come_from_the_article(server, tmp_path):
    be = backend(server, tmp_path)
    amap = draft(ARTICLE, backend=be)
    kinds = [n.kind.value for n in amap.nodes]
    assert kinds.count("thesis") == 1 and kinds[0] == "thesis"
    assert "objection" in kinds
    for n in amap.nodes:
        assert n.quote in ARTICLE
        assert n.draft is not None and n.draft.backend == "llm:fake-model"
    obj = next(n for n in amap.nodes if n.kind.value == "objection")
    assert obj.attacks[0].to == "thesis"
    # the request: chat completions, temperature 0, the model, units by id
    req = server.requests[0]
    assert req["path"] == "/v1/chat/completions"
    assert req["body"]["temperature"] == 0
    assert req["body"]["model"] == "fake-model"
    assert "u1 Cities should tax empty homes" in req["body"]["messages"][1]["content"]


def test_answers_are_cached_on_disk(server, tmp_path):
    first = draft(ARTICLE, backend=backend(server, tmp_path))
    assert len(server.requests) == 1
    second = draft(ARTICLE, backend=backend(server, tmp_path))
    assert len(server.requests) == 1, "the second run must be served from the cache"
    assert [n.id for n in first.nodes] == [n.id for n in second.nodes]
    assert list((tmp_path / "cache" / "llm").rglob("*.json"))
    # --no-cache asks again
    draft(ARTICLE, backend=backend(server, tmp_path, use_cache=False))
    assert len(server.requests) == 2


def test_api_key_is_sent_as_bearer_and_not_part_of_the_cache_key(server, tmp_path, monkeypatch):
    monkeypatch.setenv("ARGMAP_LLM_API_KEY", "sekret")
    draft(ARTICLE, backend=backend(server, tmp_path))
    assert server.headers[0].get("Authorization") == "Bearer sekret"
    monkeypatch.setenv("ARGMAP_LLM_API_KEY", "other")
    draft(ARTICLE, backend=backend(server, tmp_path))
    assert len(server.requests) == 1
    for f in (tmp_path / "cache").rglob("*.json"):
        assert "sekret" not in f.read_text()


def test_invalid_answer_is_retried_once_with_the_problems(server, tmp_path):
    server.script = [("ok", "I think u1 is the thesis."), ("ok", good_answer)]
    amap = draft(ARTICLE, backend=backend(server, tmp_path))
    assert len(server.requests) == 2
    retry = server.requests[1]["body"]["messages"]
    # the same request with the problems added: no long history to outgrow the planned context
    assert [m["role"] for m in retry] == ["system", "user"]
    assert retry[1]["content"].startswith(server.requests[0]["body"]["messages"][1]["content"])
    assert "Your previous answer was invalid" in retry[1]["content"] and "not JSON" in retry[1]["content"]
    assert amap.nodes[0].kind.value == "thesis"
    # a re-run finds the corrected answer in the cache without asking again
    again = draft(ARTICLE, backend=backend(server, tmp_path))
    assert len(server.requests) == 2
    assert [n.id for n in again.nodes] == [n.id for n in amap.nodes]


def test_invalid_twice_is_a_clear_error(server, tmp_path):
    unknown_kind = lambda user: json.dumps(  # noqa: E731
        {"units": [{"id": u, "kind": "banana"} for u in re.findall(r"^(u\d+) ", user, re.M)]}
    )
    server.script = [("ok", unknown_kind), ("ok", unknown_kind)]
    with pytest.raises(ToolError, match="invalid answer twice.*unknown kind 'banana'"):
        draft(ARTICLE, backend=backend(server, tmp_path))
    assert not list((tmp_path / "cache").rglob("*.json")), "invalid answers are never cached"


def test_on_the_second_try_what_assembly_repairs_passes(server, tmp_path):
    """A thesis missing or doubled, a unit targeting itself: retried once, then repaired with its cue."""
    def all_theses(user):
        ids = re.findall(r"^(u\d+) ", user, re.M)
        return json.dumps({"units": [{"id": u, "kind": "thesis", "target": u, "relation": "supports"}
                                     for u in ids]})

    server.script = [("ok", all_theses), ("ok", all_theses)]
    amap = draft(ARTICLE, backend=backend(server, tmp_path, repair=False))
    assert len(server.requests) == 2
    assert "exactly one unit must be the thesis" in server.requests[1]["body"]["messages"][-1]["content"]
    assert [n.kind.value for n in amap.nodes].count("thesis") == 1
    assert any("demoted-from-thesis" in n.draft.cues for n in amap.nodes)


def test_http_errors_are_clear(server, tmp_path):
    server.script = [("status", 401)]
    with pytest.raises(ToolError, match="HTTP 401.*ARGMAP_LLM_API_KEY"):
        draft(ARTICLE, backend=backend(server, tmp_path))
    server.script = [("status", 500)]
    with pytest.raises(ToolError, match="HTTP 500"):
        draft(ARTICLE, backend=backend(server, tmp_path))


def test_a_non_chat_answer_counts_as_invalid(server, tmp_path):
    server.script = [("raw", b"<html>proxy error</html>"), ("raw", b"{}")]
    with pytest.raises(ToolError, match="invalid answer twice"):
        draft(ARTICLE, backend=backend(server, tmp_path))


def test_unreachable_endpoint(tmp_path):
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    be = LLMBackend(base_url=f"http://127.0.0.1:{port}/v1", model="m", cache_dir=tmp_path, timeout=5)
    with pytest.raises(ToolError, match="cannot reach the LLM endpoint"):
        draft(ARTICLE, backend=be)


def test_actor_must_be_words_of_the_unit(server, tmp_path):
    server.script = [("ok", lambda u: good_answer(u, actor="the city council"))]
    amap = draft("Cities should tax empty homes. Empty homes push rents up.", backend=backend(server, tmp_path))
    assert amap.nodes[0].actor is None  # "the city council" is not in the text: dropped, never invented


def test_parse_answer_reports_every_problem():
    seg = segment("We should act now. Delay costs lives. Action is cheap.")
    with pytest.raises(InvalidAnswer) as exc:
        parse_answer(
            json.dumps({"units": [
                {"id": "u1", "kind": "thesis"},
                {"id": "u2", "kind": "banana", "target": "u1", "relation": "supports"},
                {"id": "u9", "kind": "premise"},
            ]}),
            seg,
        )
    text = str(exc.value)
    assert "unknown kind 'banana'" in text and "unknown unit id 'u9'" in text and "1 unit(s) not labelled: u3" in text
    # fenced JSON, a missing unit labelled "none", and a self-target are handled
    labels = parse_answer(
        "```json\n" + json.dumps({"units": [
            {"id": "u1", "kind": "thesis"},
            {"id": "u2", "kind": "premise", "target": "u1", "relation": "supports"},
            {"id": "u3", "kind": "none"},
        ]}) + "\n```",
        seg,
    )
    assert [lab.kind for lab in labels] == ["thesis", "premise", None]
    with pytest.raises(InvalidAnswer, match="cannot target itself"):
        parse_answer(json.dumps({"units": [{"id": "u1", "kind": "thesis", "target": "u1", "relation": "supports"},
                                           {"id": "u2", "kind": "none"}, {"id": "u3", "kind": "none"}]}), seg)


def test_missing_settings_are_usage_errors(monkeypatch):
    monkeypatch.delenv("ARGMAP_LLM_BASE_URL", raising=False)
    monkeypatch.delenv("ARGMAP_LLM_MODEL", raising=False)
    with pytest.raises(UsageError, match="--base-url"):
        LLMBackend(model="m")
    with pytest.raises(UsageError, match="--model"):
        LLMBackend(base_url="http://127.0.0.1:1/v1")
    with pytest.raises(UsageError, match="http"):
        LLMBackend(base_url="127.0.0.1:1", model="m")
    assert endpoint_url("http://x/v1/") == "http://x/v1/chat/completions"
    assert endpoint_url("http://x/v1/chat/completions") == "http://x/v1/chat/completions"


def test_cli_llm_backend_end_to_end(server, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "a.yaml"
    res = CliRunner().invoke(
        app,
        ["extract", str(article), "-o", str(out), "--backend", "llm", "--base-url", server.url,
         "--model", "fake-model", "--cache-dir", str(tmp_path / "c"), "--progress"],
        catch_exceptions=False,
    )
    assert res.exit_code == 0, res.output
    assert "asking fake-model" in res.output
    text = out.read_text(encoding="utf-8")
    assert "backend: llm:fake-model" in text and "path: a.txt" in text
    # the endpoint failing is exit 2 with one sentence
    server.script = [("status", 503)]
    res = CliRunner().invoke(
        app,
        ["extract", str(article), "--backend", "llm", "--base-url", server.url, "--model", "other",
         "--no-cache"],
        catch_exceptions=False,
    )
    assert res.exit_code == 2
    assert "HTTP 503" in res.output and "Traceback" not in res.output


def test_parse_answer_normalises_harmless_variations():
    seg = segment("We should act now. Delay costs lives. Action is cheap.")
    labels = parse_answer(
        json.dumps([
            {"id": "u1", "kind": "Thesis", "target": "null"},
            {"id": "u2", "kind": "Reason", "target": 1, "relation": "support"},
            {"id": "u3", "kind": "premise", "target": "2", "relation": "Attack"},
        ]),
        seg,
    )
    assert [(lab.kind, lab.target, lab.relation) for lab in labels] == [
        ("thesis", None, None), ("premise", "u1", "supports"), ("premise", "u2", "attacks")
    ]


# --------------------------------------------------------------------------- bounds, chunks, repair


def test_every_request_is_bounded_by_max_tokens_and_a_json_schema(server, tmp_path):
    from argmap.extract.llm import answer_tokens

    draft(ARTICLE, backend=backend(server, tmp_path))
    body = server.requests[0]["body"]
    n = len(segment(ARTICLE).units)
    assert body["max_tokens"] == answer_tokens(n) <= 50 * n
    fmt = body["response_format"]
    assert fmt["type"] == "json_schema"
    schema = fmt["json_schema"]["schema"]
    items = schema["properties"]["units"]
    assert items["minItems"] == items["maxItems"] == n
    assert items["items"]["properties"]["id"]["enum"] == [f"u{i}" for i in range(1, n + 1)]
    import jsonschema

    answer = json.loads(good_answer(server.requests[0]["body"]["messages"][1]["content"]))
    for item in answer["units"]:
        item.pop("confidence", None), item.pop("actor", None)
    jsonschema.validate(answer, schema)
    answer["units"][0]["id"] = "u99"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(answer, schema)


def test_the_seed_article_is_planned_within_a_4096_token_context(shared):
    from argmap.extract.llm import SYSTEM_PROMPT, answer_tokens, estimate_tokens, plan_chunks, user_prompt
    from conftest import SEED_TEXT

    seg = segment(SEED_TEXT.read_text(encoding="utf-8"))
    chunks = plan_chunks(seg, 4096)
    assert sum(len(c) for c in chunks) == len(seg.units) and len(chunks) <= 2
    for c in chunks:
        prompt = estimate_tokens(SYSTEM_PROMPT) + estimate_tokens(user_prompt(seg, c, seg.units[0]))
        assert prompt + answer_tokens(len(c)) <= 4096
    assert [len(c) for c in plan_chunks(seg, 4096, chunk=20)] == [20, 20, 20, len(seg.units) - 60]


def test_a_context_overflow_says_how_to_fix_it(server, tmp_path):
    server.script = [("error", (400, "request (8251 tokens) exceeds the available context size (8192 tokens), "
                                     "try increasing it"))]
    with pytest.raises(ToolError) as err:
        draft(ARTICLE, backend=backend(server, tmp_path))
    msg = str(err.value)
    assert "exceeds the available context size" in msg and "larger context" in msg and "--chunk" in msg
    assert "check --base-url" not in msg
    assert len(server.requests) == 1  # not retried: the same request would overflow again


def test_a_server_without_schema_support_is_asked_again_without_it(server, tmp_path):
    server.script = [("error", (400, "Unrecognized request argument supplied: response_format"))]
    amap = draft(ARTICLE, backend=backend(server, tmp_path))
    assert len(server.requests) == 2 and len(amap.nodes) == 5
    assert "response_format" in server.requests[0]["body"] and "response_format" not in server.requests[1]["body"]


def test_an_answer_cut_at_max_tokens_is_invalid_and_retried(server, tmp_path):
    def cut(user):
        return good_answer(user)[:40]

    server.script = [("cut", cut)]
    amap = draft(ARTICLE, backend=backend(server, tmp_path))
    assert len(server.requests) == 2
    assert "cut at max_tokens" in server.requests[1]["body"]["messages"][-1]["content"]
    assert len(amap.nodes) == 5


def test_long_articles_go_in_chunks_and_are_merged(server, tmp_path):
    be = backend(server, tmp_path, chunk=3, repair=False)  # (the repair pass has its own test)
    amap = draft(ARTICLE, backend=be)
    assert len(server.requests) == 2
    second = server.requests[1]["body"]["messages"][1]["content"]
    assert "Earlier in the article, the thesis is u1" in second
    assert server.requests[1]["body"]["response_format"]["json_schema"]["schema"]["properties"]["units"][
        "items"]["properties"]["target"]["anyOf"][0]["enum"] == ["u4", "u5", "u1"]
    assert [n.kind.value for n in amap.nodes].count("thesis") == 1 and len(amap.nodes) == 5


def test_check_findings_are_sent_back_once(server, tmp_path):
    """A valid answer whose map has a recommendation with no reason (AM107): the findings go back once."""
    def unsupported(user):
        ids = re.findall(r"^(u\d+) ", user, re.M)
        units = [{"id": ids[0], "kind": "thesis", "target": None, "relation": None},
                 {"id": ids[1], "kind": "recommendation", "target": ids[0], "relation": "supports"}]
        units += [{"id": u, "kind": "premise", "target": ids[0], "relation": "supports"} for u in ids[2:]]
        return json.dumps({"units": units})

    server.script = [("ok", unsupported), ("ok", good_answer)]
    amap = draft(ARTICLE, backend=backend(server, tmp_path))
    assert len(server.requests) == 2
    repair = server.requests[1]["body"]["messages"][-1]["content"]
    assert "argmap check found these problems" in repair and "AM107" in repair and "u2 recommendation>u1" in repair
    assert len(server.requests[1]["body"]["messages"]) == 2  # the same request with the findings, no long history
    assert "objection" in [n.kind.value for n in amap.nodes]  # the corrected answer was kept
    # without problems, no repair request
    server.requests.clear()
    draft(ARTICLE.replace("Cities", "Towns"), backend=backend(server, tmp_path))
    assert len(server.requests) == 1
