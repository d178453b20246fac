"""The shipped age and disability cue sets: cited designs, coherent values, usable in suites."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from auditor.errors import ConfigError
from auditor.generative.suite import build_suite, load_suite, shipped_cue_sets

NBB = "neumark_burn_button_2019"
AMERI = "ameri_et_al_2018"
# the citations, typed here from the articles' title pages, independently of the data file
NBB_CITATION = (
    'David Neumark, Ian Burn and Patrick Button (2019), "Is It Harder for Older Workers to Find '
    'Jobs? New and Improved Evidence from a Field Experiment", Journal of Political Economy '
    "127(2): 922-970."
)
AMERI_CITATION = (
    "Mason Ameri, Lisa Schur, Meera Adya, F. Scott Bentley, Patrick McKay and Douglas Kruse "
    '(2018), "The Disability Employment Puzzle: A Field Experiment on Employer Hiring Behavior", '
    "ILR Review 71(2): 329-364."
)


def test_age_set_loads_cites_the_design_and_its_years_agree() -> None:
    age = shipped_cue_sets()[NBB]
    assert age.source.startswith(NBB_CITATION)
    assert "auditor's own, not the study's" in age.source
    assert [g.name for g in age.groups] == ["young", "middle_aged", "older"]
    bands = {g.name: dict(g.attributes) for g in age.groups}
    assert bands == {
        "young": {"age_band": "29-31"},
        "middle_aged": {"age_band": "49-51"},
        "older": {"age_band": "64-66"},
    }
    for g in age.groups:
        slots = {k: v for k, (v,) in dict(g.slots).items()}  # one coherent value per slot
        assert set(slots) == {"age", "birth_year", "graduation_year", "college_graduation_year"}
        age_now, born = int(slots["age"]), int(slots["birth_year"])
        assert born + age_now == 2026
        assert int(slots["graduation_year"]) - born == 18
        assert int(slots["college_graduation_year"]) - born == 22
        low, high = map(int, bands[g.name]["age_band"].split("-"))
        assert low <= age_now <= high


def test_disability_set_loads_cites_the_design_and_only_disclosures_name_a_disability() -> None:
    dis = shipped_cue_sets()[AMERI]
    assert dis.source.startswith(AMERI_CITATION)
    assert "the wording is auditor's own, not the study's" in dis.source
    attrs = {g.name: dict(g.attributes) for g in dis.groups}
    assert attrs == {
        "no_disclosure": {"disability": "None disclosed", "disability_disclosed": "No"},
        "spinal_cord_injury": {"disability": "Spinal cord injury", "disability_disclosed": "Yes"},
        "aspergers": {"disability": "Asperger's syndrome", "disability_disclosed": "Yes"},
    }
    statements = {g.name: dict(g.slots)["disability_statement"] for g in dis.groups}
    assert all(len(v) == 2 for v in statements.values())
    cue_words = re.compile(r"wheelchair|spinal|asperger|disab|autis|diagnos", re.IGNORECASE)
    assert not any(cue_words.search(s) for s in statements["no_disclosure"])
    assert all("spinal cord injury" in s for s in statements["spinal_cord_injury"])
    assert all("Asperger's syndrome" in s for s in statements["aspergers"])


def test_use_age_set_renders_each_case_once_per_age_group() -> None:
    suite = build_suite(
        {
            "suite": "age",
            "seed": 7,
            "template": "Resume {n}. High school diploma, {graduation_year}. {years} years as a {role}.",
            "cases": [{"id": f"c{i}", "n": i, "years": 4, "role": "cashier"} for i in range(10)],
            "use": [NBB],
        }
    )
    assert len(suite) == 30 and suite.groups == ("young", "middle_aged", "older")
    assert Counter((v.case_id, v.group) for v in suite) == {
        (f"c{i}", g): 1 for i in range(10) for g in ("young", "middle_aged", "older")
    }
    year = {"young": "2014", "middle_aged": "1994", "older": "1979"}
    for v in suite:
        assert dict(v.cues) == {"graduation_year": year[v.group]}  # unused slots are not recorded
        assert v.prompt == (
            f"Resume {v.case_id[1:]}. High school diploma, {year[v.group]}. 4 years as a cashier."
        )
    rows = suite.records()
    assert {(r["group"], r["age_band"], r["cue_graduation_year"]) for r in rows} == {
        ("young", "29-31", "2014"),
        ("middle_aged", "49-51", "1994"),
        ("older", "64-66", "1979"),
    }
    manifest = suite.manifest()
    assert list(manifest["cue_sources"]) == [NBB]
    assert manifest["cue_sources"][NBB].startswith(NBB_CITATION)
    # a case may not fill a slot of the age set, even one its template leaves unused
    with pytest.raises(ConfigError, match=r"cases\[0\]\.age: is a cue slot"):
        build_suite(
            {
                "suite": "age",
                "template": "{graduation_year}",
                "cases": [{"id": "c0", "age": 40}],
                "use": [NBB],
            }
        )


def test_disability_groups_from_a_yaml_template_with_a_name_added(tmp_path: Path) -> None:
    template = tmp_path / "letters.yaml"
    cases = "".join(f"  - {{id: l{i:02d}, role: accountant}}\n" for i in range(12))
    groups = "".join(
        f"  {group}:\n    from: {AMERI}.{shipped}\n    cues: {{name: [Jordan Lee]}}\n"
        for group, shipped in (
            ("none", "no_disclosure"),
            ("wheelchair", "spinal_cord_injury"),
            ("asperger", "aspergers"),
        )
    )
    template.write_text(
        "suite: cover-letters\nseed: 3\n"
        'template: "Dear hiring manager, I apply for the {role} post. {disability_statement}'
        ' Regards, {name}"\n'
        f"cases:\n{cases}groups:\n{groups}",
        encoding="utf-8",
    )
    suite = load_suite(template)
    assert len(suite) == 36
    assert Counter((v.case_id, v.group) for v in suite) == {
        (f"l{i:02d}", g): 1 for i in range(12) for g in ("none", "wheelchair", "asperger")
    }
    sets = shipped_cue_sets()[AMERI]
    statements = {
        "none": dict(sets.group("no_disclosure").slots)["disability_statement"],  # type: ignore[union-attr]
        "wheelchair": dict(sets.group("spinal_cord_injury").slots)["disability_statement"],  # type: ignore[union-attr]
        "asperger": dict(sets.group("aspergers").slots)["disability_statement"],  # type: ignore[union-attr]
    }
    used: Counter[tuple[str, str]] = Counter()
    for v in suite:
        cues = dict(v.cues)
        assert cues["name"] == "Jordan Lee"
        assert cues["disability_statement"] in statements[v.group]
        used[(v.group, cues["disability_statement"])] += 1
        # the variants of a case differ only in the statement
        assert v.prompt.replace(cues["disability_statement"], "<S>") == (
            "Dear hiring manager, I apply for the accountant post. <S> Regards, Jordan Lee"
        )
        assert dict(v.attributes)["disability_disclosed"] == ("No" if v.group == "none" else "Yes")
    # two wordings per group, dealt in turn over 12 cases: each used 6 times
    assert set(used.values()) == {6} and len(used) == 6
    manifest = suite.manifest()
    assert manifest["cue_sources"] == {AMERI: sets.source}
    assert manifest["cue_sources"][AMERI].startswith(AMERI_CITATION)
    assert load_suite(template).manifest()["order"] == manifest["order"]  # seeded, recorded


def test_age_and_disability_sets_combine_in_one_suite() -> None:
    suite = build_suite(
        {
            "suite": "both",
            "template": "Born {birth_year}. {disability_statement}",
            "cases": [{"id": "a"}, {"id": "b"}],
            "groups": {
                "older_asperger": {
                    "from": f"{NBB}.older",
                    "cues": {"disability_statement": ["I have Asperger's syndrome."]},
                },
                "young_none": {
                    "from": f"{NBB}.young",
                    "cues": {"disability_statement": ["Thank you for considering my application."]},
                },
            },
        }
    )
    prompts = {v.variant_id: v.prompt for v in suite}
    assert prompts["a:older_asperger"] == "Born 1961. I have Asperger's syndrome."
    assert prompts["b:young_none"] == "Born 1996. Thank you for considering my application."
    assert list(suite.manifest()["cue_sources"]) == [NBB]
