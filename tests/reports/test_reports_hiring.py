"""The documents of the real bundled hiring example (a pinned run, see ``hiring_fixture``)."""

from __future__ import annotations

import logging
import re

import pytest
from hiring_fixture import hiring_report
from reports_fixture import families_in

from auditor.render import render
from auditor.render.html import render_html
from auditor.render.ll144 import ll144_view
from auditor.render.markdown import MAX_CHARS, render_markdown
from auditor.render.pdf import PDF_MAX_ROWS, pdf_available

FAMILIES = [
    "Fairness across groups", "PII exposure", "Run integrity", "Transparency and documentation",
]  # fmt: skip


@pytest.fixture(scope="module")
def html() -> str:
    return render(hiring_report(), "html")


def test_markdown_keeps_every_family_and_says_what_it_left_out() -> None:
    md = render_markdown(hiring_report(), artifacts_url="")
    assert len(md) <= MAX_CHARS
    assert families_in(md) == FAMILIES
    assert md.count("<details>") == md.count("</details>") == 4
    for summary in (
        "<b>Fairness across groups</b>: 1 passed, 6 failed, 1 skipped; 91 open, 0 waived",
        "<b>PII exposure</b>: 5 failed, 3 skipped; 17 open, 0 waived",
        "<b>Run integrity</b>: 2 passed; 0 open, 0 waived",
        "<b>Transparency and documentation</b>: 10 failed; 13 open, 0 waived",
    ):
        assert summary in md
    # every finding row fits; the measured tables share the rest of the budget
    assert "469 table rows and 0 finding rows are left out below" in md
    assert "407 of 454 table rows and 0 of 91 finding rows" in md
    assert "41 of 57 table rows and 0 of 17 finding rows" in md
    assert "21 of 40 table rows and 0 of 13 finding rows" in md
    assert "**reliability** (first 3 of 204 rows)" in md
    assert "… 96 more open findings, listed by check in the family sections below." in md
    for check in ("PII001", "PII004", "TRN206", "RUN001"):
        assert f"#### `{check}`" in md


def test_markdown_top_findings_span_fairness_pii_and_transparency() -> None:
    md = render_markdown(hiring_report(), artifacts_url="")
    top = md.split("**Most important findings**")[1].split("### Findings")[0]
    checks = re.findall(r"^\d\. \*\*high\*\* `(\w+)`", top, flags=re.M)
    assert checks == ["FAIR001", "FAIR002", "FAIR004", "PII001", "PII002", "PII003", "TRN101"]
    assert "`PII001` PII columns (email): column 'email' is a direct identifier" in top
    assert "Consequence: the documentation omits or misstates" in top


def test_html_is_self_contained_and_under_one_megabyte(html: str) -> None:
    assert len(html.encode("utf-8")) < 1_000_000
    assert "<script" not in html.lower()
    refs = re.findall(r'\s(?:src|href|xlink:href)="([^"]*)"', html)
    refs += re.findall(r"url\(([^)]*)\)", html)
    assert refs, "the charts reference their own clip paths and markers"
    assert [r for r in refs if not r.startswith("#")] == []
    assert not re.search(r"(src|href)=\"https?://|url\(\s*['\"]?https?://", html)
    assert "@import" not in html
    assert "<link" not in html


def test_html_charts_are_matplotlib_svg_with_unique_ids(html: str) -> None:
    svgs = re.findall(r"<svg class=\"chart\".*?</svg>", html, flags=re.S)
    assert len(svgs) == 16
    assert "<?xml" not in html and "<!DOCTYPE svg" not in html
    ids = re.findall(r'\sid="([^"]+)"', "".join(svgs))
    assert len(ids) == len(set(ids))  # several charts in one page never share an id
    for svg in svgs:
        own = set(re.findall(r'\sid="([^"]+)"', svg))
        used = set(re.findall(r'href="#([^"]+)"', svg)) | set(re.findall(r"url\(#([^)]+)\)", svg))
        assert used <= own
    assert html.count("EEOC four-fifths reference: 0.80 × reference rate = ") == 6
    # FAIR007's ratios divide base rates: labelled as such, never as selection-rate impact ratios
    fair007 = [s for s in svgs if "Base-rate ratio by group" in s]
    assert len(fair007) == 3
    for svg in fair007:
        assert "group base rate / reference group base rate" in svg
        assert "EEOC" not in svg and "selection rate" not in svg


def test_html_cover_identifies_the_system_from_the_card_and_config(html: str) -> None:
    cover = html.split('id="cover"')[1].split("</section>")[0]
    assert (
        "<tr><th>System audited</th><td>Acme CV Screener (version 2.3.0: audit config "
        "metadata.model_version; the model card states 2.1.0)</td></tr>"
    ) in cover
    assert "<th>Provider</th><td>Acme HR Analytics Ltd. " in cover
    assert "(model card provider.name)" in cover
    assert '<th>Data audited</th><td class="mono">examples/hiring/applicants.csv</td>' in cover
    assert "not stated" not in cover


def test_html_criteria_show_clause_labels_and_the_engine(html: str) -> None:
    scope = html.split('id="scope"')[1].split('id="method"')[0]
    for label in ("29 CFR 1607.4(D)", "GDPR Art. 9", "GDPR Art. 4", "EU AI Act Annex IV",
                  "45 CFR 164.514 (HIPAA de-identification)", "NIST AI RMF 1.0"):  # fmt: skip
        assert label in scope
    assert "https://" not in scope  # the URLs are listed as text in Appendix F only
    appendix = html.split('id="appendix"')[1]
    assert (
        '<td>29 CFR 1607.4(D)</td><td class="mono small">https://www.ecfr.gov/current/title-29/'
        "subtitle-B/chapter-XIV/part-1607/section-1607.4</td><td>FAIR001</td>"
    ) in appendix
    method = html.split('id="method"')[1].split('id="results"')[0]
    assert "<tr><th>Engine</th><td>pandas (in memory)</td></tr>" in method
    assert "none: every aggregate is exact" in method
    assert (
        "<tr><th>Engine</th><td>pandas (in memory); exact (no approximation)</td></tr>" in appendix
    )


def test_html_executive_summary_top_findings_in_plain_language(html: str) -> None:
    summary = html.split('id="summary"')[1].split('id="scope"')[0]
    top = summary.split("Most important findings")[1].split("</ol>")[0]
    items = re.findall(r"<li>(.*?)</li>", top)
    assert len(items) == 7
    assert [re.search(r"<code>(\w+)</code>\)", i)[1] for i in items] == [
        "FAIR001", "FAIR002", "FAIR004", "PII001", "PII002", "PII003", "TRN101"]  # fmt: skip
    assert all("<i>Consequence:</i>" in i for i in items)


def test_pdf_version_states_the_row_cap_next_to_each_cut_table() -> None:
    html = render_html(hiring_report(), max_rows=PDF_MAX_ROWS, medium="pdf")
    assert "(first 100 of 204 rows; the full table is in audit.json and audit.html)" in html
    assert "all rows in audit.json)" not in html
    assert "(first 100 of" not in render(hiring_report(), "html")  # 1,000 rows in the HTML


@pytest.mark.slow
@pytest.mark.skipif(
    not pdf_available(), reason="WeasyPrint is not installed (pip install 'auditor[pdf]')"
)
def test_pdf_lays_out_the_matplotlib_charts_and_the_cap_note(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """WeasyPrint on a slice of the real report (the whole one takes minutes on a small CI box):
    the charts of FAIR001 and PII001 and FAIR005's 204-row table."""
    import weasyprint

    from auditor.render.pdf import _fetcher

    data = hiring_report()
    data["results"] = [r for r in data["results"] if r["check"] in ("FAIR001", "FAIR005", "PII001")]
    html = render_html(data, max_rows=PDF_MAX_ROWS, medium="pdf")
    assert html.count('<svg class="chart"') == 7
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        doc = weasyprint.HTML(string=html, url_fetcher=_fetcher()).render()
    assert [r.getMessage() for r in caplog.records if "svg" in r.getMessage().lower()] == []
    text = " ".join(
        b.text
        for p in doc.pages
        for b in p._page_box.descendants()
        if isinstance(getattr(b, "text", None), str)
    )
    assert "(first 100 of 204 rows; the full table is in audit.json and audit.html)" in text
    assert doc.write_pdf().startswith(b"%PDF-")


def test_ll144_summary_of_the_example() -> None:
    data = hiring_report("hiring-ll144")
    view = ll144_view(data)
    assert view["meta"]["data_explanation"] == (
        "Historical data of the employer's own use of the tool, 2,000 applicants"
    )
    fair003 = next(r for r in data["results"] if r["check"] == "FAIR003")
    row = next(r for r in fair003["tables"]["ll144_summary"] if r["field"] == "data_explanation")
    assert row["source"] == "metadata.data_source_explanation"
    md = render(data, "ll144-md")
    assert (
        "| Source and explanation of the data | Synthetic applicant records generated by "
        "examples/hiring/generate.py (seed 7). Historical data of the employer's own use of the "
        "tool, 2,000 applicants. |"
    ) in md
    assert "69 applicants with an unknown race/ethnicity are counted" in md
    assert "69 applicants with an unknown sex or race/ethnicity are counted" in md
    assert "intersectional:" not in md.lower().replace("## intersectional:", "")
    assert "| Data processing engine | pandas (in memory); exact (no approximation) |" in md
    html = render(data, "ll144-html")
    assert (
        "<tr><th>Data processing engine</th><td>pandas (in memory); exact (no approximation)"
        in html
    )
