"""Seeded labelled tables for evaluating the column scan (needs Faker: ``pip install faker``).

Two column pools split at the template level: ``dev`` (used while writing the rules) and
``heldout`` (different column names, formats and locales; never used to tune). Each table mixes
identifier columns in mixed formats, free text with PII at known row rates, decoys (order ids,
SKUs, prices, epoch timestamps, 10-digit part numbers, UUID transaction ids, product names in a
column called ``name``, ``passenger_count``, a ``state`` holding order status; categorical
words that are also first or last names: colours, months, brands, weekdays; columns named
like a special category that are not one: ``race_time``, ``prison_capacity``,
``eu_union_member_state``, ``faith_score``), obfuscated and abbreviated column names, dirty
values (case, whitespace, nulls, ``N/A``) and other locales. An ethnicity column (values
``White``, ``Black``, ...: last names too) is a special category, never PERSON.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .classify import KINDS
from .measure import scan_frame
from .settings import ScanOptions

__all__ = ["Label", "evaluate", "labelled_table", "valid_vin"]

CAPITALS = (
    "Montgomery", "Juneau", "Phoenix", "Little Rock", "Sacramento", "Denver", "Hartford", "Dover",
    "Tallahassee", "Atlanta", "Honolulu", "Boise", "Springfield", "Indianapolis", "Des Moines",
    "Topeka", "Frankfort", "Baton Rouge", "Augusta", "Annapolis", "Boston", "Lansing",
    "Saint Paul", "Jackson", "Jefferson City", "Helena", "Lincoln", "Carson City", "Concord",
    "Trenton", "Santa Fe", "Albany", "Raleigh", "Bismarck", "Columbus", "Oklahoma City", "Salem",
    "Harrisburg", "Providence", "Columbia", "Pierre", "Nashville", "Austin", "Salt Lake City",
    "Montpelier", "Richmond", "Olympia", "Charleston", "Madison", "Cheyenne",
)  # fmt: skip


@dataclass(frozen=True)
class Label:
    """Truth for one column: ``kind`` is one of KINDS; ``entities`` the expected types."""

    kind: str
    entities: tuple[str, ...] = ()
    row_rate: float = 1.0

    @property
    def pii(self) -> bool:
        return self.kind != "none"


_VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


def valid_vin(rng: random.Random) -> str:
    """A random 17-character VIN with a correct check digit."""
    from .recognizers import _VIN_VALUES, _VIN_WEIGHTS

    chars = [rng.choice(_VIN_CHARS) for _ in range(17)]
    chars[8] = "0"
    total = sum(_VIN_VALUES[c] * w for c, w in zip(chars, _VIN_WEIGHTS, strict=True))
    check = total % 11
    chars[8] = "X" if check == 10 else str(check)
    return "".join(chars)


def _dirty(values: list[Any], rng: random.Random, null_rate: float = 0.04) -> list[Any]:
    out: list[Any] = []
    for v in values:
        r = rng.random()
        if r < null_rate:
            out.append(None)
        elif r < null_rate + 0.01:
            out.append("N/A")
        elif isinstance(v, str) and r < null_rate + 0.05:
            out.append(f"  {v.upper()} ")
        else:
            out.append(v)
    return out


def labelled_table(
    n_rows: int = 1000, seed: int = 0, pool: str = "dev"
) -> tuple[pd.DataFrame, dict[str, Label]]:
    """A DataFrame and its column labels; identical for identical arguments."""
    try:
        from faker import Faker
    except ImportError as exc:  # pragma: no cover - faker is a test dependency
        raise RuntimeError("the PII evaluation generator needs Faker: pip install faker") from exc
    if pool not in ("dev", "heldout"):
        raise ValueError(f"pool must be 'dev' or 'heldout', got {pool!r}")
    held = pool == "heldout"
    rng = random.Random(seed * 7919 + (1 if held else 0))  # noqa: S311 - test data, not secrets
    fk = Faker("en_US")
    fk.seed_instance(seed)
    other = Faker("pt_BR" if held else "de_DE")
    other.seed_instance(seed + 1)
    n = n_rows

    def col(fn: Callable[[], Any]) -> list[Any]:
        return [fn() for _ in range(n)]

    def phone() -> str:
        digits = f"{rng.randint(201, 989)}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}"
        a, b, c = digits[:3], digits[3:6], digits[6:]
        fmt = rng.choice(["({a}) {b}-{c}", "{a}-{b}-{c}", "+1 {a} {b} {c}", "{a}.{b}.{c}"])
        return fmt.format(a=a, b=b, c=c)

    def ssn() -> str:
        s = fk.ssn()
        return s.replace("-", "") if rng.random() < 0.3 else s

    def dob() -> str:
        d = fk.date_of_birth(minimum_age=18, maximum_age=95)
        return d.strftime(rng.choice(["%Y-%m-%d", "%m/%d/%Y"]))

    def note(rate: float) -> tuple[list[str], list[bool]]:
        texts, has = [], []
        templates = [
            "Please call me back at {phone}, {sentence}",
            "{sentence} My email is {email} if you need anything.",
            "{name} asked about the refund. {sentence}",
            "Ship it to {street} please. {sentence}",
            "{sentence} SSN on file: {ssn}.",
        ]
        for _ in range(n):
            base = fk.sentence(nb_words=rng.randint(8, 16))
            if rng.random() < rate:
                t = rng.choice(templates)
                texts.append(
                    t.format(
                        phone=phone(),
                        email=fk.email(),
                        name=fk.name(),
                        street=fk.street_address(),
                        ssn=fk.ssn(),
                        sentence=base,
                    )
                )
                has.append(True)
            else:
                texts.append(base + " " + fk.sentence(nb_words=6))
                has.append(False)
        return texts, has

    names = {
        "name": "customer_name" if held else "full_name",
        "email": "EmailAddress" if held else "e_mail",
        "phone": "mobile" if held else "tel",
        "ssn": "social_security_number" if held else "ssn",
        "card": "card_number" if held else "cc_num",
        "iban": "bank_iban" if held else "iban",
        "ip": "client_ip" if held else "ip_address",
        "dob": "birth_date" if held else "dob",
        "zip": "postcode" if held else "zip",
        "street": "home_address" if held else "street",
        "city": "town" if held else "city",
        "mrn": "medical_record_number" if held else "mrn",
        "vin": "vehicle_id" if held else "vin",
        "notes": "ticket_text" if held else "notes",
        "obf": "field_12" if held else "col_07",
        "gender": "sex" if held else "gender",
        "age": "patient_age" if held else "age",
        "religion": "faith" if held else "religion",
        "dx": "icd10" if held else "diagnosis_code",
        "token": "access_token" if held else "api_key",
        "lat": "lat" if held else "latitude",
        "first": "first_name" if held else "given_name",
    }
    data: dict[str, list[Any]] = {}
    labels: dict[str, Label] = {}

    def add(
        key: str, values: list[Any], label: Label, dirty: bool = True, *, literal: bool = False
    ) -> None:
        name = key if literal else names.get(key, key)
        if name in data:
            raise ValueError(f"duplicate generated column {name!r}")
        data[name] = _dirty(values, rng) if dirty else values
        labels[name] = label

    add("name", col(fk.name), Label("direct_identifier", ("PERSON",)))
    add("email", col(fk.email), Label("direct_identifier", ("EMAIL_ADDRESS",)))
    add("phone", col(phone), Label("direct_identifier", ("PHONE_NUMBER",)))
    add("ssn", col(ssn), Label("direct_identifier", ("US_SSN",)))
    add("card", col(fk.credit_card_number), Label("direct_identifier", ("CREDIT_CARD",)))
    add("iban", col(other.iban), Label("direct_identifier", ("IBAN_CODE",)))
    add(
        "ip",
        col(lambda: fk.ipv4() if rng.random() < 0.8 else fk.ipv6()),
        Label("direct_identifier", ("IP_ADDRESS",)),
    )
    add("dob", col(dob), Label("quasi_identifier", ("DATE_OF_BIRTH",)))
    add(
        "zip",
        col(lambda: fk.zipcode() if rng.random() < 0.8 else fk.zipcode_plus4()),
        Label("quasi_identifier", ("US_ZIP",)),
    )
    add("street", col(fk.street_address), Label("direct_identifier", ("STREET_ADDRESS",)))
    add("city", col(lambda: rng.choice(CAPITALS)), Label("quasi_identifier", ("LOCATION",)))
    add(
        "mrn",
        col(lambda: f"{rng.randint(1_000_000, 99_999_999)}"),
        Label("direct_identifier", ("MEDICAL_RECORD_NUMBER",)),
    )
    add("vin", col(lambda: valid_vin(rng)), Label("direct_identifier", ("VIN",)))
    texts, has = note(0.15)
    add("notes", texts, Label("free_text_pii", (), sum(has) / n), dirty=False)
    add("obf", col(phone), Label("direct_identifier", ("PHONE_NUMBER",)))
    add(
        "gender",
        col(lambda: rng.choice(["M", "F", "Female", "Male", "X"])),
        Label("quasi_identifier", ("GENDER",)),
    )
    add("age", col(lambda: rng.randint(18, 97)), Label("quasi_identifier", ("AGE",)), dirty=False)
    add(
        "religion",
        col(lambda: rng.choice(["Christian", "Muslim", "Jewish", "Hindu", "Buddhist", "Atheist"])),
        Label("special_category", ("RELIGIOUS_OR_PHILOSOPHICAL_BELIEFS",)),
    )
    add(
        "dx",
        col(lambda: rng.choice(["E11.9", "I10", "J45.909", "F32.9", "C50.911", "Z23"])),
        Label("special_category", ("HEALTH_DATA",)),
    )
    add(
        "token",
        col(lambda: fk.pystr(min_chars=32, max_chars=40)),
        Label("direct_identifier", ("CREDENTIAL",)),
    )
    add(
        "lat",
        col(lambda: round(float(fk.latitude()), 6)),
        Label("direct_identifier", ("PRECISE_LOCATION",)),
        dirty=False,
    )
    add("first", col(other.first_name), Label("direct_identifier", ("PERSON",)))
    mixed = [fk.email() if rng.random() < 0.5 else fk.sentence(nb_words=9) for _ in range(n)]
    add(
        "contact_info" if held else "contact", mixed, Label("direct_identifier", ("EMAIL_ADDRESS",))
    )

    # decoys
    none = Label("none")
    add(
        "invoice_no" if held else "order_id",
        col(lambda: f"ORD-{rng.randint(0, 10**8 - 1):08d}"),
        none,
    )
    add(
        "product_code" if held else "sku", col(lambda: f"SKU-{fk.bothify('??-####').upper()}"), none
    )
    add(
        "amount" if held else "price", col(lambda: round(rng.uniform(1, 500), 2)), none, dirty=False
    )
    add("units" if held else "quantity", col(lambda: rng.randint(1, 20)), none, dirty=False)
    add(
        "order_state" if held else "state",
        col(lambda: rng.choice(["shipped", "pending", "returned", "cancelled"])),
        none,
    )
    add("vendor" if held else "company", col(fk.company), none)
    add("title" if held else "job", col(fk.job), none)
    add("item_name" if held else "name", col(lambda: fk.catch_phrase()), none, literal=True)
    add("passenger_count", col(lambda: rng.randint(1, 6)), none, dirty=False)
    add(
        "updated_ts" if held else "created_at",
        col(lambda: rng.randint(1_500_000_000, 1_800_000_000)),
        none,
        dirty=False,
    )
    add(
        "part_no" if held else "part_number", col(lambda: str(rng.randint(10**9, 10**10 - 1))), none
    )
    add(
        "txn_ref" if held else "transaction_id",
        col(lambda: str(uuid.UUID(int=rng.getrandbits(128)))),
        none,
    )
    add(
        "product_description" if held else "review",
        col(lambda: fk.paragraph(nb_sentences=2)),
        none,
        dirty=False,
    )
    # categorical words that are also names in the gazetteer (White, May, Ford, ...)
    colours = ["White", "Black", "Brown", "Green", "Gray", "Silver", "Red", "Blue"]
    add("paint_colour" if held else "color", col(lambda: rng.choice(colours)), none)
    months = ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"]  # fmt: skip
    add("release_month" if held else "month", col(lambda: rng.choice(months)), none)
    brands = (
        ["Ford", "Lincoln", "Dodge", "Chrysler", "Mercedes", "Porsche", "Ferrari", "Tesla"]
        if held
        else ["Ford", "Dell", "Apple", "Lincoln", "Harley", "Mack", "Gillette", "Kellogg"]
    )
    add("make" if held else "brand", col(lambda: rng.choice(brands)), none)
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    add("day_of_week" if held else "weekday", col(lambda: rng.choice(days)), none)
    origin = (
        ["White", "Black or African American", "Asian", "American Indian or Alaska Native",
         "Two or more races"]
        if held
        else ["White", "Black", "Asian", "Hispanic", "Mixed"]
    )  # fmt: skip
    add(
        "race" if held else "ethnicity",
        col(lambda: rng.choice(origin)),
        Label("special_category", ("RACIAL_OR_ETHNIC_ORIGIN",)),
    )
    # named like a special category, holding something else
    if held:
        add("ethnic_food_spend", col(lambda: round(rng.uniform(0, 300), 2)), none, dirty=False)
        add("religion_article_count", col(lambda: rng.randint(0, 5000)), none, dirty=False)
        add("political_ad_impressions", col(lambda: rng.randint(0, 10**6)), none, dirty=False)
    else:
        add("race_time", col(lambda: round(rng.uniform(9.5, 300.0), 2)), none, dirty=False)
        add("race_id", col(lambda: f"R{rng.randint(0, 10**7 - 1):07d}"), none)
        add("prison_capacity", col(lambda: rng.randint(50, 4000)), none, dirty=False)
        eu = ["France", "Germany", "Italy", "Spain", "Poland", "Austria", "Ireland", "Greece"]
        add("eu_union_member_state", col(lambda: rng.choice(eu)), none)
        add("faith_score", col(lambda: round(rng.random(), 3)), none, dirty=False)
        add("jail_break_game_level", col(lambda: rng.randint(1, 40)), none, dirty=False)
    frame = pd.DataFrame(data)
    frame.attrs["generator"] = {"name": "auditor.pii.synth", "seed": seed, "pool": pool}
    return frame, labels


def evaluate(
    tier: str = "context", n_rows: int = 1000, seed: int = 0, pool: str = "dev", **options: Any
) -> dict[str, Any]:
    """Column-level precision/recall/F1 of "is this a PII column" (and kind accuracy)."""
    df, labels = labelled_table(n_rows, seed, pool)
    opts = ScanOptions(tier=tier, **options)  # type: ignore[arg-type]
    result = scan_frame(df, opts, seed)
    tp = fp = fn = tn = 0
    kind_ok = 0
    errors: list[dict[str, Any]] = []
    person_fp: list[str] = []  # PERSON reported on a column whose truth has no PERSON
    for row in result.rows:
        truth = labels[row["column"]]
        pred = row["kind"] != "none"
        if (
            truth.kind != "free_text_pii"
            and "PERSON" in row["entity_types"]
            and "PERSON" not in truth.entities
        ):
            person_fp.append(row["column"])
        if pred and truth.pii:
            tp += 1
            kind_ok += row["kind"] == truth.kind
        elif pred:
            fp += 1
        elif truth.pii:
            fn += 1
        else:
            tn += 1
        if pred != truth.pii or (pred and row["kind"] != truth.kind):
            errors.append(
                {"column": row["column"], "truth": truth.kind, "predicted": row["kind"],
                 "score": row["score"], "entity_types": row["entity_types"]}
            )  # fmt: skip
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    assert set(KINDS) >= {lab.kind for lab in labels.values()}
    return {
        "tier": tier,
        "tier_used": result.meta["tier_used"],
        "pool": pool,
        "columns": len(result.rows),
        "tp": tp, "fp": fp, "fn": fn, "tn": tn,
        "precision": precision, "recall": recall, "f1": f1,
        "kind_accuracy": kind_ok / tp if tp else 0.0,
        "errors": errors,
        "person_false_positives": person_fp,
        "duration_s": result.meta["duration_s"],
    }  # fmt: skip
