"""The NYC LL144 public summary of the bundled hiring example, through the real CLI.

6 RCNY §5-303 fields come from the audit config's ``metadata:`` (or FAIR003's options), never
from the run: without them the summary is refused (``--format ll144-*``: exit 2 before any
check runs; ``auditor render``: exit 2), left out with one stderr line (added implicitly with
html/md), or written with ``--draft`` / ``draft: true`` marked "DRAFT — not for publication" on
every page. The reference category is the main report's (highest rate among categories of at
least ``min_group_size`` applicants) and is stated under each table.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

import auditor.api
from auditor.cli import main
from auditor.render.ll144 import DRAFT_MARK, render_ll144_html, render_ll144_md

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "hiring"
MISSING_AUDIT_DATE = "MISSING (required by 6 RCNY §5-303)"
#: the date of the bias audit the complete config gives: a day that is not the run's
AUDIT_DATE = (dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=10)).isoformat()
PAGE_RULE = re.compile(r"@page \{.*?\}\s*\}", re.S)


def _example(tmp_path: Path, **metadata: Any) -> Path:
    """A copy of examples/hiring with ``metadata`` merged into its config's ``metadata:``
    (a value of None removes the key); returns the config's path."""
    folder = tmp_path / "hiring"
    shutil.copytree(EXAMPLE, folder)
    config = folder / "audit.yaml"
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    meta = dict(data.get("metadata") or {})
    for key, value in metadata.items():
        if value is None:
            meta.pop(key, None)
        else:
            meta[key] = value
    data["metadata"] = meta
    data.pop("out", None)
    config.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return config


def _run(config: Path, out: Path, *extra: str) -> int:
    return main(["run", "--config", str(config), "--policy", "nyc-ll144", "--out", str(out),
                 "--no-progress", *extra])  # fmt: skip


def _gate(out: Path) -> int:
    """The exit code the gate gives this run (from its own report)."""
    return {"pass": 0, "fail": 1}[json.loads((out / "audit.json").read_text())["verdict"]]


def _run_date(out: Path) -> str:
    return str(json.loads((out / "audit.json").read_text())["run"]["finished_at"])[:10]


@pytest.fixture
def no_check_runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records every call of the check runner (a refusal must leave it empty)."""
    calls: list[str] = []
    real = auditor.api.run_checks

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append("checks ran")
        return real(*args, **kwargs)

    monkeypatch.setattr(auditor.api, "run_checks", spy)
    return calls


# -- refused -------------------------------------------------------------------------------------


def test_explicit_summary_without_audit_date_is_refused_before_any_check_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_check_runs: list[str]
) -> None:
    config = _example(tmp_path)  # the example's metadata has everything but audit_date
    out = tmp_path / "out"
    assert _run(config, out, "--format", "json,ll144-md") == 2
    err = capsys.readouterr().err
    assert err == (
        "auditor: error: --format ll144-md: the LL144 summary needs audit_date (set it under "
        "metadata: in the audit config, or as a FAIR003 option), or pass --draft\n"
    )
    assert no_check_runs == []
    assert not out.exists()  # nothing written


def test_refusal_names_every_missing_field_and_where_to_set_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_check_runs: list[str]
) -> None:
    config = _example(
        tmp_path, data_source=None, data_source_explanation=None, aedt_distribution_date=None
    )
    out = tmp_path / "out"
    assert _run(config, out, "--format", "json,ll144-html,ll144-md") == 2
    assert capsys.readouterr().err == (
        "auditor: error: --format ll144-html,ll144-md: the LL144 summary needs audit_date, "
        "data_source, data_explanation, distribution_date (set them under metadata: in the "
        "audit config, or audit_date, data_source, distribution_date as FAIR003 options), or "
        "pass --draft\n"
    )
    # test data (§5-302) also need the explanation of why and how they were generated
    config = _example(tmp_path / "t", audit_date=AUDIT_DATE)
    assert _run(config, out, "--format", "ll144-md", "--set", "FAIR003.data_type=test") == 2
    assert "the LL144 summary needs test_data_explanation (set it under metadata: in the " in (
        capsys.readouterr().err
    )
    # FAIR003 options count as given
    given = ["--set", "FAIR003.test_data_explanation=Resampled from 2025 applicants"]
    rc = _run(config, out, "--format", "ll144-md", "--set", "FAIR003.data_type=test", *given)
    assert rc in (0, 1)
    assert no_check_runs == ["checks ran"]


def test_render_of_a_report_lacking_the_field_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert _run(_example(tmp_path), out, "--format", "json") in (0, 1)
    capsys.readouterr()
    target = tmp_path / "summary.html"
    report = str(out / "audit.json")
    assert main(["render", report, "--format", "ll144-html", "--out", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("auditor: error: --format ll144-html: the LL144 summary needs audit_date")
    assert err.rstrip().endswith("or pass --draft") and err.count("\n") == 1
    assert not target.exists()
    # --draft renders it, marked
    assert main(["render", report, "--format", "ll144-html", "--draft", "--out", str(target)]) == 0
    html = target.read_text(encoding="utf-8")
    assert DRAFT_MARK in PAGE_RULE.search(html).group(0)  # type: ignore[union-attr]
    assert MISSING_AUDIT_DATE in html


# -- draft ---------------------------------------------------------------------------------------


def test_draft_is_marked_on_every_page_and_says_what_is_missing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    config = _example(tmp_path)
    rc = _run(config, out, "--format", "json,ll144-md,ll144-html", "--draft")
    assert rc == _gate(out) == 1  # the gate fails on the missing audit_date finding (medium)
    md = (out / "ll144-summary.md").read_text(encoding="utf-8")
    lines = md.rstrip("\n").split("\n")
    assert lines[0] == f"**{DRAFT_MARK}**: required fields missing: audit\\_date (6 RCNY §5-303)"
    assert lines[-1] == f"**{DRAFT_MARK}**"
    assert f"| Date of the bias audit | {MISSING_AUDIT_DATE} |" in md
    assert _run_date(out) not in md  # the run date is never presented as the audit date
    html = (out / "ll144-summary.html").read_text(encoding="utf-8")
    body = html[html.index("<body>") :]
    assert body.startswith(
        f'<body>\n<div class="draft" role="note"><strong>{DRAFT_MARK}</strong>. Required fields '
        "missing: audit_date (6 RCNY §5-303).</div>"
    )
    page = PAGE_RULE.search(html)
    assert page is not None
    assert f'@top-center {{ content: "{DRAFT_MARK}";' in page.group(0)  # every printed page
    assert f'<span class="missing">{MISSING_AUDIT_DATE}</span>' in html
    assert _run_date(out) not in html
    assert "<title>DRAFT: " in html
    manifest = json.loads((out / "manifest.json").read_text())
    assert {"ll144-summary.md", "ll144-summary.html"} <= {o["path"] for o in manifest["outputs"]}


def test_draft_true_in_the_audit_config(tmp_path: Path) -> None:
    config = _example(tmp_path)
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    config.write_text(yaml.safe_dump({**data, "draft": True}), encoding="utf-8")
    out = tmp_path / "out"
    assert _run(config, out, "--format", "json,ll144-md") == _gate(out)
    assert (out / "ll144-summary.md").read_text(encoding="utf-8").startswith(f"**{DRAFT_MARK}**")
    bad = tmp_path / "bad.yaml"
    bad.write_text(config.read_text(encoding="utf-8").replace("draft: true", "draft: maybe"))
    assert main(["run", "--config", str(bad), "--out", str(tmp_path / "o2")]) == 2


# -- implicit (html/md asked, the pack has LL144 results) ------------------------------------------


def test_implicit_summary_with_a_missing_field_is_left_out_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    rc = _run(_example(tmp_path), out, "--format", "json,html,md")
    assert rc == _gate(out) == 1  # the gate's code, not 2
    assert sorted(p.name for p in out.iterdir()) == [
        "audit.html", "audit.json", "audit.md", "manifest.json",
    ]  # fmt: skip
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if "ll144" in line.lower()]
    assert lines == [
        "auditor: warning: ll144-summary.html and ll144-summary.md not written: the LL144 "
        "summary needs audit_date (set it under metadata: in the audit config, or as a FAIR003 "
        "option), or pass --draft for a copy marked DRAFT"
    ]
    # with --draft the implicit summary is written, marked
    assert _run(_example(tmp_path / "d"), tmp_path / "d-out", "--format", "json,md", "--draft") == 1
    text = (tmp_path / "d-out" / "ll144-summary.md").read_text(encoding="utf-8")
    assert text.startswith(f"**{DRAFT_MARK}**")


# -- complete: publishable -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def complete(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """The example with every required field, the summary asked for explicitly."""
    tmp = tmp_path_factory.mktemp("complete")
    out = tmp / "out"
    config = _example(tmp, audit_date=AUDIT_DATE)
    rc = _run(config, out, "--format", "json,ll144-md,ll144-html")
    assert rc == _gate(out)
    return (
        out,
        (out / "ll144-summary.md").read_text(encoding="utf-8"),
        (out / "ll144-summary.html").read_text(encoding="utf-8"),
    )


def test_complete_summary_shows_the_given_audit_date_and_no_draft(
    complete: tuple[Path, str, str],
) -> None:
    out, md, html = complete
    assert _run_date(out) != AUDIT_DATE
    assert f"| Date of the bias audit | {AUDIT_DATE} |" in md
    assert f"<tr><th>Date of the bias audit</th><td>{AUDIT_DATE}</td></tr>" in html
    for text in (md, html):
        assert _run_date(out) not in text
        assert "DRAFT" not in text and "MISSING" not in text
    assert "| Distribution date of the tool | 2026-01-15 |" in md
    assert "| Number of applicants assessed | 2,000 |" in md
    assert "| Individuals in an unknown category | 69 |" in md
    # still self-contained and escaped: CSP, no script, no external URL
    assert 'http-equiv="Content-Security-Policy"' in html
    assert "<script" not in html.lower()
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?https?:", html)


def test_complete_summary_numbers_and_readings(complete: tuple[Path, str, str]) -> None:
    _, md, html = complete
    # rates are percentages with one decimal, impact ratios three decimals, everywhere
    rows = [line for line in md.splitlines() if re.match(r"\| (Female|Male)", line)]
    assert len(rows) == 2 + 14
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert re.fullmatch(r"\d{1,3}\.\d%", cells[3]), row
        assert re.fullmatch(r"\d\.\d{3}( \(reference\))?", cells[4]), row
    assert "| Female | 962 | 210 | 21.8% | 0.617 | **yes** |" in md
    assert "| Male | 1,038 | 367 | 35.4% | 1.000 (reference) | no |" in md
    assert "| Female×Asian | 125 | 35 | 28.0% | 0.608 | **yes** |" in md
    assert (
        '<td>Female×Asian</td><td class="num">125</td><td class="num">35</td>'
        '<td class="num">28.0%</td><td class="num">0.608</td>'
    ) in html
    # one reading per table
    for reading in (
        "1 of 2 categories has an impact ratio below 0.80 (the EEOC four-fifths rule of thumb; "
        "LL144 sets no pass mark).",
        "3 of 7 categories have an impact ratio below 0.80",
        "10 of 14 categories have an impact ratio below 0.80",
    ):
        assert reading in md and reading in html


def test_stated_reference_is_the_main_reports(
    complete: tuple[Path, str, str], tmp_path: Path
) -> None:
    """FAIR001 of the default pack and the LL144 summary compare sex×race with the same
    category, so the Female×Asian ratio is the same number in both documents."""
    _, md, html = complete
    main_out = tmp_path / "main"
    config = _example(tmp_path, audit_date=AUDIT_DATE)
    assert main(["run", "--config", str(config), "--out", str(main_out), "--format", "json",
                 "--no-progress"]) in (0, 1)  # fmt: skip
    data = json.loads((main_out / "audit.json").read_text())
    fair001 = next(r for r in data["results"] if r["check"] == "FAIR001")
    inter = [r for r in fair001["tables"]["groups"] if r["feature"] == "sex×race_ethnicity"]
    reference = {r["reference_group"] for r in inter if r["reference_group"]}
    assert reference == {"Male×Asian"}
    female_asian = next(r for r in inter if r["group"] == "Female×Asian")
    assert f"{female_asian['impact_ratio']:.3f}" == "0.608"
    stated = (
        "Impact ratios are computed against Male×Asian (selection rate 46.0%, 126 applicants): "
        "the category with the highest selection rate among categories of at least 30 "
        "applicants, from unrounded rates. The 4 categories with fewer than 30 applicants "
        "(Female×American Indian or Alaska Native, Female×Native Hawaiian or Pacific Islander, "
        "Male×American Indian or Alaska Native, Male×Native Hawaiian or Pacific Islander) are "
        "listed with their selection rates and impact ratios but not used as the reference; "
        "Female×American Indian or Alaska Native (19 applicants, 47.4%) has a higher selection "
        "rate than the reference, hence an impact ratio above 1."
    )
    assert stated in md and stated in html
    assert "| Female×American Indian or Alaska Native | 19 | 9 | 47.4% | 1.029 | no |" in md
    assert (
        "Impact ratios are computed against Two or More Races (selection rate 38.4%, 73 applicants)"
    ) in md


# -- the 2% option and escaping -----------------------------------------------------------------


def test_categories_excluded_under_the_two_percent_option_are_disclosed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    why = "Fewer than 40 applicants, too few for an informative ratio"
    rc = _run(_example(tmp_path, audit_date=AUDIT_DATE), out, "--format", "json,ll144-md",
              "--set", "FAIR003.exclude_below_share=0.02",
              "--set", f"FAIR003.exclusion_justification={why}")  # fmt: skip
    assert rc == _gate(out)
    md = (out / "ll144-summary.md").read_text(encoding="utf-8")
    race = md[md.index("## Race/Ethnicity") : md.index("## Intersectional")]
    assert "| Native Hawaiian or Pacific Islander |" not in race  # not in the ratio table
    assert (
        "- Native Hawaiian or Pacific Islander: 33 applicants (1.7% of the data), selection "
        f"rate 15.2%. Justification: {why}"
    ) in race


def test_data_values_are_escaped_in_the_reference_statement(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _run(_example(tmp_path), out, "--format", "json") in (0, 1)
    payload = '<img src=x onerror="window.__pwned=1">|*x*'
    text = (out / "audit.json").read_text(encoding="utf-8")
    data = json.loads(text.replace("Male×Asian", json.dumps(payload)[1:-1]))
    html = render_ll144_html(data, draft=True)
    assert "<img" not in html and "&lt;img src=x" in html
    assert "Impact ratios are computed against &lt;img" in html
    md = render_ll144_md(data, draft=True)  # md_cell: markup characters escaped, < > as entities
    escaped = r'&lt;img src=x onerror="window.\_\_pwned=1"&gt;\|\*x\*'
    assert f"Impact ratios are computed against {escaped} (selection rate 46.0%" in md
    assert f"| {escaped} | 126 | 58 | 46.0% | 1.000 (reference) | no |" in md
