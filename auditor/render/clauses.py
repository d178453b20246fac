"""Human labels for the references of checks (``29 CFR 1607.4(D)``, ``GDPR Art. 9``).

Checks cite their sources as URLs (``check.references``); legal readers want the clause. Known
sources get their clause label; any other URL is shown as its host and last path segment, and a
reference that is not a URL (already a label) is kept as written. The reports never link out (no
external URL of any kind): the URL itself is listed as text in the HTML appendix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlparse

__all__ = ["clause_label", "clause_labels"]

#: exact URL (without a trailing slash) -> label
KNOWN = {
    "https://codelibrary.amlegal.com/codes/newyorkcity/latest/NYCrules/0-0-0-138530": (
        "6 RCNY § 5-300 et seq. (NYC LL144 rules, NYC Admin. Code § 20-870)"
    ),
    "https://rules.cityofnewyork.us/wp-content/uploads/2023/04/DCWP-NOA-for-Use-of-Automated-"
    "Employment-Decisionmaking-Tools-2.pdf": "DCWP notice of adoption, 6 RCNY §§ 5-300 to 5-304",
    "https://www.ecfr.gov/current/title-45/part-164/section-164.514": (
        "45 CFR 164.514 (HIPAA de-identification)"
    ),
    "https://www.hhs.gov/hipaa/for-professionals/special-topics/de-identification/index.html": (
        "HHS guidance on HIPAA de-identification"
    ),
    "https://www.nist.gov/itl/ai-risk-management-framework": "NIST AI RMF 1.0",
    "https://cppa.ca.gov/regulations": "CCPA regulations (California Privacy Protection Agency)",
    "https://dataprivacylab.org/dataprivacy/projects/kanonymity/kanonymity.pdf": (
        "Sweeney 2002, k-anonymity"
    ),
    "https://ec.europa.eu/justice/article-29/documentation/opinion-recommendation/files/2014/"
    "wp216_en.pdf": "Article 29 Working Party Opinion 05/2014 on anonymisation (WP216)",
    "https://doi.org/10.1007/s10115-011-0463-8": "Kamiran & Calders 2012, reweighing",
    "https://spdx.org/licenses": "SPDX License List",
    "https://github.com/huggingface/hub-docs/blob/main/modelcard.md": (
        "Hugging Face model card specification"
    ),
    "https://github.com/tensorflow/model-card-toolkit": "Google Model Card Toolkit",
    "https://microsoft.github.io/presidio/analyzer": "Microsoft Presidio analyzer",
    "https://scikit-learn.org/stable/model_persistence.html": "scikit-learn model persistence",
    "https://genai.owasp.org/llmrisk/llm022025-sensitive-information-disclosure": (
        "OWASP Top 10 for LLM 2025, LLM02 Sensitive Information Disclosure"
    ),
}
ARXIV = {
    "1609.05807": "Kleinberg et al. 2016, trade-offs in risk scores",
    "1610.02413": "Hardt et al. 2016, equality of opportunity",
    "1706.04599": "Guo et al. 2017, calibration",
    "1803.09010": "Gebru et al., Datasheets for Datasets",
    "1810.03993": "Mitchell et al. 2019, Model Cards",
    "1901.10002": "Suresh & Guttag, sources of harm in ML",
    "2012.07805": "Carlini et al. 2021, training data extraction",
}
#: the four-fifths rule is paragraph (D) of 29 CFR 1607.4
CFR_PARAGRAPH = {"1607.4": "1607.4(D)"}
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI", 7: "VII", 8: "VIII", 9: "IX",
          10: "X", 11: "XI", 12: "XII", 13: "XIII"}  # fmt: skip
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^https?://gdpr-info\.eu/art-(\d+)-gdpr$"), "GDPR Art. {0}"),
    (re.compile(r"^https?://artificialintelligenceact\.eu/article/(\d+)$"), "EU AI Act Art. {0}"),
    (re.compile(r"^https?://arxiv\.org/abs/([\d.]+)$"), "arxiv"),
    (re.compile(r"^https?://www\.ecfr\.gov/current/title-(\d+)/(?:.*/)?section-([\d.]+)$"), "cfr"),
    (re.compile(r"^https?://artificialintelligenceact\.eu/annex/(\d+)$"), "annex"),
    (re.compile(r"^https?://fairlearn\.org/.*/fairlearn\.metrics\.(\w+)\.html$"), "fairlearn: {0}"),
    (re.compile(r"^https?://github\.com/([\w.-]+/[\w.-]+)/issues/(\d+)$"), "{0} issue #{1}"),
)


def clause_label(ref: str) -> str:
    """``"https://gdpr-info.eu/art-9-gdpr/"`` -> ``"GDPR Art. 9"``; a non-URL reference as is."""
    text = str(ref).strip()
    if not re.match(r"^https?://", text):
        return text
    url = text.split("#", 1)[0].rstrip("/")
    if url in KNOWN:
        return KNOWN[url]
    for pattern, template in _PATTERNS:
        m = pattern.match(url)
        if not m:
            continue
        if template == "arxiv":
            return f"{ARXIV[m[1]]} (arXiv:{m[1]})" if m[1] in ARXIV else f"arXiv:{m[1]}"
        if template == "cfr":
            return f"{m[1]} CFR {CFR_PARAGRAPH.get(m[2], m[2])}"
        if template == "annex":
            return f"EU AI Act Annex {_ROMAN.get(int(m[1]), m[1])}"
        return template.format(*m.groups())
    parsed = urlparse(url)
    tail = parsed.path.rstrip("/").rsplit("/", 1)[-1]
    host = parsed.netloc.removeprefix("www.")
    return f"{host}: {tail}" if tail else host


def clause_labels(refs: Iterable[str]) -> list[dict[str, str]]:
    """``[{label, source}]`` for a check's references, labels de-duplicated in order."""
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for ref in refs:
        label = clause_label(ref)
        if label not in seen:
            seen.add(label)
            out.append({"label": label, "source": str(ref)})
    return out
