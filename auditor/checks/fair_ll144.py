"""FAIR003 ll144-bias-audit: NYC Local Law 144 bias-audit tables and summary (6 RCNY §5-301, §5-303).

What: selection rates (or, for score outputs, scoring rates: the share of each category scoring
strictly above the full-sample median) and impact ratios (rate / highest rate, computed from
unrounded rates) separately for sex, race/ethnicity and the sex × race/ethnicity intersection;
the number of individuals in an unknown category (missing, blank or "unknown", configurable with
``unknown_values``), counted per table and in total; optional exclusion of categories under 2% of
the data from the impact ratio only (``exclude_below_share: 0.02``) with a mandatory
``exclusion_justification`` (their n and rate are still reported); and the published-summary
fields: audit date, data source description, AEDT distribution date (options ``audit_date``,
``data_source``, ``distribution_date``, or the audit config's ``metadata:`` keys of the same name,
also accepted under ``metadata: {ll144: {...}}``), and the explanation of the data
(``metadata`` key ``data_explanation`` or ``data_source_explanation``, reported when given).
Only the sex and race/ethnicity columns are encoded: another sensitive feature (a numeric age)
never stops this check; ``bins`` (as FAIR001, also taken from a family-level
``FAIR: {options: {bins: ...}}``) bins a numeric LL144 column. The reference category is the
main report's: the highest rate among categories of at least ``min_group_size`` (30) people
(``min_group_size: 0``: DCWP's literal rule, the most selected category whatever its size);
every category is still listed with its rate and impact ratio. Categories that cannot be
compared (undefined rate, no eligible reference) get a "could not be assessed" finding of
``insufficient_evidence_severity`` (low).

Why: an employer using an automated employment decision tool in New York City must publish a
bias audit no older than one year with exactly these numbers.

Passes: the summary fields are present (audit date, source and explanation of the data,
distribution date), the audit date is within a year, test data are explained. Every category is
reported; impact ratios below 0.80 are flagged as the *EEOC four-fifths reference* (one
low-severity finding per table by default, ``flag_severity``, with each category's evidence for
information), not as an LL144 verdict: LL144 sets no threshold.

Fails example: ``audit_date`` missing (finding naming §5-303), or an audit dated more than a year
before the run (§5-301(a)).

References: NYC Admin. Code §20-870 to §20-874; DCWP rules 6 RCNY §5-300 to §5-304 (adopted
2023-04-06); 29 CFR 1607.4(D).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, Literal

from ..check import Skip, check
from ..errors import ConfigError
from ..fairness.names import DEFAULT_UNKNOWN
from ..fairness.options import Bins, Boot, MaxGroups, MinGroupSize, SeverityName
from ..findings import Finding, Severity, Table
from ..options import Level, Range, Ratio, check_domains

if TYPE_CHECKING:
    from ..context import Context
    from ..fairness.options import GroupOptions

LL144_UNKNOWN = (
    *DEFAULT_UNKNOWN,
    "prefer not to say",
    "declined",
    "not specified",
    "other/unknown",
)


@dataclass(frozen=True)
class Options:
    sex: str | None = None
    race: str | None = None
    mode: Literal["auto", "selection", "scoring"] = "auto"
    quantile: Level = 0.5
    unknown_values: tuple[str, ...] = LL144_UNKNOWN
    exclude_below_share: Annotated[float, Range(ge=0, lt=1)] = 0.0
    exclusion_justification: str = ""
    audit_date: str | None = None
    data_source: str | None = None
    distribution_date: str | None = None
    data_type: Literal["historical", "test"] = "historical"
    test_data_explanation: str = ""
    flag_threshold: Ratio = 0.8
    flag_severity: SeverityName = "low"
    min_group_size: MinGroupSize = 30
    max_groups: MaxGroups = 50
    bins: Bins = field(default_factory=dict)
    n_boot: Boot = 1000
    confidence: Level = 0.95
    significance_test: Literal["auto", "z", "fisher"] = "auto"
    insufficient_evidence_severity: SeverityName = "low"

    def __post_init__(self) -> None:
        check_domains(self)
        if self.exclude_below_share > 0 and not self.exclusion_justification.strip():
            raise ValueError(
                f"exclude_below_share={self.exclude_below_share:g} needs the option "
                "exclusion_justification (a non-empty text): §5-301(d) requires the auditor's "
                "justification in the summary"
            )


def _columns(ctx: Context, o: Options) -> tuple[str | None, str | None]:
    from ..fairness.ll144 import find_column

    sex = find_column(ctx, o.sex, r"sex|gender", "sex")
    race = find_column(ctx, o.race, r"race|ethnic", "race")
    return sex, race


def _features(ctx: Context, o: Options) -> list[tuple[str, ...]]:
    """sex, race/ethnicity and their intersection: the only columns LL144 compares."""
    sex, race = _columns(ctx, o)
    features: list[tuple[str, ...]] = [(c,) for c in (sex, race) if c is not None]
    if sex is not None and race is not None:
        features.append((sex, race))
    return features


def _group_options(o: Options) -> GroupOptions:
    from ..fairness.options import GroupOptions

    return GroupOptions(
        intersections="none",
        min_group_size=o.min_group_size,
        missing_values=o.unknown_values,
        max_groups=o.max_groups,
        bins=o.bins,
        confidence=o.confidence,
        n_boot=o.n_boot,
        significance_test=o.significance_test,
    )


def _mode(ctx: Context, o: Options) -> str:
    if o.mode != "auto":
        need = "predictions" if o.mode == "selection" else "scores"
        ctx.require(need)
        return o.mode
    if ctx.missing("predictions") is None:
        return "selection"
    if ctx.missing("scores") is None:
        return "scoring"
    raise Skip("no predictions or scores: LL144 tables need the AEDT's selections or scores")


def _validate(ctx: Context, o: Options) -> None:
    from ..fairness.engine import validate_group_options

    sex, race = _columns(ctx, o)
    for col in (sex, race):
        if col is not None and col not in ctx.sensitive:
            raise ConfigError(f"{col!r}: LL144 categories must be listed as sensitive features")
    # only sex and race/ethnicity are encoded: another sensitive feature (a numeric age) is
    # not this check's business
    validate_group_options(ctx, _group_options(o), _features(ctx, o))


@check(
    "FAIR003",
    "ll144-bias-audit",
    severity=Severity.MEDIUM,
    options=Options,
    references=(
        "https://rules.cityofnewyork.us/wp-content/uploads/2023/04/DCWP-NOA-for-Use-of-Automated-Employment-Decisionmaking-Tools-2.pdf",
        "https://codelibrary.amlegal.com/codes/newyorkcity/latest/NYCrules/0-0-0-138530",
    ),
    requires=("sensitive",),
    validate=_validate,
    lazy=True,  # runs on lazy engine sources (auditor.engines)
)
def ll144_bias_audit(ctx: Context, options: Options) -> Iterator[Finding | Table]:
    from ..fairness.findings import Wording, subject_findings
    from ..fairness.ll144 import FLAG_STATUS, relabel
    from ..fairness.outcomes import score_threshold
    from ..fairness.runner import compare
    from ..fairness.tables import TableSpec

    o = options
    features = _features(ctx, o)
    if not features:
        raise Skip(
            "no sex or race/ethnicity column: name them with --set FAIR003.sex=COL / --set "
            "FAIR003.race=COL (or the options sex / race in the policy; they must be sensitive "
            "features, --sensitive)"
        )
    mode = _mode(ctx, o)
    gopts = _group_options(o)
    threshold = score_threshold(ctx, o.quantile) if mode == "scoring" else None
    spec = TableSpec(
        scoring=mode == "scoring",
        reference="max_rate",
        min_group_size=o.min_group_size,
        threshold=o.flag_threshold,
        confidence=o.confidence,
        n_boot=o.n_boot,
        significance_test=o.significance_test,
        exclude_below_share=o.exclude_below_share,
        exclusion_justification=o.exclusion_justification,
        fail_status=FLAG_STATUS,
        small_breach_status=FLAG_STATUS,
        decide_on="estimate",
        seed=ctx.seed,
    )
    cmp = compare(
        ctx, gopts, spec, (), {}, positive="score" if mode == "scoring" else "prediction",
        threshold=threshold, features=features,
    )  # fmt: skip
    rows = relabel(cmp.groups, o.flag_threshold)
    yield Table(
        "groups",
        tuple(rows),
        (
            f"LL144 {'scoring' if mode == 'scoring' else 'selection'} rates and impact ratios "
            "(rate / the highest rate among categories of at least "
            f"{o.min_group_size} people, unrounded); ci = Wilson interval of the rate; the 0.80 "
            "flag is the EEOC four-fifths reference, not an LL144 verdict"
        ),
    )
    summary, findings = _summary(ctx, o, mode, threshold, cmp)
    yield Table(
        "ll144_summary", tuple(summary), "Fields of the published bias-audit summary (§5-303)"
    )
    yield from findings
    cut = "the median" if o.quantile == 0.5 else f"the {o.quantile:g} quantile"
    yield from subject_findings(
        cmp.breaches,
        rows,
        (),
        wording=Wording(
            "ll144",
            reference="max_rate",
            mitigation=(
                "publish the table as it is; review the flagged categories with counsel (the "
                "EEOC four-fifths rule of thumb) and read the significance test in the evidence."
            ),
        ),
        tests=cmp.tests,
        confidence=o.confidence,
        decide_on="estimate",
        threshold=o.flag_threshold,
        inconclusive_severity=Severity.parse(o.insufficient_evidence_severity),
        breach_severity=Severity.parse(o.flag_severity),
        scoring_words=(
            (f"score above {cut}", f"scored above {cut}", "scoring rate")
            if mode == "scoring"
            else None
        ),
    )


def _summary(
    ctx: Context, o: Options, mode: str, threshold: float | None, cmp: Any
) -> tuple[list[dict[str, Any]], list[Finding]]:
    from ..fairness.ll144 import parse_date, summary_value

    rows: list[dict[str, Any]] = []
    findings: list[Finding] = []
    for item, label in (
        ("audit_date", "the date of the most recent bias audit"),
        ("data_source", "the source of the data"),
        ("data_explanation", "the explanation of the data"),
        ("distribution_date", "the tool's distribution date"),
    ):
        value, source = summary_value(ctx, item, getattr(o, item, None))
        if item != "data_explanation":  # recorded below, after data_type
            rows.append({"field": item, "value": value, "source": source})
        if value is None:
            where = (
                f"the check option {item} or the audit config metadata key {item}"
                if item != "data_explanation"
                else "the audit config metadata key data_explanation (or data_source_explanation)"
            )
            findings.append(
                Finding(
                    message=(
                        f"The LL144 bias-audit summary cannot be published: {label} is not given "
                        "(6 RCNY §5-303 requires it)."
                    ),
                    location=f"ll144:{item}",
                    evidence={"field": item},
                    discriminator=item,
                    recommendation=f"Set {where}, then re-run the audit.",
                )
            )
        elif item == "audit_date":
            date = parse_date(value)
            if date is None:
                findings.append(
                    Finding(
                        message=f"LL144 audit_date {value!r} is not a date (YYYY-MM-DD)",
                        location="ll144:audit_date",
                        discriminator="audit_date_format",
                    )
                )
            elif (ctx.today - date).days > 365:
                findings.append(
                    Finding(
                        message=(
                            f"LL144 bias audit dated {date.isoformat()} is more than one year old "
                            f"on {ctx.today.isoformat()}: the AEDT may not be used (§5-301(a))"
                        ),
                        location="ll144:audit_date",
                        evidence={"audit_date": date.isoformat(), "today": ctx.today.isoformat()},
                        discriminator="audit_date_age",
                        severity=Severity.HIGH,
                        recommendation="Commission a new independent bias audit.",
                    )
                )
    rows.append({"field": "data_type", "value": o.data_type, "source": "option"})
    explanation, where = summary_value(ctx, "data_explanation", None)
    rows.append({"field": "data_explanation", "value": explanation, "source": where})
    if o.data_type == "test":
        test_text, test_where = summary_value(ctx, "test_data_explanation", o.test_data_explanation)
        rows.append({"field": "test_data_explanation", "value": test_text, "source": test_where})
        if test_text is None:
            findings.append(
                Finding(
                    message=(
                        "The LL144 bias audit uses test data but does not explain why historical "
                        "data could not be used or how the test data were generated (6 RCNY "
                        "§5-302)."
                    ),
                    location="ll144:data_type",
                    discriminator="test_data_explanation",
                    recommendation=(
                        "Set the check option test_data_explanation or the audit config metadata "
                        "key test_data_explanation."
                    ),
                )
            )
    rows.append({"field": "output", "value": mode, "source": "inputs"})
    if threshold is not None:
        rows.append(
            {"field": f"score_quantile_{o.quantile:g}", "value": threshold, "source": "measured"}
        )
    total = ctx.n_rows - sum(n for _, n in cmp.outcomes.exclusions)
    rows.append({"field": "assessed_individuals", "value": total, "source": "measured"})
    joint = cmp.counts[-1]
    rows.append({"field": "unknown_category", "value": joint.n_missing, "source": "measured"})
    for gc in cmp.counts:
        rows.append(
            {"field": f"unknown_category.{gc.feature}", "value": gc.n_missing, "source": "measured"}
        )
    for reason, n in cmp.outcomes.exclusions:
        rows.append({"field": f"left_out.{reason}", "value": n, "source": "measured"})
    excluded = [
        f"{r['feature']}={r['group']}"
        for r in cmp.groups
        if r["excluded"] and r["group"] != "(missing)"
    ]
    if excluded:
        rows.append({"field": "excluded_from_impact_ratio", "value": excluded, "source": "option"})
        rows.append(
            {
                "field": "exclusion_justification",
                "value": o.exclusion_justification,
                "source": "option",
            }
        )
    return rows, findings
