"""PDF from the HTML audit document with WeasyPrint (optional extra: ``pip install 'auditor[pdf]'``).

The same HTML, its print stylesheet (A4, page breaks, running header with the report id, page
numbers) and inline SVG charts. Nothing is fetched while rendering: only ``data:`` URLs resolve.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import UsageError
from .html import render_html

__all__ = ["PDF_MAX_ROWS", "pdf_available", "render_pdf"]

#: rows per measured table in the PDF appendix (WeasyPrint lays out long tables slowly; every
#: row stays in audit.json and the HTML report)
PDF_MAX_ROWS = 100


def _weasyprint() -> Any:
    return importlib.import_module("weasyprint")  # optional extra, untyped


def pdf_available() -> bool:
    try:
        _weasyprint()
    except (ImportError, OSError):
        return False
    return True


def _fetcher() -> Any:
    weasyprint = _weasyprint()

    if hasattr(weasyprint, "URLFetcher"):
        return weasyprint.URLFetcher(allowed_protocols={"data"})

    def refuse(url: str, *args: Any, **kwargs: Any) -> Any:  # WeasyPrint < 68
        if not url.startswith("data:"):
            raise ValueError(f"auditor reports fetch nothing: {url[:60]}")
        return weasyprint.default_url_fetcher(url, *args, **kwargs)

    return refuse


def render_pdf(data: Mapping[str, Any], templates: Path | None = None) -> bytes:
    """The audit document as PDF bytes; a usage error if WeasyPrint is not installed."""
    try:
        weasyprint = _weasyprint()
    except (ImportError, OSError) as exc:
        raise UsageError(
            f"PDF output needs WeasyPrint and its system libraries (pango): pip install "
            f"'auditor[pdf]' ({type(exc).__name__}: {exc})"
        ) from None
    html = render_html(data, templates, max_rows=PDF_MAX_ROWS, medium="pdf")
    doc = weasyprint.HTML(string=html, base_url=None, url_fetcher=_fetcher())
    pdf: bytes = doc.write_pdf()
    return pdf
