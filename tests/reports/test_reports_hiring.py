"""The documents of the real bundled hiring example (a pinned run, see ``hiring_fixture``):
one finding per problem, a gate that blocks on evidence, layered documents."""

from __future__ import annotations

import re

import pytest
from hiring_fixture import hiring_report

from auditor.render import render
from auditor.render.html import render_html
from auditor.render.ll144 import ll144_view, render_ll144_md
from auditor.render.pdf import pdf_available

#: every (check, subject) with a finding in the schema-1 report of the same example (121
#: findings): the location with its ``/group:`` part removed
SCHEMA1_PAIRS = [
    ("FAIR001", "feature:race_ethnicity"), ("FAIR001", "feature:sex"),
    ("FAIR001", "feature:sex×race_ethnicity"), ("FAIR002", "feature:race_ethnicity"),
    ("FAIR002", "feature:sex"), ("FAIR002", "feature:sex×race_ethnicity"),
    ("FAIR004", "feature:race_ethnicity"), ("FAIR004", "feature:sex"),
    ("FAIR004", "feature:sex×race_ethnicity"), ("FAIR005", "feature:race_ethnicity"),
    ("FAIR005", "feature:sex"), ("FAIR005", "feature:sex×race_ethnicity"),
    ("FAIR007", "feature:race_ethnicity"), ("FAIR007", "feature:sex×race_ethnicity"),
    ("FAIR008", "feature:sex×race_ethnicity"), ("PII001", "column:age"),
    ("PII001", "column:date_of_birth"), ("PII001", "column:email"), ("PII001", "column:full_name"),
    ("PII001", "column:phone"), ("PII001", "column:recruiter_notes"), ("PII001", "column:sex"),
    ("PII001", "column:zip_code"), ("PII002", "column:race_ethnicity"),
    ("PII003", "column:recruiter_notes"), ("PII004", "column:race_ethnicity"),
    ("PII004", "dataset:zip_code+date_of_birth+age+sex"), ("PII008", "dataset"),
    ("TRN100", "card:examples/hiring/model_card.yaml:68"),
    ("TRN101", "card:examples/hiring/model_card.yaml:24"),
    ("TRN101", "card:examples/hiring/model_card.yaml:59"),
    ("TRN102", "datasheet:examples/hiring/datasheet.md:24"),
    ("TRN201", "card:examples/hiring/model_card.yaml:47"),
    ("TRN201", "card:examples/hiring/model_card.yaml:53"),
    ("TRN202", "card:examples/hiring/model_card.yaml:38"),
    ("TRN202", "datasheet:examples/hiring/datasheet.md:14"),
    ("TRN203", "card:examples/hiring/model_card.yaml:39"),
    ("TRN204", "card:examples/hiring/model_card.yaml:57"),
    ("TRN205", "card:examples/hiring/model_card.yaml:34"),
    ("TRN206", "card:examples/hiring/model_card.yaml:9"),
    ("TRN207", "card:examples/hiring/model_card.yaml:19"),
]  # fmt: skip


def _findings(data: dict) -> list[dict]:
    return [{**f, "check": r["check"]} for r in data["results"] for f in r["findings"]]


@pytest.fixture(scope="module")
def data() -> dict:
    return hiring_report()


@pytest.fixture(scope="module")
def html(data: dict) -> str:
    return render(data, "html")


def test_one_finding_per_problem(data: dict) -> None:
    findings = _findings(data)
    assert len(findings) == 37  # 121 in schema 1
    pairs = [(f["check"], f["location"]) for f in findings]
    assert len(pairs) == len(set(pairs))  # at most one per (check, subject)
    by_check: dict[str, int] = {}
    for check, _ in pairs:
        by_check[check] = by_check.get(check, 0) + 1
    # FAIR002 emitted 27 (one per metric variant); now one per feature or intersection
    assert {c: by_check[c] for c in ("FAIR001", "FAIR002", "FAIR004", "FAIR005")} == {
        "FAIR001": 3, "FAIR002": 3, "FAIR004": 3, "FAIR005": 3,
    }  # fmt: skip
    assert len(data["gate"]["blocking"]) == 22  # 71 in schema 1


def test_every_problem_of_schema_1_still_has_its_finding(data: dict) -> None:
    """Every (check, subject) that failed before still has a finding, merged (the four
    quasi-identifier columns are one PII001 finding) or not applicable with the reason."""
    now = {(f["check"], f["location"]): f for f in _findings(data)}
    quasi = now[("PII001", "dataset:quasi-identifiers")]
    skipped = {r["check"]: r["detail"] for r in data["results"] if r["status"] == "skipped"}
    for check, subject in SCHEMA1_PAIRS:
        if (check, subject) in now:
            continue
        if check == "PII001":
            assert subject.removeprefix("column:") in quasi["evidence"]["quasi_identifiers"]
        else:
            assert (check, subject) == ("PII008", "dataset")
            assert skipped["PII008"].startswith("HIPAA Safe Harbor applies to health data")


def test_fairness_findings_state_their_evidence_and_block_only_on_it(data: dict) -> None:
    blocking = {b["finding"] for b in data["gate"]["blocking"]}
    fair = [f for f in _findings(data) if f["check"].startswith("FAIR")]
    for f in fair:
        if f["id"] in blocking:
            assert f["evidence_level"] == "significant", f["message"]
    levels = {(f["check"], f["location"]): f["evidence_level"] for f in fair}
    assert levels[("FAIR001", "feature:sex")] == "significant"
    assert levels[("FAIR007", "feature:race_ethnicity")] == "inconclusive"
    # Female×Two or More Races (33 people, ratio 0.79, interval 0.42-1.0) was "high, blocking":
    # it is listed in the intersection's finding as inconclusive, with what would settle it
    inter = next(
        f for f in fair if (f["check"], f["location"]) == ("FAIR001", "feature:sex×race_ethnicity")
    )
    row = next(g for g in inter["evidence"]["groups"] if g["group"] == "Female×Two or More Races")
    assert (row["n"], round(row["impact_ratio"], 3), row["evidence"]) == (33, 0.79, "inconclusive")
    assert row["counts_for_gate"] is False
    assert row["would_settle"] == (
        "no realistic amount of data: the ratio (0.79) is too close to the threshold (0.80) to "
        "tell apart"
    )


def test_the_zero_ratio_artefact_names_the_group_and_the_empty_cell(data: dict) -> None:
    """race_ethnicity's equalized_odds_ratio 0.000, interval [0, 0], came from a group of 33
    with no false positives: it is degenerate and the finding says which cell is empty."""
    fair002 = next(r for r in data["results"] if r["check"] == "FAIR002")
    row = next(
        d
        for d in fair002["tables"]["disparities"]
        if (d["feature"], d["metric"]) == ("race_ethnicity", "equalized_odds_ratio")
    )
    assert (row["value"], row["evidence"], row["status"]) == (0.0, "degenerate", "inconclusive")
    assert row["note"] == (
        "Native Hawaiian or Pacific Islander: no false positives (no one without the favourable "
        "label was selected) (0 of 21)"
    )
    finding = next(f for f in fair002["findings"] if f["location"] == "feature:race_ethnicity")
    metric = next(
        m for m in finding["evidence"]["metrics"] if m["metric"] == "equalized_odds_ratio"
    )
    assert metric["evidence"] == "degenerate"
    assert "Native Hawaiian or Pacific Islander: no false positives" in metric["reason"]


def test_headlines_are_sentences_with_n_and_interval(data: dict) -> None:
    by = {(f["check"], f["location"]): f for f in _findings(data)}
    assert by[("FAIR001", "feature:sex")]["message"] == (
        "Women are selected at 62% of men's rate (21.8% vs 35.4%; 95% CI 53–70%; 962 women, "
        "1,038 men); the four-fifths guideline is 80%."
    )
    assert by[("FAIR002", "feature:sex")]["message"].startswith(
        "Of the people with the favourable label (qualified = 1), 43.0% of women are selected "
        "against 62.3% of men (true positive rate; 477 and 547 people with the label)"
    )
    # metric names live in the details
    assert "demographic_parity_difference" not in by[("FAIR001", "feature:sex")]["message"]
    assert "demographic_parity_difference 0.135 > 0.1" in by[("FAIR001", "feature:sex")]["detail"]


def test_related_findings_link_the_checks_that_see_one_subject(data: dict) -> None:
    by = {(f["check"], f["location"]): f for f in _findings(data)}
    ids = {f["id"]: (f["check"], f["location"]) for f in _findings(data)}
    sex = by[("FAIR001", "feature:sex")]
    linked = {ids[i] for i in sex["related"]}
    assert ("FAIR004", "feature:sex") in linked
    assert ("TRN204", "card:examples/hiring/model_card.yaml:57") in linked  # the card's claim


def test_declared_sensitive_attribute_is_not_a_blocker_and_hipaa_does_not_apply(data: dict) -> None:
    by = {(f["check"], f["location"]): f for f in _findings(data)}
    pii002 = by[("PII002", "column:race_ethnicity")]
    assert pii002["severity"] == "low"
    assert pii002["evidence"]["declared_for_bias_testing"] is True
    assert "GDPR Art. 9(2)(g)" in pii002["message"]
    status = {r["check"]: r["status"] for r in data["results"]}
    assert status["PII008"] == "skipped"


def test_html_first_screen_verdict_gate_and_top_problems(html: str) -> None:
    summary = html.split('<section id="summary">')[1].split("</section>")[0]
    assert '<span class="verdict verdict-fail">FAIL</span>' in summary
    assert (
        '<b class="count">22 blocking problems</b> against the gate <b>fail on high and above</b>'
        in summary
    )
    top = re.findall(r'<li><a href="#f-([0-9a-f]{16})">(.*?)</a>', summary)
    assert len(top) == 5
    assert top[1][1].startswith("Women are selected at 62% of men&#39;s rate")
    # each problem is presented once: FAIR001's sex finding names the other checks on sex
    assert "same subject:" in summary
    for fid, _ in top:
        assert f'id="f-{fid}"' in html  # the link lands on the finding's detail
    # on screen there is no print cover before the summary
    assert html.index('class="cover print-only"') < html.index('<header class="masthead')
    assert "@media screen { .print-only { display: none !important; } }" in html


def test_html_sections_are_collapsible_with_counts(html: str) -> None:
    sections = re.findall(r'<details class="sec[^"]*" id="([a-z]+)"', html)
    assert sections == ["problems", "risks", "scope", "method", "results", "completeness",
                        "limitations", "signoff", "appendix"]  # fmt: skip
    assert (
        '<h2>1. Problems</h2><span class="count">37 open: 22 blocking, 15 not blocking</span>'
        in html
    )
    assert html.count('<details class="finding') == 37


def test_html_scope_shows_the_config_metadata(html: str) -> None:
    scope = html.split('id="scope"')[1].split('id="method"')[0]
    for label, value in (
        ("Organisation using the system", "Acme Corp (fictional employer of this example)"),
        ("Data source", "Synthetic applicant records generated by examples/hiring/generate.py (seed 7)"),
        ("Period the data covers", "2025-01-01 to 2025-12-31"),
        ("Auditor", "Example Independent Audits LLC (fictional)"),
        ("Distributed since", "2026-01-15"),
    ):  # fmt: skip
        assert f"<tr><th>{label}</th><td>{value}</td></tr>" in scope
    assert "the recruiters&#39; past screening decision" in scope


def test_limitations_are_generated_from_the_run(html: str) -> None:
    lim = html.split('id="limitations"')[1].split('id="signoff"')[0]
    assert "a group of only 73 people" in lim  # Two or More Races, FAIR001/FAIR007's reference
    assert "a group of only 45 people" in lim  # American Indian or Alaska Native, FAIR004's
    assert (
        "Shifting reference group: the reference for race_ethnicity differs between checks" in lim
    )
    assert "Holm&#39;s step-down method" in lim and "FAIR001 19, FAIR002 31" in lim
    assert "could not be settled" in lim and "inconclusive" in lim
    assert (
        "the target &#39;qualified&#39; records the recruiters&#39; past screening decision" in lim
    )
    assert "FAIR006 multiclass-parity did not run" in lim


def test_glossary_explains_every_metric_used(html: str) -> None:
    glossary = html.split("Glossary</h3>")[1].split("</table>")[0]
    for term in ("Significant", "Inconclusive", "Degenerate", "Impact ratio", "Selection rate",
                 "True positive rate (recall, equal opportunity)", "Equalized odds ratio",
                 "Expected calibration error (ECE)", "Adjusted p", "k-anonymity"):  # fmt: skip
        assert f"<th>{term}</th>" in glossary, term


def test_group_tables_show_their_metric_family_only(html: str) -> None:
    results = html.split('id="results"')[1].split('id="completeness"')[0]
    fair001 = results.split("<code>FAIR001</code> groups: sex ")[1].split("</table>")[0]
    headers = re.findall(r"<th>(.*?)</th>", fair001)
    assert headers == ["group", "n", "selected", "selection rate", "impact ratio",
                       "ratio 95% CI", "adj. p", "evidence", "status"]  # fmt: skip
    fair002 = results.split("<code>FAIR002</code> groups: sex ")[1].split("</table>")[0]
    assert re.findall(r"<th>(.*?)</th>", fair002) == [
        "group", "n", "base rate", "TPR", "FPR", "precision", "accuracy", "status",
    ]  # fmt: skip
    # p-values below 0.001 print as "< 0.001", never as 0
    inter = "<code>FAIR001</code> groups: sex × race_ethnicity "
    race = results.split(inter)[1].split("</table>")[0]
    p_cells = [
        re.findall(r"<td[^>]*>(.*?)</td>", tr)[6]
        for tr in re.findall(r"<tr>(.*?)</tr>", race)
        if "<td" in tr
    ]
    assert "&lt; 0.001" in p_cells
    assert not {"0", "0.000", "0.0"} & set(p_cells)


def test_html_charts_show_n_intervals_and_inconclusive_groups(html: str) -> None:
    svgs = re.findall(r"<svg class=\"chart\".*?</svg>", html, flags=re.S)
    ratio_charts = [s for s in svgs if "Impact ratio by group" in s]
    assert len(ratio_charts) == 6  # FAIR001 and FAIR004: sex, race_ethnicity, intersection
    inter = next(
        s for s in ratio_charts if "Impact ratio by group: sex×race_ethnicity" in s and "n=33" in s
    )
    assert "below the threshold, inconclusive" in inter  # hatched amber, not red
    assert "too few people to assess" in inter  # the groups under 30
    assert "whiskers: 95% interval" in inter
    ids = re.findall(r'\sid="([^"]+)"', "".join(svgs))
    assert len(ids) == len(set(ids))  # several charts in one page never share an id


def test_html_is_self_contained_and_under_one_megabyte(html: str) -> None:
    assert len(html.encode("utf-8")) < 1_000_000
    assert "<script" not in html.lower()
    refs = re.findall(r'\s(?:src|href|xlink:href)="([^"]*)"', html)
    assert [r for r in refs if not r.startswith("#")] == []


def test_pdf_html_is_compact_and_every_section_open(data: dict) -> None:
    html = render_html(data, medium="pdf")
    assert html.count('<details class="sec') == html.count('<details class="sec') and all(
        " open" in tag for tag in re.findall(r'<details class="sec[^>]*>', html)
    )
    assert html.count('<div class="pfinding"') == 22  # the blocking problems in full
    assert "Open, not blocking" in html  # the other 15 in one table
    assert "D. Measured tables" not in html  # the full tables stay in audit.html / audit.json


@pytest.mark.slow
@pytest.mark.skipif(
    not pdf_available(), reason="WeasyPrint is not installed (pip install 'auditor[pdf]')"
)
def test_pdf_for_legal_readers_fits_30_pages_without_letter_per_line_tables(data: dict) -> None:
    import weasyprint

    from auditor.render.pdf import _fetcher

    doc = weasyprint.HTML(string=render_html(data, medium="pdf"), url_fetcher=_fetcher()).render()
    assert len(doc.pages) <= 30
    narrow = []
    for page in doc.pages:
        for box in page._page_box.descendants():
            if type(box).__name__ == "TableCellBox" and box.width < 14:
                narrow.append(box.width)
    assert narrow == []  # no column squeezed to a letter per line
    text = " ".join(
        b.text for p in doc.pages for b in p._page_box.descendants()
        if isinstance(getattr(b, "text", None), str)
    )  # fmt: skip
    assert "< 0.001" in text
    assert "DRAFT" not in text


def test_ll144_summary_of_the_example_states_the_main_reports_reference() -> None:
    data = hiring_report("hiring-ll144")
    view = ll144_view(data)  # the pinned run gives an audit date: publishable, no draft
    assert view["missing"] == []
    md = render_ll144_md(data)
    assert "DRAFT" not in md
    assert "| Date of the bias audit | 2026-11-20 |" in md
    assert "| Female×Asian | 125 | 35 | 28.0% | 0.608 |" in md
    main = next(
        g
        for r in hiring_report()["results"]
        if r["check"] == "FAIR001"
        for g in r["tables"]["groups"]
        if g["group"] == "Female×Asian"
    )
    assert round(main["impact_ratio"], 3) == 0.608  # the same reference rule as the main report
    assert main["reference_group"] == "Male×Asian"
    assert "Impact ratios are computed against Male×Asian" in md
