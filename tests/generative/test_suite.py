"""Counterfactual prompt suites from YAML templates: rendering, seeded order, cited cue lists, errors."""

from __future__ import annotations

import textwrap
from collections import Counter
from pathlib import Path

import pytest
import yaml

from auditor.errors import ConfigError
from auditor.generative.suite import build_suite, load_suite, shipped_cue_sets

# Bertrand & Mullainathan (2004), AER 94(4), Table 8: typed here from the paper, independently of
# the shipped data file
BM2004 = {
    "white_female": {"Allison", "Anne", "Carrie", "Emily", "Jill", "Laurie", "Kristen", "Meredith", "Sarah"},
    "black_female": {"Aisha", "Ebony", "Keisha", "Kenya", "Lakisha", "Latonya", "Latoya", "Tamika", "Tanisha"},
    "white_male": {"Brad", "Brendan", "Geoffrey", "Greg", "Brett", "Jay", "Matthew", "Neil", "Todd"},
    "black_male": {"Darnell", "Hakim", "Jamal", "Jermaine", "Kareem", "Leroy", "Rasheed", "Tremayne", "Tyrone"},
}  # fmt: skip

TEMPLATE = {
    "suite": "screen",
    "seed": 13,
    "system": "Answer in JSON.",
    "template": "case {n}: {name} applies as {role}. {Pronoun} has {years} years.",
    "cases": [{"id": f"c{i:02d}", "n": i, "role": "analyst", "years": i % 7} for i in range(18)],
    "groups": {
        "black_female": {
            "from": "bertrand_mullainathan_2004.black_female",
            "cues": {"pronoun": ["she"]},
        },
        "white_male": {
            "from": "bertrand_mullainathan_2004.white_male",
            "cues": {"pronoun": ["he"]},
        },
    },
}


def test_shipped_names_are_the_papers() -> None:
    sets = shipped_cue_sets()
    bm = sets["bertrand_mullainathan_2004"]
    assert {g.name: set(dict(g.slots)["name"]) for g in bm.groups} == BM2004
    assert "American Economic Review 94(4)" in bm.source and "Table 8" in bm.source
    attrs = {g.name: dict(g.attributes) for g in bm.groups}
    assert attrs["black_male"] == {"race_ethnicity": "Black", "sex": "Male"}
    # no number that the paper does not print: the file ships names only
    assert all(set(dict(g.slots)) == {"name"} for g in bm.groups)
    pronouns = {g.name: dict(g.slots) for g in sets["english_pronouns"].groups}
    assert pronouns["female"]["possessive"] == ("her",)


def test_every_case_once_per_group_differing_only_in_the_cue() -> None:
    suite = build_suite(TEMPLATE)
    assert len(suite) == 36
    assert Counter((v.case_id, v.group) for v in suite) == {
        (f"c{i:02d}", g): 1 for i in range(18) for g in ("black_female", "white_male")
    }
    by_case: dict[str, dict[str, str]] = {}
    for v in suite:
        by_case.setdefault(v.case_id, {})[v.group] = v.prompt
        cues = dict(v.cues)
        assert cues["name"] in BM2004[v.group]
        assert v.prompt.startswith(f"case {int(v.case_id[1:])}: {cues['name']} applies as analyst.")
        assert (" She has " if v.group == "black_female" else " He has ") in v.prompt
    pair = by_case["c03"]
    bf = dict(next(v.cues for v in suite if v.variant_id == "c03:black_female"))["name"]
    wm = dict(next(v.cues for v in suite if v.variant_id == "c03:white_male"))["name"]
    assert pair["black_female"].replace(bf, "X").replace("She", "P") == pair["white_male"].replace(
        wm, "X"
    ).replace("He", "P")
    # 18 cases, 9 names: each name is dealt exactly twice per group
    for group in ("black_female", "white_male"):
        used = Counter(dict(v.cues)["name"] for v in suite if v.group == group)
        assert set(used) == BM2004[group] and set(used.values()) == {2}


def test_order_is_seeded_and_recorded() -> None:
    a, b = build_suite(TEMPLATE), build_suite(TEMPLATE)
    assert [v.variant_id for v in a] == [v.variant_id for v in b]
    assert [v.prompt for v in a] == [v.prompt for v in b]
    assert [v.position for v in a] == list(range(36))
    assert a.manifest()["order"] == [v.variant_id for v in a]
    other = build_suite({**TEMPLATE, "seed": 14})
    assert [v.variant_id for v in other] != [v.variant_id for v in a]
    # shuffled: the two variants of a case are not always next to each other
    firsts = [v.variant_id for v in a][:4]
    assert len({f.split(":")[0] for f in firsts}) > 2 or firsts != sorted(firsts)
    m = a.manifest()
    assert (m["seed"], m["cases"], m["variants"], m["groups"]) == (
        13,
        18,
        36,
        ["black_female", "white_male"],
    )
    assert list(m["cue_sources"]) == ["bertrand_mullainathan_2004"]
    assert "Bertrand" in m["cue_sources"]["bertrand_mullainathan_2004"]
    reqs = a.requests()
    assert reqs[0].request_id == a.variants[0].variant_id
    assert reqs[0].messages == (("system", "Answer in JSON."), ("user", a.variants[0].prompt))


def test_records_carry_attribute_columns(tmp_path: Path) -> None:
    suite = build_suite(TEMPLATE)
    row = suite.records()[0]
    assert set(row) == {
        "variant_id", "case_id", "group", "position", "prompt", "cue_name", "cue_pronoun",
        "race_ethnicity", "sex",
    }  # fmt: skip
    suite.write_jsonl(tmp_path / "suite.jsonl")
    assert len((tmp_path / "suite.jsonl").read_text().splitlines()) == 36


def test_use_and_bundles() -> None:
    data = {
        "suite": "s",
        "template": "{name} said {possessive} piece.",
        "cases": [{"id": "a"}, {"id": "b"}],
        "groups": {
            "g1": {
                "cues": [{"name": "Ann", "possessive": "her"}, {"name": "Bo", "possessive": "his"}]
            },
            "g2": {"cues": {"name": ["Cy"], "possessive": ["their"]}},
        },
    }
    suite = build_suite(data)
    g1 = sorted(v.prompt for v in suite if v.group == "g1")
    assert g1 == ["Ann said her piece.", "Bo said his piece."]  # bundles stay together
    pron = build_suite(
        {"suite": "p", "template": "{Pronoun} asked; ask {object}.", "cases": [{"id": "x"}],
         "use": "english_pronouns"}
    )  # fmt: skip
    assert sorted(v.prompt for v in pron) == [
        "He asked; ask him.", "She asked; ask her.", "They asked; ask them.",
    ]  # fmt: skip


def test_users_own_cue_file(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        textwrap.dedent(
            """\
            cue_sets:
              my_names:
                source: Our 2025 perception survey, table 2
                groups:
                  a: {attributes: {origin: A}, cues: {name: [Ola, Ada]}}
                  b: {attributes: {origin: B}, cues: {name: [Kim]}}
            """
        )
    )
    (tmp_path / "suite.yaml").write_text(
        "suite: mine\ntemplate: 'Hi {name}'\ncases: [{id: one}]\nuse: [my_names]\n"
        "cue_files: [mine.yaml]\n"
    )
    suite = load_suite(tmp_path / "suite.yaml")
    assert sorted(v.group for v in suite) == ["a", "b"]
    assert suite.manifest()["cue_sources"] == {"my_names": "Our 2025 perception survey, table 2"}
    assert {r["origin"] for r in suite.records()} == {"A", "B"}


BASE = {"suite": "s", "template": "{name} as {role}", "cases": [{"id": "c1", "role": "x"}]}
TWO = {"g1": {"cues": {"name": ["A"]}}, "g2": {"cues": {"name": ["B"]}}}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"groups": {**TWO, "g2": {"cues": {"name": ["B"], "nmae": ["C"]}}}},
         "groups.g2.cues.nmae: unknown slot: no template has {nmae} (did you mean 'name'?)"),
        ({"template": "{name} as {role} in {city}", "groups": TWO},
         "template: slot {city} is filled neither by case 'c1' nor by group 'g1'"),
        ({"groups": {**TWO, "g3": {"attributes": {"x": "y"}}}}, "groups.g3: has no cues"),
        ({"groups": {**TWO, "g3": {"cues": {"name": []}}}}, "groups.g3.cues.name: empty cue list"),
        ({"groups": TWO, "cases": []}, "cases: the suite is empty: no base case"),
        ({}, "groups: the suite is empty: no group"),
        ({"groups": {"g1": TWO["g1"]}}, "groups: a correspondence test needs at least two groups"),
        ({"groups": TWO, "cases": [{"id": "c1", "role": "x"}, {"id": "c1", "role": "y"}]},
         "cases[1].id: duplicate case id 'c1'"),
        ({"groups": TWO, "cases": [{"id": "c1", "role": "x", "name": "Z"}]},
         "cases[0].name: is a cue slot of the groups"),
        ({"groups": TWO, "sede": 3}, "sede: unknown key (did you mean 'seed'"),
        ({"groups": {**TWO, "g3": {"from": "bertrand_mullainathan_2004.black_femal"}}},
         "groups.g3.from: cue set 'bertrand_mullainathan_2004' has no group 'black_femal' (did you mean 'black_female'"),
        ({"groups": TWO, "use": ["bertrand_2004"]}, "use[0]: unknown cue set 'bertrand_2004'"),
        ({"groups": TWO, "template": "{name!r} as {role}"}, "template: placeholder {name!r} must be a plain {slot_name}"),
        ({"groups": TWO, "seed": "x"}, "seed: must be an integer"),
    ],
)  # fmt: skip
def test_template_errors_name_the_key(change: dict, message: str) -> None:
    data = {**BASE, **change}
    with pytest.raises(ConfigError) as info:
        build_suite(data, where="suite.yaml")
    assert str(info.value).startswith("suite.yaml: ")
    assert message in str(info.value)


def test_error_from_a_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        "suite: s\ntemplate: '{name}'\ncases: [{id: a}]\ngroups: {g1: {}, g2: {cues: {name: [B]}}}\n"
    )
    with pytest.raises(ConfigError, match=r"t\.yaml: groups\.g1: has no cues"):
        load_suite(path)


def test_literal_braces_and_case_templates() -> None:
    data = {
        "suite": "b",
        "template": 'Rate {name}. Answer {{"decision": "advance"}} or {{"decision": "reject"}}.',
        "cases": [{"id": "x"}, {"id": "y", "template": "Other form for {name}: {{}}"}],
        "groups": TWO,
    }
    prompts = {v.variant_id: v.prompt for v in build_suite(data)}
    assert prompts["x:g1"] == 'Rate A. Answer {"decision": "advance"} or {"decision": "reject"}.'
    assert prompts["y:g2"] == "Other form for B: {}"


def test_the_documented_example_builds() -> None:
    import auditor.generative.suite as module

    doc = module.__doc__ or ""
    block = doc.split("mapping::\n\n", 1)[1].split("\n\n", 1)[0]
    suite = build_suite(yaml.safe_load(textwrap.dedent(block)))
    assert (len(suite), suite.groups) == (4, ("black_female", "white_male"))
    c01 = next(v for v in suite if v.variant_id == "c01:white_male")
    name = dict(c01.cues)["name"]
    assert c01.prompt == f"{name} applies for the analyst role. He has 5 years of experience.\n"
