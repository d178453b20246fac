"""What counts as filled in: placeholders are missing, a reasoned not-applicable is accepted."""

from __future__ import annotations

import pytest

from auditor.transparency.placeholders import assess, excerpt


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("Rank applicants for interviews.", "present"),
        ("", "placeholder"),
        ("   ", "placeholder"),
        (None, "placeholder"),
        ("TODO", "placeholder"),
        ("todo: describe the users", "placeholder"),
        ("TBD", "placeholder"),
        ("N/A", "placeholder"),
        ("n/a.", "placeholder"),
        ("Not applicable", "placeholder"),
        ("[More Information Needed]", "placeholder"),
        ("Lorem ipsum dolor sit amet, consectetur adipiscing elit.", "placeholder"),
        ("{{ model_description | default('', true) }}", "placeholder"),
        ("<model name>", "placeholder"),
        ("N/A: the model has no pre-trained component", "not_applicable"),
        ("Not applicable because the system has no user interface", "not_applicable"),
        ([], "placeholder"),
        (["TBD", ""], "placeholder"),
        (["recruiters", "TBD"], "present"),
        ({}, "placeholder"),
        ({"name": "TODO", "contact": ""}, "placeholder"),
        ({"name": "Acme", "contact": ""}, "present"),
        ({"not_applicable": {"reason": "no third-party components"}}, "not_applicable"),
        ({"not_applicable": {"reason": "TBD"}}, "placeholder"),
        ({"not_applicable": {}}, "placeholder"),
        ({"not_applicable": True, "reason": "internal tool only"}, "not_applicable"),
        ("[TODO]", "placeholder"),
        ("(TBD)", "placeholder"),
        ("N.A.", "placeholder"),
        ("n.a.", "placeholder"),
        ("[TBD] describe the users", "placeholder"),
        ("TODO describe the users", "placeholder"),
        ("Todo list app classifier", "present"),  # a word, not a marker
        ("(see the evaluation section)", "present"),
        ("N/A: x", "placeholder"),  # a reason needs 3 characters, in both written forms
        ({"not_applicable": {"reason": "x"}}, "placeholder"),
        ({"not_applicable": {"reason": "a b"}}, "placeholder"),
        ("N/A: no UI", "not_applicable"),
        ({"not_applicable": {"reason": "no UI"}}, "not_applicable"),
        (0.0, "present"),
        (False, "present"),
        (float("nan"), "placeholder"),
    ],
)
def test_assess(value: object, status: str) -> None:
    assert assess(value).status == status


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("<!-- Provide a longer summary. -->\n\n[More Information Needed]\n", "placeholder"),
        ("- **Developed by:** [More Information Needed]\n- **Model type:** [More Information Needed]", "placeholder"),
        ("- **Developed by:** Acme\n- **Model type:** [More Information Needed]", "present"),
        ("**BibTeX:**\n\n[More Information Needed]\n\n**APA:**\n\n[More Information Needed]", "placeholder"),
        ("Users (both direct and downstream) should be made aware of the risks, biases and limitations of "
         "the model. More information needed for further recommendations.", "placeholder"),
        ("<!-- comment only -->", "placeholder"),
        ("N/A - the model is not deployed to end users", "not_applicable"),
        ("Recruiters review every rejection.", "present"),
    ],
)  # fmt: skip
def test_assess_markdown_section(body: str, status: str) -> None:
    assert assess(body, markdown=True).status == status


def test_reasons_and_excerpts() -> None:
    assert (
        assess("[More Information Needed]").reason == "placeholder text '[More Information Needed]'"
    )
    assert assess({"not_applicable": {"reason": "no base model"}}).reason == "no base model"
    assert (
        excerpt({"not_applicable": {"reason": "no base model"}}) == "not applicable: no base model"
    )
    assert excerpt("x" * 200).endswith("…")
    assert len(excerpt("x" * 200)) == 80
    assert excerpt(["a", "b"]) == "a; b"
    assert excerpt("**Bold** and `code`\n\nnext") == "Bold and code next"
    assert (excerpt(False), excerpt(True)) == ("false", "true")
    short = (
        "not applicable without a real reason ('x'; a reason needs at least 3 characters and must "
    )
    assert assess({"not_applicable": {"reason": "x"}}).reason.startswith(short)
    assert assess("N/A: x").reason.startswith(short)
