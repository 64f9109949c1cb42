"""Official documents (social inquiry, intervention plan, contract, referral letter) as PDF and DOCX from one
HTML text: the municipality's template, filled and rendered by the app that owns the record.

The HTML is a small subset — headings, paragraphs, bold/italic, lists, tables, line breaks — so that one
template gives both a PDF (WeasyPrint) and an editable DOCX (python-docx) the secretariat can sign. Tags
outside the subset keep their text and lose their markup. ``core.exports.export_document`` is the one
path a document leaves by (audited like every export).
"""

from __future__ import annotations

import io
from html.parser import HTMLParser
from typing import Any

DOCUMENT_FORMATS = ("pdf", "docx")
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = {"pdf": "application/pdf", "docx": DOCX_CONTENT_TYPE}

PAGE_CSS = """
@page { size: A4; margin: 2cm 2cm 2.2cm 2.5cm; }
body { font-family: "DejaVu Sans", "Noto Sans", sans-serif; font-size: 10.5pt; line-height: 1.4; color: #000; }
h1 { font-size: 15pt; text-align: center; margin: 0 0 .6em; }
h2 { font-size: 12pt; margin: 1.1em 0 .4em; }
h3 { font-size: 11pt; margin: .8em 0 .3em; }
p { margin: 0 0 .5em; }
table { border-collapse: collapse; width: 100%; margin: .4em 0 .8em; }
th, td { border: 1px solid #444; padding: 3pt 5pt; text-align: left; vertical-align: top; }
th { background: #eee; }
.signatures td { border: 0; padding-top: 2.5em; }
.muted { color: #444; font-size: 9pt; }
"""


def to_pdf(html: str, *, title: str = "") -> bytes:
    from weasyprint import CSS, HTML

    if html.lstrip()[:15].lower().startswith(("<!doctype", "<html")):
        # A whole page (a certificate, a contract) brings its own styles.
        return HTML(string=html).write_pdf()
    page = f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body>{html}</body></html>"
    return HTML(string=page).write_pdf(stylesheets=[CSS(string=PAGE_CSS)])


class _DocxBuilder(HTMLParser):
    """Walks the HTML subset and writes the matching python-docx paragraphs, runs and tables."""

    HEADINGS = {"h1": 0, "h2": 1, "h3": 2, "h4": 3}
    BLOCKS = {"p", "div", "li", "td", "th", *HEADINGS}

    def __init__(self, document: Any) -> None:
        super().__init__(convert_charrefs=True)
        self.doc = document
        self.paragraph: Any = None
        self.bold = 0
        self.italic = 0
        self.lists: list[str] = []
        self.table: Any = None
        self.row: Any = None
        self.cell_index = 0
        self.tables: list[tuple[Any, Any, int]] = []

    def _container(self) -> Any:
        if self.table is not None and self.row is not None:
            return self.row.cells[self.cell_index - 1]
        return self.doc

    def _new_paragraph(self, tag: str) -> None:
        container = self._container()
        if tag in self.HEADINGS and container is self.doc:
            self.paragraph = self.doc.add_heading(level=self.HEADINGS[tag])
        elif tag == "li" and container is self.doc:
            style = "List Number" if self.lists and self.lists[-1] == "ol" else "List Bullet"
            self.paragraph = self.doc.add_paragraph(style=style)
        elif tag in ("td", "th"):
            self.paragraph = container.paragraphs[0]
        else:
            self.paragraph = container.add_paragraph()
        if tag in self.HEADINGS and container is not self.doc:
            self.bold += 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("strong", "b", "th"):
            self.bold += 1
        if tag in ("em", "i"):
            self.italic += 1
        if tag in ("ul", "ol"):
            self.lists.append(tag)
        if tag == "table":
            self.tables.append((self.table, self.row, self.cell_index))
            self.table, self.row, self.cell_index = None, None, 0
            self._pending_table = True
        if tag == "tr":
            self.row = None
            self.cell_index = 0
        if tag in ("td", "th"):
            self._ensure_cell()
        if tag == "br" and self.paragraph is not None:
            self.paragraph.add_run().add_break()
        if tag in self.BLOCKS:
            self._new_paragraph(tag)

    def _ensure_cell(self) -> None:
        if self.table is None:
            self.table = self.doc.add_table(rows=0, cols=1)
            self.table.style = "Table Grid"
        if self.row is None:
            self.row = self.table.add_row()
        self.cell_index += 1
        while len(self.row.cells) < self.cell_index:
            self.table.add_column(self.table.columns[0].width or 914400)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("strong", "b", "th"):
            self.bold = max(0, self.bold - 1)
        if tag in ("em", "i"):
            self.italic = max(0, self.italic - 1)
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        if tag in self.HEADINGS and self._container() is not self.doc:
            self.bold = max(0, self.bold - 1)
        if tag == "table" and self.tables:
            self.table, self.row, self.cell_index = self.tables.pop()
        if tag in self.BLOCKS:
            self.paragraph = None

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if not text:
            return
        if data[:1].isspace():
            text = " " + text
        if data[-1:].isspace():
            text += " "
        if self.paragraph is None:
            self.paragraph = self._container().add_paragraph()
            text = text.lstrip()
        run = self.paragraph.add_run(text)
        run.bold = bool(self.bold) or None
        run.italic = bool(self.italic) or None


def to_docx(html: str, *, title: str = "") -> bytes:
    from docx import Document
    from docx.shared import Pt

    document = Document()
    document.core_properties.title = title[:200]
    style = document.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(10.5)
    builder = _DocxBuilder(document)
    builder.feed(html)
    builder.close()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_document(html: str, *, fmt: str, title: str = "") -> bytes:
    if fmt == "pdf":
        return to_pdf(html, title=title)
    if fmt == "docx":
        return to_docx(html, title=title)
    raise ValueError(fmt)


# ---------------------------------------------------------------------------------------------------
# The kinds of document and their templates: a default file template per kind (registered by the app that
# owns the record, translated through its catalogue), which a municipality may replace with its own text.

import datetime  # noqa: E402
import re  # noqa: E402
from dataclasses import dataclass  # noqa: E402

from django.core.exceptions import ValidationError  # noqa: E402
from django.template import Context, Engine, TemplateSyntaxError  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.utils import translation  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402


@dataclass(frozen=True)
class DocumentKind:
    kind: str
    label: Any  # lazy translated
    template_name: str  # the default (file) template
    fields: tuple[str, ...] = ()  # the values a municipality's text may use, for the editing page


DOCUMENT_KINDS: dict[str, DocumentKind] = {}


def register_document_kind(kind: str, *, label: Any, template_name: str, fields: tuple[str, ...] = ()) -> None:
    DOCUMENT_KINDS[kind] = DocumentKind(kind, label, template_name, fields)


# A municipality's text is a template over plain values: no tag that reaches other templates or settings;
# the one library it may load is i18n (the default texts are written with {% translate %}).
FORBIDDEN_TAGS = re.compile(r"{%-?\s*(include|extends|debug|ssi|block|csrf_token|url|static|load(?!\s+i18n\s*%}))\b")
_ENGINE = Engine(autoescape=True, debug=False, libraries={"i18n": "django.templatetags.i18n"})


def default_template_source(kind: str) -> str:
    """The text of a kind's default template: what the editing page starts a municipality's own text from."""
    from django.template.loader import get_template

    return get_template(DOCUMENT_KINDS[kind].template_name).template.source  # type: ignore[attr-defined]


def validate_template_text(body: str) -> None:
    """Refuse a municipality's template that would not compile or that uses a forbidden tag."""
    match = FORBIDDEN_TAGS.search(body)
    if match:
        raise ValidationError(
            {"body": _("The tag “%(tag)s” is not allowed in a document template.") % {"tag": match.group(1)}}
        )
    try:
        _ENGINE.from_string(body)
    except TemplateSyntaxError as exc:
        raise ValidationError({"body": _("The template has an error: %(error)s") % {"error": exc}}) from exc


def template_override(*, municipality_id: Any, kind: str, language: str, on: datetime.date | None = None) -> Any:
    """The municipality's own template in force on ``on`` for ``kind`` in ``language``, or None."""
    from .models import DocumentTemplate

    day = on or datetime.date.today()
    return (
        DocumentTemplate.objects.for_tenant(municipality_id)
        .filter(kind=kind, language=language, valid_from__lte=day)
        .order_by("-valid_from")
        .first()
    )


def fill_document(*, municipality_id: Any, kind: str, language: str, values: dict[str, Any]) -> str:
    """The document's HTML in ``language``: the municipality's own text if it has one, else the default.

    ``values`` holds plain values only (strings, numbers, dates, lists and dicts of them), built by the app
    that owns the record: a municipality's text can reach nothing else.
    """
    spec = DOCUMENT_KINDS[kind]
    with translation.override(language):
        override = template_override(municipality_id=municipality_id, kind=kind, language=language)
        if override is not None:
            return _ENGINE.from_string(override.body).render(Context(values, autoescape=True))
        return render_to_string(spec.template_name, values)


def fill_document_text(*, body: str, language: str, values: dict[str, Any]) -> str:
    """A template text not yet saved (the editing page's preview), filled like a municipality's own."""
    validate_template_text(body)
    with translation.override(language):
        return _ENGINE.from_string(body).render(Context(values, autoescape=True))
