"""Start-up time of the commands that do not audit: ``auditor --version``, ``checks``, ``explain``.

Each command runs ``--runs`` times (default 5) as a fresh subprocess; the table shows the median,
fastest and slowest wall time, whether the median is under the 1 s target (issue 11), and which
heavy packages the command imported (pandas, numpy, Presidio, ... : none is the goal). Then
``python -X importtime`` of ``auditor checks`` lists the top import offenders, by module (self
time) and by top-level package (summed self time).

``--compare DIR`` runs the same commands against another checkout (``PYTHONPATH=DIR``, e.g. a
``git worktree`` of an older commit) and adds its medians, for before/after numbers.

Usage: python benchmarks/startup.py [--runs N] [--top N] [--compare DIR]
The machine may be shared: numbers depend on the load; the medians are what to compare.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

COMMANDS = (("--version",), ("checks",), ("explain", "PII001"))
TARGET_S = 1.0
HEAVY = (
    "pandas", "numpy", "scipy", "presidio_analyzer", "spacy", "fairlearn", "matplotlib",
    "sklearn", "faker", "jinja2", "pyarrow",
)  # fmt: skip


def _env(pythonpath: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return env


def _cwd(pythonpath: Path | None) -> Path | None:
    """Run in the measured checkout: ``python -m``/``-c`` put the working directory first on
    ``sys.path``, before ``PYTHONPATH``."""
    return pythonpath


def _entry(pythonpath: Path | None) -> list[str]:
    """The ``auditor`` console script next to this interpreter (what a user types), or
    ``python -m auditor`` when it is not there or another checkout is measured."""
    script = shutil.which("auditor", path=str(Path(sys.executable).parent))
    if script and pythonpath is None:
        return [script]
    return [sys.executable, "-m", "auditor"]


def time_command(args: tuple[str, ...], runs: int, pythonpath: Path | None) -> list[float]:
    cmd = [*_entry(pythonpath), *args]
    env = _env(pythonpath)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, env=env, cwd=_cwd(pythonpath), check=False)
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            sys.exit(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr.decode()[-500:]}")
    return times


def import_profile(args: tuple[str, ...], pythonpath: Path | None) -> list[tuple[str, int, int]]:
    """(module, self µs, cumulative µs) from ``python -X importtime`` running the command."""
    code = f"import sys, auditor.cli; sys.exit(auditor.cli.main({list(args)!r}))"
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        env=_env(pythonpath),
        cwd=_cwd(pythonpath),
        check=False,
    )
    rows = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative_us, name = (part.strip() for part in line[12:].split("|"))
        rows.append((name, int(self_us), int(cumulative_us)))
    return rows


def _heavy(rows: list[tuple[str, int, int]]) -> str:
    found = sorted({name.split(".")[0] for name, _, _ in rows} & set(HEAVY))
    return ", ".join(found) or "none"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--runs", type=int, default=5, help="subprocess runs per command (median)")
    ap.add_argument("--top", type=int, default=12, help="import offenders to list")
    ap.add_argument("--compare", type=Path, help="another checkout to measure (PYTHONPATH)")
    args = ap.parse_args()

    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, load {os.getloadavg()[0]:.2f}")
    head = f"{'command':<26} {'median':>8} {'min':>7} {'max':>7}  {'< 1 s':<5}"
    if args.compare:
        head += f" {'compare':>8}"
    print(f"\n{head}  heavy packages imported")
    for command in COMMANDS:
        times = time_command(command, args.runs, None)
        median = statistics.median(times)
        line = (
            f"{'auditor ' + ' '.join(command):<26} {median:7.2f}s {min(times):6.2f}s "
            f"{max(times):6.2f}s  {'yes' if median < TARGET_S else 'NO':<5}"
        )
        if args.compare:
            other = statistics.median(time_command(command, args.runs, args.compare))
            line += f" {other:7.2f}s"
        print(f"{line}  {_heavy(import_profile(command, None))}")

    rows = import_profile(("checks",), None)
    total = sum(self_us for _, self_us, _ in rows) / 1e6
    print(f"\npython -X importtime, auditor checks: {len(rows)} modules imported")
    print(f"\n{'module':<48} {'self':>9} {'cumulative':>11}")
    for name, self_us, cum_us in sorted(rows, key=lambda r: -r[1])[: args.top]:
        print(f"{name:<48} {self_us / 1e3:7.1f}ms {cum_us / 1e3:9.1f}ms")
    packages: dict[str, int] = defaultdict(int)
    for name, self_us, _ in rows:
        packages[name.split(".")[0]] += self_us
    print(f"\n{'package':<48} {'self total':>11}")
    for name, self_us in sorted(packages.items(), key=lambda kv: -kv[1])[: args.top]:
        print(f"{name:<48} {self_us / 1e3:9.1f}ms")
    print(f"\nall imports (sum of self times): {total:.2f} s")


if __name__ == "__main__":
    main()
