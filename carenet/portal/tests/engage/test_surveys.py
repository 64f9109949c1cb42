"""Surveys: building, conditional questions, one answer per person, results and exports."""

import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from carenet.audit.models import AuditEvent
from carenet.portal import services
from carenet.portal.antispam import HumanCheckedForm
from carenet.portal.models import Survey, SurveyResponse


@pytest.fixture
def survey(baia_mare, coordinator):
    survey = services.survey_create(
        actor=coordinator, municipality=baia_mare, title="Cantina socială", intro="", audience="public"
    )
    q1 = services.survey_question_add(
        actor=coordinator, survey=survey, kind="single", text="Mâncați la cantină?", choices=["Da", "Nu"], required=True
    )
    services.survey_question_add(
        actor=coordinator,
        survey=survey,
        kind="scale",
        text="Cât de mulțumit sunteți?",
        choices=[],
        required=True,
        show_if_question=q1,
        show_if_value="Da",
    )
    services.survey_question_add(
        actor=coordinator,
        survey=survey,
        kind="multiple",
        text="Ce lipsește?",
        choices=["Supă", "Fructe", "Pâine"],
        required=False,
    )
    services.survey_question_add(
        actor=coordinator, survey=survey, kind="text", text="Altceva?", choices=[], required=False
    )
    services.survey_set_status(actor=coordinator, survey=survey, status="open")
    return survey


def _csv(response):
    return b"".join(response.streaming_content).decode("utf-8-sig")


def _q(survey):
    return {q.text: f"q{q.pk}" for q in survey.questions.all()}


def _answers(survey, **values):
    names = _q(survey)
    data = {"form_started": HumanCheckedForm().initial["form_started"], "website": ""}
    for text, value in values.items():
        data[names[text]] = value
    return data


def test_a_citizen_answers_once_and_a_second_answer_is_refused(client, baia_mare, survey):
    url = f"/baia-mare/surveys/{survey.pk}/"
    assert survey.title in client.get("/baia-mare/surveys/").content.decode()
    client.get(url)  # sets the one-time cookie
    data = _answers(
        survey, **{"Mâncați la cantină?": "Da", "Cât de mulțumit sunteți?": "4", "Ce lipsește?": ["Supă", "Fructe"]}
    )
    assert client.post(url, data).status_code == 200
    assert SurveyResponse.plain.filter(survey=survey).count() == 1
    client.post(url, data)
    assert SurveyResponse.plain.filter(survey=survey).count() == 1
    assert "Thank you for your answers" in client.get(url).content.decode()
    key = SurveyResponse.plain.get().respondent_key
    assert len(key) == 64 and client.cookies[f"cn_svy_{survey.pk.hex[-12:]}"].value not in key


def test_a_conditional_question_is_required_only_when_its_condition_holds(client, survey):
    url = f"/baia-mare/surveys/{survey.pk}/"
    client.get(url)
    response = client.post(url, _answers(survey, **{"Mâncați la cantină?": "Da"}))
    assert response.status_code == 400
    assert SurveyResponse.plain.count() == 0
    # "Nu": the conditional question is skipped and its stray answer dropped
    client.post(url, _answers(survey, **{"Mâncați la cantină?": "Nu", "Cât de mulțumit sunteți?": "5"}))
    stored = SurveyResponse.plain.get().answers
    assert list(stored.values()) == ["Nu"]


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"Mâncați la cantină?": "Poate"},
        {"Mâncați la cantină?": "Nu", "Altceva?": "<script>x</script>"},
        {"Mâncați la cantină?": "Nu", "Altceva?": "a" * 2001},
    ],
)
def test_bad_survey_answers_give_a_clear_message_and_save_nothing(client, survey, values):
    url = f"/baia-mare/surveys/{survey.pk}/"
    client.get(url)
    response = client.post(url, _answers(survey, **values))
    assert response.status_code == 400 and 'id="error-summary"' in response.content.decode()
    assert SurveyResponse.plain.count() == 0


def test_a_draft_or_another_municipalitys_survey_is_404(client, baia_mare, balti, coordinator, survey):
    draft = services.survey_create(actor=coordinator, municipality=baia_mare, title="D", intro="", audience="public")
    assert client.get(f"/baia-mare/surveys/{draft.pk}/").status_code == 404
    assert client.get(f"/balti/surveys/{survey.pk}/").status_code == 404


def test_a_target_group_survey_needs_a_personal_link_used_once(client, baia_mare, coordinator):
    survey = services.survey_create(
        actor=coordinator, municipality=baia_mare, title="Voluntari", intro="", audience="invited"
    )
    services.survey_question_add(
        actor=coordinator, survey=survey, kind="scale", text="Nota?", choices=[], required=True
    )
    services.survey_set_status(actor=coordinator, survey=survey, status="open")
    (token,) = services.survey_invites_create(actor=coordinator, survey=survey, count=1)
    url = f"/baia-mare/surveys/{survey.pk}/"
    assert client.get(url).status_code == 404
    assert survey.title not in client.get("/baia-mare/surveys/").content.decode()
    data = _answers(survey, **{"Nota?": "5"}) | {"t": token}
    client.post(url, data)
    client.post(url, data)
    assert SurveyResponse.plain.filter(survey=survey).count() == 1
    with pytest.raises(ValidationError):
        services.survey_answer(survey=survey, token="forged-token-forged-token", answers={})


def test_the_coordinator_builds_a_survey_in_the_browser_forms(client, baia_mare, coordinator):
    client.force_login(coordinator)
    response = client.post("/portal/engage/surveys/new/", {"title": "Nevoi", "intro": "", "audience": "public"})
    survey = Survey.objects.for_tenant(baia_mare).get()
    assert response.status_code == 302
    url = f"/portal/engage/surveys/{survey.pk}/"
    bad = client.post(url + "questions/new/", {"kind": "single", "text": "Q", "choices": "only one"})
    assert bad.status_code == 400
    client.post(url + "questions/new/", {"kind": "single", "text": "Q", "choices": "A\nB"})
    client.post(url + "open/")
    survey.refresh_from_db()
    assert survey.status == "open" and survey.questions.count() == 1


def test_results_show_a_chart_with_an_accessible_table_and_export(client, baia_mare, coordinator, survey):
    for choice in ("Da", "Nu", "Nu"):
        services.survey_answer(
            survey=survey,
            token=f"token-{choice}-{SurveyResponse.plain.count()}-xxxxxxxx",
            answers={str(survey.questions.first().pk): choice},
        )
    client.force_login(coordinator)
    html = client.get(f"/portal/engage/surveys/{survey.pk}/").content.decode()
    assert 'id="chart-data"' in html and "<canvas" in html and '<th scope="row">Nu</th><td class="num">2</td>' in html
    csv_text = _csv(client.get(f"/portal/engage/surveys/{survey.pk}/export.csv"))
    assert csv_text.count("\n") == 4
    xlsx = client.get(f"/portal/engage/surveys/{survey.pk}/export.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 4
    assert AuditEvent.objects.filter(action="export").count() == 2
    assert client.get(f"/portal/engage/surveys/{survey.pk}/export.exe").status_code == 404


def test_exports_neutralise_spreadsheet_formulas(client, coordinator, survey):
    text_q = survey.questions.get(text="Altceva?")
    services.survey_answer(survey=survey, token="t" * 30, answers={str(text_q.pk): "=HYPERLINK(1)"})
    client.force_login(coordinator)
    assert "'=HYPERLINK(1)" in _csv(client.get(f"/portal/engage/surveys/{survey.pk}/export.csv"))


def test_the_csv_export_writes_a_cmd_answer_escaped(client, coordinator, survey):
    text_q = survey.questions.get(text="Altceva?")
    services.survey_answer(survey=survey, token="t" * 30, answers={str(text_q.pk): "=cmd|' /C calc'!A0"})
    client.force_login(coordinator)
    last_row = _csv(client.get(f"/portal/engage/surveys/{survey.pk}/export.csv")).splitlines()[-1]
    assert last_row.endswith(",'=cmd|' /C calc'!A0")


def test_the_xlsx_export_writes_a_cmd_answer_escaped(client, coordinator, survey):
    text_q = survey.questions.get(text="Altceva?")
    services.survey_answer(survey=survey, token="t" * 30, answers={str(text_q.pk): "=cmd|' /C calc'!A0"})
    client.force_login(coordinator)
    sheet = load_workbook(io.BytesIO(client.get(f"/portal/engage/surveys/{survey.pk}/export.xlsx").content)).active
    column = [cell.value for cell in sheet[1]].index("Altceva?")
    assert sheet.cell(row=2, column=column + 1).value == "'=cmd|' /C calc'!A0"
    assert sheet.cell(row=2, column=column + 1).data_type == "s"  # text, never a formula


def test_only_the_coordinator_of_the_municipality_sees_results(client, survey, caseworker_a, other_tenant_user):
    client.force_login(caseworker_a)
    assert client.get(f"/portal/engage/surveys/{survey.pk}/").status_code == 403
    client.force_login(other_tenant_user)
    assert client.get(f"/portal/engage/surveys/{survey.pk}/").status_code == 404
    assert client.get(f"/portal/engage/surveys/{survey.pk}/export.csv").status_code == 404
