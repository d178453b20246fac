"""Where a field is written in each card format, so a finding's fix speaks the card's own language.

A Model Card Toolkit card gets MCT JSON paths (schema 0.0.2, with the 0.0.1 form where it differs; in
camelCase for a proto-JSON export), a Hugging Face README gets front matter or the Hub template's
section, a Markdown card without front matter gets the heading or label to add, auditor's own
``model_card.yaml`` gets its key, and a datasheet gets the Gebru et al. question to answer. Every field
key of the schema (and so every key the shipped standards use) has an entry per format.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .document import Document

__all__ = [
    "DATASHEET",
    "HF",
    "MARKDOWN",
    "MCT",
    "MCT_LABELLED",
    "MCT_NATIVE",
    "card_flavour",
    "fill_advice",
    "license_fix",
    "mct_home",
    "not_applicable_advice",
    "where_to_write",
]

# -- Hugging Face README: front matter and the Hub template's sections ---------------------------------
# (huggingface_hub templates/modelcard_template.md; hub-docs modelcard.md for the front matter)
HF: dict[str, str] = {
    "model": "the '## Model Details' section",
    "model.name": "the model-index name (front matter) or the card title '# Model Card for <name>'",
    "model.id": "the repository id in the card title or the model-index name",
    "model.description": "'### Model Description' under '## Model Details'",
    "model.version": "a '- **Model version:**' line under '### Model Description'",
    "model.previous_version": "a '- **Previous version:**' line under '### Model Description'",
    "model.release_date": "a '- **Release date:**' line under '### Model Description'",
    "model.sha256": "a '- **SHA-256:**' line under '### Model Description' (the weights file's digest)",
    "model.task": "front matter `pipeline_tag:` (or the model-index task type)",
    "model.type": "a '- **Model type:**' line under '### Model Description'",
    "model.architecture": "'### Model Architecture and Objective' under '## Technical Specifications'",
    "model.base_model": "front matter `base_model:` (and '- **Finetuned from model:**')",
    "model.language": "front matter `language:` (and '- **Language(s) (NLP):**')",
    "provider": "'- **Developed by:**' and '## Model Card Contact'",
    "provider.name": "a '- **Developed by:**' line under '### Model Description'",
    "provider.contact": "'## Model Card Contact'",
    "provider.address": "'## Model Card Contact' (the provider's postal address)",
    "license": "front matter `license:` (with license_name and license_link for `other`)",
    "software": "'#### Software' under '### Compute Infrastructure'",
    "software.dependencies": "front matter `library_name:` and '#### Software' under '### Compute Infrastructure'",
    "compute": "'### Compute Infrastructure' under '## Technical Specifications'",
    "compute.hardware": "'#### Hardware' under '### Compute Infrastructure'",
    "compute.requirements": "a '- **System requirements:**' line under '## Technical Specifications' (what it needs to run)",
    "compute.training": "a '### Training Compute' section under '## Training Details' (GPU hours and hardware used to train, test and validate)",
    "io": "'## Inputs and Outputs' (a section the Hub template lacks)",
    "io.input_spec": "an '### Input' section (the Hub template lacks one)",
    "io.output_spec": "an '### Output' section (the Hub template lacks one)",
    "use": "'## Uses'",
    "use.intended": "'### Direct Use' under '## Uses'",
    "use.intended_users": "an '### Intended Users' section under '## Uses'",
    "use.affected_persons": "an '### Affected Persons' section under '## Uses'",
    "use.out_of_scope": "'### Out-of-Scope Use' under '## Uses'",
    "deployment": "a '## Deployment' section",
    "deployment.context": "a '## Deployment Context' section (systems it interacts with)",
    "deployment.forms": "an '## Availability' section (download, API, package)",
    "data": "'### Training Data' under '## Training Details' and '#### Testing Data' under '## Evaluation'",
    "data.training": "front matter `datasets:` and '### Training Data' under '## Training Details'",
    "data.evaluation": "'#### Testing Data' under '## Evaluation' or the model-index dataset",
    "data.provenance": "a '### Data Provenance' section under '## Training Details' (where the data comes from, how it was selected)",
    "data.preprocessing": "'#### Preprocessing' under '### Training Procedure'",
    "data.labelling": "a '#### Labelling' section under '### Training Procedure'",
    "data.sensitive_attributes": "a '- **Sensitive attributes:**' line under '### Training Data'",
    "data.contains_pii": "a '### Personal Data' section under '## Training Details' (whether the data identifies people, and how)",
    "data.contains_special_category": "a '- **Sensitive attributes:**' line under '### Training Data' (or 'none')",
    "data.pii_description": "a '### Personal Data' section under '## Training Details'",
    "data.consent": "a '### Consent' section under '## Training Details'",
    "data.representativeness": "a '### Representativeness' section under '## Training Details'",
    "data.fingerprint": "the model-index dataset `revision:` (the data's sha256 or commit)",
    "metrics": "'#### Metrics' under '## Evaluation' or front matter `metrics:`",
    "results": "'### Results' under '## Evaluation' or the model-index results",
    "results.overall": "model-index results or '### Results' under '## Evaluation'",
    "results.by_group": "'#### Factors' and the results per group under '## Evaluation'",
    "results.intersectional": "the results per intersection of groups under '### Results'",
    "fairness": "a '## Fairness Assessment' section",
    "fairness.assessment": "a '## Fairness Assessment' section (metrics, groups, outcome)",
    "fairness.claims": "model-index results with a fairness metric type and `args.feature`",
    "robustness": "a '## Robustness' section",
    "security": "a '## Security' section",
    "explainability": "'## Model Examination'",
    "limitations": "'## Bias, Risks, and Limitations'",
    "risks": "'### Recommendations' under '## Bias, Risks, and Limitations' (each risk with its mitigation)",
    "tradeoffs": "a '### Trade-offs' section under '## Bias, Risks, and Limitations'",
    "oversight": "a '## Human Oversight' section",
    "oversight.human": "a '## Human Oversight' section",
    "logging": "a '## Logging' section",
    "logging.mechanism": "a '## Logging' section",
    "monitoring": "a '## Monitoring' section",
    "monitoring.plan": "a '## Monitoring' section (the post-market monitoring plan)",
    "changelog": "a '## Changelog' section",
    "lifecycle": "a '## Maintenance' section",
    "lifecycle.expected_lifetime": "an '## Expected Lifetime' section",
    "lifecycle.maintenance": "a '## Maintenance' section",
    "lifecycle.predetermined_changes": "a '## Changelog' section (the changes planned in advance)",
    "standards_applied": "a '## Standards Applied' section",
    "conformity": "a '## Standards Applied' section naming the EU declaration of conformity",
    "conformity.declaration": "a '## Standards Applied' section naming the EU declaration of conformity",
    "environmental_impact": "'## Environmental Impact' or front matter `co2_eq_emissions:`",
    "environmental_impact.hardware": "'## Environmental Impact' (its '- **Hardware Type:**' line)",
    "environmental_impact.hours": "'## Environmental Impact' (its '- **Hours used:**' line)",
    "environmental_impact.cloud_provider": "'## Environmental Impact' (its '- **Cloud Provider:**' line)",
    "environmental_impact.region": "'## Environmental Impact' (its '- **Compute Region:**' line)",
    "environmental_impact.co2_kg": "'## Environmental Impact' (its '- **Carbon Emitted:**' line)",
    "references": "'### Model Sources' (- **Repository:**, - **Paper:**)",
    "citation": "'## Citation'",
    "card": "'## Model Card Authors'",
    "card.authors": "'## Model Card Authors'",
    "card.date": "a '- **Card last updated:**' line under '## Model Card Authors'",
    "card.version": "a '- **Card version:**' line under '## Model Card Authors'",
    "card.approved_by": "an '- **Approved by:**' line under '## Model Card Authors'",
    "governance": "a '## Governance' section",
    "governance.inventory_id": "a '## Governance' section (the AI inventory id)",
    "governance.risk_category": "a '## Governance' section (the EU AI Act risk category)",
    "governance.risk_tolerance": "a '## Governance' section (the risk tolerances)",
    "feedback": "'## Model Card Contact' (how to give feedback or appeal)",
    "feedback.channel": "'## Model Card Contact' (how to give feedback or appeal)",
    "incident": "'## Model Card Contact' (where to report incidents)",
    "incident.contact": "'## Model Card Contact' (where to report incidents)",
}  # fmt: skip

# -- a Markdown card that is not a Hub card (no front matter): the heading or label to add -----------
MARKDOWN: dict[str, str] = {
    **{k: v for k, v in HF.items() if "front matter" not in v and "model-index" not in v},
    "model.name": "the card's title '# <model name>' (or a '- **Model name:**' line)",
    "model.id": "a '- **Model ID:**' line under '## Model Details'",
    "model.task": "a '- **Task:**' line under '## Model Details'",
    "model.base_model": "a '- **Base model:**' line under '## Model Details'",
    "model.language": "a '- **Language(s):**' line under '## Model Details'",
    "license": "a '- **License:** <SPDX id>' line under '## Model Details' (or a '## License' section)",
    "software.dependencies": "a '## Software' section (libraries and their versions)",
    "data.training": "a '## Training Data' section",
    "data.evaluation": "an '## Evaluation Data' section",
    "data.fingerprint": "an '## Evaluation Data' section (naming the data's version and its sha256)",
    "metrics": "a '## Metrics' section",
    "results": "a '## Results' section",
    "results.overall": "a '## Results' section (a table of metric and value)",
    "fairness.claims": "a '## Fairness Assessment' section (metric, group and value)",
    "environmental_impact": "an '## Environmental Impact' section",
}  # fmt: skip

# -- Model Card Toolkit JSON: (schema 0.0.2 path, schema 0.0.1 path when it differs) ------------------
MCT: dict[str, tuple[str, str]] = {
    "model": ("model_details", ""),
    "model.name": ("model_details.name", ""),
    "model.description": ("model_details.overview (and model_details.documentation)", "model_details.overview"),
    "model.version": ("model_details.version.name", ""),
    "model.release_date": ("model_details.version.date", ""),
    "changelog": ("model_details.version.diff", ""),
    "provider": ("model_details.owners[]", ""),
    "provider.name": ("model_details.owners[].name", ""),
    "provider.contact": ("model_details.owners[].contact", ""),
    "license": ("model_details.licenses[].identifier", "model_details.license"),
    "references": ("model_details.references[].reference", "model_details.references[]"),
    "citation": ("model_details.citations[].citation", "model_details.citation"),
    "model.architecture": ("model_parameters.model_architecture", ""),
    "io": ("model_parameters.input_format / output_format", ""),
    "io.input_spec": ("model_parameters.input_format (or input_format_map[])", "model_parameters.input_format"),
    "io.output_spec": ("model_parameters.output_format (or output_format_map[])", "model_parameters.output_format"),
    "data": ("model_parameters.data[]", "model_parameters.data"),
    "data.training": ("model_parameters.data[] (a dataset whose name says train)", "model_parameters.data.train"),
    "data.evaluation": ("model_parameters.data[] (a dataset whose name says eval, test or validation)",
                        "model_parameters.data.eval"),
    "data.sensitive_attributes": ("model_parameters.data[].sensitive.sensitive_data[]",
                                  "model_parameters.data.train.sensitive"),
    "data.contains_special_category": ("model_parameters.data[].sensitive.sensitive_data[]",
                                       "model_parameters.data.train.sensitive (true or false)"),
    "metrics": ("quantitative_analysis.performance_metrics[].type", ""),
    "results": ("quantitative_analysis.performance_metrics[]", ""),
    "results.overall": ("quantitative_analysis.performance_metrics[] (type, value, confidence_interval; no slice)", ""),
    "results.by_group": ("quantitative_analysis.performance_metrics[] with a slice such as \"sex=Female\"", ""),
    "results.intersectional": ("quantitative_analysis.performance_metrics[] with a slice such as "
                               "\"sex×race=Female×Black\"", ""),
    "fairness": ("quantitative_analysis.performance_metrics[] with a fairness metric type", ""),
    "fairness.claims": ("quantitative_analysis.performance_metrics[] with a fairness metric type and a "
                        "slice naming the feature", ""),
    "use": ("considerations.use_cases[] and considerations.users[]", ""),
    "use.intended": ("considerations.use_cases[].description", "considerations.use_cases[]"),
    "use.intended_users": ("considerations.users[].description", "considerations.users[]"),
    "limitations": ("considerations.limitations[].description", "considerations.limitations[]"),
    "tradeoffs": ("considerations.tradeoffs[].description", "considerations.tradeoffs[]"),
    "risks": ("considerations.ethical_considerations[] (name and mitigation_strategy)", ""),
}  # fmt: skip
MCT_NATIVE = frozenset(MCT) - {"model", "provider", "data", "io", "use", "results", "fairness"}
# fields MCT has no place for, written as a labelled entry "<Label>: <text>" the loader reads back as
# the field: (label, where the entry goes); the label is one the card field lexicon knows
MCT_LABELLED: dict[str, tuple[str, str]] = {
    "use.out_of_scope": ("Out-of-scope use", "considerations.use_cases[].description"),
    "use.affected_persons": ("Affected persons", "considerations.users[].description"),
    "deployment.context": ("Deployment context", "considerations.use_cases[].description"),
    "deployment.forms": ("Availability", "considerations.use_cases[].description"),
    "data.provenance": ("Provenance", "model_parameters.data[].description"),
    "data.preprocessing": ("Preprocessing", "model_parameters.data[].description"),
    "data.labelling": ("Labelling", "model_parameters.data[].description"),
    "data.consent": ("Consent", "model_parameters.data[].description"),
    "data.representativeness": ("Representativeness", "model_parameters.data[].description"),
    "data.pii_description": ("Personal data", "model_parameters.data[].description"),
    "data.contains_pii": ("Personal data", "model_parameters.data[].description"),
    "model.type": ("Model type", "model_details.documentation"),
    "model.task": ("Task", "model_details.documentation"),
    "model.base_model": ("Base model", "model_details.documentation"),
    "model.language": ("Language", "model_details.documentation"),
    "software.dependencies": ("Software dependencies", "model_details.documentation"),
    "compute.hardware": ("Hardware", "model_details.documentation"),
    "compute.requirements": ("System requirements", "model_details.documentation"),
    "compute.training": ("Training compute", "model_details.documentation"),
    "environmental_impact": ("Environmental impact", "model_details.documentation"),
    "fairness.assessment": ("Fairness assessment", "model_details.documentation"),
    "robustness": ("Robustness", "model_details.documentation"),
    "security": ("Security", "model_details.documentation"),
    "explainability": ("Explainability", "model_details.documentation"),
    "oversight.human": ("Human oversight", "model_details.documentation"),
    "logging.mechanism": ("Logging", "model_details.documentation"),
    "monitoring.plan": ("Monitoring", "model_details.documentation"),
    "lifecycle.expected_lifetime": ("Expected lifetime", "model_details.documentation"),
    "lifecycle.maintenance": ("Maintenance", "model_details.documentation"),
    "standards_applied": ("Standards applied", "model_details.documentation"),
    "card.authors": ("Card authors", "model_details.documentation"),
    "card.date": ("Card date", "model_details.documentation"),
}  # fmt: skip


def mct_home(field: str) -> tuple[str, ...] | None:
    """The MCT (0.0.2) key path where ``field`` is written, for the location of a missing field: its
    native place, or the entry a labelled field goes in; a parent (``model``) its section; None for
    fields MCT cannot hold."""
    if field in MCT:
        path = MCT[field][0].split(" ", 1)[0]
    elif field in MCT_LABELLED:
        path = MCT_LABELLED[field][1]
    else:
        return None
    return tuple(p for p in path.replace("[]", "").split(".") if p)


# -- datasheets (Gebru et al., "Datasheets for Datasets", v7 questions) --------------------------------
_SECTION_TITLES = {
    "motivation": "Motivation",
    "composition": "Composition",
    "collection": "Collection Process",
    "preprocessing": "Preprocessing/cleaning/labeling",
    "uses": "Uses",
    "distribution": "Distribution",
    "maintenance": "Maintenance",
}
_YAML_SECTION = {"collection": "collection_process"}
# field -> (section, the question as the paper asks it, a YAML key the loader reads as that question)
DATASHEET: dict[str, tuple[str, str, str]] = {
    "datasheet.motivation": ("motivation", "For what purpose was the dataset created? Who created it, "
                             "on behalf of which entity, and who funded it?", ""),
    "datasheet.composition": ("composition", "What do the instances represent, how many are there, "
                              "and is it a sample of a larger set?", ""),
    "datasheet.collection": ("collection", "How was the data associated with each instance acquired, "
                             "by whom, over what timeframe, and was there an ethical review?", ""),
    "datasheet.preprocessing": ("preprocessing", "Was any preprocessing/cleaning/labeling of the data "
                                "done?", ""),
    "datasheet.uses": ("uses", "Has the dataset been used for any tasks already? Are there tasks for "
                       "which it should not be used?", ""),
    "datasheet.distribution": ("distribution", "Will the dataset be distributed to third parties, how, "
                               "and under what license or terms of use?", ""),
    "datasheet.maintenance": ("maintenance", "Who will be supporting/hosting/maintaining the dataset, "
                              "and will it be updated?", ""),
    "datasheet.license": ("distribution", "Will the dataset be distributed under a copyright or other "
                          "intellectual property (IP) license, and/or under applicable terms of use?",
                          "license"),
    "datasheet.contact": ("maintenance", "How can the owner/curator/manager of the dataset be contacted "
                          "(e.g., email address)?", "contact"),
    "data.provenance": ("collection", "How was the data associated with each instance acquired?", ""),
    "data.consent": ("collection", "Did the individuals in question consent to the collection and use "
                     "of their data?", "consent"),
    "data.contains_pii": ("composition", "Is it possible to identify individuals, either directly or "
                          "indirectly, from the dataset? Does it contain confidential data?",
                          "identifies_individuals"),
    "data.pii_description": ("composition", "Is it possible to identify individuals, either directly or "
                             "indirectly, from the dataset? How?", "identifies_individuals"),
    "data.contains_special_category": ("composition", "Does the dataset contain data that might be "
                                       "considered sensitive in any way (racial or ethnic origin, "
                                       "health, religious beliefs, ...)?", "sensitive_data"),
    "data.sensitive_attributes": ("composition", "Does the dataset identify any subpopulations (e.g., "
                                  "by age, gender)? Does it contain sensitive data?", "sensitive_data"),
    "data.representativeness": ("composition", "Does the dataset contain all possible instances or is "
                                "it a sample? If a sample, is it representative of the larger set?",
                                "representativeness"),
    "data.preprocessing": ("preprocessing", "Was any preprocessing/cleaning/labeling of the data done "
                           "(e.g., removal of instances, processing of missing values)?", ""),
    "data.labelling": ("preprocessing", "Is there a label associated with each instance, and how was "
                       "the labeling done?", "labelling"),
    "data.training": ("composition", "Are there recommended data splits (training, "
                      "development/validation, testing)?", "splits"),
    "data.evaluation": ("composition", "Are there recommended data splits (training, "
                        "development/validation, testing)?", "splits"),
    "data.fingerprint": ("maintenance", "Will older versions of the dataset continue to be supported "
                         "(give this version's sha256)?", "versions"),
}  # fmt: skip

_CAMEL_SECTIONS = re.compile(
    r"\b(modelDetails|modelParameters|quantitativeAnalysis|performanceMetrics|useCases|"
    r"ethicalConsiderations|inputFormat|outputFormat)\b"
)


def card_flavour(doc: Document | None) -> str:
    """The format a fix is written for: ``mct-json``, ``mct-proto-json`` (camelCase), ``hf-readme`` (a
    Markdown card with front matter), ``markdown`` (without), ``auditor-yaml``, ``datasheet-yaml``,
    ``datasheet-md``; ``""`` without a document."""
    if doc is None:
        return ""
    sources = [fv.source for values in doc.fields.values() for fv in values]
    if doc.format == "mct-json":
        return "mct-proto-json" if any(_CAMEL_SECTIONS.search(s) for s in sources) else "mct-json"
    if doc.format in ("hf-readme", "markdown", "md"):
        front = (
            any(s.startswith("front matter") for s in sources)
            or any("front matter" in i.message for i in doc.issues)
            or _opens_with_front_matter(doc.path)
        )
        return "hf-readme" if front else "markdown"
    return doc.format


@functools.lru_cache(maxsize=64)
def _opens_with_front_matter(path: str) -> bool:
    """A README whose front matter holds no field auditor reads (``tags:`` only) is still a Hub card."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError:
        return False
    return head.lstrip(b"\xef\xbb\xbf").startswith(b"---")


def _camel_path(path: str) -> str:
    return re.sub(r"_([a-z])", lambda m: m.group(1).upper(), path)


def _mct_where(field: str, camel: bool) -> str | None:
    spell = _camel_path if camel else (lambda p: p)
    if field in MCT:
        new, old = MCT[field]
        text = f"`{spell(new.split(' ', 1)[0])}`" + (
            f" {new.split(' ', 1)[1]}" if " " in new else ""
        )
        if old and not camel:
            text += f" (schema 0.0.1: `{old.split(' ', 1)[0]}`)"
        return text
    if field in MCT_LABELLED:
        label, where = MCT_LABELLED[field]
        old = "" if camel else _MCT_001_LABELLED.get(where, "")
        return (
            f'a line "{label}: ..." in `{spell(where)}`{old} (MCT has no field for it; auditor reads '
            f"the label as `{field}`)"
        )
    return None


# schema 0.0.1 has no documentation and no dataset description; its considerations are plain strings
_MCT_001_LABELLED = {
    "model_details.documentation": " (schema 0.0.1: `model_details.overview`)",
    "model_parameters.data[].description": " (schema 0.0.1 datasets have no description: write the "
    "card in schema 0.0.2)",
    "considerations.use_cases[].description": " (schema 0.0.1: an entry of `considerations.use_cases[]`)",
    "considerations.users[].description": " (schema 0.0.1: an entry of `considerations.users[]`)",
}


def _yaml_where(field: str) -> str:
    from .schema import SCHEMA

    spec: Any = SCHEMA
    for part in field.split("."):
        spec = spec.get(part) if isinstance(spec, Mapping) else None
    shape = (
        f" (a list of {{{', '.join(spec[0])}}})" if isinstance(spec, list)
        else " (an SPDX id, or {name, link} for custom terms)" if spec == "license"
        else " (true or false)" if spec == "bool"
        else " (YYYY-MM-DD)" if spec == "date"
        else ""
    )  # fmt: skip
    return f"`{field}` in model_card.yaml{shape}"


# fields whose rule the standards also accept from another field (``alternatives``): advice that fills
# the other one fills the rule
_ANSWERED_BY = {
    "model.id": "model.name", "incident.contact": "provider.contact", "fairness.claims": "fairness.assessment",
    "lifecycle.predetermined_changes": "changelog", "data.contains_pii": "data.pii_description",
    "data.contains_special_category": "data.sensitive_attributes", "data.fingerprint": "data.provenance",
    "governance.risk_tolerance": "risks", "incident": "provider.contact",
}  # fmt: skip
_QUOTED = re.compile(r"'(?P<head>#+ )?(?:- \*\*)?(?P<title>[^'*#]+?)(?::?\*\*[^']*)?'")


def _read_back(field: str, advice: str) -> bool:
    """Whether the heading or label ``advice`` suggests is read as ``field`` (or a field that answers
    it) by the card field lexicon, so following the fix fills the field; front matter always is."""
    from .lexicon import fields_for
    from .markdown import normalise_heading

    m = _QUOTED.search(advice)
    if m is None or any(w in advice for w in ("front matter", "model-index", "title")):
        return True
    wanted = {field, _ANSWERED_BY.get(field, field)}
    for fields, _scope in fields_for(normalise_heading(m["title"]), heading=bool(m["head"])):
        return any(
            f in wanted or f.startswith(f"{field}.") for f in fields
        )  # a child fills a parent
    return False


def _markdown_where(field: str, fmt: str) -> str:
    table = HF if fmt == "hf-readme" else MARKDOWN
    advice = table.get(field, _section_for(field))
    where = "in README.md:" if fmt == "hf-readme" else "in the card: add"
    if _read_back(field, advice):
        return f"`{field}` {where} {advice}"
    return (
        f"`{field}`: auditor reads no Markdown heading or label for it yet; record it in auditor's "
        "model_card.yaml"
    )


def where_to_write(field: str, fmt: str) -> str:
    """Where ``field`` goes in a card of format (or flavour, see :func:`card_flavour`) ``fmt``."""
    if fmt.startswith("datasheet") or field.startswith("datasheet."):
        return _datasheet_where(field, fmt)
    if fmt in ("mct-json", "mct-proto-json"):
        where = _mct_where(field, fmt == "mct-proto-json")
        if where is not None:
            return f"`{field}` in the MCT JSON: {where}"
        return (
            f"`{field}`: MCT has no field for it and auditor reads no label for it; record it in "
            "auditor's model_card.yaml instead"
        )
    if fmt in ("hf-readme", "markdown"):
        return _markdown_where(field, fmt)
    return _yaml_where(field)


def _section_for(field: str) -> str:
    words = field.split(".")[-1].replace("_", " ").title()
    return f"a '## {words}' section"


def _datasheet_where(field: str, fmt: str) -> str:
    if field not in DATASHEET:
        return f"`{field}` in the datasheet (the matching section)"
    section, question, key = DATASHEET[field]
    title = _SECTION_TITLES[section]
    if fmt == "datasheet-yaml":
        yaml_section = _YAML_SECTION.get(section, section)
        place = f"`{yaml_section}:`" + (f" as `{key}:`" if key else "")
        return f'`{field}` in the datasheet: answer under {place}: "{question}"'
    return f"`{field}` in the datasheet: answer under '## {title}': \"{question}\""


def not_applicable_advice(fmt: str) -> str:
    """How a card of format ``fmt`` says a field does not apply."""
    if fmt in ("mct-json", "mct-proto-json"):
        return 'write "N/A: <reason>" as its text'
    if fmt in ("hf-readme", "markdown", "datasheet-md"):
        return "write 'N/A: <reason>' in its place"
    if fmt == "datasheet-yaml":
        return 'answer "N/A: <reason>"'
    return "write `not_applicable: {reason: ...}` as its value"


def fill_advice(field: str, doc: Document | None) -> str:
    """The recommendation of a missing or placeholder field, in the document's own format."""
    fmt = card_flavour(doc)
    return (
        f"Fill in {where_to_write(field, fmt)}, or state why it does not apply: "
        f"{not_applicable_advice(fmt)}."
    )


def license_fix(fmt: str, suggested: str | None = None) -> str:
    """How to write a valid license in a card of format (flavour) ``fmt``; ``suggested`` is the SPDX id
    a typo is close to (``Apache-2.0`` for ``Apache 2``)."""
    spdx = "see https://spdx.org/licenses/"
    if fmt in ("mct-json", "mct-proto-json"):
        spell = _camel_path if fmt == "mct-proto-json" else (lambda p: p)
        ident = f"`{spell('model_details.licenses[].identifier')}`"
        old = "" if fmt == "mct-proto-json" else " (schema 0.0.1: `model_details.license`)"
        if suggested:
            return (
                f"Write {ident} as the SPDX id {suggested!r} (if that is the license meant): "
                f'"licenses": [{{"identifier": "{suggested}"}}]{old}; {spdx}.'
            )
        return (
            f'Set {ident} to an SPDX id ({spdx}), or "proprietary" for a model under no license; '
            f"for custom terms give their full text or a link to them in "
            f"`{spell('model_details.licenses[].custom_text')}`{old}."
        )
    if fmt == "markdown":
        lead = (
            f"Write the license as the SPDX id {suggested!r} (if that is the license meant)"
            if suggested
            else "Write the license as an SPDX id"
        )
        return (
            f"{lead} in a '- **License:** <id>' line under '## Model Details' or a '## License' "
            f"section ({spdx}); for custom terms give their name and a link to them."
        )
    if fmt == "auditor-yaml":
        if suggested:
            return f"Write `license: {suggested}` in model_card.yaml (if that is the license meant); {spdx}."
        return (
            f"Set `license:` in model_card.yaml to an SPDX id ({spdx}) or a Hub id; for custom terms "
            "write `license: {name: ..., link: https://...}` (or `{id: LicenseRef-..., link: ...}`)."
        )
    if suggested:
        return f"Write the license as the SPDX id {suggested!r} (if that is the license meant); {spdx}."
    return (
        f"Use an SPDX id ({spdx.split(' ', 1)[1]}) or a Hub id; for a custom license give its name and "
        "a link (license: other + license_name + license_link on the Hub)."
    )
