"""A council's own plan table (XLSX/DOCX/CSV) becomes a plan: read, guessed mapping, preview, import."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from carenet.audit.models import AuditEvent
from carenet.plans.models import (
    Action,
    CostKind,
    CostLine,
    FundingKind,
    FundingSource,
    GeneralObjective,
    Indicator,
    IndicatorKind,
    IndicatorTarget,
    Plan,
    SpecificObjective,
)
from carenet.plans.table_import import (
    PLAN_FIELDS,
    ImportRefused,
    PlanTable,
    parse_number,
    plan_table_guess_mapping,
    plan_table_import,
    plan_table_preview,
    plan_table_read,
)
from carenet.testing.language import english  # noqa: F401  (autouse: the tests below read English)

from .table_files import (
    BALTI_HEADERS,
    BALTI_ROWS,
    G1,
    S11,
    baia_mare_docx,
    baia_mare_organisations,
    balti_organisations,
    balti_xlsx,
)

pytestmark = pytest.mark.django_db

PLAN = {"code": "plan-2025", "title": "Planul de acțiuni 2025-2027", "start_year": 2025, "end_year": 2027}


def _read_balti(rows=None):
    return plan_table_read(file=balti_xlsx(rows), filename="plan.xlsx")


def _guessed(table):
    return plan_table_guess_mapping(table=table)


# --- reading -----------------------------------------------------------------------------------------------


def test_the_xlsx_header_is_found_under_the_title_and_merged_cells_repeat_their_value():
    table = _read_balti()
    assert table.headers == BALTI_HEADERS
    assert table.source == "plan.xlsx · Plan"
    assert [row[0] for row in table.rows[:3]] == [G1, G1, G1]
    assert [row[1] for row in table.rows[:2]] == [S11, S11]
    assert table.row_numbers[0] == 3  # the spreadsheet's own row number


def test_the_docx_reader_takes_the_biggest_table_and_keeps_the_heading_above_the_header():
    table = plan_table_read(file=baia_mare_docx(), filename="strategie.docx")
    assert table.headers[:3] == ["Nr", "Acțiune", "Termen"]
    assert table.rows[0][0] == "Obiectiv strategic" and table.rows[0][1].startswith("OS1.")
    assert all(row != table.headers for row in table.rows)  # the header repeated over each block is dropped


def test_a_docx_table_may_be_chosen_by_its_index():
    table = plan_table_read(file=baia_mare_docx(), filename="strategie.docx", table_index=1)
    assert table.source.endswith("2")
    with pytest.raises(ImportRefused, match="no table 5"):
        plan_table_read(file=baia_mare_docx(), filename="strategie.docx", table_index=4)


def test_a_csv_with_semicolons_and_a_bom_is_read():
    text = "\ufeffObiectiv general;Acțiuni;Responsabili;Indicatori\nOG1;Acțiune unu;Primăria;Număr de copii\n"
    table = plan_table_read(file=io.BytesIO(text.encode("utf-8")), filename="plan.csv")
    assert table.headers == ["Obiectiv general", "Acțiuni", "Responsabili", "Indicatori"]
    assert table.rows == [["OG1", "Acțiune unu", "Primăria", "Număr de copii"]]


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"PK\x03\x04 not really a workbook", "plan.xlsx", "cannot be read as XLSX"),
        (b"%PDF-1.4", "plan.pdf", ".xlsx, .docx or .csv"),
        (b"", "plan.csv", "empty"),
        (b"a;b\n1;2\n", "plan.csv", "header row"),
        ("Plan,vechi".encode("utf-16"), "plan.csv", "UTF-8"),
    ],
)
def test_a_bad_or_unsupported_file_is_refused_with_its_reason(content, filename, message):
    with pytest.raises(ImportRefused, match=message):
        plan_table_read(file=io.BytesIO(content), filename=filename)


def test_an_oversized_file_is_refused():
    with pytest.raises(ImportRefused, match="larger than"):
        plan_table_read(file=io.BytesIO(b"x" * (5 * 1024 * 1024 + 1)), filename="plan.csv")


# --- the guess -----------------------------------------------------------------------------------------------


def test_the_guess_maps_balti_s_columns():
    assert _guessed(_read_balti()) == {
        "general_objective": 0,
        "specific_objective": 1,
        "action": 2,
        "deadline": 3,
        "responsible": 4,
        "partners": 5,
        "indicator": 6,
        "cost": 7,
        "funding_source": 8,
    }


def test_the_guess_maps_balti_s_three_cost_columns_under_one_merged_header():
    headers = [
        "Acţiuni specifice",
        "Structuri responsabile",
        "Parteneri",
        "Termene de realizare",
        "Costuri, lei",
        "Costuri, lei",
        "Costuri, lei",
        "Indicatori",
    ]
    sub = ["", "", "", "", "surse bugetare ale APL", "surse ale donatorilor/ONG", "surse ale beneficiarilor", ""]
    text = "\n".join(
        ";".join(r)
        for r in [headers, sub, [str(n) for n in range(1, 9)], ["1.1.1 A", "P", "", "2025", "-", "-", "-", "Nr"]]
    )
    table = plan_table_read(file=io.BytesIO(text.encode()), filename="balti.csv")
    assert table.headers[4] == "Costuri, lei surse bugetare ale APL"
    assert len(table.rows) == 1  # the sub-header and the "1 2 3 …" row are not data
    guess = _guessed(table)
    assert (guess["cost_local_budget"], guess["cost_donors"], guess["cost_beneficiaries"]) == (4, 5, 6)


def test_the_guess_reads_russian_and_hungarian_headers():
    ru = PlanTable(headers=["№", "Мероприятия", "Ответственные", "Срок", "Индикаторы"], rows=[], source="")
    assert _guessed(ru) == {"action_code": 0, "action": 1, "responsible": 2, "deadline": 3, "indicator": 4}
    hu = PlanTable(headers=["Sorszám", "Intézkedés", "Felelős", "Határidő", "Célérték"], rows=[], source="")
    assert _guessed(hu) == {"action_code": 0, "action": 1, "responsible": 2, "deadline": 3, "target": 4}


def test_every_plan_field_has_a_label():
    assert {key for key, _label in PLAN_FIELDS} >= {
        "general_objective",
        "specific_objective",
        "action_code",
        "action",
        "responsible",
        "partners",
        "deadline",
        "indicator",
        "baseline",
        "target",
        "cost",
        "funding_source",
    }


# --- numbers -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1 234,5", "1234.5"),
        ("1.234,56", "1234.56"),
        ("150,000.00", "150000.00"),
        ("150.000", "150000"),
        ("≥ 12,5 %", "12.5"),
        ("50 mii lei", "50000"),
        ("0.5", "0.5"),
    ],
)
def test_numbers_are_read_in_the_ro_ru_hu_conventions(text, value):
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize("text", ["1.2.3", "12,5,7", "2 din 3"])
def test_digits_that_are_not_one_number_are_refused(text):
    with pytest.raises(ValueError):
        parse_number(text)


# --- the preview ----------------------------------------------------------------------------------------------


def test_the_preview_of_balti_s_table_counts_its_objectives_actions_and_indicators(balti):
    balti_organisations(balti)
    table = _read_balti()
    preview = plan_table_preview(municipality=balti, table=table, mapping=_guessed(table), **PLAN)
    assert preview.errors == []
    assert preview.counts() == {
        "general_objectives": 2,
        "specific_objectives": 3,
        "actions": 4,
        "indicators": 6,
        "errors": 0,
        "warnings": 1,  # one amount for two funding sources is kept as written
    }
    assert [a["code"] for a in preview.draft.actions] == ["1.1.1", "1.1.2", "1.2.1", "2.1.1"]
    assert not Plan.objects.for_tenant(balti).exists()  # a preview writes nothing


def test_an_unknown_organisation_is_an_error_naming_its_row_and_text(balti):
    balti_organisations(balti)
    rows = [list(r) for r in BALTI_ROWS]
    rows[1][5] = "ONG, Fundația Necunoscută"
    table = _read_balti(rows)
    preview = plan_table_preview(municipality=balti, table=table, mapping=_guessed(table), **PLAN)
    assert [(e.row, e.field) for e in preview.errors] == [(4, "partners")]
    assert "Fundația Necunoscută" in preview.errors[0].message


def test_organisations_match_by_name_short_name_or_code_whatever_the_diacritics(balti):
    balti_organisations(balti)
    table = _read_balti()
    preview = plan_table_preview(municipality=balti, table=table, mapping=_guessed(table), **PLAN)
    second = preview.draft.actions[1]  # "Primăria Bălţi,  Direcţia cultură" with cedillas
    assert second["_responsible"] == ["primaria", "dir-cultura"]
    assert preview.draft.actions[3]["_responsible"] == ["dits"]


def test_a_bad_number_names_its_row_and_field(balti):
    balti_organisations(balti)
    rows = [list(r) for r in BALTI_ROWS]
    rows[0][7] = "12.500.7"
    table = _read_balti(rows)
    preview = plan_table_preview(municipality=balti, table=table, mapping=_guessed(table), **PLAN)
    assert [(e.row, e.field) for e in preview.errors] == [(3, "cost")]
    assert str(preview.errors[0]).startswith("row 3, Cost:")


def test_a_target_holds_one_value_per_indicator(balti):
    balti_organisations(balti)
    headers = [*BALTI_HEADERS, "Valoarea de bază", "Valoarea țintă"]
    rows = [[*r, "", ""] for r in BALTI_ROWS]
    rows[0][9:11] = ["3\n40 %", "≥ 5\n1,2,3"]
    table = _read_balti_with(rows, headers)
    preview = plan_table_preview(municipality=balti, table=table, mapping=_guessed(table), **PLAN)
    assert [(e.row, e.field) for e in preview.errors] == [(3, "target")]
    rows[0][10] = "≥ 5\n75,5 %"
    rows[2][10] = "1\n2"  # two targets, one indicator
    table = _read_balti_with(rows, headers)
    preview = plan_table_preview(municipality=balti, table=table, mapping=_guessed(table), **PLAN)
    assert [(e.row, e.field) for e in preview.errors] == [(5, "target")]


def _read_balti_with(rows, headers):
    return plan_table_read(file=balti_xlsx(rows, headers=headers), filename="plan.xlsx")


def test_an_action_row_needs_an_action_text(balti):
    balti_organisations(balti)
    rows = [list(r) for r in BALTI_ROWS]
    rows[2][2] = ""
    table = _read_balti(rows)
    preview = plan_table_preview(municipality=balti, table=table, mapping=_guessed(table), **PLAN)
    assert [(e.row, e.field) for e in preview.errors] == [(5, "action")]


def test_a_mapping_without_an_action_column_is_refused(balti):
    table = _read_balti()
    mapping = {k: v for k, v in _guessed(table).items() if k != "action"}
    with pytest.raises(ValidationError) as refused:
        plan_table_preview(municipality=balti, table=table, mapping=mapping, **PLAN)
    assert "action" in refused.value.message_dict


# --- the import -----------------------------------------------------------------------------------------------


def test_balti_s_table_imports_as_a_plan(balti):
    balti_organisations(balti)
    table = _read_balti()
    plan = plan_table_import(actor=None, municipality=balti, table=table, mapping=_guessed(table), **PLAN)
    assert plan.currency == "MDL"
    general = GeneralObjective.objects.for_tenant(balti).filter(plan=plan)
    assert list(general.values_list("code", "title")) == [
        ("1", "Asigurarea implementării politicilor naţionale și locale"),
        ("2", "Asigurarea accesibilității copiilor în situație de risc"),
    ]
    specific = SpecificObjective.objects.for_tenant(balti).get(plan=plan, code="1.1")
    assert (specific.target_value, specific.target_operator, specific.target_unit) == (Decimal("25"), ">=", "%")
    action = Action.objects.for_tenant(balti).get(plan=plan, code="1.1.2")
    assert action.title == "Elaborarea planurilor anuale de activitate a bibliotecii"
    assert action.term == "2025-2027"
    assert set(action.responsible.values_list("code", flat=True)) == {"primaria", "dir-cultura"}
    assert set(action.partners.values_list("code", flat=True)) == {"ong", "parteneri", "donatori"}
    numbered = Action.objects.for_tenant(balti).get(plan=plan, code="1.2.1")
    assert (numbered.specific_objective.code, numbered.term) == ("1.2", "anual")
    texts = list(action.indicators.order_by("order").values_list("code", "text", "kind"))
    assert texts == [
        ("1.1.2.1", "Număr de biblioteci ce au elaborat planuri", IndicatorKind.COUNT),
        ("1.1.2.2", "Număr de copii ce au frecventat activitățile", IndicatorKind.COUNT),
    ]
    assert Indicator.objects.for_tenant(balti).get(plan=plan, code="1.1.1.2").kind == IndicatorKind.PERCENTAGE
    assert Indicator.objects.for_tenant(balti).get(plan=plan, code="1.2.1.1").kind == IndicatorKind.MILESTONE
    cost = CostLine.objects.for_tenant(balti).get(action=action)
    assert (cost.kind, cost.planned_amount, cost.funding_source.kind) == (
        CostKind.AMOUNT,
        Decimal("150000.50"),
        FundingKind.LOCAL_BUDGET,
    )
    assert CostLine.objects.for_tenant(balti).get(action__code="1.1.1", action__plan=plan).kind == (
        CostKind.WITHIN_AVAILABLE
    )
    kinds = dict(FundingSource.objects.for_tenant(balti).filter(plan=plan).values_list("name", "kind"))
    assert kinds == {"Bugetul public local": FundingKind.LOCAL_BUDGET, "Donatori": FundingKind.DONORS_NGO}
    assert AuditEvent.objects.filter(action="plan.import", object_id=str(plan.pk)).exists()
    assert plan.periods.count() == 3


def test_targets_and_baselines_are_stored_with_the_indicators(balti):
    balti_organisations(balti)
    headers = [*BALTI_HEADERS, "Valoarea de bază", "Valoarea țintă"]
    rows = [[*r, "", ""] for r in BALTI_ROWS]
    rows[0][9:11] = ["3\n40,5 %", "≥ 5\nda"]
    table = _read_balti_with(rows, headers)
    plan = plan_table_import(actor=None, municipality=balti, table=table, mapping=_guessed(table), **PLAN)
    first = Indicator.objects.for_tenant(balti).get(plan=plan, code="1.1.1.1")
    second = Indicator.objects.for_tenant(balti).get(plan=plan, code="1.1.1.2")
    assert (first.baseline_value, second.baseline_value) == (Decimal("3"), Decimal("40.5"))
    target = IndicatorTarget.objects.for_tenant(balti).get(indicator=first)
    assert (target.year, target.operator, target.value) == (2027, ">=", Decimal("5"))
    assert IndicatorTarget.objects.for_tenant(balti).get(indicator=second).text == "da"


def test_nothing_is_saved_when_a_row_is_wrong(balti):
    balti_organisations(balti)
    rows = [list(r) for r in BALTI_ROWS]
    rows[4][4] = "Direcția inexistentă"
    table = _read_balti(rows)
    with pytest.raises(ImportRefused) as refused:
        plan_table_import(actor=None, municipality=balti, table=table, mapping=_guessed(table), **PLAN)
    assert "row 7, Responsible:" in refused.value.messages[0]
    assert "Direcția inexistentă" in refused.value.messages[0]
    assert not Plan.objects.for_tenant(balti).exists()
    assert not Action.objects.for_tenant(balti).exists()


def test_baia_mare_s_strategy_imports_from_its_word_table(baia_mare):
    baia_mare_organisations(baia_mare)
    table = plan_table_read(file=baia_mare_docx(), filename="strategie.docx")
    mapping = _guessed(table)
    assert mapping == {"action_code": 0, "action": 1, "deadline": 2, "funding_source": 3, "partners": 4, "indicator": 5}
    plan = plan_table_import(
        actor=None, municipality=baia_mare, table=table, mapping=mapping, **{**PLAN, "end_year": 2030}
    )
    general = GeneralObjective.objects.for_tenant(baia_mare).filter(plan=plan)
    assert list(general.values_list("code", flat=True)) == ["OS1", "OS2"]
    assert general[0].title == "Îmbunătățirea colaborării cu organizațiile non-guvernamentale"
    actions = Action.objects.for_tenant(baia_mare).filter(plan=plan)
    assert list(actions.values_list("code", "term")) == [("OS1.1", "2026"), ("OS1.2", "2025"), ("OS2.1", "2028")]
    assert list(actions[1].partners.values_list("code", flat=True)) == ["ong-speranta"]
    assert actions[0].funding_text == "Buget local, CSR, POR"
    kinds = dict(FundingSource.objects.for_tenant(baia_mare).filter(plan=plan).values_list("code", "kind"))
    assert kinds == {
        "buget-local": FundingKind.LOCAL_BUDGET,
        "csr": FundingKind.CSR,
        "por": FundingKind.EU_PROGRAMME,
        "pocu": FundingKind.EU_PROGRAMME,
    }
    indicators = Indicator.objects.for_tenant(baia_mare).filter(plan=plan, action=actions[2])
    assert list(indicators.values_list("kind", flat=True)) == [IndicatorKind.PERCENTAGE, IndicatorKind.MILESTONE]


def test_re_importing_the_same_code_replaces_the_plan_while_it_has_no_reported_data(balti):
    balti_organisations(balti)
    table = _read_balti()
    first = plan_table_import(actor=None, municipality=balti, table=table, mapping=_guessed(table), **PLAN)
    shorter = _read_balti(BALTI_ROWS[:2])
    preview = plan_table_preview(municipality=balti, table=shorter, mapping=_guessed(shorter), **PLAN)
    assert preview.replaces
    second = plan_table_import(actor=None, municipality=balti, table=shorter, mapping=_guessed(shorter), **PLAN)
    assert not Plan.objects.for_tenant(balti).filter(pk=first.pk).exists()
    assert Action.objects.for_tenant(balti).filter(plan=second).count() == 2


def test_a_plan_with_reported_data_is_not_replaced(balti):
    from carenet.plans.models import Submission

    balti_organisations(balti)
    table = _read_balti()
    plan = plan_table_import(actor=None, municipality=balti, table=table, mapping=_guessed(table), **PLAN)
    period = plan.periods.first()
    Submission.objects.create(
        municipality=balti, period=period, organisation=Action.objects.for_tenant(balti).first().responsible.first()
    )
    with pytest.raises(ValidationError) as refused:
        plan_table_import(actor=None, municipality=balti, table=table, mapping=_guessed(table), **PLAN)
    assert "code" in refused.value.message_dict
    assert Plan.objects.for_tenant(balti).filter(pk=plan.pk).exists()
