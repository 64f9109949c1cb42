"""Council tables built in the tests, shaped like the two real plans (carenet/core/seeds/*.json)."""

from __future__ import annotations

import io

from conftest import make_org

BALTI_HEADERS = [
    "Obiectiv general",
    "Obiectiv specific",
    "Acțiuni",
    "Termen",
    "Responsabili",
    "Parteneri",
    "Indicatori",
    "Costuri",
    "Surse",
]
G1 = "Obiectiv general 1: Asigurarea implementării politicilor naţionale și locale"
S11 = "Obiectiv specific 1.1: Cel puțin 25% de mecanisme noi de cooperare vor fi dezvoltate"
S12 = "Obiectiv specific 1.2: Cel puțin 50% din publicul larg va fi informat"
G2 = "Obiectiv general 2: Asigurarea accesibilității copiilor în situație de risc"
S21 = "Obiectiv specific 2.1: Cu cel puțin 20% se vor dezvolta serviciile pentru copii"
# (row of the sheet, cells); the general objective column is merged down over its actions.
BALTI_ROWS = [
    [
        G1,
        S11,
        "1.1.1 Elaborarea planurilor locale anuale de activitate",
        "2025-2027",
        "Primăria Bălţi",
        "STAS, ONG, parteneri",
        "Număr de planuri elaborate\n% de realizare a indicatorilor din aceste planuri",
        "în limita resurselor financiare disponibile",
        "Bugetul public local",
    ],
    [
        G1,
        S11,
        "1.1.2 Elaborarea planurilor anuale de activitate a bibliotecii",
        "2025 – 2027",
        "Primăria Bălţi,  Direcţia cultură",
        "ONG, parteneri, donatori",
        "• Număr de biblioteci ce au elaborat planuri\n• Număr de copii ce au frecventat activitățile",
        "150 000,50",
        "Bugetul public local",
    ],
    [
        G1,
        S12,
        "Campanii de informare a publicului",
        "anual",
        "Direcția Relații cu publicul",
        "",
        "Campanii organizate",
        "-",
        "",
    ],
    [G2, "", "", "", "", "", "", "", ""],
    [
        G2,
        S21,
        "2.1.1 Servicii de zi pentru copii",
        "2026",
        "Direcţia învăţămînt, tineret şi sport",
        "People in Need",
        "Număr de copii beneficiari",
        "50 mii lei",
        "Donatori, Bugetul public local",
    ],
]


def balti_organisations(municipality) -> None:
    """The bodies Bălți's rows name (loaded before the plan, as onboarding does)."""
    make_org(municipality, "primaria", "Primăria municipiului Bălți", short_name="Primăria Bălți")
    make_org(municipality, "stas", "Structură Teritorială de Asistență Socială", short_name="STAS")
    make_org(municipality, "ong", "ONG / ONGuri (organizații neguvernamentale)", short_name="ONG")
    make_org(municipality, "parteneri", "parteneri")
    make_org(municipality, "donatori", "donatori")
    make_org(municipality, "dir-cultura", "Direcţia cultură")
    make_org(municipality, "dir-relatii-public", "Direcția Relații cu publicul")
    make_org(municipality, "dits", "Direcţia învăţămînt, tineret şi sport", short_name="DITS")
    make_org(municipality, "pin", "People in Need")


def balti_xlsx(rows: list[list[str]] | None = None, *, headers: list[str] | None = None) -> io.BytesIO:
    """Bălți's table as a workbook: a title line, the header, then the rows; merged cells as Excel keeps them
    (the value in the first cell only)."""
    import openpyxl

    rows = BALTI_ROWS if rows is None else rows
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Plan"
    sheet.append(["PLANUL de ACȚIUNI pentru anii 2025-2027"])
    sheet.append(headers or BALTI_HEADERS)
    start = 3
    previous: dict[int, tuple[str, int]] = {}
    merges: list[tuple[int, int, int]] = []
    for offset, row in enumerate(rows):
        r = start + offset
        for c, value in enumerate(row, start=1):
            if c <= 2 and value and previous.get(c, ("", 0))[0] == value:
                continue  # merged down: Excel keeps the value in the top cell only
            sheet.cell(r, c, value or None)
        for c in (1, 2):
            value = row[c - 1]
            if value and previous.get(c, ("", 0))[0] == value:
                merges.append((c, previous[c][1], r))
            elif value:
                previous[c] = (value, r)
    spans: dict[tuple[int, int], int] = {}
    for c, top, bottom in merges:
        spans[(c, top)] = max(bottom, spans.get((c, top), bottom))
    for (c, top), bottom in spans.items():
        sheet.merge_cells(start_row=top, start_column=c, end_row=bottom, end_column=c)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    return data


BAIA_MARE_HEADERS = ["Nr", "Acțiune", "Termen", "Finanțare", "Parteneri", "Indicatori"]
OS1 = "OS1. Îmbunătățirea colaborării cu organizațiile non-guvernamentale"
OS2 = "OS2. Digitalizarea serviciilor sociale"
BAIA_MARE_BLOCKS = [
    (
        OS1,
        [
            [
                "",
                "Organizarea de întâlniri de lucru cu mediul privat",
                "2026",
                "Buget local, CSR, POR",
                "",
                "Numărul de parteneriate noi cu ONG-uri",
            ],
            [
                "",
                "Identificarea de parteneri pentru implementarea SDL",
                "2025",
                "POR, POCU, Buget local",
                "Asociația Speranța",
                "Numărul de programe de formare",
            ],
        ],
    ),
    (
        OS2,
        [
            [
                "",
                "Crearea instrumentelor pentru agregarea automată a datelor",
                "2028",
                "POR, Buget local",
                "",
                "Procentul de servicii sociale digitalizate\nPlatformă funcțională",
            ],
        ],
    ),
]


def baia_mare_organisations(municipality) -> None:
    make_org(municipality, "das", "Direcția de Asistență Socială Baia Mare", short_name="DAS Baia Mare")
    make_org(municipality, "ong-speranta", "Asociația Speranța")


def baia_mare_docx(blocks=None) -> io.BytesIO:
    """Baia Mare's strategy table as a Word document: each objective is a row "Obiectiv strategic" | its text
    merged across; the header repeats over each block; a smaller table before it is not the plan."""
    import docx

    blocks = BAIA_MARE_BLOCKS if blocks is None else blocks
    document = docx.Document()
    document.add_paragraph("Plan de Acțiune, finanțare și sustenabilitate")
    small = document.add_table(rows=2, cols=2)
    small.cell(0, 0).text, small.cell(0, 1).text = "An", "Buget"
    width = len(BAIA_MARE_HEADERS)
    table = document.add_table(rows=0, cols=width)
    for heading, actions in blocks:
        row = table.add_row()
        row.cells[0].text = "Obiectiv strategic"
        row.cells[1].merge(row.cells[width - 1]).text = heading
        row = table.add_row()
        for c, text in enumerate(BAIA_MARE_HEADERS):
            row.cells[c].text = text
        for action in actions:
            row = table.add_row()
            for c, text in enumerate(action):
                row.cells[c].text = text
    data = io.BytesIO()
    document.save(data)
    data.seek(0)
    return data
