"""National identifiers: validators on published examples, recognizers, column scan, no leak."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import auditor
from auditor.checks.pii_columns import pii_columns
from auditor.pii import national_ids as nid
from auditor.pii.batch import analyze_values
from auditor.pii.engine import get_engine
from auditor.pii.entities import entity_info, regulations_for
from auditor.pii.lexicon import name_hint
from auditor.pii.settings import ScanOptions
from auditor.testing import make_context, run_check

# Valid numbers: the issuing authority's published specimen where one exists (BZSt, INSEE via
# the CNIL/ameli examples, Logius test BSNs, Skatteverket, DVV, Receita, GB 11643 appendix,
# UIDAI/MIC examples quoted in their specifications), the rest computed from the rule by hand.
VALID: dict[str, tuple[Callable[[str], bool], list[str]]] = {
    "DE_TAX_ID": (nid.valid_de_tax_id, ["86095742719", "47036892816", "65929970489", "57549285017"]),
    "FR_NIR": (nid.valid_fr_nir, ["255081416802538", "2 55 08 14 168 025 38", "184127645108946",
                                  "189052A12345631", "275022B45678923"]),
    "NL_BSN": (nid.valid_nl_bsn, ["111222333", "123456782", "999996356"]),
    "SE_PERSONNUMMER": (nid.valid_se_personnummer, ["811228-9874", "19811228-9874", "640823-3234",
                                                    "8112289874"]),
    "DK_CPR": (nid.valid_dk_cpr, ["070761-4285", "0102031234", "311299-9999"]),
    "NO_FODSELSNUMMER": (nid.valid_no_fodselsnummer, ["01010750160", "15076500565", "01019751402",
                                                      "23126240120"]),
    "FI_HETU": (nid.valid_fi_hetu, ["131052-308T", "010594Y9021", "020502E902X"]),
    "BR_CPF": (nid.valid_br_cpf, ["529.982.247-25", "111.444.777-35", "123.456.789-09",
                                  "52998224725"]),
    "CA_SIN": (nid.valid_ca_sin, ["130 692 544", "193-456-787", "190 830 166", "594-821-993"]),
    "CN_RESIDENT_ID": (nid.valid_cn_resident_id, ["11010519491231002X", "110101199003074477",
                                                  "440524188001010014"]),
    "JP_MY_NUMBER": (nid.valid_jp_my_number, ["123456789018", "757491186252", "770658948113"]),
    "IN_AADHAAR": (nid.valid_in_aadhaar, ["234123412346", "999941057058", "499118665246",
                                          "2341 2341 2346"]),
    "IN_PAN": (nid.valid_in_pan, ["ABCPE1234F", "AAAPL1234C", "AFZPK7190K"]),
    "PL_PESEL": (nid.valid_pl_pesel, ["44051401359", "02070803628", "90090515836"]),
}  # fmt: skip

INVALID: dict[str, list[str]] = {
    "DE_TAX_ID": ["86095742718", "11111111111", "01234567890", "12345678903"],  # repetition rule
    "FR_NIR": ["255081416802539", "955081416802538", "255131416802538", "189052C12345631"],
    "NL_BSN": ["111222334", "123456789", "000000000"],
    "SE_PERSONNUMMER": ["811228-9875", "811328-9874", "8112289873"],
    "DK_CPR": ["320161-4285", "071361-4285", "300299-1234"],  # no 32nd day, 13th month, 30 Feb
    "NO_FODSELSNUMMER": ["01010750161", "01010750170", "32010750160", "11111111111"],
    "FI_HETU": ["131052-308U", "131352-308T", "131052Z308T", "131052-000A"],
    "BR_CPF": ["529.982.247-26", "111.111.111-11", "123.456.789-00"],
    "CA_SIN": ["130 692 545", "046 454 286", "812 345 674"],  # 0 and 8 are not a person's
    "CN_RESIDENT_ID": ["110105194912310021", "11010519491331002X", "91010519491231002X"],
    "JP_MY_NUMBER": ["123456789019", "757491186253", "000000000000"],
    "IN_AADHAAR": ["234123412347", "134123412346", "999941057059"],
    "IN_PAN": ["ABCDE1234F", "abcpe1234f", "ABCPE0000F", "ABCPE12345"],
    "PL_PESEL": ["44051401358", "44053201359", "11111111111"],
}


@pytest.mark.parametrize("entity", sorted(VALID))
def test_validator_accepts_published_examples_and_rejects_bad_check_digits(entity: str) -> None:
    fn, good = VALID[entity]
    assert len(good) >= 3
    assert [v for v in good if not fn(v)] == []
    assert [v for v in INVALID[entity] if fn(v)] == []
    # every other check digit is rejected (DK CPR has no check digit since 2007)
    if entity not in ("DK_CPR", "IN_PAN"):
        for v in good:
            last = v[-1]
            alts = [c for c in "0123456789X" if c != last.upper()]
            assert not any(fn(v[:-1] + c) for c in alts), (entity, v)


def _found(text: str, context: tuple[str, ...] = ()) -> dict[str, float]:
    opts = ScanOptions()
    spans = analyze_values(get_engine(opts), [text], list(context), opts)[0]
    return {s.entity: round(s.score, 2) for s in spans}


def test_recognizers_in_text_need_context_for_bare_digits() -> None:
    # distinctive shapes count on their own
    assert _found("NIR 2 55 08 14 168 025 38") == {"FR_NIR": 0.95}
    assert _found("code 131052-308T") == {"FI_HETU": 0.6}
    assert _found("CPF 529.982.247-25 na nota") == {"BR_CPF": 0.95}
    assert _found("11010519491231002X") == {"CN_RESIDENT_ID": 0.5}
    assert _found("ABCPE1234F") == {"IN_PAN": 0.5}
    # bare digits: only with a context word of the id (in the text or the column name)
    assert _found("86095742719") == {}
    assert _found("Steuer-ID: 86095742719") == {"DE_TAX_ID": 0.65}
    assert _found("86095742719", ("steuer id", "steuer")) == {"DE_TAX_ID": 0.65}
    assert _found("111222333") == {}
    assert _found("BSN 111222333") == {"NL_BSN": 0.65}
    assert _found("130 692 544") == {}
    assert _found("SIN 130 692 544") == {"CA_SIN": 0.65}
    assert _found("2341 2341 2346") == {}
    assert _found("aadhaar 2341 2341 2346") == {"IN_AADHAAR": 0.65}
    assert _found("マイナンバー 123456789018") == {"JP_MY_NUMBER": 0.65}
    assert _found("PESEL 44051401359") == {"PL_PESEL": 0.7}
    assert _found("CPR 070761-4285") == {"DK_CPR": 0.65}
    assert _found("fødselsnummer 01010750160") == {"NO_FODSELSNUMMER": 0.7}
    # a failed check drops the match even with context
    assert "DE_TAX_ID" not in _found("Steuer-ID: 86095742718")
    assert "CA_SIN" not in _found("SIN 130 692 545")
    # a company's PAN is not personal without context; lower case is not a PAN
    assert _found("AAACR5055K") == {}
    assert _found("abcpe1234f") == {}


def test_presidio_country_recognizers_are_enabled_with_capped_scores() -> None:
    assert _found("DNI 12345678Z") == {"ES_NIF": 1.0}
    assert _found("codice fiscale RSSMRA85T10A562S")["IT_FISCAL_CODE"] == 1.0
    # a bare 9-digit TFN passes mod 11 one time in 11: Presidio would score it 1.0
    assert _found("123 456 782") == {}
    assert _found("TFN 123 456 782") == {"AU_TFN": 0.45}


CLEAN = [
    "LOT-2024-00483", "SKU-48213-BLK", "978-3-16-148410-0", "9783161484100", "4006381333931",
    "550e8400-e29b-41d4-a716-446655440000", "5f4dcc3b5aa765d61d8327deb882cf99",
    "v1.2.3", "2.10.4", "PRD-000123456", "ABCDE1234F", "ORD-20240315-0042", "#a1b2c3",
]  # fmt: skip


def test_product_codes_and_hashes_stay_clean() -> None:
    ids = set(nid.NATIONAL_ID_ENTITIES)
    for v in CLEAN:
        assert not ids & set(_found(v)), v
        assert not ids & set(_found(f"shipped item {v} today")), v


# -- column scan ---------------------------------------------------------------------------------
# shape of each id as written in a table ("d" = digit), and its column name
SHAPES: dict[str, tuple[str, str]] = {
    "DE_TAX_ID": ("steuer_id", "ddddddddddd"),
    "FR_NIR": ("nir", "1dddddddddddddd"),
    "NL_BSN": ("bsn", "ddddddddd"),
    "SE_PERSONNUMMER": ("personnummer", "dddddd-dddd"),
    "DK_CPR": ("cpr", "dddddd-dddd"),
    "NO_FODSELSNUMMER": ("fodselsnummer", "ddddddddddd"),
    "FI_HETU": ("hetu", "dddddd-dddA"),
    "BR_CPF": ("cpf", "ddd.ddd.ddd-dd"),
    "CA_SIN": ("sin", "ddd-ddd-ddd"),
    "CN_RESIDENT_ID": ("resident_id", "dddddd19dddddddddd"),
    "JP_MY_NUMBER": ("my_number", "dddddddddddd"),
    "IN_AADHAAR": ("aadhaar", "dddd dddd dddd"),
    "IN_PAN": ("pan_number", "LLLPLddddL"),
    "PL_PESEL": ("pesel", "ddddddddddd"),
}


def _fill(shape: str, rng: random.Random) -> str:
    out = []
    for c in shape:
        if c == "d":
            out.append(str(rng.randrange(10)))
        elif c == "L":
            out.append(chr(65 + rng.randrange(26)))
        elif c == "A":
            out.append(rng.choice("0123456789ABCDEFHJKLMNPRSTUVWXY"))
        else:
            out.append(c)
    return "".join(out)


def _column(entity: str, n: int, valid: bool, seed: int = 3) -> list[str]:
    """``n`` distinct values of the id's written shape whose check passes (or fails)."""
    fn = VALID[entity][0]
    shape = SHAPES[entity][1]
    if entity == "IN_PAN" and not valid:
        shape = "LLLLLddddL"  # any 4th letter: those that are no holder type fail
    rng = random.Random(seed)
    out: list[str] = []
    for _ in range(200_000):
        if len(out) == n:
            return out
        v = _fill(shape, rng)
        dated = ("SE_PERSONNUMMER", "FI_HETU", "NO_FODSELSNUMMER", "PL_PESEL")
        if entity in dated or (entity == "DK_CPR" and valid):
            # a real date, so the invalid column differs by its check only (a CPR by its date)
            v = f"{rng.randrange(1, 29):02d}{rng.randrange(1, 13):02d}" + v[4:]
            if entity in ("SE_PERSONNUMMER", "PL_PESEL"):
                v = v[4:6] + v[2:4] + v[:2] + v[6:]
        if entity == "CN_RESIDENT_ID":
            v = v[:10] + f"{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}" + v[14:]
        if fn(v) is valid and v not in out:
            out.append(v)
    raise AssertionError(f"no {n} values for {entity}")


def _columns(frame: pd.DataFrame) -> dict[str, dict[str, object]]:
    res = run_check(pii_columns, make_context(frame))
    return {r["column"]: r for r in res.tables["columns"]}


def test_column_of_valid_ids_is_flagged_as_that_entity() -> None:
    frame = pd.DataFrame({SHAPES[e][0]: _column(e, 40, True) for e in SHAPES})
    rows = _columns(frame)
    for entity, (col, _shape) in SHAPES.items():
        row = rows[col]
        assert row["kind"] == "direct_identifier", (col, row["evidence"])
        assert row["entity_types"][0] == entity, (col, row["entity_types"])
        assert row["hit_rate"] >= 0.9, (col, row["hit_rate"])
        assert "HIPAA 164.514(b)(2)(i)(R)" in row["regulations"]
        assert "CPRA 1798.140(ae)" in row["regulations"]
        raw = set(frame[col])
        assert row["masked_examples"] and not raw & set(row["masked_examples"]), col


def test_distinctive_ids_are_flagged_under_a_neutral_column_name() -> None:
    frame = pd.DataFrame(
        {
            "ref_a": _column("FR_NIR", 40, True),
            "ref_b": _column("FI_HETU", 40, True),
            "ref_c": _column("BR_CPF", 40, True),
            "ref_d": _column("CN_RESIDENT_ID", 40, True),
            "ref_e": _column("IN_PAN", 40, True),
            "ref_f": _column("DE_TAX_ID", 40, True),  # bare digits: needs the column name
        }
    )
    rows = _columns(frame)
    got = {c: rows[c]["entity_types"][:1] for c in frame}
    assert got == {
        "ref_a": ["FR_NIR"],
        "ref_b": ["FI_HETU"],
        "ref_c": ["BR_CPF"],
        "ref_d": ["CN_RESIDENT_ID"],
        "ref_e": ["IN_PAN"],
        "ref_f": [],
    }


def test_invalid_checksums_and_product_codes_are_not_flagged() -> None:
    ids = set(nid.NATIONAL_ID_ENTITIES)
    # same shapes with failing checks, under neutral names and under the id's own name
    neutral = {f"code_{i}": _column(e, 40, False) for i, e in enumerate(SHAPES)}
    named = {SHAPES[e][0]: _column(e, 40, False) for e in SHAPES}
    rng = random.Random(5)
    decoys = {
        "sku": [f"SKU-{rng.randrange(10**5):05d}-{rng.choice(['BLK', 'RED'])}" for _ in range(40)],
        "isbn": [f"978-3-{rng.randrange(10**2):02d}-{rng.randrange(10**6):06d}-{i % 10}"
                 for i in range(40)],
        "ean": [f"400{rng.randrange(10**10):010d}" for _ in range(40)],
        "batch": [f"LOT-2024-{rng.randrange(10**5):05d}" for _ in range(40)],
        "order_no": [f"{rng.randrange(10**10, 10**11)}" for _ in range(40)],
        "version": [f"{rng.randrange(5)}.{rng.randrange(20)}.{rng.randrange(50)}" for _ in range(40)],
        "sha": [f"{rng.getrandbits(160):040x}" for _ in range(40)],
    }  # fmt: skip
    frame = pd.DataFrame({**neutral, **named, **decoys})
    rows = _columns(frame)
    for col, row in rows.items():
        assert row["kind"] == "none", (col, row["entity_types"], row["evidence"]["values"])
        # a stray pass (a ``yymmdd-nnnn`` that is also a valid HETU: 1 in 31) stays rare
        stray = {
            e: d.get("hit_rate", 0.0) for e, d in row["evidence"]["values"].items() if e in ids
        }
        assert all(rate <= 0.05 for rate in stray.values()) or col in named, (col, stray)


def test_lexicon_and_entity_mapping() -> None:
    names = {
        "steuer_id": "DE_TAX_ID", "Steuer-IdNr": "DE_TAX_ID", "nir": "FR_NIR",
        "numéro de sécurité sociale": "FR_NIR", "bsn": "NL_BSN", "personnummer": "SE_PERSONNUMMER",
        "cpr_nr": "DK_CPR", "fødselsnummer": "NO_FODSELSNUMMER", "hetu": "FI_HETU",
        "henkilötunnus": "FI_HETU", "cpf": "BR_CPF", "sin": "CA_SIN", "aadhaar": "IN_AADHAAR",
        "pan_number": "IN_PAN", "pesel": "PL_PESEL", "my_number": "JP_MY_NUMBER",
        "codice_fiscale": "IT_FISCAL_CODE", "tfn": "AU_TFN",
        # unchanged readings
        "pan": "CREDIT_CARD", "national_id": "US_SSN", "tax_id": "US_SSN",
    }  # fmt: skip
    got = {c: (h.entity if (h := name_hint(c)) else None) for c in names}
    assert got == names
    assert name_hint("sinus") is None and name_hint("business") is None
    for e in nid.NATIONAL_ID_ENTITIES:
        info = entity_info(e)
        assert info.kind == "direct" and info.hipaa == "R"
        if e != "AU_ABN":
            assert regulations_for(e) == regulations_for("UK_NINO")
    engine = get_engine(ScanOptions())
    assert set(nid.NATIONAL_ID_ENTITIES) <= set(engine.entities)


def test_no_raw_id_in_any_report(tmp_path: Path) -> None:
    values = {e: _column(e, 12, True, seed=11) for e in SHAPES}
    frame = pd.DataFrame({SHAPES[e][0]: v for e, v in values.items()})
    frame["notes"] = [
        f"Kunde mit Steuer-ID {values['DE_TAX_ID'][i]} und CPF {values['BR_CPF'][i]} angerufen."
        for i in range(12)
    ]
    report = auditor.audit(
        frame,
        policy={"version": 1, "name": "nid", "checks": {"PII": {}}},
        overrides={"PII001.sample_size": "all"},
    )
    assert report.result("PII001").status.value == "failed"
    written = report.write(tmp_path, ["json", "md", "html", "sarif"])
    raw = [v for vs in values.values() for v in vs]
    plain = [re.sub(r"[\s.\-]", "", v) for v in raw]
    for fmt, path in written.items():
        text = Path(path).read_text(encoding="utf-8")
        squashed = re.sub(r"[\s.\-]", "", text)
        assert [v for v in raw if v in text] == [], fmt
        assert [v for v in plain if len(v) >= 9 and v in squashed] == [], fmt
    cols = {r["column"]: r for r in report.result("PII001").tables["columns"]}
    assert cols["cpf"]["entity_types"][0] == "BR_CPF"
    assert all("*" in m for m in cols["cpf"]["masked_examples"])
