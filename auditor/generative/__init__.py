"""Auditing generative models: the building blocks of the correspondence test (issue 13).

- :mod:`~auditor.generative.endpoint`: query an OpenAI-compatible chat-completions endpoint
  (standard library only: concurrency limit, retries with back-off on 429/5xx, timeouts, an
  on-disk response cache, failures kept as counted exclusions) or a plain Python callable.
- :mod:`~auditor.generative.suite`: build the paired prompts of a correspondence test from a YAML
  template and cited cue lists (first names, pronouns), in a seeded, recorded order.
- :mod:`~auditor.generative.decisions`: read decisions from answers (JSON field, regex with named
  outcomes, label map), recognise refusals, count what cannot be parsed per group.
- :mod:`~auditor.generative.paired`: the paired statistics (McNemar, Cochran's Q, Wilcoxon,
  Friedman, Holm) and per-group selection rates with Wilson intervals and impact ratios.

Submodules are imported explicitly (``from auditor.generative.paired import paired_binary``):
importing this package loads none of them (the endpoint client needs no numpy or pandas).
"""
