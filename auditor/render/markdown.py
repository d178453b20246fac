"""GitHub-flavoured Markdown report for a pull-request comment or ``$GITHUB_STEP_SUMMARY``.

At most :data:`MAX_CHARS` (12,000) characters, whatever the report: the first ten lines give the
verdict, the number of blocking problems and the most important blocking ones (with a baseline
gate, the new ones); collapsed sections list every blocking problem, the open ones that do not
block (and why), waived and resolved findings, and one line per check. Tables have at most four
columns, so they fit GitHub's comment width. When the whole report does not fit, it is laid out
again with shorter cells, then fewer rows per section (each section says how many it left out
and where the full report is: the CI run's artifacts page when ``GITHUB_SERVER_URL``,
``GITHUB_REPOSITORY`` and ``GITHUB_RUN_ID`` are set, else ``audit.html`` next to the file).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ._jinja import environment, render_template
from .view import build_view

__all__ = ["MAX_CHARS", "ci_artifacts_url", "render_markdown", "truncate_markdown"]

MAX_CHARS = 12_000
NOTE = (
    "\n\n---\n**Truncated** to fit a pull-request comment ({limit:,} characters): the full report "
    "is in `audit.html` and `audit.json` next to this file (the CI run's report artifact).\n"
)
_SAFE_URL_PART = re.compile(r"^[A-Za-z0-9._~/:-]+$")
_SAFE_LINK = re.compile(r"^https://[A-Za-z0-9._~/:-]+(?:#[A-Za-z0-9._-]+)?$")


def ci_artifacts_url(env: Mapping[str, str] | None = None) -> str | None:
    """``https://github.com/OWNER/REPO/actions/runs/ID#artifacts`` in a GitHub Actions job, else None."""
    env = os.environ if env is None else env
    server = env.get("GITHUB_SERVER_URL", "").rstrip("/")
    repo = env.get("GITHUB_REPOSITORY", "").strip("/")
    run_id = env.get("GITHUB_RUN_ID", "")
    if not (server and repo and run_id.isdigit()):
        return None
    if not server.startswith("https://") or not all(
        _SAFE_URL_PART.match(p) for p in (server, repo)
    ):
        return None
    return f"{server}/{repo}/actions/runs/{run_id}#artifacts"


def truncate_markdown(text: str, limit: int = MAX_CHARS) -> str:
    """Last resort (a report whose first lines alone exceed the limit): cut at a line boundary,
    close any open ``<details>``, and say where the full report is."""
    if len(text) <= limit:
        return text
    note = NOTE.format(limit=limit)
    budget = limit - len(note) - len("\n</details>") * 4
    cut = text.rfind("\n", 0, budget)
    kept = text[: max(cut, 0)]
    open_details = kept.count("<details>") - kept.count("</details>")
    kept += "\n\n</details>" * max(open_details, 0)
    return kept + note


@dataclass(frozen=True)
class _Cut:
    headline: int = 600  # characters of a headline in the top list
    cell: int = 220  # characters of a headline in a table cell
    rows: int = 200  # rows per collapsed table (0: tables left out)
    reasons: int = 160  # characters of a skip reason (0: left out)


#: layouts tried in order until one fits
_LAYOUTS = (
    _Cut(),
    _Cut(cell=160, reasons=100),
    _Cut(headline=400, cell=120, reasons=80),
    _Cut(headline=400, cell=120, rows=100, reasons=80),
    _Cut(headline=300, cell=100, rows=60, reasons=0),
    _Cut(headline=300, cell=100, rows=30, reasons=0),
    _Cut(headline=300, cell=90, rows=15, reasons=0),
    _Cut(headline=240, cell=80, rows=8, reasons=0),
    _Cut(headline=200, cell=80, rows=0, reasons=0),
)


def render_markdown(
    data: Mapping[str, Any],
    templates: Path | None = None,
    limit: int = MAX_CHARS,
    artifacts_url: str | None = None,
) -> str:
    """The report as GFM of at most ``limit`` characters (see the module docstring for how it
    fits). ``artifacts_url`` defaults to the GitHub Actions run's artifacts page, if any; only a
    plain ``https://`` URL (letters, digits, ``._~/:-`` and a ``#fragment``) becomes a link."""
    env = environment(templates)
    view = build_view(data, max_rows=0)
    url = artifacts_url if artifacts_url is not None else ci_artifacts_url()
    if url and not _SAFE_LINK.match(url):
        url = None  # the template writes it as a link destination, unescaped: only plain URLs
    text = ""
    for cut in _LAYOUTS:
        layout = {**asdict(cut), "limit": limit, "url": url}
        text = render_template(env, "report.md.j2", **view, cut=layout)
        if len(text) <= limit:
            return text
    return truncate_markdown(text, limit)
