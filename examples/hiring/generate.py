"""Seeded generator of a realistic hiring dataset (synthetic people; no real person is described).

Columns: applicant contact data (name, e-mail, phone, ZIP, date of birth), demographics (sex,
race/ethnicity, age), application facts, free-text recruiter notes that sometimes contain an e-mail
or a phone number, a model score, the model's selection decision and a later ground-truth label.
The score carries a built-in disparity (by sex and race/ethnicity) so the example audit has
something real to find. Run ``python examples/hiring/generate.py`` to rewrite ``applicants.csv``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

FIRST_F = [
    "Maria",
    "Aisha",
    "Emily",
    "Sofia",
    "Mei",
    "Olivia",
    "Fatima",
    "Grace",
    "Lucia",
    "Hannah",
    "Priya",
    "Chloe",
]
FIRST_M = [
    "James",
    "Mohammed",
    "Daniel",
    "Wei",
    "Carlos",
    "Ethan",
    "Kwame",
    "Lucas",
    "Arjun",
    "Noah",
    "Diego",
    "Samuel",
]
LAST = [
    "Garcia",
    "Smith",
    "Nguyen",
    "Johnson",
    "Okafor",
    "Kim",
    "Patel",
    "Brown",
    "Rossi",
    "Cohen",
    "Lopez",
    "Williams",
    "Chen",
    "Haddad",
]
RACES = [
    "White",
    "Black or African American",
    "Hispanic or Latino",
    "Asian",
    "Two or More Races",
    "Native Hawaiian or Pacific Islander",
    "American Indian or Alaska Native",
]
RACE_P = [0.44, 0.17, 0.19, 0.12, 0.04, 0.02, 0.02]
EDU = ["High school", "Associate", "Bachelor", "Master", "PhD"]
NOTES = [
    "Strong portfolio, clear communicator.",
    "Good technical screen; follow up on availability.",
    "Relocating next spring, flexible on start date.",
    "Referred by a current employee.",
    "Needs visa sponsorship.",
    "Solid experience with customer-facing roles.",
    "Asked to reschedule the interview twice.",
    "",
]


def make_hiring(n: int = 2000, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    sex = rng.choice(["Female", "Male"], size=n, p=[0.47, 0.53])
    race = rng.choice(RACES, size=n, p=RACE_P).astype(object)
    unknown = rng.random(n) < 0.03  # applicants who did not self-identify
    race[unknown] = "Unknown"
    age = rng.integers(19, 66, size=n)
    dob = pd.to_datetime("2026-06-01") - pd.to_timedelta(
        age * 365 + rng.integers(0, 365, n), unit="D"
    )
    first = np.where(sex == "Female", rng.choice(FIRST_F, n), rng.choice(FIRST_M, n))
    last = rng.choice(LAST, n)
    names = [f"{f} {ln}" for f, ln in zip(first, last, strict=True)]
    domains = rng.choice(["example.com", "mail.example.org", "inbox.example.net"], n)
    emails = [
        f"{f.lower()}.{ln.lower()}{i % 97}@{d}"
        for i, (f, ln, d) in enumerate(zip(first, last, domains, strict=True))
    ]
    phones = [f"(212) 555-{rng.integers(1000, 9999):04d}" for _ in range(n)]
    zips = rng.choice(["10001", "10027", "10451", "11201", "11368", "10314", "07030", "11101"], n)
    years = np.clip(rng.gamma(2.0, 3.0, n).round(1), 0, 40)
    edu = rng.choice(EDU, n, p=[0.15, 0.15, 0.4, 0.25, 0.05])
    skill = rng.normal(0, 1, n) + 0.08 * years + np.array([EDU.index(e) for e in edu]) * 0.25
    # the model's score carries a disparity that the audit should surface
    bias = np.where(sex == "Female", -0.35, 0.0) + np.select(
        [race == "Black or African American", race == "Hispanic or Latino"], [-0.55, -0.3], 0.0
    )
    logit = 0.9 * skill + bias - 1.1
    score = 1 / (1 + np.exp(-logit))
    selected = (score >= 0.5).astype(int)
    qualified = (skill + rng.normal(0, 0.6, n) > 0.9).astype(int)
    notes = rng.choice(NOTES, n).astype(object)
    leak = rng.random(n)
    for i in np.flatnonzero(leak < 0.04):
        notes[i] = f"Candidate asked to be reached at {emails[i]} after 5pm."
    for i in np.flatnonzero((leak >= 0.04) & (leak < 0.07)):
        notes[i] = f"Call back on {phones[i]} re: second interview."
    return pd.DataFrame(
        {
            "applicant_id": [f"A{100000 + i}" for i in range(n)],
            "full_name": names,
            "email": emails,
            "phone": phones,
            "zip_code": zips,
            "date_of_birth": dob.strftime("%Y-%m-%d"),
            "age": age,
            "sex": sex,
            "race_ethnicity": race,
            "education": edu,
            "years_experience": years,
            "recruiter_notes": notes,
            "model_score": score.round(6),
            "selected": selected,
            "qualified": qualified,
        }
    )


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else Path(__file__).with_name("applicants.csv")
    make_hiring().to_csv(out, index=False)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
