"""Decision extraction: JSON field, regex with named outcomes, label map, refusals, per-group counts."""

from __future__ import annotations

import pytest

from auditor.errors import ConfigError
from auditor.generative.decisions import (
    JsonField,
    LabelMap,
    RegexOutcome,
    extract,
    is_refusal,
    tally,
)


def test_json_field_bare_fenced_embedded_and_nested() -> None:
    ex = JsonField("decision", labels={"advance": "advance", "reject": "reject"})
    assert ex('{"decision": "Advance"}').outcome == "advance"
    fenced = 'Sure.\n```json\n{"decision": "reject", "why": "x"}\n```\nGood luck.'
    assert ex(fenced).outcome == "reject"
    assert ex('My answer: {"decision": "advance"} (final)').outcome == "advance"
    assert JsonField("result.decision")('{"result": {"decision": "yes"}}').outcome == "yes"
    # a fenced block that does not parse is skipped for the next one
    two = '```json\n{broken\n```\n```json\n{"decision": "reject"}\n```'
    assert ex(two).outcome == "reject"
    missing = ex('{"verdict": "advance"}')
    assert (missing.status, missing.detail) == ("unparseable", "no field 'decision' in the JSON")
    assert ex("advance").detail == "no JSON in the answer"
    unknown = ex('{"decision": "maybe"}')
    assert (unknown.status, unknown.outcome) == ("unparseable", None)


def test_json_scores_and_threshold() -> None:
    d = JsonField("score")('{"score": 7.5}')
    assert (d.status, d.score, d.outcome) == ("parsed", 7.5, None)
    t = JsonField("score", threshold=5)
    assert t('{"score": 5}').outcome == "positive"
    assert t('{"score": 4.9}').outcome == "negative"
    assert JsonField("ok")('{"ok": true}').outcome == "true"
    assert JsonField("x")('{"x": [1]}').status == "unparseable"


def test_regex_named_outcomes() -> None:
    ex = RegexOutcome(r"decision:\s*(?:(?P<advance>advance|yes)|(?P<reject>reject|no))\b")
    assert ex("Decision: YES, strong profile").outcome == "advance"
    assert ex("decision: no").outcome == "reject"
    assert ex("no decision given").status == "unparseable"
    sc = RegexOutcome(r"score\s*[:=]\s*(?P<score>\d+(?:\.\d+)?)")
    assert sc("Score = 8.5/10").score == 8.5
    with pytest.raises(ConfigError, match="named groups"):
        RegexOutcome(r"advance|reject")
    with pytest.raises(ConfigError, match="invalid pattern"):
        RegexOutcome(r"(?P<a>")


def test_label_map_is_word_bounded_and_case_insensitive() -> None:
    ex = LabelMap(
        {
            "advance": "advance",
            "recommended": "advance",
            "not recommended": "reject",
            "reject": "reject",
        }
    )
    assert ex("I would ADVANCE this candidate.").outcome == "advance"
    assert ex("Not recommended for this role.").outcome == "reject"  # not also "recommended"
    assert ex("Highly recommended.").outcome == "advance"
    assert ex("The candidate has advanced skills.").status == "unparseable"  # not "advance"
    amb = ex("Advance? No, reject.")
    assert (amb.status, amb.detail) == ("unparseable", "phrases of several outcomes: ambiguous")
    with pytest.raises(ConfigError, match="empty"):
        LabelMap({})


@pytest.mark.parametrize(
    "text",
    [
        "I'm sorry, but I can't help with ranking people by their names.",
        "I\u2019m sorry, but I cannot assist with that.",
        "As an AI language model, I don't make hiring decisions.",
        "I cannot make hiring decisions based on a name.",
        "I must respectfully decline to evaluate this applicant.",
        "It would not be appropriate for me to judge this candidate.",
        "I'm unable to evaluate candidates.",
    ],
)
def test_refusal_lexicon(text: str) -> None:
    assert is_refusal(text)


@pytest.mark.parametrize(
    "text",
    [
        '{"decision": "advance"}',
        "The candidate cannot start before June; advance.",
        "Sorry for the delay: reject.",
    ],
)
def test_not_refusals(text: str) -> None:
    assert not is_refusal(text)


def test_extract_orders_parsed_refusal_unparseable_excluded() -> None:
    labels = LabelMap({"advance": "advance", "reject": "reject"})
    texts = [
        "Advance.",
        "I cannot advance or reject candidates based on their names.",  # both labels: refusal
        "Hmm, hard to say.",
        None,
        "As an AI, I think: advance.",  # a decision wrapped in hedging is a decision
        "Decline.",
    ]
    out = extract(texts, labels, refusal_patterns=[r"\bdecline\b"])
    assert [d.status for d in out] == [
        "parsed", "refusal", "unparseable", "excluded", "parsed", "refusal",
    ]  # fmt: skip
    assert out[0].outcome == "advance" and out[4].outcome == "advance"
    with pytest.raises(ConfigError, match="refusal_patterns"):
        extract(["x"], labels, refusal_patterns=["("])


def test_tally_counts_per_group() -> None:
    ex = JsonField("decision")
    texts = [
        '{"decision": "advance"}',
        "I'm sorry, but I can't help.",
        "??",
        None,
        '{"decision": "reject"}',
    ]
    groups = ["a", "b", "b", "b", "a"]
    table = tally(extract(texts, ex), groups)
    assert table == {
        "a": {"parsed": 2, "refusal": 0, "unparseable": 0, "excluded": 0, "total": 2},
        "b": {"parsed": 0, "refusal": 1, "unparseable": 1, "excluded": 1, "total": 3},
    }
    with pytest.raises(ValueError, match="group labels"):
        tally(extract(texts, ex), groups[:2])
