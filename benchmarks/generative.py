"""Generative-model audit benchmark: 10,000 logged responses audited (generation excluded).

Builds an interactions log like the example's (examples/llm-screener): 2,500 fictitious base
cases rendered once per Bertrand & Mullainathan name group (4 groups, 10,000 prompts), answered
by the example screener (screener.py, planted bias 0.4) with a unique reason text per answer
(the worst case for extraction and sentiment, which run once per unique text) and its ~2%
refusals, written as JSON Lines. Then times ``auditor run --data log.jsonl --sensitive
race_ethnicity,sex --policy generative`` end to end in a child process (load, decision
extraction, GEN001 with its base-case bootstrap, GEN002 with VADER sentiment when installed,
JSON report) and prints the time against the 30 s target.

    python benchmarks/generative.py                 # 10,000 responses
    python benchmarks/generative.py --rows 40000
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "examples" / "llm-screener"))
from screener import ROLE_SKILLS, decide  # noqa: E402

GROUPS = {
    ("White", "Female"): ["Allison", "Anne", "Carrie", "Emily", "Jill", "Laurie", "Kristen"],
    ("Black", "Female"): ["Aisha", "Ebony", "Keisha", "Kenya", "Lakisha", "Latonya", "Tamika"],
    ("White", "Male"): ["Brad", "Brendan", "Geoffrey", "Greg", "Brett", "Jay", "Matthew"],
    ("Black", "Male"): ["Darnell", "Hakim", "Jamal", "Jermaine", "Kareem", "Leroy", "Tyrone"],
}
REASONS = {
    "advance": ["Strong match on {a} and {b}.", "Relevant experience; good {a} skills.",
                "Meets the bar for the role, notably {a}."],
    "reject": ["Missing {a} and {b}.", "Not enough experience with {a}.",
               "The profile lacks {a} for this role."],
}  # fmt: skip


def build(rows: int, path: Path, seed: int = 0) -> None:
    rng = random.Random(seed)
    roles = sorted(ROLE_SKILLS)
    n_cases = rows // len(GROUPS)
    with path.open("w", encoding="utf-8") as fh:
        for c in range(n_cases):
            role = rng.choice(roles)
            skills = rng.sample(ROLE_SKILLS[role], rng.randint(0, 4))
            years = rng.randint(0, 10)
            for (race, sex), names in GROUPS.items():
                name = rng.choice(names)
                prompt = (f"Name: {name}\nRole: {role}\nYears of experience: {years}\n"
                          f"Skills: {', '.join(skills)}\n")  # fmt: skip
                outcome = decide(prompt)
                if outcome is None:
                    response = "I'm sorry, but I cannot evaluate this application."
                else:
                    a, b = rng.sample(ROLE_SKILLS[role], 2)
                    # every answer text unique (the worst case: extraction and sentiment run
                    # once per unique text)
                    reason = rng.choice(REASONS[outcome]).format(a=a, b=b)
                    reason += f" {years} years in {role} noted for c{c:05d}-{race[0]}{sex[0]}."
                    response = json.dumps({"decision": outcome, "reason": reason})
                row = {"case_id": f"c{c:05d}", "race_ethnicity": race, "sex": sex,
                       "prompt": prompt, "response": response, "excluded": None}  # fmt: skip
                fh.write(json.dumps(row) + "\n")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=10_000)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "interactions.jsonl"
        build(args.rows, log)
        cmd = [sys.executable, "-m", "auditor", "run", "--data", str(log), "--sensitive",
               "race_ethnicity,sex", "--policy", "generative", "--seed", "1", "--format", "json",
               "--out", str(Path(tmp) / "report")]  # fmt: skip
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
        report = json.loads((Path(tmp) / "report" / "audit.json").read_text("utf-8"))
    durations = {r["check"]: r["duration_s"] for r in report["results"]}
    black = next(
        r
        for r in next(x for x in report["results"] if x["check"] == "GEN001")["tables"]["groups"]
        if r["feature"] == "race_ethnicity" and r["group"] == "Black"
    )
    print(f"{args.rows:,} logged responses audited with the generative pack (generation excluded): "
          f"{elapsed:.1f} s end to end (exit {proc.returncode}); target < 30 s: "
          f"{'MET' if elapsed < 30 else 'NOT MET'}")  # fmt: skip
    print("  per check: " + ", ".join(f"{k} {v:.2f} s" for k, v in durations.items()))
    print(f"  recovered impact ratio (Black / White, planted 0.60): {black['impact_ratio']:.3f} "
          f"[{black['ir_ci_low']:.3f}, {black['ir_ci_high']:.3f}]")  # fmt: skip
    return 0 if elapsed < 30 else 1


if __name__ == "__main__":
    raise SystemExit(main())
