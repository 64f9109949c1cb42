"""A council's own action plan from its DOCX/XLSX/CSV table: read, map columns, preview, import.

The coordinator uploads the table as the council approved it; the reader keeps the cell texts (merged cells
repeat their value), the guess maps columns to plan fields from header words in ro/ru/hu/en, the preview
builds a ``PlanDraft`` row by row (naming the file row of every problem) and the import writes it through
``importers.write_plan`` only when the preview has no error: nothing is half-saved.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
import zipfile
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carenet.core.models import Municipality, Organisation

from .importers import _BALTI_FUNDING, _EU_PROGRAMMES, ImportRefused, PlanDraft, _unit_for, write_plan
from .models import (
    CostKind,
    FundingKind,
    Indicator,
    IndicatorKind,
    IndicatorTarget,
    Plan,
    PlanStatus,
    TargetOperator,
    VersionKind,
)

MAX_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED_BYTES = 60 * 1024 * 1024  # a DOCX/XLSX is a zip: refuse one that inflates past this
MAX_ROWS = 3000
MAX_COLUMNS = 40
MAX_CELL = 4000
HEADER_MIN_CELLS = 3
TERM_MAX = 60  # Action.term
MAX_LISTED_ERRORS = 50


# --- the table read from the file ------------------------------------------------------------------


@dataclass
class PlanTable:
    headers: list[str]
    rows: list[list[str]]  # cell texts, stripped; merged cells repeat the value of the merged area
    source: str  # file name (and table/sheet chosen)
    # The row of the file (1-based, as a spreadsheet or the DOCX table numbers it) each data row came from.
    row_numbers: list[int] = field(default_factory=list)

    def file_row(self, index: int) -> int:
        return self.row_numbers[index] if index < len(self.row_numbers) else index + 1

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PlanTable:
        return cls(
            headers=[str(h) for h in data["headers"]],
            rows=[[str(c) for c in r] for r in data["rows"]],
            source=str(data["source"]),
            row_numbers=[int(n) for n in data.get("row_numbers", [])],
        )


def plan_table_read(*, file: IO[bytes], filename: str, table_index: int | None = None) -> PlanTable:
    """The plan's table from an uploaded .xlsx, .docx or .csv (ImportRefused with a reason otherwise)."""
    data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImportRefused(_("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
    if not data:
        raise ImportRefused(_("The file is empty."))
    name = (filename or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    try:
        if extension == "xlsx":
            grids, labels = _read_xlsx(data)
        elif extension == "docx":
            grids, labels = _read_docx(data)
        elif extension == "csv":
            grids, labels = [_read_csv(data)], [""]
        else:
            raise ImportRefused(_("Upload the plan as an .xlsx, .docx or .csv file."))
    except ImportRefused:
        raise
    except Exception as exc:  # a damaged or mislabelled file: openpyxl/python-docx raise many kinds
        raise ImportRefused(_("The file cannot be read as %(kind)s.") % {"kind": extension.upper()}) from exc
    grids = [[r for r in g] for g in grids]
    if not grids or not any(grids):
        raise ImportRefused(_("The file holds no table."))
    if table_index is not None:
        if not 0 <= table_index < len(grids):
            raise ImportRefused(
                _("The file holds %(n)s tables; there is no table %(index)s.")
                % {"n": len(grids), "index": table_index + 1}
            )
        chosen = table_index
    else:
        chosen = max(range(len(grids)), key=lambda i: _table_size(grids[i]))
    table = _with_header(grids[chosen], name)
    if labels[chosen]:
        table.source = f"{name} · {labels[chosen]}"
    return table


def _table_size(grid: list[list[str]]) -> int:
    return sum(1 for row in grid if sum(1 for c in row if c) >= 2)


def _clean(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    text = "\n".join(line.strip() for line in text.split("\n")).strip()
    return text[:MAX_CELL]


def _check_zip(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
            raise ImportRefused(_("The file unpacks to more than the allowed size."))


def _read_xlsx(data: bytes) -> tuple[list[list[list[str]]], list[str]]:
    import openpyxl

    _check_zip(data)
    # Not read-only: merged ranges are only known to a fully loaded sheet; the upload is capped above.
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    grids, labels = [], []
    for sheet in book.worksheets:
        if sheet.max_row > MAX_ROWS or sheet.max_column > MAX_COLUMNS * 4:
            raise ImportRefused(_("A sheet holds more than %(rows)s rows.") % {"rows": MAX_ROWS})
        fill: dict[tuple[int, int], Any] = {}
        for merged in sheet.merged_cells.ranges:
            value = sheet.cell(merged.min_row, merged.min_col).value
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    fill[(r, c)] = value
        grid = []
        for r, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            grid.append([_clean(fill.get((r, c), v)) for c, v in enumerate(row, start=1)])
        grids.append(grid)
        labels.append(sheet.title)
    return grids, labels


def _read_docx(data: bytes) -> tuple[list[list[list[str]]], list[str]]:
    import docx

    _check_zip(data)
    document = docx.Document(io.BytesIO(data))
    grids, labels = [], []
    for n, table in enumerate(document.tables, start=1):
        if len(table.rows) > MAX_ROWS:
            raise ImportRefused(_("A table holds more than %(rows)s rows.") % {"rows": MAX_ROWS})
        # row.cells repeats a merged cell (across: gridSpan; down: vMerge) in every grid column it covers.
        grids.append([[_clean(cell.text) for cell in row.cells] for row in table.rows])
        labels.append(_("table %(n)s") % {"n": n})
    return grids, labels


def _read_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(_("Save the CSV file as UTF-8.")) from exc
    sample = text[:20000]
    first = sample.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") and first.count(";") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if len(rows) > MAX_ROWS:
        raise ImportRefused(_("The file holds more than %(rows)s rows.") % {"rows": MAX_ROWS})
    return [[_clean(c) for c in row] for row in rows]


def _is_numbering(row: list[str]) -> bool:
    """The "1 2 3 …" row under a council table's header."""
    filled = [c for c in row if c]
    return len(filled) >= HEADER_MIN_CELLS and all(re.fullmatch(r"\d{1,2}\.?", c) for c in filled)


def _is_subheader(header: list[str], row: list[str]) -> bool:
    """A second header row naming the parts of a header merged across (Bălți: "Costuri, lei" over three
    funding sources); the other cells are empty or repeat the header above (merged down)."""
    differing = [i for i, c in enumerate(row) if c and c != header[i]]
    if not differing:
        return bool(any(row))
    for i in differing:
        above = header[i]
        merged_across = (i > 0 and header[i - 1] == above) or (i + 1 < len(header) and header[i + 1] == above)
        if not above or not merged_across:
            return False
    return True


def _with_header(grid: list[list[str]], name: str) -> PlanTable:
    width = min(max((len(r) for r in grid), default=0), MAX_COLUMNS)
    padded = [(n, (r + [""] * width)[:width]) for n, r in enumerate(grid, start=1)]
    start = next((i for i, (_n, r) in enumerate(padded) if len({c for c in r if c}) >= HEADER_MIN_CELLS), None)
    if start is None:
        raise ImportRefused(
            _("No header row found: the table needs a row with at least %(n)s filled cells.") % {"n": HEADER_MIN_CELLS}
        )
    header = list(padded[start][1])
    i = start + 1
    while i < len(padded):
        row = padded[i][1]
        if not any(row) or _is_numbering(row):
            i += 1
            continue
        if not _is_subheader(header, row):
            break
        header = [f"{h} {c}".strip() if c and c != h else h for h, c in zip(header, row, strict=True)]
        i += 1
    headers = [h or _("column %(n)s") % {"n": n} for n, h in enumerate(header, start=1)]
    rows, numbers = [], []
    first = padded[start][1]
    # An objective heading above the first header (Baia Mare: "Obiectiv strategic | OS1. …") belongs to the plan.
    before = [(n, r) for n, r in padded[:start] if (h := _heading_of(r)) is not None and _objective_words(h)]
    for n, row in before + padded[i:]:
        if any(row) and not _is_numbering(row) and row != first:  # a header repeated over each block
            rows.append(row)
            numbers.append(n)
    if not rows:
        raise ImportRefused(_("The table has a header but no rows."))
    return PlanTable(headers=headers, rows=rows, source=name, row_numbers=numbers)


# --- the fields a column may be mapped to ------------------------------------------------------------

PLAN_FIELDS: list[tuple[str, Any]] = [
    ("general_objective", gettext_lazy("General objective")),
    ("specific_objective", gettext_lazy("Specific objective")),
    ("action_code", gettext_lazy("Action number")),
    ("action", gettext_lazy("Action")),
    ("responsible", gettext_lazy("Responsible")),
    ("partners", gettext_lazy("Partners")),
    ("deadline", gettext_lazy("Deadline")),
    ("indicator", gettext_lazy("Indicators")),
    ("baseline", gettext_lazy("Baseline")),
    ("target", gettext_lazy("Target")),
    ("cost", gettext_lazy("Cost")),
    ("funding_source", gettext_lazy("Funding source")),
    # Bălți's table gives the cost of each action in three columns, one per funding source.
    ("cost_local_budget", gettext_lazy("Cost: local budget")),
    ("cost_donors", gettext_lazy("Cost: donors / NGO")),
    ("cost_beneficiaries", gettext_lazy("Cost: beneficiaries")),
]
FIELD_LABELS = dict(PLAN_FIELDS)
_COST_COLUMNS = {
    "cost_local_budget": _BALTI_FUNDING[0],
    "cost_donors": _BALTI_FUNDING[1],
    "cost_beneficiaries": _BALTI_FUNDING[2],
}


def fold(text: str) -> str:
    """Case- and diacritics-insensitive form (ș/ş, ț/ţ, î/â, ő … all fold; Cyrillic stays Cyrillic)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = re.sub(r"[„“”«»\"'’`]", " ", plain.casefold())
    return re.sub(r"\s+", " ", plain).strip()


# Header words per field, folded, tried in this order (a column takes the first field it matches).
_HEADER_WORDS: list[tuple[str, list[str]]] = [
    (
        "specific_objective",
        [
            "obiectiv specific",
            "obiective specifice",
            "specific objective",
            "конкретн",
            "специфич",
            "specifikus cel",
            "konkret cel",
            "reszcel",
        ],
    ),
    (
        "general_objective",
        [
            "obiectiv general",
            "obiective generale",
            "obiectiv strategic",
            "obiective strategice",
            "general objective",
            "strategic objective",
            "общая цель",
            "общие цели",
            "стратегическ",
            "altalanos cel",
            "strategiai cel",
            "obiectiv",
            "objective",
            "цель",
            "cel",
        ],
    ),
    (
        "cost_local_budget",
        ["bugetare", "buget local", "bugetul local", "local budget", "местн", "helyi koltsegvetes", "onkormanyzati"],
    ),
    ("cost_donors", ["donator", "donor", "донор", "adomanyoz"]),
    ("cost_beneficiaries", ["beneficiar", "бенефициар", "kedvezmenyezett"]),
    (
        "funding_source",
        [
            "sursa de finantare",
            "surse de finantare",
            "sursa",
            "surse",
            "finantare",
            "funding",
            "источник",
            "финансирован",
            "forras",
            "finanszirozas",
        ],
    ),
    ("cost", ["cost", "buget", "budget", "стоимост", "бюджет", "затрат", "koltseg", "lei", "mdl", "ron"]),
    ("indicator", ["indicator", "kpi", "индикатор", "показател", "mutato", "indikator"]),
    (
        "baseline",
        [
            "valoare de baza",
            "valoarea de baza",
            "valoare initiala",
            "valoarea initiala",
            "situatia initiala",
            "baseline",
            "базов",
            "исходн",
            "bazisertek",
            "kiindulo",
        ],
    ),
    ("target", ["tinta", "tinte", "target", "целев", "celertek"]),
    ("responsible", ["responsabil", "executor", "responsible", "ответствен", "исполнител", "felelos"]),
    ("partners", ["partener", "partner", "партнер", "partnerek"]),
    (
        "deadline",
        ["termen", "deadline", "perioada", "calendar", "срок", "период", "hatarido", "idotartam", "timeline", "term"],
    ),
    ("action_code", ["nr", "nr.", "no", "no.", "№", "cod", "code", "sorszam", "ssz", "#"]),
    (
        "action",
        [
            "actiun",
            "activit",
            "masur",
            "action",
            "activity",
            "measure",
            "действи",
            "мероприяти",
            "меры",
            "intezkedes",
            "tevekenyseg",
        ],
    ),
]
_EXACT_ONLY = {"action_code"}  # "nr" must be the whole header, not a word inside "număr de beneficiari"


def _word_pattern(word: str) -> str:
    end = r"(?!\w)" if len(word) < 4 else ""  # "cel", "lei": whole words only
    return rf"(?<!\w){re.escape(word)}{end}"


def plan_table_guess_mapping(*, table: PlanTable) -> dict[str, int]:
    """field → column index, from the header words (each field at most once, the first column it fits)."""
    mapping: dict[str, int] = {}
    for index, header in enumerate(table.headers):
        text = fold(header)
        for key, words in _HEADER_WORDS:
            if key in mapping:
                continue
            if key in _EXACT_ONLY:
                hit = text.strip(" .:") in {w.strip(".") for w in words}
            elif key == "funding_source" and "verific" in text:  # "Sursa de verificare": means of verification
                hit = False
            else:
                hit = any(re.search(_word_pattern(w), text) for w in words)
            if hit:
                mapping[key] = index
                break
    return mapping


# --- the preview -------------------------------------------------------------------------------------


@dataclass
class RowError:
    row: int  # the file's row (1-based) as the user sees it
    field: str
    message: str

    @property
    def field_label(self) -> str:
        return str(FIELD_LABELS.get(self.field, self.field))

    def __str__(self) -> str:
        return _("row %(row)s, %(field)s: %(message)s") % {
            "row": self.row,
            "field": self.field_label,
            "message": self.message,
        }


@dataclass
class TablePreview:
    draft: PlanDraft
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    replaces: bool = False  # a plan of this code exists and will be replaced

    def counts(self) -> dict[str, int]:
        return {**self.draft.counts(), "errors": len(self.errors), "warnings": len(self.warnings)}


_SPECIFIC_HEADING = re.compile(
    r"obiectiv(ul|e)? specific|specific objective|конкретн\w* цел|специфическ\w* цел|"
    r"specifikus cel|konkret cel|reszcel"
)
_GENERAL_HEADING = re.compile(
    r"obiectiv(ul|e)? (general|strategic)|general objective|strategic objective|"
    r"общ\w* цел|стратегическ\w* цел|altalanos cel|strategiai cel|^os ?\d"
)
_AREA_HEADING = re.compile(r"^[ivxlc]+\.\s")
_LABEL_WORDS = re.compile(
    r"^\s*(obiectiv(ul|e)?\s+(general|specific|strategic)|(general|specific|strategic)\s+objective|"
    r"\w+\s+цель|\w+\s+cél)\s*",
    re.IGNORECASE,
)
_CODE_TITLE = re.compile(
    r"^(?P<code>(?:[A-Za-z]{1,3}\s?)?\d+(?:\.\d+)*|[IVXLC]+(?=[.:)\s]))\s*[:.)\-–—]?\s*(?P<title>.*)$", re.S
)
_ACTION_CODE = re.compile(r"^(?P<code>\d+(?:\.\d+)+)\.?\s+(?P<title>\S.*)$", re.S)
_BULLET = re.compile(r"^\s*(?:[•·▪◦●\-–—*]|\d{1,2}[.)])\s+")
_WITHIN_AVAILABLE = ("in limita", "within available", "в пределах", "keretein belul", "resurselor disponibile")
_DASHES = {"-", "–", "—", "x", "0", "nu", "n/a"}


def _split_code(text: str, *, heading: bool) -> tuple[str, str]:
    """("1.1", "Cel puțin 25% …") from "Obiectiv specific 1.1: Cel puțin 25% …"; ("", text) without a code."""
    body = _LABEL_WORDS.sub("", text, count=1).strip() if heading else text.strip()
    match = _CODE_TITLE.match(body)
    if match and match.group("title").strip():
        return match.group("code").replace(" ", ""), match.group("title").strip()
    if match and heading:  # "Obiectiv specific 1.1:" with its text in the next line of the cell
        return match.group("code").replace(" ", ""), ""
    return "", body


def _heading_of(row: list[str]) -> str | None:
    """The text of a heading row: one text merged across (every filled cell holds it), a label cell beside it
    ("Obiectiv strategic" | "OS1. …" merged across the rest), or a lone cell that names an objective."""
    filled = list(dict.fromkeys(c for c in row if c))
    count = sum(1 for c in row if c)
    if len(filled) == 1 and (count >= 2 or _objective_words(filled[0])):
        return filled[0]
    if len(filled) == 2 and count >= 3 and len(filled[0]) <= 40 and _objective_words(filled[0]):
        return f"{filled[0]} {filled[1]}"
    return None


def _objective_words(text: str) -> bool:
    folded = fold(text)
    return bool(_SPECIFIC_HEADING.search(folded) or _GENERAL_HEADING.search(folded))


def _split_items(text: str) -> list[str]:
    lines = [ln.strip() for ln in re.split(r"\n|;\s*(?=\S)|(?<=\S)\s+•\s+", text or "")]
    return [_BULLET.sub("", ln).strip(" ;") for ln in lines if _BULLET.sub("", ln).strip(" ;")]


def _indicator_kind(text: str) -> tuple[str, str]:
    lowered = fold(text)
    if "%" in text or re.search(
        r"(?<!\w)(procent|ponder|rata|gradul|percent|share|процент|доля|szazalek|arany)", lowered
    ):
        return IndicatorKind.PERCENTAGE, "%"
    if re.search(r"(?<!\w)(numar|nr\.|number|count|количеств|число|szama|szam)", lowered):
        return IndicatorKind.COUNT, _unit_for(IndicatorKind.COUNT, text)
    return IndicatorKind.MILESTONE, ""


_MULTIPLIERS = [
    (re.compile(r"\b(mii|mie|thousand|тыс\.?|ezer)\b", re.I), Decimal(1000)),
    (re.compile(r"\b(mil\.?|milioane|million|млн\.?|millio)\b", re.I), Decimal(1000000)),
]


def parse_number(text: str) -> Decimal | None:
    """A number as ro/ru/hu/en write it ("1 234,5", "1.234,5", "150,000.00", "≥ 12,5 %", "50 mii lei"), words
    around it allowed; None when the text holds no digit; ValueError when its digits are not one number."""
    if not re.search(r"\d", text or ""):
        return None
    raw = fold(text)
    factor = Decimal(1)
    for pattern, multiplier in _MULTIPLIERS:
        if pattern.search(raw):
            factor = multiplier
            raw = pattern.sub(" ", raw)
    tokens = re.findall(r"[-+]?\d(?:[\d.,' \u202f]*\d)?", raw)
    if len(tokens) != 1:
        raise ValueError(text)
    raw = re.sub(r"[\s'\u202f]", "", tokens[0])
    if "," in raw and "." in raw:
        decimal_sep = "," if raw.rfind(",") > raw.rfind(".") else "."
        thousands = "." if decimal_sep == "," else ","
        whole, _sep, frac = raw.rpartition(decimal_sep)
        if not re.fullmatch(rf"[-+]?\d{{1,3}}(\{thousands}\d{{3}})*", whole):
            raise ValueError(text)
        raw = whole.replace(thousands, "") + "." + frac
    elif raw.count(",") > 1 or raw.count(".") > 1:
        sep = "," if "," in raw else "."
        if not re.fullmatch(rf"[-+]?\d{{1,3}}(\{sep}\d{{3}})+", raw):
            raise ValueError(text)
        raw = raw.replace(sep, "")
    elif "," in raw:
        raw = raw.replace(",", ".")  # the decimal comma of ro/ru/hu
    elif re.fullmatch(r"[-+]?\d{1,3}\.\d{3}", raw) and factor == 1:
        raw = raw.replace(".", "")  # "150.000": the thousands point of ro/hu
    try:
        value = Decimal(raw) * factor
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not value.is_finite():
        raise ValueError(text)
    return value


def _operator(text: str) -> str:
    lowered = fold(text)
    if re.search(r"≤|<=|cel mult|maxim|pana la|не более|legfeljebb|at most", lowered):
        return TargetOperator.AT_MOST
    if re.search(r"(?<![<>≤≥])=|exact|ровно|pontosan", lowered):
        return TargetOperator.EQUAL
    return TargetOperator.AT_LEAST


_TERM_WORDS = (
    "trimestrial",
    "anual",
    "permanent",
    "semestrial",
    "lunar",
    "continuu",
    "periodic",
    "la necesitate",
    "quarterly",
    "annual",
    "yearly",
    "ongoing",
    "monthly",
    "ежегодно",
    "ежеквартально",
    "постоянно",
    "ежемесячно",
    "evente",
    "folyamatos",
    "negyedevente",
    "havonta",
    "allando",
)


def _term(text: str, plan_years: range) -> tuple[str, str | None]:
    """(term as stored, a warning or None) from the deadline cell."""
    cleaned = re.sub(r"\s*[-–—]\s*", "-", re.sub(r"\s+", " ", text)).strip()
    years = [int(y) for y in re.findall(r"(?<!\d)(?:19|20)\d{2}(?!\d)", cleaned)]
    warning = None
    if years and any(y not in plan_years for y in years):
        warning = _("“%(text)s” lies outside the plan's years.") % {"text": text}
    elif not years and not any(w in fold(cleaned) for w in _TERM_WORDS):
        warning = _("“%(text)s” is neither a year nor a known term; kept as written.") % {"text": text}
    if len(cleaned) > TERM_MAX:
        warning = _("The term is longer than %(n)s characters; shortened.") % {"n": TERM_MAX}
        cleaned = cleaned[: TERM_MAX - 1] + "…"
    return cleaned, warning


def _funding_of(name: str) -> tuple[str, str, FundingKind]:
    """(code, name, kind) of a funding source named in a cell."""
    lowered = fold(name)
    code = slugify(lowered)[:60] or "sursa"
    if re.search(r"buget(ul)? (public )?local|local budget|местн\w* бюджет|onkormanyzat|helyi", lowered):
        return "buget-local", name, FundingKind.LOCAL_BUDGET
    if re.search(r"buget(ul)? de stat|state budget|государствен|allami", lowered):
        return code, name, FundingKind.STATE_BUDGET
    if lowered in _EU_PROGRAMMES or re.search(r"\b(ue|eu|fse|feder|pnrr)\b", lowered):
        return code, name, FundingKind.EU_PROGRAMME
    if re.search(r"donator|donor|ong|ngo|донор|adomany|grant", lowered):
        return code, name, FundingKind.DONORS_NGO
    if re.search(r"beneficiar|бенефициар|kedvezmenyezett", lowered):
        return code, name, FundingKind.BENEFICIARIES
    if lowered == "csr":
        return code, name, FundingKind.CSR
    return code, name, FundingKind.OTHER


def _cost(text: str) -> tuple[str, Decimal | None]:
    """(cost kind, amount) of a cost cell; ValueError for digits that are not one amount."""
    stripped = text.strip()
    if not stripped:
        return CostKind.BLANK, None
    if fold(stripped) in _DASHES:
        return CostKind.NONE, None
    if any(w in fold(stripped) for w in _WITHIN_AVAILABLE):
        return CostKind.WITHIN_AVAILABLE, None
    amount = parse_number(stripped)
    if amount is None:
        return CostKind.UNQUANTIFIED, None
    if amount < 0:
        raise ValueError(text)
    return CostKind.AMOUNT, amount


class _OrgMatcher:
    """Organisations named in a responsible/partners cell, by code, name or short name, longest first."""

    def __init__(self, municipality: Municipality) -> None:
        names: list[tuple[str, str]] = []
        for org in Organisation.objects.for_tenant(municipality).only("code", "name", "short_name"):
            for candidate in (org.name, org.short_name, org.code, org.code.replace("-", " ")):
                folded = fold(candidate)
                if len(folded) >= 2:
                    names.append((folded, org.code))
        names.sort(key=lambda n: -len(n[0]))
        self.names = names

    def match(self, text: str) -> tuple[list[str], list[str]]:
        """(codes found, texts not recognised)."""
        rest = " " + fold(text.replace("\n", ", ")) + " "
        found: dict[str, int] = {}  # code → where the cell names it first (the cell's order is kept)
        for name, code in self.names:
            pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
            hit = pattern.search(rest)
            if hit:
                rest = pattern.sub(lambda m: "," + " " * (len(m.group(0)) - 1), rest)  # same length: positions hold
                found[code] = min(found.get(code, hit.start()), hit.start())
        unknown = []
        for piece in re.split(r"[,;/•·\n]| si | и | es ", rest):
            piece = piece.strip(" .:()-–")
            if re.search(r"\w{2,}", piece):
                unknown.append(piece)
        return sorted(found, key=found.__getitem__), unknown


def _validate_plan_fields(*, code: str, title: str, start_year: int, end_year: int) -> None:
    errors: dict[str, str] = {}
    if not re.fullmatch(r"[-a-zA-Z0-9_]{1,60}", code or ""):
        errors["code"] = _("Use up to 60 letters, digits and hyphens.")
    if not (title or "").strip() or len(title) > 500:
        errors["title"] = _("Enter the plan's title (up to 500 characters).")
    if not 2000 <= start_year <= 2100:
        errors["start_year"] = _("Enter a year between 2000 and 2100.")
    if not 2000 <= end_year <= 2100 or end_year < start_year or end_year - start_year > 20:
        errors["end_year"] = _("The last year must follow the first, within 20 years.")
    if errors:
        raise ImportRefused(errors)


@dataclass
class _State:
    general: dict[str, Any] | None = None
    general_source: str = ""
    specific: dict[str, Any] | None = None
    specific_source: str = ""
    area: str = ""
    action: dict[str, Any] | None = None
    action_source: str = ""
    numbered: dict[str, int] = field(default_factory=dict)


def plan_table_preview(
    *,
    municipality: Municipality,
    table: PlanTable,
    mapping: dict[str, int],
    code: str,
    title: str,
    start_year: int,
    end_year: int,
) -> TablePreview:
    """The plan the table makes, with every problem named by its file row and field; nothing is written."""
    _validate_plan_fields(code=code, title=title, start_year=start_year, end_year=end_year)
    width = len(table.headers)
    mapping = {k: v for k, v in mapping.items() if k in FIELD_LABELS and v is not None}
    bad = [k for k, v in mapping.items() if not 0 <= int(v) < width]
    if bad:
        raise ImportRefused({"mapping": _("A mapped column is not in the table.")})
    if "action" not in mapping:
        raise ImportRefused({"action": _("Choose the column that holds the actions.")})
    draft = PlanDraft(
        plan={
            "code": code,
            "title": title.strip(),
            "start_year": start_year,
            "end_year": end_year,
            "status": PlanStatus.DRAFT,
            "currency": municipality.currency,
            "source_note": table.source[:1000],
        }
    )
    draft.versions.append({"number": 1, "kind": VersionKind.APPROVAL, "decision_reference": "", "summary": ""})
    preview = TablePreview(draft=draft)
    existing = Plan.objects.for_tenant(municipality).filter(code=code).first()
    if existing is not None:
        if existing.periods.filter(submissions__isnull=False).exists():
            raise ImportRefused({"code": _("A plan with this code already has reported data; choose another code.")})
        preview.replaces = True
    orgs = _OrgMatcher(municipality)
    funding: dict[str, dict[str, Any]] = {}
    years = range(start_year, end_year + 1)
    state = _State()

    def cell(row: list[str], key: str) -> str:
        index = mapping.get(key)
        return row[index] if index is not None and index < len(row) else ""

    def err(n: int, key: str, message: str) -> None:
        preview.errors.append(RowError(row=n, field=key, message=message))

    def warn(n: int, key: str, message: str) -> None:
        preview.warnings.append(RowError(row=n, field=key, message=message))

    def open_general(text: str, n: int) -> None:
        own, body = _split_code(text, heading=True)
        number = len(draft.general) + 1
        code_ = own or str(number)
        if any(g["code"] == code_ for g in draft.general):
            code_ = str(number)
        draft.general.append(
            {"code": code_[:20], "title": body or text, "order": len(draft.general), "_area": state.area}
        )
        state.general, state.general_source = draft.general[-1], text
        state.specific, state.specific_source, state.action, state.action_source = None, "", None, ""

    def open_specific(text: str, n: int) -> None:
        if state.general is None:
            open_general(title, n)
            warn(n, "specific_objective", _("No general objective above; one was opened with the plan's title."))
        general = state.general
        assert general is not None  # opened just above
        own, body = _split_code(text, heading=True)
        code_ = own or f"{general['code']}.{sum(1 for s in draft.specific if s['_general'] == general['code']) + 1}"
        if any(s["code"] == code_ for s in draft.specific):
            code_ = f"{general['code']}.{len(draft.specific) + 1}"
        value, operator, unit = None, "", ""
        if "%" in body:
            match = re.search(r"(\d+(?:[.,]\d+)?)\s*%", body)
            if match:
                value, operator, unit = Decimal(match.group(1).replace(",", ".")), _operator(body), "%"
        draft.specific.append(
            {
                "code": code_[:20],
                "target_text": body or text,
                "target_value": value,
                "target_operator": operator,
                "target_unit": unit,
                "order": len(draft.specific),
                "_general": general["code"],
            }
        )
        state.specific, state.specific_source, state.action, state.action_source = draft.specific[-1], text, None, ""

    def add_costs(row: list[str], n: int, action: dict[str, Any]) -> None:
        for key, (_key, fcode, fname, fkind) in _COST_COLUMNS.items():
            if key not in mapping:
                continue
            text = cell(row, key)
            try:
                kind, amount = _cost(text)
            except ValueError:
                err(n, key, _("“%(text)s” is not an amount.") % {"text": text})
                continue
            funding.setdefault(fcode, {"code": fcode, "name": fname, "kind": fkind, "order": len(funding)})
            action["_costs"].append({"_funding": fcode, "as_written": text, "kind": kind, "planned_amount": amount})
        sources_text = cell(row, "funding_source")
        cost_text = cell(row, "cost")
        if not sources_text and not cost_text:
            return
        try:
            kind, amount = _cost(cost_text)
        except ValueError:
            err(n, "cost", _("“%(text)s” is not an amount.") % {"text": cost_text})
            return
        names = [s for s in re.split(r"[,;\n]", sources_text) if s.strip(" .()")] if sources_text else []
        if not names:
            if kind in (CostKind.NONE, CostKind.BLANK):
                return  # "-" with no source named: no cost line
            names = ["Sursă nespecificată"]  # the plan's language: a cost the table gives no source for
        if amount is not None and len(names) > 1:
            warn(n, "cost", _("One amount for several funding sources: kept as written, not split."))
            kind, amount = CostKind.UNQUANTIFIED, None
        for name in names:
            fcode, fname, fkind = _funding_of(name.strip(" .()"))
            if any(c["_funding"] == fcode for c in action["_costs"]):
                continue
            funding.setdefault(fcode, {"code": fcode, "name": fname[:200], "kind": fkind, "order": len(funding)})
            action["_costs"].append(
                {
                    "_funding": fcode,
                    "as_written": cost_text or name.strip(),
                    "kind": kind if cost_text else CostKind.UNQUANTIFIED,
                    "planned_amount": amount,
                }
            )

    def add_indicators(row: list[str], n: int, action: dict[str, Any]) -> None:
        texts = _split_items(cell(row, "indicator"))
        values: dict[str, list[str]] = {}
        for key in ("baseline", "target"):
            raw = cell(row, key)
            items = [ln.strip() for ln in raw.split("\n") if ln.strip()] if raw else []
            if items and not texts:
                err(n, key, _("There is no indicator in this row to hold the value."))
            elif items and len(items) not in (1, len(texts)):
                err(n, key, _("%(values)s values for %(n)s indicators.") % {"values": len(items), "n": len(texts)})
            values[key] = items if len(items) == len(texts) else items * len(texts) if len(items) == 1 else []
        existing_count = sum(1 for i in draft.indicators if i["_action"] == action["code"])
        for k, text in enumerate(texts):
            kind, unit = _indicator_kind(text)
            indicator: dict[str, Any] = {
                "code": f"{action['code']}.{existing_count + k + 1}"[:30],
                "text": text,
                "kind": kind,
                "unit": unit,
                "order": len(draft.indicators),
                "_action": action["code"],
                "_general": None,
                "_disaggregation": None,
            }
            if values["baseline"]:
                raw = values["baseline"][k]
                try:
                    baseline = parse_number(raw)
                except ValueError:
                    err(n, "baseline", _("“%(text)s” is not a number.") % {"text": raw})
                else:
                    if baseline is None and fold(raw) not in _DASHES:
                        err(n, "baseline", _("“%(text)s” is not a number.") % {"text": raw})
                    indicator["baseline_value"] = baseline
                    indicator["baseline_year"] = start_year - 1 if baseline is not None else None
            if values["target"]:
                raw = values["target"][k]
                try:
                    target = parse_number(raw)
                except ValueError:
                    err(n, "target", _("“%(text)s” is not a number.") % {"text": raw})
                else:
                    if target is not None or fold(raw) not in _DASHES:
                        indicator["_target"] = {
                            "year": end_year,
                            "operator": _operator(raw),
                            "value": target,
                            "text": raw[:300],
                        }
            draft.indicators.append(indicator)

    for index, row in enumerate(table.rows):
        n = table.file_row(index)
        heading = _heading_of(row)
        if heading is not None:
            folded = fold(heading)
            if _SPECIFIC_HEADING.search(folded):
                open_specific(heading, n)
            elif _AREA_HEADING.match(folded) and not _GENERAL_HEADING.search(folded):
                own, body = _split_code(heading, heading=False)
                state.area = own or str(len(draft.areas) + 1)
                if not any(a["code"] == state.area for a in draft.areas):
                    draft.areas.append({"code": state.area[:20], "title": body[:500], "order": len(draft.areas)})
            else:
                open_general(heading, n)
            continue
        general_text = cell(row, "general_objective")
        if general_text and general_text != state.general_source:
            open_general(general_text, n)
        specific_text = cell(row, "specific_objective")
        if specific_text and specific_text != state.specific_source:
            open_specific(specific_text, n)
        action_text = cell(row, "action")
        if not action_text:
            if any(cell(row, k) for k in FIELD_LABELS if k not in ("general_objective", "specific_objective")):
                if state.action is not None and cell(row, "indicator") and not cell(row, "action_code"):
                    add_indicators(row, n, state.action)  # the indicators of the action above, split across rows
                else:
                    err(n, "action", _("This row has no action text."))
            continue
        if (
            state.action is not None
            and action_text == state.action_source
            and not (cell(row, "action_code") and cell(row, "action_code") != state.action["code"])
        ):
            add_indicators(row, n, state.action)  # the action merged down over several rows
            continue
        if state.general is None:
            open_general(title, n)
            warn(n, "general_objective", _("No objective above this action; one was opened with the plan's title."))
        general = state.general
        assert general is not None  # opened just above
        own_code = cell(row, "action_code").strip().rstrip(".")
        action_title = action_text
        if not own_code:
            match = _ACTION_CODE.match(action_text)
            if match:
                own_code, action_title = match.group("code"), match.group("title").strip()
        parent = state.specific["code"] if state.specific else general["code"]
        if not own_code:
            state.numbered[parent] = state.numbered.get(parent, 0) + 1
            own_code = f"{parent}.{state.numbered[parent]}"
        elif not re.fullmatch(r"[\w.\-/]{1,20}", own_code):
            err(n, "action_code", _("“%(text)s” is not an action number.") % {"text": own_code})
        if any(a["code"] == own_code for a in draft.actions):
            err(n, "action_code", _("Action %(code)s appears twice.") % {"code": own_code})
        responsible_text, partners_text = cell(row, "responsible"), cell(row, "partners")
        codes: dict[str, list[str]] = {}
        for key, text in (("responsible", responsible_text), ("partners", partners_text)):
            found, unknown = orgs.match(text) if text else ([], [])
            for piece in unknown:
                original = _original_piece(text, piece)
                err(n, key, _("“%(text)s” is not an organisation of the directory.") % {"text": original})
            codes[key] = found
        term, warning = _term(cell(row, "deadline"), years) if cell(row, "deadline") else ("", None)
        if warning:
            warn(n, "deadline", warning)
        action = {
            "code": own_code[:20],
            "title": action_title,
            "responsible_text": responsible_text,
            "partners_text": partners_text,
            "term": term,
            "funding_text": cell(row, "funding_source"),
            "source_note": _("row %(row)s") % {"row": n},
            "order": len(draft.actions),
            "_general": general["code"],
            "_specific": state.specific["code"] if state.specific else None,
            "_responsible": codes["responsible"],
            "_partners": [c for c in codes["partners"] if c not in codes["responsible"]],
            "_costs": [],
        }
        draft.actions.append(action)
        state.action, state.action_source = action, action_text
        add_costs(row, n, action)
        add_indicators(row, n, action)
    draft.funding = list(funding.values())
    if not draft.actions and not preview.errors:
        preview.errors.append(RowError(row=0, field="action", message=_("The table holds no action.")))
    return preview


def _original_piece(text: str, folded_piece: str) -> str:
    """The unknown name as the cell writes it (with its diacritics), for the message."""
    for piece in re.split(r"[,;/•·\n]", text):
        if fold(piece).strip(" .:()-–") == folded_piece or folded_piece in fold(piece):
            return piece.strip(" .:()")
    return folded_piece


def refusal_of(preview: TablePreview) -> ImportRefused:
    messages = [str(e) for e in preview.errors[:MAX_LISTED_ERRORS]]
    if len(preview.errors) > MAX_LISTED_ERRORS:
        messages.append(_("… and %(n)s more.") % {"n": len(preview.errors) - MAX_LISTED_ERRORS})
    return ImportRefused(messages)


def plan_table_import(
    *,
    actor: Any,
    municipality: Municipality,
    table: PlanTable,
    mapping: dict[str, int],
    code: str,
    title: str,
    start_year: int,
    end_year: int,
) -> Plan:
    """Write the previewed plan (replacing the plan of the same code while it has no reported data), audited
    as ``plan.import``; any row error refuses the whole import."""
    preview = plan_table_preview(
        municipality=municipality,
        table=table,
        mapping=mapping,
        code=code,
        title=title,
        start_year=start_year,
        end_year=end_year,
    )
    if preview.errors:
        raise refusal_of(preview)
    with transaction.atomic():
        plan = write_plan(municipality=municipality, draft=preview.draft, actor=actor)
        indicators = {i.code: i for i in Indicator.objects.for_tenant(municipality).filter(plan=plan)}
        IndicatorTarget.objects.bulk_create(
            [
                IndicatorTarget(municipality=municipality, indicator=indicators[i["code"]], **i["_target"])
                for i in preview.draft.indicators
                if i.get("_target")
            ]
        )
    return plan


def preview_tree(preview: TablePreview, *, limit: int = 5) -> list[dict[str, Any]]:
    """The first ``limit`` general objectives with their specific objectives, actions and indicator counts, for
    the preview page (keys without the draft's leading underscores, which templates cannot read)."""
    draft = preview.draft
    indicators: dict[str, int] = {}
    for i in draft.indicators:
        indicators[i["_action"]] = indicators.get(i["_action"], 0) + 1

    def actions_of(general: str, specific: str | None) -> list[dict[str, Any]]:
        return [
            {"code": a["code"], "title": a["title"], "term": a["term"], "indicators": indicators.get(a["code"], 0)}
            for a in draft.actions
            if a["_general"] == general and a["_specific"] == specific
        ]

    return [
        {
            "code": g["code"],
            "title": g["title"],
            "actions": actions_of(g["code"], None),
            "specific": [
                {"code": s["code"], "title": s["target_text"], "actions": actions_of(g["code"], s["code"])}
                for s in draft.specific
                if s["_general"] == g["code"]
            ],
        }
        for g in draft.general[:limit]
    ]
