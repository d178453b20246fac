"""Never leak what you audit: seeded PII never appears in any report format or in the logs."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import pytest

import auditor

SEEDED = {
    "email": ["maria.gonzalez@example.org", "li.wei.1984@mailbox.test", "a.kowalski@firma.example"],
    "ssn": ["536-22-6789", "219-09-9999", "412-55-1234"],
    "phone": ["(415) 555-0132", "212-555-0147", "+1 646 555 0199"],
    "name": ["Maria Gonzalez", "Wei Li", "Anna Kowalski"],
    "street": ["1600 Pennsylvania Avenue", "221 Baker Street", "742 Evergreen Terrace"],
    "card": ["4111111111111111", "5500005555555559", "340000000000009"],
    "token": ["ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8", "AKIAIOSFODNN7EXAMPLE", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"],
}  # fmt: skip


def _frame(n: int = 60) -> pd.DataFrame:
    rows = []
    for i in range(n):
        k = i % 3
        rows.append(
            {
                "customer_name": SEEDED["name"][k],
                "email": SEEDED["email"][k],
                "ssn": SEEDED["ssn"][k],
                "phone": SEEDED["phone"][k],
                "street": SEEDED["street"][k],
                "cc_num": SEEDED["card"][k],
                "api_key": SEEDED["token"][k],
                "religion": ["Christian", "Muslim", "Jewish"][k],
                "zip": ["94110", "10001", "60601"][k],
                "notes": f"Ticket {i}: please call {SEEDED['phone'][k]} or write to "
                f"{SEEDED['email'][k]} about the refund for {SEEDED['name'][k]}.",
                "reply": f"Dear {SEEDED['name'][k]}, we used {SEEDED['email'][k]} on file."
                if i % 4 == 0
                else "Your request was processed.",
                "amount": 10.5 + i,
            }
        )
    return pd.DataFrame(rows)


def test_no_seeded_value_in_any_output_or_log(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    report = auditor.audit(
        _frame(),
        policy={"version": 1, "name": "leak-test", "checks": {"PII": {}, "RUN": {}}},
        overrides={
            "PII006.output_columns": ["reply"],
            "PII007.output_columns": ["reply"],
            "PII001.sample_size": "all",
        },
        features=["zip", "religion", "amount"],
    )
    statuses = {r.check: r.status.value for r in report.results}
    assert statuses["PII001"] == "failed"
    assert statuses["PII007"] == "failed"
    assert not [c for c, s in statuses.items() if s == "errored"]
    written = report.write(tmp_path, ["json", "md", "html", "junit", "sarif"])
    assert set(written) == {"json", "md", "html", "junit", "sarif"}
    texts = {fmt: Path(p).read_text(encoding="utf-8") for fmt, p in written.items()}
    texts["logs"] = caplog.text
    texts["repr"] = repr(report.to_dict())
    raw = [v for values in SEEDED.values() for v in values]
    for where, text in texts.items():
        leaked = [v for v in raw if v in text or v.lower() in text.lower()]
        assert leaked == [], f"{where} leaks {len(leaked)} seeded value(s)"
        digits_only = [v for v in SEEDED["card"] if v in text.replace(" ", "").replace("-", "")]
        assert digits_only == [], where
    # the report still says what it found, masked
    cols = {r["column"]: r for r in report.result("PII001").tables["columns"]}
    assert cols["email"]["masked_examples"][0] in {
        "m***@e***.org",
        "l***@m***.test",
        "a***@f***.example",
    }
    assert cols["ssn"]["masked_examples"][0].startswith("***-**-")
