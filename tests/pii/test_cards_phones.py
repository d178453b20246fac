"""Payment cards by network range, length and Luhn; phone numbers without product-code false alarms
(issue 12, items 3 and 4)."""

from __future__ import annotations

import hashlib
import random
import uuid
from pathlib import Path

import pandas as pd
import pytest

import auditor
from auditor.pii.batch import Span, analyze_values
from auditor.pii.engine import get_engine
from auditor.pii.lexicon import not_phone_name
from auditor.pii.measure import scan_frame
from auditor.pii.recognizers import card_networks, gtin_ok, isbn10_ok, luhn_ok, nanp_ok
from auditor.pii.settings import ScanOptions

# the networks' published IIN ranges and lengths, written out independently of the recognizer's
# table: (first IIN, last IIN, lengths)
RULES: dict[str, list[tuple[int, int, tuple[int, ...]]]] = {
    "visa": [(4, 4, (13, 16, 19))],
    "mastercard": [(51, 55, (16,)), (2221, 2720, (16,))],
    "amex": [(34, 34, (15,)), (37, 37, (15,))],
    "discover": [(6011, 6011, (16, 17, 18, 19)), (644, 649, (16, 17, 18, 19)),
                 (65, 65, (16, 17, 18, 19)), (622126, 622925, (16, 17, 18, 19))],
    "diners": [(36, 36, tuple(range(14, 20))), (38, 39, tuple(range(14, 20))),
               (300, 305, tuple(range(14, 20)))],
    "jcb": [(3528, 3589, (16, 17, 18, 19)), (1800, 1800, (15,)), (2131, 2131, (15,))],
    "maestro": [(50, 50, tuple(range(12, 20))), (56, 69, tuple(range(12, 20)))],
    "unionpay": [(62, 62, (16, 17, 18, 19))],
    "mir": [(2200, 2204, (16, 17, 18, 19))],
}  # fmt: skip

REGIONS = ("US", "DE", "GB", "FR", "IN", "BR")


def _check_digit(body: str) -> str:
    total = 0
    for i, c in enumerate(reversed(body)):
        d = int(c) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def _card(rng: random.Random, lo: int, hi: int, length: int) -> str:
    prefix = str(rng.randint(lo, hi))
    body = prefix + "".join(str(rng.randint(0, 9)) for _ in range(length - len(prefix) - 1))
    return body + _check_digit(body)


def _bad_luhn(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def _spans(values: list[str], context: list[str] | None = None, **kw: object) -> list[list[Span]]:
    opts = ScanOptions(**kw)  # type: ignore[arg-type]
    return analyze_values(get_engine(opts), values, context or [], opts)


def _cards(values: list[str], context: list[str] | None = None) -> list[float | None]:
    """Per value: the CREDIT_CARD score when a card span covers the whole value, else None."""
    out: list[float | None] = []
    for v, spans in zip(values, _spans(values, context), strict=True):
        hit = [
            s.score for s in spans if s.entity == "CREDIT_CARD" and (s.start, s.end) == (0, len(v))
        ]
        out.append(round(hit[0], 2) if hit else None)
    return out


def _phones(values: list[str], regions: tuple[str, ...] = REGIONS) -> list[list[str]]:
    spans = _spans(values, phone_regions=regions)
    return [
        [v[s.start : s.end] for s in sp if s.entity == "PHONE_NUMBER"]
        for v, sp in zip(values, spans, strict=True)
    ]


@pytest.mark.parametrize("network", sorted(RULES))
def test_every_network_range_and_length_is_a_card(network: str) -> None:
    rng = random.Random(network)
    values = [
        _card(rng, lo, hi, n)
        for lo, hi, lengths in RULES[network]
        for n in lengths
        for _ in range(8)
    ]
    # ambiguous with a product barcode (12-14 digits with a valid GS1 check digit): base score,
    # a card only with card context; every other number is a card at 1.0 without context
    expected = [0.3 if gtin_ok(v) else 1.0 for v in values]
    scores = _cards(values)
    assert scores == [None if e == 0.3 else 1.0 for e in expected]
    assert _cards(values, ["card_number", "card number", "card", "number"]) == [
        0.65 if e == 0.3 else 1.0 for e in expected
    ]
    # one wrong check digit: never a card, whatever the context
    bad = [_bad_luhn(v) for v in values]
    assert not any(luhn_ok(b) for b in bad)
    assert _cards(bad, ["card_number", "card"]) == [None] * len(bad)


def test_networks_of_published_test_numbers() -> None:
    assert card_networks("4111111111111111") == ("Visa",)
    assert card_networks("4000000000000000006") == ("Visa",)  # 19 digits
    assert card_networks("2223003122003222") == ("Mastercard",)  # 2-series
    assert card_networks("5555555555554444") == ("Mastercard",)
    assert card_networks("378282246310005") == ("American Express",)
    assert card_networks("6011111111111117") == ("Discover", "Maestro")  # Maestro 56-69 overlaps
    assert card_networks("30569309025904") == ("Diners Club",)
    assert card_networks("3530111333300000") == ("JCB",)
    assert card_networks("180000000000002") == ("JCB",)  # 15-digit JCB
    assert card_networks("2200000000000004") == ("Mir",)
    assert card_networks("6200000000000005") == ("Maestro", "UnionPay")
    assert card_networks("500000000009") == ("Maestro",)  # 12 digits
    assert _cards(["2223003122003222", "4000000000000000006", "180000000000002"]) == [1.0] * 3


@pytest.mark.parametrize(
    ("prefix", "length"),
    [
        ("1", 16), ("7", 16), ("8", 16), ("9", 16), ("0", 16),  # no network starts there
        ("2100", 16), ("2205", 16), ("2220", 16), ("2721", 16),  # between Mir and Mastercard 2
        ("31", 16), ("33", 16), ("3500", 16), ("3590", 16),  # between Diners and JCB
        ("51", 15), ("55", 17), ("2221", 19),  # Mastercard is 16 digits only
        ("34", 16), ("37", 14),  # Amex is 15 digits only
        ("4", 14), ("4", 15), ("4", 17), ("4", 18),  # Visa is 13/16/19
        ("1800", 16), ("2131", 16),  # old JCB prefixes are 15 digits only
    ],
)  # fmt: skip
def test_luhn_valid_numbers_outside_every_range_are_not_cards(prefix: str, length: int) -> None:
    rng = random.Random(prefix + str(length))
    values = []
    for _ in range(20):
        body = prefix + "".join(str(rng.randint(0, 9)) for _ in range(length - len(prefix) - 1))
        values.append(body + _check_digit(body))
    assert all(luhn_ok(v) and not card_networks(v) for v in values)
    assert _cards(values, ["card_number", "card"]) == [None] * 20


def test_printed_groupings_and_separators() -> None:
    values = [
        "4111 1111 1111 1111",  # 4-4-4-4
        "4111-1111-1111-1111",
        "2223 0031 2200 3222",  # Mastercard 2-series
        "4000 0000 0000 0000 006",  # 19-digit Visa, 4-4-4-4-3
        "3782 822463 10005",  # Amex 4-6-5
        "3782-822463-10005",
        "3056 930902 5904",  # Diners 4-6-4
        "5000 0000 0009",  # 12-digit Maestro 4-4-4
    ]
    assert _cards(values) == [1.0] * len(values)
    # mixed separators, a wrong check digit, a grouping no card uses: not cards
    assert _cards(["4111 1111-1111 1111", "4111 1111 1111 1112", "41 1111 1111 1111 11"]) == [
        None,
        None,
        None,
    ]
    # in text: the card is the span, with its separators
    text = "paid with 2223 0031 2200 3222 yesterday"
    (spans,) = _spans([text])
    assert [(s.entity, text[s.start : s.end]) for s in spans] == [
        ("CREDIT_CARD", "2223 0031 2200 3222")
    ]


@pytest.mark.parametrize("network", sorted(RULES))
def test_recall_on_1000_numbers_per_network(network: str) -> None:
    """Column of 1,000 rule-generated numbers per network: every one found with the column's
    card context; without context only the ones that are also valid product barcodes wait."""
    rng = random.Random(f"recall-{network}")
    values = []
    for _ in range(1000):
        lo, hi, lengths = rng.choice(RULES[network])
        values.append(_card(rng, lo, hi, rng.choice(lengths)))
    with_context = _cards(values, ["card_number", "card number", "card", "number"])
    assert sum(s is not None for s in with_context) == 1000
    bare = _cards(values)
    assert sum(s is not None for s in bare) == sum(not gtin_ok(v) for v in values)


def test_barcodes_isbns_and_other_ids_are_not_cards() -> None:
    rng = random.Random(5)
    values = [
        "9780306406157",  # ISBN-13
        "4006381333931",  # EAN-13 (also Visa-13 range, Luhn-invalid)
        "036000291452",  # UPC-A
        str(uuid.UUID(int=rng.getrandbits(128))),
        hashlib.sha256(b"x").hexdigest(),
        "20240117093015123",  # timestamp digits
    ]
    assert _cards(values) == [None] * len(values)
    # a 13-digit Visa-range number that is also a valid EAN-13: not a card without context
    ean_visa = next(
        v for v in (_card(rng, 4, 4, 13) for _ in range(1000)) if gtin_ok(v) and luhn_ok(v)
    )
    assert _cards([ean_visa]) == [None]
    assert _cards([ean_visa], ["card_number", "card"]) == [0.65]


# -- phones ---------------------------------------------------------------------------------------


def test_letter_prefixed_codes_are_not_phones() -> None:
    codes = [
        "LOT-2024-00483",
        "SKU-212-867-5309",
        "PN415-867-5309",
        "A1-2024-7788",
        "BATCH/212-867-5309",
    ]
    assert _phones(codes) == [[]] * len(codes)
    # labels glued to a number and extensions stay phones
    assert _phones(["tel:+1-415-867-5309", "Phone:415-867-5309", "415-867-5309 x204"]) == [
        ["+1-415-867-5309"],
        ["415-867-5309"],
        ["415-867-5309 x204"],
    ]


def test_isbn_and_ean_with_valid_check_digits_are_not_phones() -> None:
    assert gtin_ok("9780306406157") and gtin_ok("0250402163968") and gtin_ok("036000291452")
    assert isbn10_ok("0-306-40615-2") and not isbn10_ok("0-306-40615-3")
    # a valid EAN-13 that German phone parsing reads as a phone; its invalid twin stays a phone
    assert _phones(["0250402163968", "0250402163969"], ("DE",)) == [[], ["0250402163969"]]
    values = ["9780306406157", "978-0-306-40615-7", "0-306-40615-2", "036000291452"]
    assert _phones(values) == [[]] * len(values)


def test_nanp_area_code_and_exchange_rules() -> None:
    assert nanp_ok("4158675309") and nanp_ok("2125550123")
    assert not nanp_ok("2129110123")  # N11 exchange
    assert not nanp_ok("9115550123")  # N11 area code
    assert not nanp_ok("1125550123") and not nanp_ok("2120550123")  # 0/1 first digits
    values = ["212-911-0123", "(212) 911-0123", "+1 212 911 0123", "212-055-0123"]
    assert _phones(values) == [[]] * len(values)
    # real numbers, and the 555-0100..0199 range reserved for fiction (still a phone: see docs)
    assert _phones(["415-867-5309", "+1 (212) 555-0123"]) == [
        ["415-867-5309"],
        ["+1 (212) 555-0123"],
    ]


def test_negative_column_name_lexicon() -> None:
    for name in ["sku", "product_code", "OrderNumber", "lot_no", "batch", "isbn13", "ean", "upc",
                 "gtin", "part_no", "serial_number", "version", "model_no", "invoice_id",
                 "tracking_number", "barcode"]:  # fmt: skip
        assert not_phone_name(name) is not None, name
    for name in ["phone", "order_phone", "department", "participant", "customer_number"]:
        assert not_phone_name(name) is None, name


def _product_table(n: int = 40) -> pd.DataFrame:
    rng = random.Random(3)

    def nnn() -> str:
        return f"{rng.choice(['212', '415', '646', '303'])}-{rng.randint(200, 989)}-{rng.randint(1000, 9999)}"

    return pd.DataFrame(
        {
            "product_code": [nnn() for _ in range(n)],
            "order_number": [nnn() for _ in range(n)],
            "lot": [f"LOT-2024-{rng.randint(0, 99999):05d}" for _ in range(n)],
            "sku": [f"SKU-{nnn()}" for _ in range(n)],
            "isbn": ["9780306406157", "978-3-16-148410-0", "0-306-40615-2", "9791234567896"] * (n // 4),
            "ean": ["4006381333931", "0250402163968", "5901234123457", "036000291452"] * (n // 4),
            "request_id": [str(uuid.UUID(int=rng.getrandbits(128))) for _ in range(n)],
            "sha256": [hashlib.sha256(str(i).encode()).hexdigest() for i in range(n)],
            "version": [f"{rng.randint(0, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 30)}" for _ in range(n)],
            "customer_phone": [nnn() for _ in range(n)],
            "order_phone": [nnn() for _ in range(n)],
            "contact": [f"+1 {nnn()}" for _ in range(n)],
        }
    )  # fmt: skip


@pytest.mark.parametrize("regions", [("US",), REGIONS])
def test_product_batch_and_barcode_columns_stay_clean(regions: tuple[str, ...]) -> None:
    df = _product_table()
    rows = {r["column"]: r for r in scan_frame(df, ScanOptions(phone_regions=regions)).rows}
    clean = ["product_code", "order_number", "lot", "sku", "isbn", "ean", "request_id", "sha256",
             "version"]  # fmt: skip
    assert {c: (rows[c]["kind"], rows[c]["entity_types"]) for c in clean} == {
        c: ("none", []) for c in clean
    }
    # the same NNN-NNN-NNNN values under a phone name are phones
    for col in ("customer_phone", "order_phone", "contact"):
        assert rows[col]["kind"] == "direct_identifier", col
        assert rows[col]["entity_types"] == ["PHONE_NUMBER"], col
    # the evidence says why the product column is not a phone column
    assert rows["product_code"]["evidence"]["not_phone"].startswith(
        "column named for products, orders or batches ('product'): "
    )


def test_no_raw_card_or_phone_in_any_output(tmp_path: Path) -> None:
    rng = random.Random(11)
    cards = [
        _card(rng, 2221, 2720, 16),  # Mastercard 2-series
        _card(rng, 4, 4, 19),  # 19-digit Visa
        _card(rng, 2200, 2204, 16),  # Mir
        _card(rng, 622126, 622925, 19),  # Discover / UnionPay, 19 digits
    ]
    phones = ["415-867-5309", "+44 20 7946 0958", "(303) 284-7711", "+1 646 823 1190"]
    n = 40
    df = pd.DataFrame(
        {
            "card_number": [cards[i % 4] for i in range(n)],
            "customer_phone": [phones[i % 4] for i in range(n)],
            "product_code": [f"415-{200 + i}-{3000 + i}" for i in range(n)],
            "amount": [10.0 + i for i in range(n)],
        }
    )
    report = auditor.audit(
        df,
        policy={"version": 1, "name": "cards-phones", "checks": {"PII": {}}},
        overrides={"PII001.sample_size": "all"},
        features=["amount"],
    )
    cols = {r["column"]: r for r in report.result("PII001").tables["columns"]}
    assert cols["card_number"]["entity_types"][0] == "CREDIT_CARD"
    assert cols["card_number"]["hit_rate"] == 1.0
    assert cols["customer_phone"]["entity_types"] == ["PHONE_NUMBER"]
    assert cols["product_code"]["kind"] == "none"
    written = report.write(tmp_path, ["json", "md", "html", "junit", "sarif"])
    for fmt, path in written.items():
        text = Path(path).read_text(encoding="utf-8")
        squashed = "".join(c for c in text if c.isdigit() or c.isalpha() or c.isspace())
        for raw in cards + phones:
            digits = "".join(c for c in raw if c.isdigit())
            assert raw not in text, (fmt, "raw value")
            assert digits not in text.replace(" ", "").replace("-", ""), (fmt, "digits")
            assert digits not in squashed.replace(" ", ""), (fmt, "digits")
