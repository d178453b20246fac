"""Where a field is written in each card format (for recommendations and docs)."""

from __future__ import annotations

__all__ = ["where_to_write"]

HF = {
    "model.name": "the model-index name or the card title",
    "model.description": "'## Model Description'",
    "model.version": "a '- **Model version:**' bullet",
    "provider.name": "'- **Developed by:**'",
    "provider.contact": "'## Model Card Contact'",
    "license": "front matter `license:` (with license_name and license_link for `other`)",
    "model.type": "'- **Model type:**'",
    "model.base_model": "front matter `base_model:`",
    "use.intended": "'### Direct Use'",
    "use.intended_users": "'## Intended Users'",
    "use.out_of_scope": "'### Out-of-Scope Use'",
    "limitations": "'## Bias, Risks, and Limitations'",
    "risks": "'### Recommendations'",
    "data.training": "front matter `datasets:` or '### Training Data'",
    "data.evaluation": "'#### Testing Data' or model-index dataset",
    "data.preprocessing": "'#### Preprocessing'",
    "metrics": "'#### Metrics' or front matter `metrics:`",
    "results.overall": "model-index results or '### Results'",
    "results.by_group": "'#### Factors' and results per group",
    "explainability": "'## Model Examination'",
    "environmental_impact": "'## Environmental Impact'",
    "model.architecture": "'### Model Architecture and Objective'",
    "compute.hardware": "'### Compute Infrastructure'",
    "citation": "'## Citation'",
    "card.authors": "'## Model Card Authors'",
}
DATASHEET = {
    "data.consent": "Collection Process: did the individuals consent?",
    "data.contains_pii": "Composition: does it identify individuals or hold confidential data?",
    "data.contains_special_category": "Composition: does it hold sensitive data?",
    "data.representativeness": "Composition: is it a representative sample?",
    "data.provenance": "Collection Process",
    "data.preprocessing": "Preprocessing/cleaning/labeling",
}
MCT = {
    "model.name": "model_details.name",
    "model.version": "model_details.version.name",
    "model.release_date": "model_details.version.date",
    "provider.name": "model_details.owners[].name",
    "provider.contact": "model_details.owners[].contact",
    "license": "model_details.licenses[]",
    "model.architecture": "model_parameters.model_architecture",
    "data.training": "model_parameters.data[]",
    "data.evaluation": "model_parameters.data[] (a dataset named eval/test)",
    "results.overall": "quantitative_analysis.performance_metrics[]",
    "results.by_group": "quantitative_analysis.performance_metrics[] with a slice",
    "use.intended": "considerations.use_cases[]",
    "use.intended_users": "considerations.users[]",
    "limitations": "considerations.limitations[]",
    "tradeoffs": "considerations.tradeoffs[]",
    "risks": "considerations.ethical_considerations[]",
}


def where_to_write(field: str, fmt: str) -> str:
    if field.startswith("datasheet."):
        return f"the datasheet's '{field.split('.', 1)[1].capitalize()}' section"
    if fmt.startswith("datasheet"):
        return f"`{field}` in the datasheet ({DATASHEET.get(field, 'the matching section')})"
    if fmt == "hf-readme" and field in HF:
        return f"`{field}` in README.md: {HF[field]}"
    if fmt == "mct-json" and field in MCT:
        return f"`{field}` in the MCT JSON: {MCT[field]}"
    if fmt in ("hf-readme", "mct-json"):
        return f"`{field}` (this format has no standard place for it: add a section, or use auditor's model_card.yaml)"
    return f"`{field}` in model_card.yaml"
