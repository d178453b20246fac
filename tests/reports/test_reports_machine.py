"""Markdown (PR comment), JUnit XML and SARIF 2.1.0, parsed and validated; one blocking count."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hiring_fixture import ROOT, hiring_report
from reports_fixture import (
    COLUMN_PAYLOAD,
    RAW_EMAIL,
    baseline_pair,
    canonical_report,
    families_in,
)

from auditor.cli import main
from auditor.findings import fingerprint
from auditor.render import render
from auditor.render._jinja import md_inline
from auditor.render.markdown import (
    MAX_CHARS,
    ci_artifacts_url,
    render_markdown,
    truncate_markdown,
)
from auditor.render.view import problems_of, table_columns, top_problems
from auditor.report import Report

SARIF_SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)

#: the canonical report's findings (ids are stable: sha256 of check, location, discriminator)
RACE = fingerprint("FAIR101", "feature:race", "parity")  # significant, high: blocks
SEX = fingerprint("FAIR101", "feature:sex", "parity")  # waived
FAIR102_SEX = fingerprint("FAIR102", "feature:sex", "parity")  # inconclusive, low
EMAIL = fingerprint("PII101", "column:email", "EMAIL_ADDRESS")  # high: blocks
USE_INTENDED = fingerprint("TRN301", "card:model_card.yaml:12", "use.intended")  # medium


def sarif_errors(doc: dict) -> list[str]:
    validator = jsonschema.Draft4Validator(SARIF_SCHEMA, format_checker=jsonschema.FormatChecker())
    return [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(doc)]


def test_finding_ids_are_stable() -> None:
    """Baselines and waivers of earlier runs match on these ids: they must not move."""
    assert (RACE, SEX, EMAIL) == ("5a1e142ff1081449", "3392271163dc9140", "4a3f4d7e2c7fd405")


# -- Markdown -------------------------------------------------------------------------------


def _cells(row: str) -> int:
    """The number of cells of a Markdown table row (escaped pipes are text)."""
    return row.replace("\\|", "").count("|") - 1


def _tables(md: str) -> list[list[str]]:
    """Every Markdown table: its consecutive ``|`` lines (header, delimiter, rows)."""
    out: list[list[str]] = []
    block: list[str] = []
    for line in [*md.splitlines(), ""]:
        if line.startswith("|"):
            block.append(line)
        elif block:
            out.append(block)
            block = []
    return out


def _numbered(md: str) -> list[str]:
    """The numbered list of the top of the comment (the most important problems)."""
    return [ln for ln in md.splitlines() if re.match(r"^\d+\. ", ln)]


_ITEM = re.compile(
    r"`(?P<check>[A-Z]+\d+)` (?P<subject>.*?)(?: \((?P<level>\w+)\))?(?P<new> \*\*new\*\*)?"
    r"(?:; same subject: (?P<also>.*))?$"
)


def _item(line: str) -> tuple[str, str]:
    """``(check, subject)`` of a numbered problem line."""
    m = _ITEM.search(line)
    assert m, line
    return m["check"], m["subject"]


def _section(md: str, title: str) -> str:
    """The body of the ``<details>`` section whose summary title starts with ``title``."""
    for block in md.split("<details><summary><b>")[1:]:
        if block.startswith(title):
            return block.split("</details>")[0]
    raise AssertionError(f"no section {title!r} in {families_in(md)}")


def _rows(section: str) -> list[str]:
    """The body rows of the (first) table of a section."""
    (table,) = _tables(section)[:1]
    return table[2:]


def test_markdown_verdict_first_then_blocking_problems_then_collapsed_sections() -> None:
    md = render(canonical_report(), "md")
    lines = md.splitlines()
    assert lines[0] == "<!-- auditor-report -->"  # marker for sticky PR comments
    assert lines[1] == "### ❌ Audit FAIL: 2 blocking problems"
    assert lines[2].startswith(
        "Gate: fail on high and above · 6 open findings (4 not blocking, 1 waived) · details: "
    )
    top = _numbered(md)
    assert [_item(ln) for ln in top] == [("FAIR101", "race"), ("PII101", "column email")]
    assert top[0].startswith("1. The Black group is selected at 62% of the White group's rate")
    assert md.index("**Blocking problems**:") < md.index(top[0]) < md.index("<details>")
    # every blocking problem is in the top list, so there is no "All 2 blocking problems" section
    assert families_in(md) == [
        "4 open, not blocking",
        "1 accepted under a waiver",
        "Scope",
        "Checks",
    ]
    assert md.count("<details>") == md.count("</details>") == 4
    # the inconclusive and the below-gate findings are visible, each with why it does not block
    open_rows = _rows(_section(md, "4 open, not blocking"))
    assert [r.rsplit("|", 2)[-2].strip() for r in open_rows] == [
        "medium is below the gate", "medium is below the gate", "medium is below the gate",
        "inconclusive"]  # fmt: skip
    assert "| `FAIR102` sex | inconclusive |" in open_rows[3]
    waived = _rows(_section(md, "1 accepted under a waiver"))
    assert len(waived) == 1
    assert "`FAIR101` sex" in waived[0]
    assert "Dana Ruiz (Head of Model Risk), until 2027-03-31" in waived[0]
    checks = _rows(_section(md, "Checks"))
    assert "| `FAIR103` intersectional-groups | skipped: needs at least two sensitive features (got 1) |" in checks  # fmt: skip
    assert "| `PII101` pii-in-columns | failed: 2 open |" in checks
    # no family sections and no measured tables: those are in audit.html
    assert "Fairness across groups" not in md
    assert "selection\\_rate" not in md and "impact\\_ratio" not in md
    assert RAW_EMAIL not in md
    assert max(_cells(t[0]) for t in _tables(md)) <= 6


def test_markdown_cells_are_escaped() -> None:
    data = canonical_report()
    data["results"][1]["findings"][0]["message"] = "a | b\nc <b>x</b>"  # FAIR101 race: top list
    trn = next(r for r in data["results"] if r["check"] == "TRN301")
    trn["findings"][0]["message"] = "d | e\n<i>y</i> [z](javascript:1)"  # a table cell
    md = render(data, "md")
    assert "1. a \\| b c &lt;b&gt;x&lt;/b&gt; `FAIR101` race" in md.splitlines()
    assert "| d \\| e &lt;i&gt;y&lt;/i&gt; \\[z\\](javascript:1) | `TRN301` model\\_card\\.yaml line 12 |" in md  # fmt: skip
    assert COLUMN_PAYLOAD not in md
    # every table row has as many cells as its header
    for table in _tables(md):
        assert len({_cells(r) for r in table}) == 1, table


def _huge_report() -> dict:
    """Far over the comment limit: 400 findings per check with 600-character headlines (800 of
    them blocking) and 3,000-row measured tables (which the comment never shows)."""
    data = canonical_report()
    rows = data["results"][1]["tables"]["groups"]
    big = [dict(rows[4], group=f"g{i}") for i in range(3000)]
    for r in data["results"]:
        r["tables"] = {**r["tables"], **{f"t{i}": big for i in range(3)}}
        proto = r["findings"][0] if r["findings"] else None
        if proto is not None:
            r["findings"] = [
                {**proto, "id": f"{r['check']}{i:05d}", "location": f"column:c{i}",
                 "message": f"finding {i}: " + "x" * 600, "waiver": None, "status": "failed"}
                for i in range(400)
            ]  # fmt: skip
    return Report.from_dict(data).to_dict()


def _left_out(md: str) -> list[str]:
    return [ln for ln in md.splitlines() if ln.startswith("… and ")]


def test_markdown_of_a_huge_report_is_laid_out_to_fit_and_says_what_it_left_out() -> None:
    data = _huge_report()
    assert len(data["gate"]["blocking"]) == 800  # FAIR101 and PII101: 400 high findings each
    md = render_markdown(data, artifacts_url="")
    assert len(md) <= MAX_CHARS
    assert "**Truncated**" not in md  # laid out again to fit, not cut off at the end
    lines = md.splitlines()
    assert lines[1] == "### ❌ Audit FAIL: 800 blocking problems"
    assert lines[2].startswith(
        "Gate: fail on high and above · 1600 open findings (800 not blocking)"
    )
    assert len(_numbered(md)) == 5
    assert "**Blocking problems** (the 5 most important; all 800 below):" in md
    assert families_in(md) == ["All 800 blocking problems", "800 open, not blocking", "Scope", "Checks"]  # fmt: skip
    assert md.count("<details>") == md.count("</details>") == 4
    # each cut section keeps its first rows and says how many it left out and where they are
    for title in ("All 800 blocking problems", "800 open, not blocking"):
        section = _section(md, title)
        assert len(_rows(section)) == 15
        assert _left_out(section) == [
            "… and 785 more in `audit.html` next to this file (in CI: the run's report artifact)."]  # fmt: skip
    # headlines are shortened in the top list and in the table cells, never the counts
    assert max(len(ln) for ln in _numbered(md)) < 340
    assert "| `FAIR101` impact-ratio | failed: 400 open |" in md
    assert "g2999" not in md  # measured tables stay in audit.html


def _many_blocking(n: int) -> dict:
    """The canonical report with ``n`` short high PII101 findings (all blocking) plus FAIR101's."""
    data = canonical_report()
    pii = next(r for r in data["results"] if r["check"] == "PII101")
    proto = pii["findings"][0]
    pii["findings"] = [
        {**proto, "id": fingerprint("PII101", f"column:c{i:03d}", "EMAIL_ADDRESS"),
         "location": f"column:c{i:03d}", "message": f"column 'c{i:03d}' holds e-mail addresses"}
        for i in range(n)
    ]  # fmt: skip
    return Report.from_dict(data).to_dict()


def test_markdown_keeps_every_row_while_the_whole_comment_fits() -> None:
    """No fixed row cap: 61 blocking problems are all listed when they fit, and a smaller limit
    lists fewer, saying how many it left out."""
    data = _many_blocking(60)
    md = render_markdown(data, artifacts_url="")
    assert len(md) <= MAX_CHARS
    rows = _rows(_section(md, "All 61 blocking problems"))
    assert len(rows) == 61
    assert {f"`PII101` column c{i:03d}" for i in range(60)} <= {r.split(" | ")[1] for r in rows}
    assert _left_out(md) == []
    assert render_markdown(data, limit=10**6, artifacts_url="") == md  # the first layout
    small = render_markdown(data, limit=5000, artifacts_url="")
    assert len(small) <= 5000
    assert len(_rows(_section(small, "All 61 blocking problems"))) == 15
    assert _left_out(small) == [
        "… and 46 more in `audit.html` next to this file (in CI: the run's report artifact)."]  # fmt: skip
    assert small.splitlines()[1] == "### ❌ Audit FAIL: 61 blocking problems"  # counts stay whole


def test_markdown_cut_points_to_the_ci_run_artifacts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/screener")
    monkeypatch.setenv("GITHUB_RUN_ID", "4242")
    url = "https://github.com/acme/screener/actions/runs/4242#artifacts"
    assert ci_artifacts_url() == url
    md = render(_huge_report(), "md")
    assert len(md) <= MAX_CHARS
    link = f"[`audit.html`]({url}) (the CI run's artifacts)"
    assert md.splitlines()[2].endswith(f"details: {link}")
    assert _left_out(md) == [f"… and 785 more in {link}."] * 2
    monkeypatch.setenv("GITHUB_RUN_ID", "42; rm -rf /")
    assert ci_artifacts_url() is None  # only a well-formed run URL is ever printed
    assert ci_artifacts_url({"GITHUB_SERVER_URL": "javascript:x", "GITHUB_REPOSITORY": "a/b",
                             "GITHUB_RUN_ID": "1"}) is None  # fmt: skip


def test_markdown_small_report_is_not_cut() -> None:
    md = render_markdown(canonical_report(), artifacts_url="")
    assert _left_out(md) == []
    assert "**Truncated**" not in md
    assert truncate_markdown("short") == "short"


def test_truncate_markdown_closes_open_sections_and_says_where_the_report_is() -> None:
    """The last resort, when even the shortest layout does not fit."""
    text = "### head\n<details><summary>x</summary>\n\n" + "a line of text\n" * 2000
    cut = truncate_markdown(text, limit=2000)
    assert len(cut) <= 2000
    assert cut.count("<details>") == cut.count("</details>") == 1
    assert cut.rstrip().endswith("(the CI run's report artifact).")
    assert "**Truncated** to fit a pull-request comment (2,000 characters)" in cut


def test_markdown_top_problems_are_the_blocking_ones_each_presented_once() -> None:
    """On the hiring run: FAIR002 and FAIR004 see the same gaps as FAIR001 (related findings);
    the top list names each problem once and lists the related ones under it."""
    data = hiring_report()
    top = top_problems(problems_of(data))
    assert [(f["check"], f["location"]) for f in top] == [
        ("FAIR001", "feature:race_ethnicity"), ("FAIR001", "feature:sex"),
        ("FAIR001", "feature:sex×race_ethnicity"), ("PII001", "column:email"),
        ("PII001", "column:full_name"),
    ]  # fmt: skip
    assert [(a["check"], a["subject"]) for a in top[1]["also"]] == [
        ("FAIR002", "sex"), ("FAIR004", "sex"), ("FAIR005", "sex"),
        ("TRN204", "model_card.yaml line 57"),
    ]  # fmt: skip
    md = render(data, "md")
    assert [_item(ln) for ln in _numbered(md)] == [
        ("FAIR001", "race\\_ethnicity"), ("FAIR001", "sex"), ("FAIR001", "sex × race\\_ethnicity"),
        ("PII001", "column email"), ("PII001", "column full\\_name"),
    ]  # fmt: skip
    # the comment says which other checks see the same subject, right on the line
    sex = _ITEM.search(_numbered(md)[1])
    assert sex is not None and sex["also"] == "`FAIR002`, `FAIR004`, `FAIR005`, `TRN204`"
    # the related findings are not hidden: each is one of the 22 rows of the full list
    rows = _rows(_section(md, "All 22 blocking problems"))
    assert len(rows) == 22
    assert [r.split(" | ")[1] for r in rows[:9]] == [
        f"`{c}` {s}" for c in ("FAIR001", "FAIR002", "FAIR004")
        for s in ("race\\_ethnicity", "sex", "sex × race\\_ethnicity")
    ]  # fmt: skip
    # with nothing blocking, the open findings are listed instead (and say so)
    passing = canonical_report()
    for r in passing["results"]:
        for f in r["findings"]:
            if f["severity"] == "high" and f["status"] == "failed":
                f["severity"] = "medium"
    passing = Report.from_dict(passing).to_dict()
    assert passing["gate"]["blocking"] == []
    md = render(passing, "md")
    assert md.splitlines()[1] == "### ✅ Audit PASS WITH ACCEPTED RISKS: nothing blocks"  # a waiver
    assert "**Open findings (none blocks)**:" in md
    items = [_item(ln) for ln in _numbered(md)]
    # the five most important open findings: by severity (the low FAIR102 one is left out)
    assert [check for check, _ in items] == ["FAIR101", "PII101", "PII101", "TRN301", "TRN301"]
    assert items[0] == ("FAIR101", "race")
    assert items[2] == ("PII101", "column email")


def test_markdown_tables_start_after_a_blank_line() -> None:
    """A GFM table directly after a list item or paragraph line is not a table."""
    md = render(baseline_pair()[1], "md")
    lines = md.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("|") and i + 1 < len(lines) and lines[i + 1].startswith("|---"):
            assert lines[i - 1] == "", f"table at line {i + 1} follows {lines[i - 1]!r}"


# -- one count everywhere, on the real hiring run ---------------------------------------------


def _counts(data: dict[str, Any]) -> dict[str, Any]:
    """The number of blocking problems as each document states it."""
    html = render(data, "html")
    md = render(data, "md")
    junit = ET.fromstring(render(data, "junit"))
    sarif = json.loads(render(data, "sarif"))["runs"][0]["results"]
    return {
        "gate": len(data["gate"]["blocking"]),
        "html": [
            int(n) for n in re.findall(r'<b class="count">(\d+) blocking problems?</b>', html)
        ],
        "md": md.splitlines()[1],
        "junit failures": int(junit.get("failures")),
        "junit <failure>": sum(1 for _ in junit.iter("failure")),
        "sarif error": sum(1 for r in sarif if r["level"] == "error"),
    }


def test_one_blocking_count_everywhere_on_the_hiring_run() -> None:
    data = hiring_report()
    assert _counts(data) == {
        "gate": 22, "html": [22], "md": "### ❌ Audit FAIL: 22 blocking problems",
        "junit failures": 22, "junit <failure>": 22, "sarif error": 22,
    }  # fmt: skip
    blocking = data["gate"]["blocking"]
    assert {b["reason"] for b in blocking} == {"failed"}
    assert Counter(b["check"] for b in blocking) == {
        "FAIR001": 3, "FAIR002": 3, "FAIR004": 3, "PII001": 4, "PII003": 1, "PII004": 1,
        "TRN101": 2, "TRN202": 2, "TRN203": 1, "TRN204": 1, "TRN206": 1,
    }  # fmt: skip
    ids = {b["finding"] for b in blocking}
    # the same problems, not only the same number: JUnit's failing cases and SARIF's errors
    # (a card finding is named by the document's role and its stable id, never its line)
    where = {
        f["id"]: (
            r["check"],
            f"{f['location'].split(':')[0]} {f['id']}"
            if f["location"].startswith(("card:", "datasheet:"))
            else f["location"],
        )
        for r in data["results"]
        for f in r["findings"]
    }
    junit = ET.fromstring(render(data, "junit"))
    failing = {c.get("name") for c in junit.iter("testcase") if c.find("failure") is not None}
    names = {r["check"]: r["name"] for r in data["results"]}
    assert failing == {f"{c} {names[c]} [{loc}]" for c, loc in (where[i] for i in ids)}
    sarif = json.loads(render(data, "sarif"))["runs"][0]["results"]
    errors = [r for r in sarif if r["level"] == "error"]
    assert {r["partialFingerprints"]["auditorFindingId/v1"] for r in errors} == ids
    assert all(r["properties"]["blocking"] for r in errors)
    # the 15 open findings that do not block are visible, none as a failure or an error
    open_ids = {f["id"] for r in data["results"] for f in r["findings"] if f["status"] == "failed"}
    assert len(open_ids - ids) == 15
    assert Counter(r["level"] for r in sarif if r.get("kind") == "fail") == {
        "error": 22, "warning": 10, "note": 5}  # fmt: skip


def test_one_blocking_count_with_waivers_errors_and_regressions() -> None:
    """Waived findings do not count, an errored check counts as a JUnit error and a regression as
    a failing case and an error result."""
    errored = canonical_report(errored=True)
    assert [b["reason"] for b in errored["gate"]["blocking"]] == ["failed", "failed", "errored"]
    assert _counts(errored) == {
        "gate": 3, "html": [3], "md": "### ⚠️ Audit ERROR: 3 blocking problems",
        "junit failures": 2, "junit <failure>": 2, "sarif error": 2,
    }  # fmt: skip
    junit = ET.fromstring(render(errored, "junit"))
    assert junit.get("errors") == "1"  # the crashed check: failures + errors = the gate
    _, new = baseline_pair()
    assert [b["reason"] for b in new["gate"]["blocking"]] == ["failed", "regression"]
    assert _counts(new) == {
        "gate": 2, "html": [2], "md": "### ❌ Audit FAIL: 2 blocking problems",
        "junit failures": 2, "junit <failure>": 2, "sarif error": 2,
    }  # fmt: skip


def test_hiring_markdown_fits_a_pr_comment_and_leads_with_the_verdict() -> None:
    data = hiring_report()
    md = render(data, "md")
    assert len(md) <= MAX_CHARS
    assert _left_out(md) == []  # whole: all 22 blocking and all 15 open problems are listed
    head = md.splitlines()[:10]
    assert head[1] == "### ❌ Audit FAIL: 22 blocking problems"
    assert head[2].startswith("Gate: fail on high and above · 37 open findings (15 not blocking)")
    first = problems_of(data)[0]
    assert (first["check"], first["location"]) == ("FAIR001", "feature:race_ethnicity")
    assert first["message"].startswith(
        "The Black or African American group is selected at 40% of the Two or More Races group's "
        "rate"
    )
    assert head[5] == (
        f"1. {md_inline(first['message'])} `FAIR001` race\\_ethnicity; same subject: `FAIR002`, "
        "`FAIR004`, `FAIR005`, `FAIR007`, `TRN201`"
    )
    assert "**Blocking problems** (the 5 most important; all 22 below):" in head
    # every table fits GitHub's comment width
    widths = Counter(_cells(t[0]) for t in _tables(md))
    assert max(widths) <= 6
    assert widths == {3: 2, 2: 2}  # all blocking, open not blocking; scope, checks
    assert families_in(md) == [
        "All 22 blocking problems", "15 open, not blocking", "Scope", "Checks"]  # fmt: skip
    assert len(_rows(_section(md, "All 22 blocking problems"))) == 22
    assert len(_rows(_section(md, "15 open, not blocking"))) == 15
    # the config's metadata (issue: context from the run) is in the scope section
    scope = _section(md, "Scope")
    assert "| Organisation using the system | Acme Corp (fictional employer of this example) |" in scope  # fmt: skip


@pytest.fixture(scope="module")
def hiring_new_gate(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The bundled hiring example (a copy) run as CI runs it on a pull request: against a baseline
    that did not have three of its findings, gated on new findings only (``--fail-on new``).
    The three: the PII004 re-identification risk and the TRN206 model-version mismatch (high:
    they block) and the FAIR005 calibration finding for sex (medium: it does not)."""
    tmp = tmp_path_factory.mktemp("hiring-new")
    example = tmp / "hiring"
    shutil.copytree(ROOT / "examples" / "hiring", example)
    config = str(example / "audit.yaml")
    base = tmp / "base"
    args = ["run", "--config", config, "--no-progress"]
    assert main([*args, "--format", "json", "--out", str(base)]) == 1
    old = json.loads((base / "audit.json").read_text(encoding="utf-8"))
    dropped = {("PII004", "dataset:zip_code+date_of_birth+age+sex"), ("FAIR005", "feature:sex")}
    for r in old["results"]:
        r["findings"] = [
            f for f in r["findings"]
            if (r["check"], f["location"]) not in dropped and r["check"] != "TRN206"
        ]  # fmt: skip
    (base / "audit.json").write_text(json.dumps(old), encoding="utf-8")
    out = tmp / "new"
    code = main([*args, "--out", str(out), "--baseline", str(base / "audit.json"), "--fail-on",
                 "new", "--format", "json,md,html,junit,sarif"])  # fmt: skip
    assert code == 1
    return {"out": out}


def test_new_gate_leads_with_the_new_blocking_problems(hiring_new_gate: dict[str, Path]) -> None:
    out = hiring_new_gate["out"]
    data = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    assert data["gate"]["mode"] == "new"
    assert data["baseline"]["counts"] == {
        "new": 3,
        "updated": 0,
        "unchanged": 34,
        "absent": 0,
        "not_evaluated": 0,
    }
    where = {f["id"]: (r["check"], f["location"]) for r in data["results"] for f in r["findings"]}
    assert [(b["reason"], where[b["finding"]]) for b in data["gate"]["blocking"]] == [
        ("new", ("PII004", "dataset:zip_code+date_of_birth+age+sex")),
        ("new", ("TRN206", next(loc for c, loc in where.values() if c == "TRN206"))),
    ]  # fmt: skip
    md = (out / "audit.md").read_text(encoding="utf-8")
    head = md.splitlines()[:10]
    assert head[1] == "### ❌ Audit FAIL: 2 blocking problems new since the baseline"
    assert head[2].startswith(
        "Gate: fail on high and above, findings new since the baseline only · 37 open findings "
        "(35 not blocking) · since the baseline: 3 new, 0 resolved"
    )
    assert "**New blocking problems**:" in head
    items = [ln for ln in head if re.match(r"^\d+\. ", ln)]
    assert [_item(ln) for ln in items] == [
        ("PII004", "zip\\_code+date\\_of\\_birth+age+sex"), ("TRN206", "model\\_card\\.yaml line 9")]  # fmt: skip
    assert all(_ITEM.search(ln)["new"] for ln in items)  # type: ignore[index]
    assert items[1].startswith("2. The model card describes model version 2.1.0")
    # the known FAIR001 gap (first under a severity gate) is listed as open, not as blocking
    assert not any("Women are selected at 62%" in ln for ln in head)
    assert "Women are selected at 62% of men's rate" in _section(md, "35 open, not blocking")
    assert len(md) <= MAX_CHARS
    # the same two problems in every document
    html = (out / "audit.html").read_text(encoding="utf-8")
    assert re.findall(r'<b class="count">(\d+) blocking problems?</b>', html) == ["2"]
    junit = ET.fromstring((out / "audit.junit.xml").read_text(encoding="utf-8"))
    assert junit.get("failures") == "2"
    cases = {c.get("name"): c for c in junit.iter("testcase")}
    sex = cases["FAIR001 selection-rate-parity [feature:sex]"]
    assert sex.find("failure") is None
    assert sex.find("system-out").text.startswith(
        "open, not blocking: the gate blocks only on findings new since the baseline: "
        "Women are selected at 62% of men's rate"
    )
    sarif = json.loads((out / "audit.sarif").read_text(encoding="utf-8"))["runs"][0]["results"]
    errors = [r for r in sarif if r["level"] == "error"]
    assert [(r["ruleId"], r["baselineState"]) for r in errors] == [("PII004", "new"), ("TRN206", "new")]  # fmt: skip


def test_new_gate_says_why_a_known_problem_does_not_block(hiring_new_gate: dict[str, Path]) -> None:
    md = (hiring_new_gate["out"] / "audit.md").read_text(encoding="utf-8")
    rows = _rows(_section(md, "35 open, not blocking"))
    known = [r for r in rows if "`FAIR001` sex |" in r]
    assert len(known) == 1
    assert "high is below the gate" not in known[0]


# -- JUnit ----------------------------------------------------------------------------------


def test_junit_suites_cases_and_outcomes() -> None:
    data = canonical_report(errored=True)
    root = ET.fromstring(render(data, "junit"))
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == [
        "auditor.run",
        "auditor.fairness",
        "auditor.pii",
        "auditor.transparency",
    ]
    fair = suites["auditor.fairness"]
    cases = {c.get("name"): c for c in fair.findall("testcase")}
    # one case per finding (one problem): the feature, not a group
    assert list(cases) == [
        "FAIR101 impact-ratio [feature:race]", "FAIR101 impact-ratio [feature:sex]",
        "FAIR102 error-rate-parity [feature:sex]", "FAIR103 intersectional-groups [all]",
    ]  # fmt: skip
    race = cases["FAIR101 impact-ratio [feature:race]"].find("failure")
    assert race.get("type") == "high"
    assert race.get("message").startswith(
        "[blocking] The Black group is selected at 62% of the White group's"
    )
    assert race.text.startswith("[high, blocking] The Black group is selected at 62%")
    assert f"finding {RACE} at feature:race" in race.text
    assert "\n  Impact ratios below 0.8 against White: Black (n=300)" in race.text  # the detail
    assert "\n  recommendation: For the Black group: review the features" in race.text
    sex = cases["FAIR101 impact-ratio [feature:sex]"]
    assert "Dana Ruiz" in sex.find("skipped").get("message")  # waived -> skipped
    # an inconclusive finding is reported, visibly, as a passing case that says why
    fair102 = cases["FAIR102 error-rate-parity [feature:sex]"]
    assert fair102.find("failure") is None and fair102.find("skipped") is None
    assert fair102.find("system-out").text.startswith(
        "open, not blocking: the evidence is inconclusive: Of the people with the favourable label"
    )
    assert cases["FAIR103 intersectional-groups [all]"].find("skipped") is not None
    trn = {c.get("name"): c for c in suites["auditor.transparency"].findall("testcase")}
    err = trn["TRN310 card-metric-consistency [all]"].find("error")
    assert err is not None
    assert "KeyError" in err.get("message")
    below = next(c for n, c in trn.items() if n.startswith("TRN301 documentation-fields [card "))
    assert below.find("failure") is None
    assert below.find("system-out").text.startswith(
        "open, not blocking: severity medium is below the gate (high): use.intended is missing"
    )
    for s in suites.values():  # the counters agree with the cases
        cs = s.findall("testcase")
        assert int(s.get("tests")) == len(cs)
        assert int(s.get("failures")) == sum(c.find("failure") is not None for c in cs)
        assert int(s.get("skipped")) == sum(c.find("skipped") is not None for c in cs)
        assert int(s.get("errors")) == sum(c.find("error") is not None for c in cs)
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == (
        "11",
        "2",
        "1",
        None,
    )  # fmt: skip (junit-10.xsd: no skipped on <testsuites>)
    failing = [c.get("name") for c in root.iter("testcase") if c.find("failure") is not None]
    assert failing == [
        "FAIR101 impact-ratio [feature:race]",
        "PII101 pii-in-columns [column:email]",
    ]
    pii = {c.get("name") for c in suites["auditor.pii"].findall("testcase")}
    assert f"PII101 pii-in-columns [column:{COLUMN_PAYLOAD}]" in pii  # parsed back as text


def test_junit_drops_xml_illegal_characters() -> None:
    data = canonical_report()
    data["results"][1]["findings"][0]["message"] = "bad \x00\x1b char"
    root = ET.fromstring(render(data, "junit"))
    assert root.find(".//failure").get("message") == "[blocking] bad  char"


# -- SARIF ----------------------------------------------------------------------------------


def test_sarif_validates_against_the_official_schema() -> None:
    for data in (canonical_report(), canonical_report(errored=True), baseline_pair()[1],
                 hiring_report()):  # fmt: skip
        doc = json.loads(render(data, "sarif"))
        assert sarif_errors(doc) == []


def test_sarif_validator_rejects_invalid_logs() -> None:
    doc = json.loads(render(canonical_report(), "sarif"))
    doc["runs"][0]["results"][0]["level"] = "fatal"
    doc["runs"][0]["results"][1]["suppressions"] = [{"kind": "maybe"}]
    assert len(sarif_errors(doc)) >= 2


def test_sarif_rules_results_locations_and_suppressions() -> None:
    run = json.loads(render(canonical_report(errored=True), "sarif"))["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert rules["FAIR101"]["helpUri"] == "https://fairlearn.org/main/user_guide/assessment/"
    assert "29 CFR 1607.4(D)" in rules["FAIR101"]["help"]["text"]
    by = {
        (r["ruleId"], r.get("partialFingerprints", {}).get("auditorFindingId/v1")): r
        for r in run["results"]
    }
    race = by[("FAIR101", RACE)]
    assert (race["level"], race["kind"]) == ("error", "fail")
    assert race["message"]["text"].startswith("The Black group is selected at 62%")
    assert race["properties"]["blocking"] is True
    assert race["properties"]["evidence_level"] == "significant"
    assert race["properties"]["detail"].startswith("Impact ratios below 0.8 against White")
    assert race["properties"]["evidence"]["groups"][0]["group"] == "Black"
    # a feature finding: the config file (no line recorded for the key: line 1), under %SRCROOT%
    assert race["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "audit.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 1}}  # fmt: skip
    assert race["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "feature:race"
    # the waived finding: suppressed, and not an error (it does not block the gate)
    sex = by[("FAIR101", SEX)]
    assert sex["suppressions"][0]["kind"] == "external"
    assert sex["suppressions"][0]["status"] == "accepted"
    assert "Dana Ruiz" in sex["suppressions"][0]["justification"]
    assert (sex["level"], sex["properties"]["blocking"]) == ("warning", False)
    # open, not blocking: an inconclusive low finding is a note, a medium one a warning
    fair102 = by[("FAIR102", FAIR102_SEX)]
    assert (fair102["level"], fair102["properties"]["blocking"]) == ("note", False)
    assert fair102["properties"]["evidence_level"] == "inconclusive"
    assert by[("TRN301", USE_INTENDED)]["level"] == "warning"
    assert [r["partialFingerprints"]["auditorFindingId/v1"] for r in run["results"]
            if r["level"] == "error"] == [RACE, EMAIL]  # fmt: skip
    card = next(r for r in run["results"] if r["ruleId"] == "TRN301")
    assert card["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "model_card.yaml"
    assert card["locations"][0]["physicalLocation"]["region"]["startLine"] == 12
    email = by[("PII101", EMAIL)]
    assert email["locations"][0]["logicalLocations"][0] == {
        "name": "email", "fullyQualifiedName": "column:email", "kind": "member"}  # fmt: skip
    assert email["properties"]["evidence_level"] is None  # an observed fact
    # passed and skipped checks are no results (code scanning would open alerts for them)
    assert {r["kind"] for r in run["results"]} == {"fail"}
    assert "RUN001" in run["properties"]["checks"]["passed"]
    assert "FAIR103" in [s["check"] for s in run["properties"]["checks"]["skipped"]]
    assert run["properties"]["checks"]["errored"] == ["TRN310"]
    inv = run["invocations"][0]
    assert inv["executionSuccessful"] is False
    assert inv["exitCode"] == 1
    assert inv["toolExecutionNotifications"][0]["descriptor"]["id"] == "TRN310"
    assert run["artifacts"][0]["hashes"]["sha-256"] == "ab" * 32


def test_sarif_baseline_states() -> None:
    run = json.loads(render(baseline_pair()[1], "sarif"))["runs"][0]
    states = {r.get("partialFingerprints", {}).get("auditorFindingId/v1"): r["baselineState"]
              for r in run["results"] if "partialFingerprints" in r}  # fmt: skip
    assert EMAIL not in states  # the resolved email finding: no result (it would be an alert)
    assert [f["id"] for f in run["properties"]["resolved"]] == [EMAIL]
    assert states[RACE] == "unchanged"
    assert states[USE_INTENDED] == "updated"
    assert all("baselineState" in r for r in run["results"])


@pytest.mark.parametrize(
    ("rows", "expected"), [([{"a": 1}, {"b": 2, "a": 3}], ["a", "b"]), ([], [])]
)
def test_table_columns_union_in_order(rows: list, expected: list) -> None:
    assert table_columns(rows) == expected


# -- metric regressions in the CI test tab and code scanning --------------------------------


def test_regressions_are_failing_junit_cases_and_sarif_errors() -> None:
    _, new = baseline_pair()
    failed = [r for r in new["baseline"]["regressions"] if r["failed"]]
    assert [(r["check"], r["subject"], r["metric"]) for r in failed] == [
        ("FAIR101", "feature=sex, group=F", "impact_ratio")]  # fmt: skip
    root = ET.fromstring(render(new, "junit"))
    fair = next(s for s in root.findall("testsuite") if s.get("name") == "auditor.fairness")
    case = next(
        c for c in fair.findall("testcase")
        if c.get("name") == "FAIR101 impact-ratio [regression: feature=sex, group=F: impact_ratio]"
    )  # fmt: skip
    failure = case.find("failure")
    assert failure.get("type") == "regression"
    assert failure.get("message") == (
        "impact_ratio for feature=sex, group=F fell 0.7391 -> 0.69 (-0.0491) since the baseline; "
        "allowed by the regression rule: drop ≤ 0.02"
    )
    assert int(fair.get("failures")) == sum(c.find("failure") is not None for c in fair)
    # the regression fails although the sex finding itself is waived (a waiver accepts a known
    # gap, not a worse one)
    sex = next(c for c in fair.findall("testcase") if c.get("name").endswith("[feature:sex]"))
    assert sex.find("skipped") is not None
    run = json.loads(render(new, "sarif"))["runs"][0]
    regs = [r for r in run["results"] if "auditorRegression/v1" in r.get("partialFingerprints", {})]
    assert len(regs) == 1
    reg = regs[0]
    assert (reg["ruleId"], reg["level"], reg["kind"], reg["baselineState"]) == (
        "FAIR101", "error", "fail", "updated")  # fmt: skip
    assert reg["properties"]["regression"] == {
        "table": "groups", "subject": "feature=sex, group=F", "metric": "impact_ratio",
        "old": 0.7391, "new": 0.69, "delta": -0.0491, "rule": "drop ≤ 0.02"}  # fmt: skip
    assert "0.7391 -> 0.69" in reg["message"]["text"]
    assert run["tool"]["driver"]["rules"][reg["ruleIndex"]]["id"] == "FAIR101"
    assert sarif_errors(json.loads(render(new, "sarif"))) == []
    md = render(new, "md")
    assert "- **blocking:** `FAIR101` regressed since the baseline: impact\\_ratio for feature=sex, group=F" in md  # fmt: skip
    assert "| `FAIR101` impact\\_ratio | feature=sex, group=F | 0.739 → 0.69 | drop ≤ 0.02 |" in md


def test_regression_only_failure_shows_in_junit_and_sarif() -> None:
    """No failing finding at all, only a regression: the gate fails and both formats say why."""
    from auditor.baseline import apply_baseline, parse_regressions

    old = canonical_report()
    for r in old["results"]:
        r["findings"] = []
        r["status"] = "passed" if r["status"] == "failed" else r["status"]
    old = Report.from_dict(old).to_dict()
    assert old["verdict"] == "pass"
    new = json.loads(json.dumps(old))
    for row in new["results"][1]["tables"]["groups"]:
        if row["group"] == "Asian":
            row["impact_ratio"] = 0.85  # was 0.951, still above 0.80
    rules = parse_regressions({"FAIR101.impact_ratio": {"max_drop": 0.05}}, "policy: regressions")
    report = apply_baseline(Report.from_dict(new), old, rules)
    data = report.to_dict()
    assert report.exit_code == 1
    assert [b["reason"] for b in data["gate"]["blocking"]] == ["regression"]
    root = ET.fromstring(render(data, "junit"))
    failures = [c for c in root.iter("testcase") if c.find("failure") is not None]
    assert [c.get("name") for c in failures] == [
        "FAIR101 impact-ratio [regression: feature=race, group=Asian: impact_ratio]"]  # fmt: skip
    assert root.get("failures") == "1"
    results = json.loads(render(data, "sarif"))["runs"][0]["results"]
    errors = [r for r in results if r["level"] == "error"]
    assert len(errors) == 1
    assert errors[0]["properties"]["regression"]["old"] == pytest.approx(0.9514, abs=1e-4)
    assert errors[0]["properties"]["regression"]["new"] == 0.85
    assert render(data, "md").splitlines()[1] == "### ❌ Audit FAIL: 1 blocking problem"
