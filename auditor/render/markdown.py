"""GitHub-flavoured Markdown report (PR comment / step summary), at most 60,000 characters.

Every family always keeps its ``<details>`` block with its summary line and counts. When the
whole report does not fit, the budget is shared across the families by cutting rows, never
sections, in this order until it fits:

1. fewer rows per measured table (the same cap for every table, so a family with small tables
   keeps all of them and the largest tables give up rows first);
2. no table rows (tables named with their row counts), then fewer finding rows per check;
3. one line per check;
4. the family summary lines only.

Each cut section states how many table and finding rows it left out and where the full report
is: the CI run's artifacts page when ``GITHUB_SERVER_URL``, ``GITHUB_REPOSITORY`` and
``GITHUB_RUN_ID`` are set (a GitHub Actions job), else ``audit.html``/``audit.json`` next to the
Markdown file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._jinja import environment
from .view import build_view

__all__ = ["MAX_CHARS", "ci_artifacts_url", "render_markdown", "truncate_markdown"]

MAX_CHARS = 60_000
TOP_ROWS = 25
NOTE = (
    "\n\n---\n**Truncated** to fit a pull-request comment ({limit:,} characters): the full report "
    "is in `audit.html` and `audit.json` next to this file (the CI run's report artifact).\n"
)
_SAFE_URL_PART = re.compile(r"^[A-Za-z0-9._~/:-]+$")


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
    """Last resort (never needed for a report this module laid out): cut at a line boundary,
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
    table_rows: int | None = None  # rows per table; None = all
    finding_rows: int | None = None  # finding rows per check; None = all
    level: str = "full"  # full | compact | collapsed
    top_rows: int = TOP_ROWS


def _fit(view: Mapping[str, Any], cut: _Cut, limit: int, url: str | None) -> dict[str, Any]:
    families = []
    rows_left = findings_left = 0
    for fam in view["families"]:
        results = []
        fam_rows = fam_rows_left = fam_findings = fam_findings_left = 0
        for r in fam["results"]:
            findings = r["finding_list"]
            keep_f = 0 if cut.level != "full" else (
                len(findings) if cut.finding_rows is None else cut.finding_rows
            )  # fmt: skip
            tables = []
            for t in r["table_list"]:
                keep_t = 0 if cut.level != "full" else (
                    len(t["rows"]) if cut.table_rows is None else cut.table_rows
                )  # fmt: skip
                shown = t["rows"][:keep_t]
                fam_rows += t["total"]
                fam_rows_left += t["total"] - len(shown)
                tables.append({**t, "rows": shown})
            shown_f = findings[:keep_f]
            fam_findings += len(findings)
            fam_findings_left += len(findings) - len(shown_f)
            results.append({**r, "shown_findings": shown_f, "findings_total": len(findings),
                            "table_list": tables, "tables_total": len(tables)})  # fmt: skip
        families.append({**fam, "results": results, "level": cut.level,
                         "rows_total": fam_rows, "rows_left": fam_rows_left,
                         "findings_total": fam_findings, "findings_left": fam_findings_left})  # fmt: skip
        rows_left += fam_rows_left
        findings_left += fam_findings_left
    active = bool(rows_left or findings_left or cut.level == "collapsed")
    return {
        **view,
        "families": families,
        "cut": {"active": active, "limit": limit, "url": url, "rows_left": rows_left,
                "findings_left": findings_left, "top_rows": cut.top_rows},
    }  # fmt: skip


def _largest(lo: int, hi: int, fits: Callable[[int], bool]) -> int | None:
    """The largest n in [lo, hi] with fits(n) (fits is monotone: True up to some n), or None."""
    if not fits(lo):
        return None
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits(mid):
            lo = mid
        else:
            hi = mid - 1
    return lo


def render_markdown(
    data: Mapping[str, Any],
    templates: Path | None = None,
    limit: int = MAX_CHARS,
    artifacts_url: str | None = None,
) -> str:
    """The report as GFM of at most ``limit`` characters (see the module docstring for how it
    fits). ``artifacts_url`` defaults to the GitHub Actions run's artifacts page, if any."""
    env = environment(templates)
    template = env.get_template("report.md.j2")
    # no layout shows more than limit // 8 rows of a table: every table in full only when all
    # tables together have at most limit // 8 rows, else at most limit // 20 rows per table
    view = build_view(data, max_rows=limit // 8)
    url = artifacts_url if artifacts_url is not None else ci_artifacts_url()
    cache: dict[_Cut, str] = {}

    def text(cut: _Cut) -> str:
        if cut not in cache:
            cache[cut] = template.render(**_fit(view, cut, limit, url))
        return cache[cut]

    def ok(cut: _Cut) -> bool:
        return len(text(cut)) <= limit

    tables = [t for fam in view["families"] for r in fam["results"] for t in r["table_list"]]
    most_rows = min(max((len(t["rows"]) for t in tables), default=0), limit // 20)
    if sum(t["total"] for t in tables) <= limit // 8 and ok(_Cut()):
        return text(_Cut())  # a row takes at least 8 characters: more rows cannot fit
    most_findings = max(
        (len(r["finding_list"]) for fam in view["families"] for r in fam["results"]), default=0
    )
    rows = _largest(0, most_rows, lambda n: ok(_Cut(table_rows=n)))
    if rows is not None:
        return text(_Cut(table_rows=rows))
    found = _largest(0, most_findings, lambda n: ok(_Cut(table_rows=0, finding_rows=n)))
    if found is not None:
        return text(_Cut(table_rows=0, finding_rows=found))
    for cut in (
        _Cut(level="compact"),
        _Cut(level="compact", top_rows=10),
        _Cut(level="collapsed", top_rows=10),
        _Cut(level="collapsed", top_rows=0),
    ):
        if ok(cut):
            return text(cut)
    return truncate_markdown(text(_Cut(level="collapsed", top_rows=0)), limit)
