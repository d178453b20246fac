"""The package's layers (issue 11, item 8) and its start-up weight (item 7, ``checks`` < 1 s).

The import-linter contracts in ``pyproject.toml`` ([tool.importlinter]) are run here against the
real import graph (grimp counts imports inside functions and under TYPE_CHECKING too); each
contract is also shown to break on the kind of import it exists to stop. A second guard keeps
``auditor --version``, ``checks`` and ``explain`` from importing pandas, numpy or Presidio again
(the timing itself is measured by ``benchmarks/startup.py``, not asserted here).
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grimp
import pytest
from importlinter.application import use_cases
from importlinter.application.app_config import settings
from importlinter.application.output import console
from importlinter.configuration import configure

configure()  # import-linter's default adapters (file system, timer, graph builder)

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
CONTRACTS = ("layers", "families", "renderers", "acyclic")
# never imported by auditor --version / checks / explain
HEAVY = (
    "pandas", "numpy", "scipy", "presidio_analyzer", "spacy", "fairlearn", "matplotlib",
    "sklearn", "faker", "jinja2", "pyarrow", "narwhals",
)  # fmt: skip


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("auditor", cache_dir=None)


class _Builder:
    """import-linter graph builder that hands out a copy of a prepared graph."""

    def __init__(self, graph: grimp.ImportGraph) -> None:
        self.graph = graph

    def build(self, *args: Any, **kwargs: Any) -> grimp.ImportGraph:
        return copy.deepcopy(self.graph)


def _lint(graph: grimp.ImportGraph, contract: str) -> tuple[bool, str]:
    """(kept, console output) of one contract of pyproject.toml on ``graph``."""
    previous = settings.GRAPH_BUILDER
    settings.configure(GRAPH_BUILDER=_Builder(graph))
    width = console.width
    console.width = 200
    try:
        with console.capture() as captured:
            kept = use_cases.lint_imports(
                config_filename=str(PYPROJECT),
                limit_to_contracts=(contract,),
                cache_dir=None,
                no_logo=True,
            )
    finally:
        settings.configure(GRAPH_BUILDER=previous)
        console.width = width
    return bool(kept), captured.get()


def _cycles(graph: grimp.ImportGraph) -> Iterator[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append(
                        (child, iter(sorted(graph.find_modules_directly_imported_by(child))))
                    )
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    yield sorted(component)


def test_pyproject_declares_the_contracts_the_test_runs() -> None:
    import tomllib

    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    assert {c["id"]: c["type"] for c in contracts} == {
        "layers": "layers",
        "families": "independence",
        "renderers": "forbidden",
        "acyclic": "acyclic_siblings",
    }
    extra = config["project"]["optional-dependencies"]["test"]
    assert any(req.startswith("import-linter") for req in extra)


@pytest.mark.parametrize("contract", CONTRACTS)
def test_contract_is_kept(graph: grimp.ImportGraph, contract: str) -> None:
    kept, out = _lint(graph, contract)
    assert kept, out


def test_no_import_cycle_in_the_package(graph: grimp.ImportGraph) -> None:
    """No strongly connected component of more than one module, counting function-level and
    TYPE_CHECKING imports (five existed: check/context, report/render/baseline, api/inputs/
    engines, engines.fairness/fairness.engine/outcomes, engines.pii/pii.measure)."""
    found = []
    for component in _cycles(graph):
        edges = [
            f"{a} -> {b} (line {d['line_number']}: {d['line_contents']})"
            for a in component
            for b in component
            if a != b and graph.direct_import_exists(importer=a, imported=b)
            for d in graph.get_import_details(importer=a, imported=b)[:1]
        ]
        found.append("\n  ".join([", ".join(component), *edges]))
    assert not found, "import cycles:\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("importer", "imported", "broken"),
    [
        # the five cycles this issue broke, re-introduced one import at a time
        ("auditor.context", "auditor.check", {"layers", "acyclic"}),
        ("auditor.render.junit", "auditor.baseline", {"layers", "renderers", "acyclic"}),
        ("auditor.engines.select", "auditor.api", {"layers", "acyclic"}),
        ("auditor.fairness.lazy", "auditor.fairness.engine", {"acyclic"}),
        ("auditor.pii.table", "auditor.pii.measure", {"acyclic"}),
        # a family reaching into another, a renderer into the run, a value into the API
        ("auditor.fairness.sensitive", "auditor.pii.lexicon", {"families"}),
        ("auditor.render.html", "auditor.context", {"renderers"}),
        ("auditor.findings", "auditor.api", {"layers", "renderers", "families", "acyclic"}),
        # (a family reached through the engines: the PII family now imports the fairness family)
        ("auditor.engines.source", "auditor.fairness.counts", {"layers", "families", "acyclic"}),
    ],
)
def test_contracts_break_on_a_bad_import(
    graph: grimp.ImportGraph, importer: str, imported: str, broken: set[str]
) -> None:
    bad = copy.deepcopy(graph)
    bad.add_import(importer=importer, imported=imported, line_number=1, line_contents="import x")
    results = {contract: _lint(bad, contract) for contract in CONTRACTS}
    assert {c for c, (kept, _) in results.items() if not kept} == broken
    for contract in broken:
        out = results[contract][1]
        assert "BROKEN" in out
        if contract != "acyclic":  # the acyclic contract names packages, not the import
            assert importer in out and imported in out, out


def test_a_module_outside_every_layer_breaks_the_layers_contract(
    graph: grimp.ImportGraph,
) -> None:
    """``exhaustive``: a new top-level module must be placed in a layer of pyproject.toml."""
    bad = copy.deepcopy(graph)
    bad.add_module("auditor.newcomer")
    kept, out = _lint(bad, "layers")
    assert not kept
    assert "auditor.newcomer" in out, out


def _run(code: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


_PROBE = """
import contextlib, io, json, sys
import auditor.cli
codes, outs = [], []
for argv in {argvs!r}:
    with contextlib.redirect_stdout(io.StringIO()) as out:
        codes.append(auditor.cli.main(argv))
    outs.append(out.getvalue())
heavy = sorted({{m.split(".")[0] for m in sys.modules}} & set({heavy!r}))
print(json.dumps({{"codes": codes, "outs": outs, "heavy": heavy}}))
"""


@pytest.mark.parametrize(
    "argvs",
    [
        [["--version"]],
        [["checks"], ["checks", "--format", "json"], ["checks", "--format", "md"]],
        [["explain", "PII001"], ["explain", "fair001"], ["explain", "TRN207"]],
    ],
    ids=["version", "checks", "explain"],
)
def test_listing_commands_import_no_heavy_package(argvs: list[list[str]]) -> None:
    """``auditor --version``, ``checks`` and ``explain`` load every check's id, title, docstring
    and options without pandas, numpy, scipy, Presidio, spaCy, fairlearn, matplotlib or jinja2:
    the check modules import them inside the functions that run the check."""
    result = _run(_PROBE.format(argvs=argvs, heavy=HEAVY))
    assert result["codes"] == [0] * len(argvs)
    assert result["heavy"] == []
    outs = dict(zip(map(tuple, argvs), result["outs"], strict=True))
    if ("checks", "--format", "json") in outs:  # the whole catalogue, options included
        rows = {r["id"]: r for r in json.loads(outs[("checks", "--format", "json")])}
        assert {"RUN001", "FAIR001", "FAIR009", "PII001", "PII008", "TRN100", "TRN207"} <= set(rows)
        assert rows["FAIR001"]["options"]["threshold"]["default"] == 0.8
        assert rows["PII001"]["options"]["tier"]["default"] == "context"
    if ("explain", "fair001") in outs:
        assert outs[("explain", "fair001")].startswith("FAIR001 selection-rate-parity")


def test_import_auditor_is_light_and_the_public_names_still_resolve() -> None:
    code = (
        "import json, sys\n"
        "import auditor\n"
        f"light = sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))\n"
        "import auditor.check, auditor.api, auditor.errors, auditor.skip\n"
        "names = {n: type(getattr(auditor, n)).__name__ for n in auditor.__all__}\n"
        "same = [\n"
        "    auditor.Skip is auditor.skip.Skip is sys.modules['auditor.check'].Skip,\n"
        "    auditor.api.AfterRunError is auditor.errors.AfterRunError,\n"
        "    set(auditor.__all__) <= set(dir(auditor)),\n"
        "]\n"
        "print(json.dumps({'light': light, 'names': names, 'same': same}))\n"
    )
    result = _run(code)
    assert result["light"] == []
    # ``auditor.check`` is the decorator even after ``import auditor.check`` (the submodule)
    assert result["names"]["check"] == "function"
    assert result["names"]["audit"] == "function"
    assert result["names"]["Context"] == result["names"]["Report"] == "type"
    assert result["same"] == [True, True, True]
