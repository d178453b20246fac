"""The field lexicon: how people title and label each canonical field in real model cards.

One table serves section headings at any level, bold/italic labels, ``Label: value`` bullets, definition
lists and two-column tables. Patterns are matched on the normalised text (:func:`normalise_heading`: lower
case, emphasis, numbering and punctuation removed). Sources of the wording: the Hugging Face model card
template (huggingface_hub ``templates/modelcard_template.md``), the Trainer's auto-generated card, the Model
Card Toolkit's Markdown template, Mitchell et al. 2019 section names, Gebru et al. datasheet sections, the
large-lab card layouts (``**Model Developers**``, ``## Intended Use``, ``## Hardware and Software``), and the
EU AI Act / NIST AI RMF documentation items. English first.

``LEXICON`` rows are ``(pattern, fields, scope)``: ``scope`` is ``own`` (the text up to the next heading),
``full`` (with sub-sections; a parent such as ``## Model Details``) or ``label`` (labels only: too generic
as a section title, e.g. ``Type``). A matched heading whose own text is empty takes the text of its
sub-sections that no other row claims ("## Metrics" empty, "### Model performance measures" filled).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["LEXICON", "PROSE", "SUBJECT", "fields_for"]

# (pattern on the normalised title or label, fields, scope)
LEXICON: tuple[tuple[str, tuple[str, ...], str], ...] = (
    # --- identity --------------------------------------------------------------------------------
    (r"^(model )?(description|overview|summary|introduction)$|^model (summary|information|overview)$"
     r"|^about( (the|this) model)?$|^what is\b", ("model.description",), "own"),
    (r"^model details?$|^details$|^model card$|^basic information", ("model.description",), "full"),
    (r"^(model )?name$|^model id$|^model identifier$|^system name$", ("model.name",), "own"),
    (r"^(model )?versions$|^versions? (and|&) (releases|updates)$|^versions? v?\d[\d. ]*$",
     ("model.version", "changelog"), "own"),
    (r"^(model )?versions?( number)?$|^current version$|^model version( history)?$|^version info",
     ("model.version",), "own"),
    (r"^(model )?release( date)?$|^release(d)?( date| on)?$|^model dates?$|^date( of release)?$"
     r"|^(initial |first )?release dates?$|^(model )?(creation|training) date$|^date (of )?creation$|^(model )?release dates?$|^dates?$|^publication date$|^date released$|^release day",
     ("model.release_date",), "own"),
    (r"^(model )?(developers?|developed by|creators?|created by|authors? of the model|trained by|built by)$"
     r"|^(developing )?organi[sz]ations?( developing the model)?$|^shared by$|^provider$|^publisher$"
     r"|^(model )?owners?$|^maintainers?$|^company$|^developers? and funders?$|^funded by",
     ("provider.name",), "own"),
    (r"^authors?$|^(model )?authors?$|^model authors?\b|^company$", ("provider.name",), "label"),
    (r"^(model card )?contact( information| details)?$|^contact us$|^where to send (questions|comments)"
     r"|^questions( or comments)?|^feedback( and questions)?$|^support$|^get in touch$|^reporting issues"
     r"|^point of contact|^send questions|^(model )?feedback\b|^get involved$|^reach out|^questions or comments", ("provider.contact", "feedback.channel"), "own"),
    (r"^licen[cs](e|es|ing)( (information|details|and terms|& terms))?$|^terms of use$|^model licen[cs]e$"
     r"|^licen[cs]e( and (usage|use|citation))?$|^usage (terms|licen[cs]e)$",
     ("license",), "own"),
    (r"^(model )?type$|^model (class|category|kind)$|^architecture type$",
     ("model.type", "model.architecture", "model.task"), "own"),
    (r"^task( type)?$|^(model )?task$|^pipeline( tag)?$", ("model.task",), "own"),
    (r"^(model )?architecture( (and|&) (training )?objective)?$|^model structure$|^network architecture$"
     r"|^architecture (details|overview)$|^model (design|specifications?)$|^technical (details|architecture)$"
     r"|^model architecture and objective", ("model.architecture",), "own"),
    (r"^(fine[- ]?tuned|finetuned|trained|initiali[sz]ed|derived) from( model)?$|^base models?$"
     r"|^parent model$|^foundation model$|^pre[- ]?trained model$|^backbone$", ("model.base_model",), "own"),
    (r"^languages?( ?\(s\))?( \(nlp\))?$|^supported languages$", ("model.language", "io.input_spec"), "own"),
    # --- use -------------------------------------------------------------------------------------
    (r"^direct use$|^(primary )?intended (uses?|purposes?)( cases)?$|^intended use cases?$|^use cases?$"
     r"|^downstream use|^intended purpose|^(in[- ]scope|primary) uses?$|^purpose$|^applications?$"
     r"|^what (is it|it is|the model is) for|^intended usage$|^primary use cases$|^(direct|primary) usage$",
     ("use.intended",), "own"),
    (r"^intended uses? (&|and) limitations$|^(uses?|usage) (&|and) limitations$",
     ("use.intended", "limitations"), "own"),
    (r"^(intended )?uses?$|^usage$|^how (to|should) (i )?use|^model uses?$|^uses? of the model$",
     ("use.intended",), "full"),
    (r"^evaluated uses?$|^(recommended|suitable|appropriate) uses?$", ("use.intended",), "own"),
    (r"^out[- ]?of[- ]?scope( uses?| use cases?| usage)?$|^(foreseeable |potential )?misuses?( and out"
     r"[- ]of[- ]scope uses?)?|^prohibited (uses?|applications)$|^(uses|use cases) to avoid$|^not intended for"
     r"|^limitations on use|^unintended uses?$|^restricted uses?$|^acceptable use( policy)?$|^misuse,? malicious"
     r"|^out of scope", ("use.out_of_scope",), "own"),
    (r"^(primary )?intended users?$|^users$|^target (users|audience)$|^audience$|^who (should|can) use",
     ("use.intended_users",), "own"),
    (r"^affected (persons|people|groups)|^data subjects", ("use.affected_persons",), "own"),
    # --- limitations, risks, fairness --------------------------------------------------------------
    (r"^bias,? risks,? (and|&) limitations$|^risks,? (and|&) limitations$|^limitations,? (and|&) (bias(es)?|risks)$"
     r"|^bias(es)?,? (and|&) limitations$|^limitations (and|&) biases$",
     ("limitations", "risks"), "own"),
    (r"(^|\b)limitations?\b|^caveats?( (and|&) recommendations)?$|^known (issues|problems|failure modes)$"
     r"|^weaknesses$|^shortcomings$|^failure modes$", ("limitations",), "own"),
    (r"^(ai act |eu ai act )?risk (category|class|classification|tier|level)$|^high[- ]risk (classification|system)",
     ("governance.risk_category",), "own"),
    (r"^risk (tolerance|appetite|thresholds?|acceptance|management( system)?)$", ("governance.risk_tolerance",), "own"),
    (r"^(ai |ai system |model )?inventory( (id|number|entry))?$", ("governance.inventory_id",), "own"),
    (r"^(card |document )?(approved|signed( off)?|reviewed( and approved)?) by$|^approv(al|er)s?$|^sign[- ]?off$",
     ("card.approved_by",), "own"),
    (r"^(eu )?declaration of conformity$|^conformity( assessment| declaration)?$", ("conformity.declaration",), "own"),
    (r"^previous (version|model|release)s?$|^predecessor$|^supersedes$", ("model.previous_version",), "own"),
    (r"^(model )?(sha-?256|checksum|hash|digest)$", ("model.sha256",), "label"),
    (r"^(provider |registered |postal )?address$", ("provider.address",), "label"),
    (r"\bintersectional\b", ("results.intersectional", "results.by_group"), "own"),
    (r"^card version$", ("card.version",), "label"),
    (r"^(ethical|ethics)( considerations?| (and|&) safety)?|^risks?\b(?! (category|class|classification|tier|level|tolerance"
     r"|appetite|thresholds?|acceptance|management))|\brisks?$|^harms?\b|^safety\b"
     r"|^(responsible|trustworthy) ai|^trust (and|&) safety|^recommendations$|^mitigations?$"
     r"|^(social|societal) impact|^broader (implications|impacts?)|^impact( assessment)?$|^potential (risks|harms|biases)|^bias(es)?$|^risks and harms",
     ("risks",), "own"),
    (r"\b(unintended )?bias (evaluation|analysis|assessment|testing|results|metrics)\b|\bsubgroup (evaluation|analysis)"
     r"|\bintersectional\b", ("fairness.assessment",), "own"),
    (r"^bias (and|&) fairness|^fairness( (and|&) bias)?( (assessment|evaluation|analysis|results|considerations))?$"
     r"|^bias (evaluation|analysis|assessment|testing|results)|^(demographic|subgroup) (analysis|evaluation)"
     r"|^evaluat\w* (for|of) (bias|fairness)", ("fairness.assessment",), "full"),
    (r"^trade[- ]?offs?$", ("tradeoffs",), "own"),
    (r"^scope( of use)?$|^(usage|use) scope$", ("use.intended", "use.out_of_scope"), "own"),
    # --- data ------------------------------------------------------------------------------------
    (r"^model data$|^(pre[- ]?)?training data(sets?)?( (and|&) (procedure|preprocessing))?$|^training (corpus|set|sets)$"
     r"|^(pre[- ]?)?training data(set)?s? (sources?|description|details|overview)|^data(sets?)?$"
     r"|^datasets? used$|^data (used|sources?)$|^training (and|&) fine[- ]?tuning data",
     ("data.training",), "own"),
    (r"^training (and|&) evaluation data(sets?)?$|^datasets? (and|&) evaluation|^data (and|&) evaluation",
     ("data.training", "data.evaluation"), "own"),
    (r"\b(testing|evaluation|test|eval|validation|benchmark) data(sets?)?$|^(testing|evaluation|test) sets?$"
     r"|^evaluation (datasets?|corpus|benchmarks?)$|^datasets? (used )?for evaluation",
     ("data.evaluation",), "own"),
    (r"^(data )?pre[- ]?processing|^data (cleaning|preparation|processing|filtering)$|^filtering$"
     r"|^cleaning", ("data.preprocessing",), "own"),
    (r"^(data )?label(l)?ing|^annotations?( process)?$|^annotation", ("data.labelling",), "own"),
    (r"^(data )?(provenance|sources?|collection|origin)( process)?$|^how (the )?data was (collected|obtained)",
     ("data.provenance",), "own"),
    (r"^consent", ("data.consent",), "own"),
    (r"^representativeness|^(data )?coverage$", ("data.representativeness",), "own"),
    (r"^sensitive (attributes|features|data|information)$|^protected (attributes|characteristics)$",
     ("data.sensitive_attributes",), "own"),
    (r"^(personal data|privacy|data protection|pii)\b", ("data.pii_description",), "own"),
    # --- evaluation ------------------------------------------------------------------------------
    (r"^(evaluation |performance |model performance |test )?metrics?( used)?$|^(model )?performance measures?$"
     r"|^metrics (and|&) (evaluation|thresholds)|^evaluation (metrics|measures|criteria)$|^decision thresholds?$"
     r"|^measures$", ("metrics",), "own"),
    (r"^(evaluation |test |benchmark |model |final )?results?( of (the )?(best|final) (model|checkpoint))?$|^performance( (results|evaluation|summary|overview))?$"
     r"|^benchmarks?( results)?$|^(evaluation|benchmark) (results|scores|performance)$|^quantitative analys[ie]s"
     r"|^model performance$|^scores$|^accuracy$|^leaderboard|^evaluation (and|&) results"
     r"|^performance (and|&) limitations$|^results (and|&) (analysis|discussion)",
     ("results.overall",), "own"),
    (r"^evaluations?( (details|procedure|methodology|approach|protocol))?$|^testing$|^validation$",
     ("data.evaluation", "results.overall"), "full"),
    (r"^(results|performance) (by|per|across|for) (group|subgroup|demographic|population|slice)"
     r"|^disaggregated|^(unitary|intersectional) results|^per[- ]group|^sliced|^subgroup (results|performance)",
     ("results.by_group",), "own"),
    (r"^(relevant |evaluation )?factors$", ("results.by_group",), "own"),
    (r"^robustness|^adversarial", ("robustness",), "own"),
    (r"^(model )?examination$|^explainability|^interpretability|^explanations?$", ("explainability",), "own"),
    # --- technical -------------------------------------------------------------------------------
    (r"^inputs? (and|&) outputs?$|^input[/ ]output( (format|specification)s?)?$",
     ("io.input_spec", "io.output_spec"), "own"),
    (r"^inputs?( (format|data|specifications?|features?|modalit(y|ies)))?$|^model inputs?$|^context (length|window)$"
     r"|^input (length|size|resolution|sampling rate)$",
     ("io.input_spec",), "own"),
    (r"^outputs?( (format|specifications?|modalit(y|ies)|interpretation))?$|^model outputs?$"
     r"|^interpreting (the )?outputs?", ("io.output_spec",), "own"),
    (r"^(compute )?infrastructure$|^(training )?hardware( (and|&) software)?$|^hardware (type|used)$|^gpus?$"
     r"|^accelerators?$|^tpus?$"
     r"|^compute$|^training infrastructure", ("compute.hardware",), "full"),
    (r"^(training )?compute( (resources|budget|used))?$|^computational resources|^training (factors|time|costs?)$"
     r"|^hours used$|^gpu hours|^training (resources|hours)|^speeds?,? sizes?,? (and |& )?times",
     ("compute.training",), "own"),
    (r"^(training |software |compute |runtime )?environment$", ("software.dependencies", "compute.hardware"), "own"),
    (r"^(python|torch|toch|pytorch|tensorflow|transformers|jax|cuda|datasets|tokenizers|numpy|sklearn|scikit learn|"
     r"keras|onnx|flax|accelerate|deepspeed|peft)( version)?$", ("software.dependencies",), "label"),
    (r"^(cuda )?devices?$|^cuda device count$|^gpu (type|model|count)$|^number of gpus$", ("compute.hardware",), "label"),
    (r"^dataset( name| id)?$|^training dataset name$", ("data.training",), "label"),
    (r"^dataset (revision|version|hash|sha256|commit|checksum)$", ("data.fingerprint",), "label"),
    (r"^software( (dependencies|requirements|used))?$|^framework( versions?)?$|^frameworks?$|^dependencies$"
     r"|^requirements$|^libraries$|^library( name)?$|^framework versions", ("software.dependencies",), "own"),
    (r"^(system )?requirements|^hardware requirements|^deployment requirements", ("compute.requirements",), "label"),
    (r"^environmental impact|^carbon (footprint|emissions?)|^co2|^energy (use|consumption)|^efficiency\b|\bgreen ai\b",
     ("environmental_impact",), "own"),
    (r"^(cyber)?security\b|^safety (&|and) security$|^security (&|and) privacy|^privacy (&|and) security", ("security",), "own"),
    (r"^human oversight|^human[- ]in[- ]the[- ]loop|^human review", ("oversight.human",), "own"),
    (r"^(post[- ]?(market|deployment) )?monitoring", ("monitoring.plan",), "own"),
    (r"^logging|^logs$|^record[- ]keeping", ("logging.mechanism",), "own"),
    (r"^(deployment|integration)( context)?$|^system (context|integration)", ("deployment.context",), "own"),
    (r"^availability$|^distribution$|^access$|^how to access|^(model )?download", ("deployment.forms",), "own"),
    (r"^(model )?releases?\b|^release history", ("model.version", "changelog", "model.release_date"), "own"),
    (r"^(changelog|change log|version history|changes|release notes|updates|model updates|news)$",
     ("changelog",), "own"),
    (r"^maintenance$|^(model )?maintenance( plan)?$", ("lifecycle.maintenance",), "own"),
    (r"^(expected )?lifetime|^deprecation|^end of life", ("lifecycle.expected_lifetime",), "own"),
    (r"^standards( applied)?$|^(harmoni[sz]ed )?standards", ("standards_applied",), "own"),
    # --- references and card ---------------------------------------------------------------------
    (r"^citations?( (information|details|info|instructions))?$|^cite as$|^(how to )?cite|^citing|^bibtex|^reference this", ("citation",), "own"),
    (r"^(model )?sources?$|^references?$|^(related )?papers?$|^repository$|^resources( for more information)?$"
     r"|^links$|^more information$|^model page$|^(resources|documentation)( and technical documentation)?$|^papers?( (&|and) \w+)?$|^(further )?reading$|^(model )?repo(sitory)?( url)?$|^demo$|^github$|^project page",
     ("references",), "own"),
    (r"^(model )?card (authors?|contributors?)$|^card author", ("card.authors",), "own"),
    (r"^(card )?(last )?(updated|revised)( on)?$|^card date$", ("card.date",), "own"),
)  # fmt: skip

_COMPILED = tuple((re.compile(p), f, s) for p, f, s in LEXICON)


def fields_for(title: str, heading: bool = True) -> Iterator[tuple[tuple[str, ...], str]]:
    """``(fields, scope)`` of every lexicon row the normalised ``title`` matches, most specific first.

    ``heading`` false (a label) accepts the label-only rows too; as a heading they are skipped.
    """
    for pattern, fields, scope in _COMPILED:
        if scope == "label" and heading:
            continue
        if pattern.search(title):
            yield fields, scope


# Key sentences in prose: (field, pattern). A match makes the field found with low confidence at the
# sentence's line; the named group ``value`` (when present) is the value shown.
PROSE: tuple[tuple[str, str], ...] = (
    ("model.base_model",
     r"\bfine[- ]?tuned (?:version|checkpoint|variant) of (?:the )?\[?(?P<value>[\w./\-]{3,80})"
     r"|\b(?:fine[- ]?tuned|initiali[sz]ed|distilled|adapted|derived|continued pre[- ]?training) from "
     r"(?:the )?\[?(?P<value2>[\w./\-]{3,80})"
     ),
    ("model.base_model",
     r"^(?:a )?fine-?tuned (?P<value0>[A-Z][\w.\-]+)\b"
     r"|\b(?P<value>[\w.\-/]*(?:bert|gpt|t5|llama|roberta|xlm|electra|deberta|bart|vit|resnet|whisper|wav2vec|mistral|"
     r"gemma|qwen|clip|falcon|phi)[\w.\-/]*) (?:model |checkpoint )?(?:fine-?tuned|finetuned|further (?:pre-?)?trained)\b"
     r"|\bfine-?tuned on (?:the |a |an )?(?P<value2>[\w\- ]{0,30}?(?:bert|gpt|t5|llama|roberta|xlm|electra|deberta|"
     r"bart|vit|resnet|whisper|wav2vec|mistral|gemma|qwen|clip)[\w\-]*)(?: model| checkpoint)\b"),
    ("model.architecture",
     r"\b(?:bert|roberta|gpt-?\d?|t5|bart|llama|resnet\d*|vit|xlm-?r?|electra|deberta|wav2vec\d?|lstm|cnn|unet|u-net)"
     r"\b[\w\-]* (?:model|architecture|encoder|decoder|based|backbone)\b"),    ("model.type",
     r"\b(?:bert|roberta|gpt-?\d?|t5|bart|llama|resnet\d*|vit|xlm-?r?|electra|deberta|wav2vec\d?|lstm|cnn|unet|u-net)"
     r"\b[\w\-]* (?:model|architecture|encoder|decoder|based|backbone)\b"),
    ("model.architecture",
     r"\bfine-?tuned (?:version|checkpoint) of \[?[\w./\-]*(?:bert|roberta|gpt|t5|bart|llama|vit|resnet|whisper|wav2vec|"
     r"xlm|electra|deberta|mistral|gemma|qwen)"),
    ("metrics",
     r"\b(?:word error rate|character error rate|wer|cer|bleu|f1[- ]?score|accuracy|precision|recall|auc|perplexity|"
     r"exact match|rouge\S*|win rate|mean average precision)\b"),
    ("io.input_spec",
     r"\b(?:transcrib\w+|convert\w*|maps?|translat\w+|takes?|classif\w+|processes) (?:\w+ ){0,3}(?:audio|speech|images?|"
     r"text|video|sentences?|documents?|reviews?|tweets?|tabular)\b"),
    ("io.output_spec",
     r"\b(?:into|to) (?:the )?(?:\w+ ){0,2}(?:text|transcripts?|labels?|embeddings?)\b(?: in the language)?"
     r"|\b(?:predicts?|outputs?|returns?|produces?|classif\w+) (?:\w+ ){0,6}(?:as|into) (?:a |an |one of )?"
     r"(?:number|label|score|class|categor\w+|probabilit\w+|stars?)"),
    ("limitations",
     r"\b(?:is|are) not (?:\w+ ){0,2}(?:fine-?tuned|trained|tested|evaluated|validated|robust|reliable|suitable)\b"
     r"|\bha(?:ve|s) not been (?:\w+ ){0,2}(?:evaluated|tested|validated)\b|\bdo(?:es)? not (?:have a good|"
     r"support|handle|generali[sz]e|work well)\b"),
    ("data.provenance",
     r"\bsample[ds]? from\b|\bdata (?:was |were )?(?:generated|collected|obtained|sourced|gathered|scraped) (?:using|from|by|via|with)\b"),
    ("fairness.assessment", r"\bdisparate (?:performance|impact|outcomes?|accuracy)\b"),
    ("changelog",
     r"\b(?:in|on) (?:\w+ )?\d{4},? we (?:\w+ )?released\b|\breleased an? (?:\[)?(?:improved|updated|new) "
     r"(?:\w+ )?(?:version|model|checkpoint)"),
    ("io.output_spec",
     r"\b(?:generat\w*|synthesi[sz]\w*|produc\w*) (?:\w+ ){0,3}(?:images?|samples?|audio|speech|music|video|sounds?|"
     r"captions?|code)\b"),
    ("data.labelling",
     r"\b(?:human|manual|automated|automatic|crowd\w*|weak) (?:data )?label(?:l)?ing\b|\bmechanical turk\b"
     r"|\bhuman[- ]annotated\b|\blabell?ed by (?:humans?|annotators|experts|crowd)"),
    ("data.evaluation",
     r"\b(?:from|of|on) the (?P<value>[\w\-./]*\d[\w\-./]*|[A-Z][\w\-./]+) (?:validation|test|evaluation|dev) (?:set|split)\b"),
    ("data.preprocessing",
     r"\b(?:is|are|was|were|been|have|has|we)\s+(?:further |also |then |additionally |partially )?(?:filtered|de-?duplicated|"
     r"cleaned|normali[sz]ed|pre-?processed|lower-?cased|tokeni[sz]ed)\b|\bfiltered (?:for|using|with|by)\b"),
    ("data.representativeness",
     r"\btrained (?:\w+ ){0,3}(?:with|on) (?:\w+ ){0,2}english\b|\b(?:mainly|mostly|primarily|predominantly) (?:\w+ ){0,3}(?:english|western)\b|\binsufficiently (?:accounted|represented)"
     r"|\blimited to (?:english|\w+ (?:language|descriptions|captions))|\bskew(?:ed)? (?:towards?|to)\b"),
    ("fairness.assessment",
     r"\b(?:mirrors|exacerbates|amplifies|reproduces|exhibits|shows|displays)\b (?:\w+ ){0,3}(?:social |gender |racial )?biases\b"),
    ("deployment.forms",
     r"\b(?:we (?:currently )?provide the following|we make available)\b|\bcheckpoints? (?:are|is) available\b"
     r"|\b(?:are|is) (?:publicly )?available (?:\[here\]|at|on|from|for download)|\bpublic demo\b"),
    ("model.previous_version",
     r"\b(?:previous|earlier|prior|older) (?:version|model|release|checkpoint)s?\b|\bvs\.? v\d|\bin v\d\b"
     r"|\b(?:resumed|continued|fine-?tuned) from [`\w.\-]+ v?\d+(?:\.\d+)+"),
    ("changelog",
     r"\bin this version\b|\bdifferences? (?:from|with|to) (?:the )?(?:previous|original|v\d)\b|\bcompared to (?:the )?"
     r"(?:previous|original) (?:version|model)\b|\bnew in (?:this )?(?:version|release)\b"),
    ("use.intended",
     r"\bmodel (?:for|to) (?:predict|detect|classif|generat|estimat|identif|segment|transcri|translat|recogni|"
     r"extract|summari|answer|tag|label|rank|score|forecast)\w*"),
    ("data.labelling", r"\btraining labels\b|\blabels? (?:from|derived from|provided by|come from)\b|\bcrowdsourced labels?\b"),
    ("model.base_model",
     r"\b(?:the )?base (?:foundation |pre-?trained )?model\b (?:\w+ ){0,3}(?:is|was|from which|used|we used)\b"
     r"|\binitiali[sz]ed with (?P<value>[\w\-]+)[- ]pre-?trained weights\b"),
    ("deployment.forms", r"\bmake (?:\w+ ){0,10}available\b|\bweights (?:are|is|were) (?:publicly )?(?:available|released)\b"),
    ("software.dependencies",
     r"\b(?:trained|built|implemented|developed) (?:\w+ ){0,2}(?:using|with) (?:the )?(?:\[(?P<value>[A-Z][\w\-]+)\]\(|"
     r"(?P<value3>[A-Z][\w\-]+) (?:toolkit|library|framework)\b)|\b(?P<value2>[A-Z][\w\-]+) (?:toolkit|library|framework)(?: \[\d+\])? (?:was|is) used\b"),
    ("model.version", r"(?<![\w/.\-])v\d{1,2}(?:\.\d+)*\b"),
    ("lifecycle.maintenance",
     r"\b(?:will not|won't|no longer) (?:be )?maintain\w*|\bno obligation to provide\b|\bnot (?:be )?(?:actively )?maintained\b"),
    ("lifecycle.predetermined_changes", r"\bstay tuned for (?:more|new|future)\b|\bmore models (?:will|to) (?:come|be released)\b"),
    ("oversight.human",
     r"\bhumans? (?:to|can|should|must|who) (?:\w+ ){0,2}(?:catch|correct|review|check|verify|oversee|approve|moderate)\b"
     r"|\bhuman moderation\b|\bhuman[- ]assisted\b"),
    ("provider.contact", r"\breach out to us\b|\bplease reach out\b"),
    ("feedback.channel", r"\breach out to us\b|\bplease reach out\b|\bcommunity (?:tab|forum)\b"),
    ("model.previous_version",
     r"\b(?:initial|first) (?:version|release)\b|\b(?:two|several|multiple|both|all) versions of (?:our|the|this) model\b"),
    ("provider.name",
     r"\b(?P<value>[A-Z][\w&.\-]+) (?:developers|researchers|engineers) (?:produced|developed|created|built|trained)\b"
     r"|\b(?:has been |was |is )?(?i:provided|produced|maintained|released|owned) by (?P<value2>[A-Z][\w&.\-]+(?: [A-Z][\w&.\-]+){0,3})"),
    ("data.provenance",
     r"\b(?:retrieved|scraped|crawled|downloaded|harvested) from\b|\b\d+ (?:\w+ )?(?:data )?sources\b"
     r"|\bfrom (?:online |public |open[- ]source |various |multiple )?(?:forums|websites|projects|repositories|sources)\b"
     r"|\bcompiled (?:together|from)\b|\bcombination of (?:\w+ ){0,3}datasets\b|\bmultiple (?:\w+ )?datasets\b"
     r"|\bproprietary (?:data|dataset|corpus)\b|^proprietary from\b"),
    ("data.preprocessing", r"\btokeni[sz]er\b|\bdata augmentation\b|\baugment(?:ed|ation)\b"),
    ("data.representativeness", r"\b(?:english|\w+)[- ]language only\b"),
    ("data.labelling", r"\b(?:not using|without) (?:any )?(?:human )?(?:annotations|labels)\b|\bself-supervised\b"),
    ("use.intended_users",
     r"\bsuitable for (?:researchers|developers|practitioners|students|engineers|clinicians|analysts)\b"
     r"|\b(?:researchers|developers|practitioners) (?:who|working on)\b"),
    ("oversight.human",
     r"\bhumans? (?:\w+ ){0,1}(?:curat\w+|review\w*|check\w*|verif\w+|supervis\w+)\b (?:the )?(?:outputs?|results?|predictions?)"),
    ("robustness", r"\brobustness (?:to|against|of|under)\b|\bbuild a robust\b|\bperformance (?:\w+ ){0,4}(?:degrade|drop|decrease)\w*"),
    ("card.authors",
     r"\b(?:this |the )?(?:model )?card (?:was |has been )?(?:written|authored|prepared|contributed|created)(?: \w+){0,3} by\b"),
    ("io.input_spec",
     r"\b(?:for|on|given) an? (?:(?:input|single|rgb) )?(?:image|audio sample|audio file|sentence|text|video|document)\b"
     r"|\bpredicts? (?:\w+ ){1,6}from (?:the )?\w+"),
    ("deployment.context",
     r"\bcompatible with\b.{0,60}\b(?:deploy\w*|serving|server|production)\b|\bdeployed (?:with|on|in|via|to|as)\b"
     r"|\bintegrated (?:into|in|with)\b"),
    ("deployment.forms",
     r"\bavailable for use in\b|\bwe (?:provide|release|offer) (?:\d+|several|multiple|two|three|four|five|six|seven|eight)"
     r" (?:\w+ )?(?:models|checkpoints|variants|sizes)\b|torch\.hub\.load|from_pretrained\(|hf_hub_download\(|pip install"),
    ("fairness.assessment",
     r"\b(?:we )?(?:observe|observed|found|find|measured|see|noticed)\b (?:\w+ ){0,3}biases?\b"),
    ("model.architecture",
     r"\bfine-?tuned (?:version|checkpoint|variant) of\b"
     r"|\b(?:logistic regression|linear regression|random forest|gradient[- ]boost\w*|xgboost|lightgbm|catboost|"
     r"support vector|svm|naive bayes|decision tree|k-?nearest|knn|multilayer perceptron|mlp|conformer|beit|swin|deit|"
     r"convnext|efficientnet|mobilenet|yolo\w*|detr|segformer|hubert|distilbert|albert|gpt-?2|bloom|falcon|"
     r"mixtral|pegasus|marian|u-?net|lstm|gru|rnn|cnn)\b"),
    ("model.type",
     r"\b(?:logistic regression|linear regression|random forest|gradient[- ]boost\w*|xgboost|lightgbm|"
     r"support vector|naive bayes|decision tree|k-?nearest neighbou?rs?)\b"),
    ("use.intended",
     r"\bto perform (?:\w+ ){0,3}(?:recognition|classification|detection|translation|generation|segmentation|"
     r"transcription|tagging|extraction|summari[sz]ation|retrieval|ranking)\b|\bdesigned to (?:detect|classify|"
     r"generate|predict|identify|translate|transcribe|answer|summari[sz]e|extract)\b"),
    ("use.out_of_scope",
     r"\bnot (?:\w+ )?ready (?:to be used |for )(?:in )?production\b|\b(?:must|should|can) only be used\b"
     r"|\bonly (?:be )?used (?:strictly )?(?:for|with|in)\b"),
    ("limitations",
     r"\bnot (?:\w+ )?ready (?:to be used |for )(?:in )?production\b|\bonly (?:trained|tested|evaluated) (?:and \w+ )?on\b"),
    ("io.output_spec",
     r"\b(?:yes/no|binary|probabilit\w+|confidence|risk) (?:scores? |labels? )?outputs?\b"
     r"|\boutputs? (?:a |an )?(?:yes/no|binary|probabilit|score|label|class)"),
    ("tradeoffs",
     r"\b(?:cost|latency|throughput|speed|size|accuracy|quality|memory)(?:,| and| vs\.?| versus) (?:\w+ )?"
     r"(?:cost|latency|throughput|speed|size|accuracy|quality|memory)\b"),
    ("compute.requirements",
     r"\brequir\w* (?:\w+ ){0,3}(?:low |moderate |high )?(?:cost|latency|throughput|memory|gpus?|vram)\b"),
    ("changelog",
     r"\b(?:has|have) (?:landed|been released|launched)\b|\bis (?:now )?out\b|\bnew (?:model )?(?:sizes|release)\b"),
    ("model.release_date",
     r"\((?P<value>(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*[- ]\d{4})\)"),
    ("fairness.assessment",
     r"\b(?:stud(?:y|ies)|analy[sz]\w*|evaluat\w*|measur\w*|test\w*) (?:\w+ ){0,3}(?:gender|racial|social|religious) bias\w*"),
    ("provider.name",
     r"\b[Tt]he (?P<value>[A-Z][\w\-]+(?: [A-Z][\w\-]+)?) team\b"),
    ("provider.name",
     r"\b[Cc]ontact \[?(?P<value>[A-Z][\w&.\-]+(?: [A-Z][\w&.\-]+){0,3})\]?(?:\([^)]*\))? for\b"),
    ("provider.name",
     r"\b(?i:developed|created|trained|built|released|published|produced|open[- ]sourced) by "
     r"(?:the )?(?P<value>[A-Z][\w&.\- ]{1,60}?)(?=[,.;:(]| and | as | in | on |$)"
     r"|\b(?i:developed|created|trained|built) by (?i:researchers|engineers|scientists|a team|teams?) (?:at|from) "
     r"(?P<value3>[A-Z][\w&.\-]{1,40}(?: [A-Z][\w&.\-]+){0,3})"
     r"|\b(?i:researchers|engineers|scientists|teams?) (?:at|from) (?P<value2>[A-Z][\w&.\-]{1,40}(?: [A-Z][\w&.\-]+){0,3})"
     r" (?i:developed|created|trained|built|released)"),
    ("model.release_date",
     r"\b(?:released|published|launched|made available)(?: publicly)? (?:on|in) "
     r"(?P<value>(?:\d{1,2} )?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w* (?:\d{1,2},? )?\d{4}"
     r"|\d{4}-\d{2}(?:-\d{2})?)"),
    ("license",
     r"\b(?:licen[cs]ed|released|distributed|available|made available|provided) under (?:the |an? )?"
     r"(?P<value>[\w.\- ]{2,60}?licen[cs]e|[A-Z][\w.\-]{1,30}(?: [\d.]+)?)\b"
     r"|\b(?:the )?licen[cs]e (?:is|for this model is) (?P<value2>[\w.\- ]{2,60})"),
    ("data.training",
     r"\b(?:trained|fine[- ]?tuned|pre[- ]?trained|finetuned) (?:\w+ ){0,3}on (?:the |a |an )?"
     r"(?P<value>[\w\[\]./\- ]{3,80}?)(?: dataset| corpus| data\b| benchmark|[,.;(]|$)"),
    ("data.evaluation",
     r"\b(?:evaluated|tested|benchmarked|validated) (?:\w+ ){0,6}on (?:the |a )?(?P<value>[\w./\- ]{3,60}?)"
     r"(?: dataset| benchmark| test set| validation set| data\b|[,.;(]|$)"
     r"|\b(?:accuracy|results?|performance|scores?|wer|f1) (?:\w+ ){0,3}on (?:the )?(?P<value3>[\d,.]+ held[- ]out [\w ]{3,40}?|"
     r"held[- ]out [\w ]{3,40}?)(?: in|[,.;(]|$)"
     r"|\b(?:performance|results) on the following (?:datasets|benchmarks)"),
    ("use.intended",
     r"\b(?:is|are) (?:primarily |mainly )?used (?:for |to |in )?\w+(?:ing)?\b|"
     r"\b(?:is|are|was|were) (?:primarily |mainly )?(?:intended|designed|meant|built) (?:to be used )?"
     r"(?:for|to)\b|\bintended use (?:is|of this model)|\bprimary (?:use|purpose) (?:is|of)"),
    ("use.out_of_scope",
     r"\bavoid (?:using|application|applying|use|deploying)\b|\b(?:should|must|may) not be used (?:for|to|in|as|on|with|without)\b|\b(?:is|are) not (?:intended|designed|suitable|meant) (?:for|to)\b|\b(?:recommend|caution|advise|warn)s? against "
     r"(?:the )?us(?:e|ing)\b|\bnot (?:\w+ ){0,4}appropriate (?:for|to)\b|\bis not appropriate\b|\bis not (?:intended|designed|suitable)"
     r" (?:for|to)\b|\bout[- ]of[- ]scope\b|\bdo not use (?:this|the) model\b|\bprohibited uses?\b"),
    ("use.intended_users",
     r"\bintended users? (?:is|are|of|include)\b|\bprimary (?:intended )?users\b"
     r"|\bintended (?:to be used )?by (?:researchers|developers|practitioners|clinicians|analysts)"),
    ("limitations",
     r"\b(?:limitations?|caveats?) (?:of|include|are|is)\b|\bmay (?:not|fail|produce|generate|struggle|"
     r"hallucinate|be (?:less|inaccurate|unreliable|biased))\b|\b(?:struggles?|fails?) (?:to|with|on)\b"
     r"|\bperforms? (?:poorly|worse)\b|\bis not (?:reliable|robust|perfect)\b"),
    ("risks",
     r"\b(?:risks?|harms?) (?:of|include|are|associated)\b|\b(?:biases|biased|harmful|toxic|offensive)\b"
     r"|\bcan (?:reflect|amplify|reproduce|perpetuate)\b"),
    ("provider.contact",
     r"[\w.+\-]+@[\w\-]+\.[\w.\-]+|\b(?:open|file|raise|submit) an issue\b|\bcontact (?:us|the (?:authors|team))\b"
     r"|\b(?:questions|comments|feedback) (?:about|on|regarding) (?:the|this) model\b"),
    ("compute.training",
     r"\b\d[\d,.]* ?(?:k|m)? ?(?:gpu|tpu|accelerator)[- ]?(?:hours|days)\b|\b(?:trained|training) (?:\w+ ){0,4}"
     r"on \d+ ?(?:x ?)?(?:nvidia |)?(?:a100|h100|v100|t4|p100|tpu\w*|gpus?)\b|\btraining (?:took|lasted|time)\b"
     r"|\b\d[\d.,]* ?(?:pf|zetta|peta)?flops\b"),
    ("environmental_impact", r"\bco2(?:eq|e)?\b|\bcarbon (?:footprint|emissions?)\b|\btco2\b|\bkg co2"),
    ("citation", r"^\s*@(?:article|inproceedings|misc|techreport|book|software|online|unpublished)\s*\{"),
    ("model.id",
     r"\bfrom_pretrained\(\s*[\"'](?P<value>[\w.\-]+/[\w.\-]+)[\"']|\bhuggingface\.co/(?P<value2>(?!datasets/|spaces/|docs/)"
     r"[\w.\-]+/[\w.\-]+)|\bpipeline\([^)]*model\s*=\s*[\"'](?P<value3>[\w.\-]+/[\w.\-]+)[\"']"),
    ("model.type",
     r"\b(?:is|are) (?:an? )?(?:[\w\-]+ ){0,5}?(?:language models?|transformers?(?: models?)?|classifiers?|neural networks?|"
     r"encoder(?:-decoder)?(?: models?)?|decoder(?:-only)?(?: models?)?|diffusion models?|sequence-to-sequence models?|"
     r"seq2seq models?|speech recognition (?:models?|systems?)|regression models?|gradient[- ]boosted \w+|"
     r"vision(?:-language)? models?|embedding models?|tagger|recogni[sz]er)\b"),
    ("model.description",
     r"^(?:\*\*)?[\w\-. ]{2,60}(?:\*\*)? (?:is|are) (?:an?|the) (?:[\w\-]+ ){0,6}?(?:model|system|network|classifier|"
     r"transformer|tagger|recogni[sz]er|checkpoint)s?\b"
     r"|\bthis (?:model|system|repository|checkpoint) (?:is|provides|contains|performs|predicts|classifies|detects|"
     r"generates|translates|transcribes)\b"),
    ("model.architecture",
     r"\b(?:transformer|encoder-decoder|decoder-only|encoder-only|convolutional|recurrent|lstm|cnn|resnet|vit|"
     r"mixture[- ]of[- ]experts|attention)[- ](?:based |architecture|model|network|layers?)"
     r"|\b\d+(?:\.\d+)? ?(?:[bmk]|billion|million) parameters\b|\b\d+ (?:transformer )?(?:layers|attention heads)\b"),
    ("model.task",
     r"\b(?:for|performs?|performing|trained for|used for|fine[- ]?tuned for) (?:the task of )?(?:automatic )?"
     r"(?P<value>speech recognition|speech translation|text classification|sentiment (?:analysis|classification)|"
     r"named[- ]entity recognition|token classification|question answering|summari[sz]ation|translation|"
     r"text generation|image classification|object detection|image segmentation|text-to-image|image generation|"
     r"fill-mask|masked language modell?ing|zero-shot (?:image )?classification|hate speech detection|"
     r"audio classification|text-to-speech|feature extraction|sentence similarity|regression|classification)\b"
     r"|\b(?P<value2>(?:image|text|audio|token|sequence|zero-shot|sentiment) classification|speech recognition|"
     r"object detection|question answering|machine translation|hate ?speech detection|sentiment analysis|"
     r"instruction[- ]following|text generation|summari[sz]ation) (?:tasks?|models?|systems?)\b"),
    ("deployment.forms",
     r"\b(?:we )?(?:release|publish|open[- ]source|provide)[sd]? (?:the |our |its )?(?:model )?(?:weights|checkpoints?)\b"
     r"|\bwe(?:'ve| have)? (?:also |additionally |initially )?released\b"
     r"|\b(?:available|accessible|hosted) (?:on|via|through|from) (?:the )?(?:hugging ?face|hub|github|api|"
     r"model hub|azure|aws|vertex|our api)\b|\bpip install\b"),
    ("software.dependencies",
     r"\bpip install (?P<value>[\w\-\[\]=<>.]+)|\b(?:transformers|pytorch|tensorflow|jax|keras|onnx|"
     r"scikit-learn|sentence-transformers|diffusers|spacy|flair) \d+\.\d+"),
    ("compute.requirements",
     r"\b(?:requires?|needs?|at least) (?:\w+ ){0,3}\d+ ?(?:gb|gib|mb) (?:of )?(?:(?:gpu |v)?ram|memory|vram)\b"
     r"|\brequired vram\b"),
    ("data.provenance",
     r"\b(?:collected|scraped|crawled|sourced|gathered|obtained|harvested|compiled) (?:\w+ ){0,3}(?:from|via|"
     r"through)\b|\bpublicly[- ]available (?:[\w\-]+ ){0,2}(?:data|sources|datasets?)\b|\bweb crawl\b"
     r"|\bcrawl(?:ed|ing) (?:of )?(?:the )?(?:internet|web|websites)\b"),
    ("data.preprocessing",
     r"\b(?:we |was |were |been )(?:filtered|de-?duplicated|cleaned|normali[sz]ed|pre-?processed|removed|"
     r"lower-?cased|tokeni[sz]ed)\b|\bfilter(?:ed|ing)? out\b|\b(?:pre-?processing|de-?duplication|filtering) (?:steps?|was|were|"
     r"included|consisted|involved)\b"),
    ("data.labelling",
     r"\b(?:human[- ])?(?:annotated|labell?ed) (?:by|with|using|manually)\b|\bannotators?\b"
     r"|\b(?:labels|annotations) (?:were|are) (?:produced|obtained|created|generated|assigned)\b"),
    ("data.representativeness",
     r"\bunder-?represent\w*|\bover-?represent\w*|\brepresentative (?:of|sample)\b|\bnot representative\b"
     r"|\b\d+(?:\.\d+)? ?% of (?:the |this )?(?:training )?(?:data|dataset|corpus|audio|examples)\b"),
    ("results.by_group",
     r"\b(?:performance|perform\w*|accuracy|wer|error rates?|results?) (?:\S+ ){0,3}(?:varies|vary|differs?|differ|broken down|"
     r"disaggregated|by|per|across) (?:\w+ ){0,2}(?:languages?|accents?|genders?|sex|races?|ethnicit\w+|ages?|"
     r"demographics?|dialects?|skin|subgroups?|groups)\b"),
    ("data.sensitive_attributes",
     r"\b(?:gender|sex|race|ethnicity|age|religion|disability|sexual orientation|skin (?:tone|type))(?: identity)?s?"
     r"(?:,| and| or|, and|, or) (?:\w+ )?(?:gender|sex|race|ethnicity|age|religion|disability|sexual orientation)s?\b"),
    ("fairness.assessment",
     r"\b(?:evaluated|tested|assessed|examined|analy[sz]ed) (?:\w+ ){0,3}(?:for|on) (?:\w+ ){0,2}(?:bias|fairness)\b"
     r"|\b(?:bbq|winogender|crows-pairs|winobias|bold|stereoset|realtoxicityprompts)\b"),
    ("robustness", r"\brobust(?:ness)? (?:to|against)\b|\badversarial (?:robustness|examples|inputs)\b"),
    ("security",
     r"\bprompt injection\b|\bcyber ?security\b|\bcyber[- ]?attacks?\b|\bjailbreak\w*|\badversarial attacks?\b"),
    ("explainability", r"\binterpretab\w+|\bexplainab\w+|\bsaliency\b|\bfeature attributions?\b"),
    ("tradeoffs", r"\btrade-?offs?\b"),
    ("oversight.human",
     r"\bhuman (?:review|oversight|supervision|in the loop|judg?ment)\b|\bhuman-in-the-loop\b"
     r"|\breviewed by (?:a )?(?:humans?|people|experts)\b"),
    ("monitoring.plan", r"\b(?:we|continue to|continuously) monitor\w*\b|\bpost-?deployment monitoring\b"),
    ("feedback.channel",
     r"/issues\b|\bopen(?:ing)? an issue\b|\b(?:google )?form\b.*https?://|\b(?:report|send|share|submit|provide) (?:\w+ ){0,2}(?:issues|bugs|feedback|questions|concerns)\b"),
    ("incident.contact",
     r"\breport(?:ing)? (?:\w+ ){0,2}(?:risky|harmful|violations?|vulnerabilit\w+|security (?:issues|bugs)|incidents?|"
     r"abuse|misuse)\b"),
    ("lifecycle.predetermined_changes",
     r"\bfuture (?:versions|releases|iterations|updates) (?:of|will)\b|\bwe (?:plan|intend) to (?:release|update|"
     r"retrain|improve)\b"),
    ("lifecycle.maintenance", r"\b(?:is|are) maintained by\b|\bno (?:further|longer) (?:updates|maintained)\b"),
    ("card.authors", r"\b(?:this )?(?:model )?card (?:was )?(?:written|authored|prepared|contributed) by\b"),
    ("io.input_spec",
     r"\b(?:takes?|accepts?|expects?) (?:\w+ ){0,4}(?:as input|inputs?)\b|\binputs? (?:is|are|should be|must be) \w+"),
    ("io.output_spec",
     r"\b(?:outputs?|returns?|produces?|generates?) (?:a |an |the )?(?:\w+ ){0,3}(?:label|score|probabilit\w+|"
     r"class|text|transcri\w+|embedding|vector|image|mask|bounding box)\w*\b"),
    ("model.version",
     r"\b(?:model )?version (?:is |number )?v?\d+(?:\.\d+)*\b(?! of)|`[\w.\-]+-v\d+(?:\.\d+)*`"),
    ("model.release_date",
     r"\b(?:trained|developed) between (?P<value>\w+ \d{4} and \w+ \d{4})|\bmodel dates?\b"),
    ("results.overall",
     r"\b(?:accuracy|f1|wer|bleu|rouge\S*|win rate|precision|recall|auc|error rate|exact match|perplexity|"
     r"(?:validation |test )?(?:score|loss))\b[^.\n]{0,40}?(?:[<>≈~]\s?)?\d+(?:\.\d+)?\s?%|\b(?:accuracy|f1|wer|bleu|"
     r"win rate|precision|recall|auc|score|loss|perplexity)\b (?:\w+ ){0,4}(?:is|of|=|:|was) ~?(?:\d*\.\d+|\d+\s?%)"),
    ("metrics",
     r"\b(?:accuracy|f1|wer|bleu|rouge\S*|win rate|precision|recall|auc|error rate|exact match|perplexity)\b"
     r"[^.\n]{0,40}?(?:[<>≈~]\s?)?\d+(?:\.\d+)?\s?%"),
    ("metrics",
     r"\b(?:metrics? (?:used|is|are|include)|evaluated (?:using|with|by) (?:the )?(?:accuracy|f1|wer|bleu|"
     r"rouge|perplexity|auc|precision|recall|exact match))"),
)  # fmt: skip

_MEASURE = (
    r"(?:acc(?:uracy)?|f1|f-?score|precision|recall|auc|roc|wer|cer|bleu|rouge\S*|meteor|perplexity|ppl|exact match|"
    r"\bem\b|map|mrr|ndcg|loss|mae|mse|rmse|r2|pass@\d+|scores?|top-?\d|spearman|pearson|mcc|error rate|fpr|fnr|"
    r"tpr|specificity|sensitivity|iou|psnr|ssim|fid|win rate|qwk|kappa|bpb|bits per byte)"
)
_RESULT = rf"\b{_MEASURE}\b[^.\n]{{0,60}}?(?<![\w.])\d+(?:[.,]\d+)?\s?%?|(?<![\w.])\d+(?:[.,]\d+)?\s?%?[^.\n]{{0,30}}?\b{_MEASURE}\b"

# What a section must speak about to answer a field when its heading names several subjects ("Intended
# uses & limitations" with no limitation in it answers use.intended only) and, for results, always (a
# "Performance" section without a single number reports no result).
SUBJECT: dict[str, str] = {
    "limitations":
        r"\blimit|\bnot (?:\w+ )?(?:suitable|intended|reliable|robust|accurate|evaluated|tested|perfect|designed)"
        r"|\bmay (?:not|fail|produce|generate|contain|reflect|be)\b|\bbias|\bcaveat|\bcannot\b|\bcan't\b"
        r"|\bshould not\b|\bfail|\berror|\bstruggl|\bpoor|\bonly\b|\brestrict|\bweak|\bhallucinat"
        r"|\bnot (?:\w+ )?ready\b|\bworse\b|\bless (?:accurate|reliable)|\bunreliab|\bdegrad|\bmistake|\bincorrect|\binaccura",
    "risks":
        r"\brisk|\bharm|\bbias|\bmisuse|\bdanger|\boffensive|\btoxic|\bstereotyp|\bethic|\bprivacy|\bsafety"
        r"|\bdiscriminat|\bunfair|\bmalicious|\bsurveillance|\bdual[- ]use|\bmisinformation|\bdeception|\babuse",
    "data.evaluation":
        r"\bevaluat|\btest|\bvalidation|\bdev(?:elopment)? set|\bheld[- ]out|\bsplit|\bbenchmark",
    "data.training": r"\btrain|\bdata|\bcorpus|\bcorpora|\bfine[- ]?tun",
    # a number next to a measure, in one sentence (a figure of guidance scales or step counts is no result)
    "results.overall": _RESULT,
    "results.by_group": _RESULT,
    "use.intended": r"\w",
    "use.out_of_scope": r"\bonly\b|\bnot\b|\bmust\b|\bshould\b|\bavoid|\bprohibit|\brestrict|\bnever\b",
    # energy or emissions, not only the hardware the template's bullets ask for
    "environmental_impact": r"co2|carbon|emission|energy|kwh|\bpower\b|watt|offset|footprint",
    "model.release_date": r"\b(19|20)\d\d\b",
}  # fmt: skip
