#!/usr/bin/env python3
"""The steps of the argmap GitHub Action (action.yml), as one script.

    python action/argmap_action.py check         # annotations; fails on findings
    python action/argmap_action.py sarif         # argmap.sarif for code scanning; never fails on findings
    python action/argmap_action.py diff-comment  # one pull-request comment, updated in place

Inputs come as environment variables set by action.yml: ``INPUT_PATHS``
(maps and folders, separated by spaces or new lines), ``INPUT_STRICT``
(``true``/``false``), ``INPUT_SARIF_FILE``, ``INPUT_TOKEN``; and GitHub's own:
``GITHUB_EVENT_NAME``, ``GITHUB_EVENT_PATH``, ``GITHUB_REPOSITORY``,
``GITHUB_API_URL``, ``GITHUB_STEP_SUMMARY``.

Only the standard library and the installed ``argmap`` command are used; the
GitHub API is reached through one function, :func:`github_request`, which the
tests replace (tests/test_action.py).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

MARKER = "<!-- argmap-diff-comment -->"
MAP_SUFFIXES = (".yaml", ".yml", ".json")
_MAP_KEY = re.compile(r"""(?m)^\s*(?:argmap\s*:|["']argmap["']\s*:|\{\s*["']argmap["'])""")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#])")


# --------------------------------------------------------------------------- inputs


def input_paths(env=os.environ) -> list[str]:
    return [p for p in re.split(r"[\s]+", env.get("INPUT_PATHS", "") or "") if p] or ["maps"]


def input_flag(name: str, env=os.environ) -> bool:
    value = (env.get(f"INPUT_{name.upper()}", "") or "").strip().lower()
    if value in ("", "false", "no", "0", "off"):
        return False
    if value in ("true", "yes", "1", "on"):
        return True
    raise SystemExit(f"::error::the input '{name}' must be true or false, not {value!r}")


def notice(message: str) -> None:
    print(f"::notice::{message}", flush=True)


def argmap(*args: str, cwd: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["argmap", *args], cwd=cwd, capture_output=True, text=True)


# --------------------------------------------------------------------------- check and sarif


def cmd_check(env=os.environ) -> int:
    """argmap check with workflow annotations; its exit code is the step's."""
    args = ["check", "--format", "github", *(["--strict"] if input_flag("strict", env) else []), "--", *input_paths(env)]
    return subprocess.run(["argmap", *args]).returncode


def cmd_sarif(env=os.environ) -> int:
    """Write the SARIF report; findings do not fail this step (the check step does that)."""
    out = env.get("INPUT_SARIF_FILE") or "argmap.sarif"
    args = ["check", "--format", "sarif", "-o", out,
            *(["--strict"] if input_flag("strict", env) else []), "--", *input_paths(env)]
    code = subprocess.run(["argmap", *args]).returncode
    if code not in (0, 1) or not Path(out).is_file():
        print(f"::error::argmap check could not write {out} (exit {code})", flush=True)
        return code or 2
    return 0


# --------------------------------------------------------------------------- the comment


def git(*args: str, cwd: str | None = None, check: bool = True) -> str:
    r = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    if check and r.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed: {r.stderr.strip()}")
    return r.stdout


def md(text: str) -> str:
    """Inline markdown: one line, escaped."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()).replace("&", "&amp;"))


def code(path: str) -> str:
    return "`" + path.replace("`", "'") + "`"


@dataclass
class Changes:
    added: list[str] = field(default_factory=list)  # lines
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # markdown blocks of argmap diff
    reformatted: list[str] = field(default_factory=list)  # paths whose argument did not change
    problems: list[str] = field(default_factory=list)  # lines

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.reformatted or self.problems)


def _describe(text: str, name: str) -> str | None:
    """'*title*: N nodes' for a map's text; None when the text is not a map."""
    if not _MAP_KEY.search(text):
        return None
    from argmap.io.loading import load_text  # the argmap the action installed
    from argmap.map.errors import ArgmapError

    try:
        loaded = load_text(text, name=name)
    except ArgmapError:
        return "does not load as a map"
    n = len(loaded.map.nodes)
    title = loaded.map.title or (loaded.map.source.title if loaded.map.source else None)
    return (f"*{md(title)}*: " if title else "") + f"{n} node{'s' if n != 1 else ''}"


def collect_changes(base: str, paths: list[str], cwd: str | None = None) -> Changes:
    """Maps added, removed and changed between ``base`` and the working tree's HEAD."""
    out = Changes()
    listing = git("diff", "--name-status", "--no-renames", "-z", base, "HEAD", "--", *paths, cwd=cwd)
    fields = listing.split("\0")
    entries = [(fields[i], fields[i + 1]) for i in range(0, len(fields) - 1, 2)]
    for status, path in sorted(entries, key=lambda e: e[1]):
        if not path.lower().endswith(MAP_SUFFIXES):
            continue
        if status == "D":
            what = _describe(git("show", f"{base}:{path}", cwd=cwd), path)
            if what is not None:
                out.removed.append(f"- {code(path)} — {what}")
        elif status == "A":
            what = _describe(Path(cwd or ".", path).read_text(encoding="utf-8", errors="replace"), path)
            if what is not None:
                out.added.append(f"- {code(path)} — {what}")
        else:  # M (modified) or T (type changed)
            r = argmap("diff", path, "--rev", base, "--format", "markdown", cwd=cwd)
            if r.returncode == 1:
                out.changed.append(r.stdout.strip())
            elif r.returncode == 0:
                out.reformatted.append(code(path))
            else:
                text = Path(cwd or ".", path).read_text(encoding="utf-8", errors="replace")
                if _MAP_KEY.search(text):
                    reason = (r.stderr.strip().splitlines() or ["argmap diff failed"])[-1]
                    out.problems.append(f"- {code(path)}: {md(reason)}")
    return out


def comment_body(changes: Changes) -> str:
    counts = [(len(changes.added), "added"), (len(changes.removed), "removed"), (len(changes.changed), "changed")]
    said = ", ".join(f"{n} {what}" for n, what in counts if n)
    head = f"### argmap: {'maps ' + said if said else 'no argument changed'}"
    parts = [MARKER, head, ""]
    if changes.added:
        parts += ["**Maps added**", "", *changes.added, ""]
    if changes.removed:
        parts += ["**Maps removed**", "", *changes.removed, ""]
    if changes.changed:
        parts += ["**Maps changed**", ""]
        for block in changes.changed:
            parts += [block, ""]
    if changes.reformatted:
        parts += ["Layout or order only, the argument is the same: " + ", ".join(changes.reformatted), ""]
    if changes.problems:
        parts += ["**Could not compare**", "", *changes.problems, ""]
    if changes.empty:
        parts += ["No map was added, removed or changed.", ""]
    parts.append("<sub>Updated on each push by the argmap action.</sub>")
    return "\n".join(parts) + "\n"


# --------------------------------------------------------------------------- GitHub


class GitHubError(Exception):
    pass


def github_request(method: str, url: str, token: str, body: dict | None = None):
    """One call to the GitHub REST API: (status, decoded JSON). The tests replace this."""
    data = json.dumps(body).encode("utf-8") if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={
        "Accept": "application/vnd.github+json",
        "Authorization": f"Bearer {token}",
        "X-GitHub-Api-Version": "2022-11-28",
        "User-Agent": "argmap-action",
        **({"Content-Type": "application/json"} if data is not None else {}),
    })
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            raw = resp.read()
            return resp.status, (json.loads(raw) if raw else None)
    except urllib.error.HTTPError as exc:
        raw = exc.read()
        try:
            detail = json.loads(raw).get("message", "")
        except (ValueError, AttributeError):
            detail = raw[:200].decode("utf-8", "replace")
        raise GitHubError(f"{method} {url}: HTTP {exc.code} {detail}".strip()) from None


def upsert_comment(api: str, repo: str, number: int, token: str, body: str, *, create: bool = True,
                   request=None) -> str:
    """Update the pull request's argmap comment (found by its marker), or create it.

    Returns what was done: "updated", "created", "unchanged" or "none" (no
    comment yet and ``create`` false: nothing worth saying).
    """
    request = request or github_request
    page = 1
    found = None
    while found is None:
        status, comments = request("GET", f"{api}/repos/{repo}/issues/{number}/comments?per_page=100&page={page}",
                                   token)
        if not comments:
            break
        found = next((c for c in comments if MARKER in (c.get("body") or "")), None)
        if len(comments) < 100:
            break
        page += 1
    if found is not None:
        if found.get("body") == body:
            return "unchanged"
        request("PATCH", f"{api}/repos/{repo}/issues/comments/{found['id']}", token, {"body": body})
        return "updated"
    if not create:
        return "none"
    request("POST", f"{api}/repos/{repo}/issues/{number}/comments", token, {"body": body})
    return "created"


def is_fork(event: dict) -> bool:
    pr = event.get("pull_request") or {}
    head_repo = (pr.get("head") or {}).get("repo")
    if not head_repo:  # the fork was deleted
        return True
    return head_repo.get("full_name") != (event.get("repository") or {}).get("full_name")


def cmd_diff_comment(env=os.environ, *, request=None, cwd: str | None = None) -> int:
    """Post or update the pull request's comment; a changed argument never fails the step."""
    name = env.get("GITHUB_EVENT_NAME", "")
    if name not in ("pull_request", "pull_request_target"):
        notice(f"argmap diff comment: skipped, this is a '{name or 'unknown'}' event, not a pull request.")
        return 0
    event = json.loads(Path(env["GITHUB_EVENT_PATH"]).read_text(encoding="utf-8"))
    if is_fork(event):
        notice("argmap diff comment: skipped, this pull request comes from a fork, and its token cannot comment. "
               "The check and its annotations still ran.")
        return 0
    pr = event["pull_request"]
    base = pr["base"]["sha"]
    if subprocess.run(["git", "cat-file", "-e", f"{base}^{{commit}}"], cwd=cwd, capture_output=True).returncode:
        git("fetch", "--no-tags", "--depth=1", "origin", base, cwd=cwd)
    changes = collect_changes(base, input_paths(env), cwd=cwd)
    body = comment_body(changes)
    summary = env.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as fh:
            fh.write(body.replace(MARKER + "\n", ""))
    token = env.get("INPUT_TOKEN") or env.get("GITHUB_TOKEN") or ""
    api = env.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")
    try:
        done = upsert_comment(api, env["GITHUB_REPOSITORY"], int(pr["number"]), token, body,
                              create=not changes.empty, request=request)
    except GitHubError as exc:
        print(f"::error::argmap diff comment: {exc}. The workflow needs 'permissions: pull-requests: write' "
              "(see docs/ci.md).", flush=True)
        return 1
    notice(f"argmap diff comment: {done}.")
    return 0


def main(argv: list[str]) -> int:
    steps = {"check": cmd_check, "sarif": cmd_sarif, "diff-comment": cmd_diff_comment}
    if len(argv) != 2 or argv[1] not in steps:
        print(f"usage: {Path(argv[0]).name} {'|'.join(steps)}", file=sys.stderr)
        return 2
    return steps[argv[1]]()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
