"""Create or update ONE pull-request comment holding the audit summary (a "sticky" comment).

Used by ``examples/ci/model-audit.yml`` (copy it next to the workflow, e.g. to
``.github/scripts/pr_comment.py``, and set ``COMMENT_SCRIPT``). Standard library only::

    GITHUB_TOKEN=... python pr_comment.py --repo OWNER/NAME --pr 42 \
        --body-file audit-report/audit.md --run-url https://github.com/OWNER/NAME/actions/runs/1

The comment is found by the marker ``<!-- auditor-report -->`` on its FIRST line, in a comment
written by ``--author`` (default ``github-actions[bot]``, the identity of the workflow token):
the first such comment is edited (PATCH), otherwise one is created (POST). A comment without
the marker, or one that quotes it but was written by someone else, is never edited. Every page
of comments is read (``Link: rel="next"``), and the token is only ever sent to the API origin
(``GITHUB_API_URL``, https, or http on a loopback address for tests).

Exit 0 on success, 1 when the API refused or failed (one line on stderr), 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

MARKER = "<!-- auditor-report -->"
# GitHub refuses comment bodies over 65,536 characters: keep a margin for the marker and the note.
MAX_BODY = 65_000
TIMEOUT = 30


class ApiError(Exception):
    """The API answered with an error or could not be reached."""


def _origin(url: str) -> tuple[str, str, int]:
    parts = urllib.parse.urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.scheme, parts.hostname or "", port


def _api_url_ok(url: str) -> bool:
    """https, or plain http only on a loopback address (a local fake of the API)."""
    scheme, host, _ = _origin(url)
    if scheme == "https" and host:
        return True
    if scheme != "http":
        return False
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """urllib re-sends every header on a redirect, Authorization included: only within the origin."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        if _origin(newurl) != _origin(req.full_url):
            raise ApiError(f"refusing to follow a redirect to {newurl!r}: not the API origin")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class Api:
    def __init__(self, base: str, token: str) -> None:
        self.base = base.rstrip("/")
        self.token = token
        self._opener = urllib.request.build_opener(_SameOriginRedirects)

    def request(self, method: str, url: str, body: dict[str, Any] | None = None) -> tuple[Any, str]:
        if _origin(url) != _origin(
            self.base
        ):  # a Link header pointing elsewhere never gets the token
            raise ApiError(f"refusing to follow {url!r}: not the API origin {self.base!r}")
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(url, data=data, method=method)
        req.add_header("Accept", "application/vnd.github+json")
        req.add_header("Authorization", f"Bearer {self.token}")
        req.add_header("X-GitHub-Api-Version", "2022-11-28")
        req.add_header("User-Agent", "auditor-pr-comment")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with self._opener.open(req, timeout=TIMEOUT) as resp:
                payload = json.loads(resp.read() or b"null")
                return payload, resp.headers.get("Link", "")
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:300].decode("utf-8", "replace")
            raise ApiError(f"{method} {url}: HTTP {exc.code} {detail}") from None
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            raise ApiError(f"{method} {url}: {exc}") from None


def _next_link(link: str) -> str | None:
    for part in link.split(","):
        m = re.match(r'\s*<([^>]+)>\s*;.*\brel="?next"?', part)
        if m:
            return m[1]
    return None


def find_comment(api: Api, repo: str, pr: int, author: str) -> dict[str, Any] | None:
    url: str | None = f"{api.base}/repos/{repo}/issues/{pr}/comments?per_page=100"
    pages = 0
    while url is not None:
        pages += 1
        if pages > 100:  # 10,000 comments: something is wrong, stop rather than loop
            raise ApiError("more than 100 pages of comments")
        comments, link = api.request("GET", url)
        if not isinstance(comments, list):
            raise ApiError(f"GET {url}: expected a list of comments")
        for c in comments:
            body = c.get("body") or ""
            login = (c.get("user") or {}).get("login")
            if body.split("\n", 1)[0].strip() == MARKER and login == author:
                return dict(c)
        url = _next_link(link)
    return None


def compose(report: str, run_url: str | None) -> str:
    body = report.strip("\n")
    if len(body) > MAX_BODY:
        cut = body.rfind("\n", 0, MAX_BODY)
        body = body[: cut if cut > 0 else MAX_BODY]
        where = f"the [run's artifacts]({run_url})" if run_url else "the run's artifacts"
        body += f"\n\n_The summary was cut to fit a comment: the full report is in {where}._"
    return f"{MARKER}\n{body}\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--repo", required=True, help="OWNER/NAME")
    ap.add_argument("--pr", required=True, type=int, help="pull request number")
    ap.add_argument("--body-file", required=True, type=Path, help="the Markdown report")
    ap.add_argument("--run-url", help="link to the workflow run (used when the body is cut)")
    ap.add_argument("--author", default="github-actions[bot]", help="login that owns the comment")
    args = ap.parse_args(argv)
    if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", args.repo):
        ap.error(f"--repo {args.repo!r}: expected OWNER/NAME")
    if args.pr <= 0:
        ap.error(f"--pr {args.pr}: expected a pull request number")
    token = os.environ.get("GITHUB_TOKEN", "")
    if not token:
        ap.error("GITHUB_TOKEN is not set")
    base = os.environ.get("GITHUB_API_URL", "https://api.github.com")
    if not _api_url_ok(base):
        ap.error(f"GITHUB_API_URL {base!r}: expected an https URL")
    try:
        report = args.body_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        ap.error(f"--body-file {args.body_file}: {exc}")
    body = compose(report, args.run_url)
    api = Api(base, token)
    try:
        existing = find_comment(api, args.repo, args.pr, args.author)
        if existing is None:
            made, _ = api.request(
                "POST", f"{api.base}/repos/{args.repo}/issues/{args.pr}/comments", {"body": body}
            )
            print(f"pr_comment: created comment {made.get('id')}")
        elif existing.get("body") == body:
            print(f"pr_comment: comment {existing['id']} is up to date")
        else:
            api.request(
                "PATCH", f"{api.base}/repos/{args.repo}/issues/comments/{int(existing['id'])}",
                {"body": body},
            )  # fmt: skip
            print(f"pr_comment: updated comment {existing['id']}")
    except ApiError as exc:
        print(f"pr_comment: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
