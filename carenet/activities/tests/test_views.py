"""The pages of the register: what each user sees, the sign-in sheet's dedupe, import and export."""

from __future__ import annotations

import io
import json
import uuid
from typing import Any

from django.urls import reverse
from openpyxl import Workbook, load_workbook

from carenet.activities.models import Activity, ParticipantCount
from carenet.audit.models import AuditEvent


def _submit(client: Any, activity: Any, payload: dict[str, Any]) -> Any:
    return client.post(
        reverse("activities:sheet_submit", args=[activity.pk]),
        data=json.dumps(payload),
        content_type="application/json",
    )


def test_list_shows_own_and_partner_activities(
    client: Any, caseworker_a: Any, activity_a: Any, activity_b: Any
) -> None:
    client.force_login(caseworker_a)
    response = client.get(reverse("activities:list"))
    assert response.status_code == 200
    assert activity_a.title in response.text and activity_b.title not in response.text


def test_create_and_edit(client: Any, caseworker_a: Any, org_a: Any, bm_kinds: Any) -> None:
    client.force_login(caseworker_a)
    assert client.get(reverse("activities:create")).status_code == 200
    data = {
        "kind": bm_kinds["training"].pk,
        "title": "Seminar",
        "status": "held",
        "starts_on": "2025-03-04",
        "organiser": org_a.pk,
        "modules": "3",
    }
    response = client.post(reverse("activities:create"), data)
    assert response.status_code == 302
    activity = Activity.objects.for_tenant(org_a.municipality_id).get(title="Seminar")
    assert activity.modules == 3
    data["title"] = "Seminar (2)"
    assert client.post(reverse("activities:edit", args=[activity.pk]), data).status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Seminar (2)"


def test_create_bad_input_names_the_field(client: Any, caseworker_a: Any, org_a: Any, bm_kinds: Any) -> None:
    client.force_login(caseworker_a)
    data = {
        "kind": bm_kinds["training"].pk,
        "title": "S",
        "status": "held",
        "starts_on": "2025-03-04",
        "ends_on": "2025-03-01",
        "organiser": org_a.pk,
    }
    response = client.post(reverse("activities:create"), data)
    assert response.status_code == 400
    assert "The last day is before the first." in response.text
    assert not Activity.objects.for_tenant(org_a.municipality_id).exists()


def test_sheet_page_and_dedupe(client: Any, caseworker_a: Any, activity_a: Any) -> None:
    client.force_login(caseworker_a)
    page = client.get(reverse("activities:sheet", args=[activity_a.pk]))
    assert page.status_code == 200 and "offline_queue" in page.text
    payload = {"key": str(uuid.uuid4()), "sex": "F", "age_band": "65+", "disability": "yes", "number": 2}
    first = _submit(client, activity_a, payload)
    again = _submit(client, activity_a, payload)
    assert (first.status_code, first.json()["status"]) == (201, "recorded")
    assert (again.status_code, again.json()["status"]) == (200, "duplicate")
    assert again.json()["total"] == 2
    assert ParticipantCount.objects.for_tenant(activity_a.municipality_id).count() == 1


def test_sheet_refusal_is_json_naming_the_field(client: Any, caseworker_a: Any, activity_a: Any) -> None:
    client.force_login(caseworker_a)
    response = _submit(client, activity_a, {"key": str(uuid.uuid4()), "sex": "F", "age_band": "7-15"})
    assert response.status_code == 400 and "age_band" in response.json()["errors"]
    bad = client.post(
        reverse("activities:sheet_submit", args=[activity_a.pk]), data="[", content_type="application/json"
    )
    assert bad.status_code == 400


def test_sheet_named_person(client: Any, caseworker_a: Any, activity_a: Any, person_a: Any) -> None:
    client.force_login(caseworker_a)
    found = client.get(reverse("activities:sheet_persons", args=[activity_a.pk]), {"q": person_a.last_name})
    assert [p["id"] for p in found.json()["persons"]] == [str(person_a.pk)]
    assert _submit(client, activity_a, {"key": str(uuid.uuid4()), "person": str(person_a.pk)}).status_code == 201
    detail = client.get(reverse("activities:detail", args=[activity_a.pk]))
    assert person_a.last_name in detail.text


def test_partner_sees_named_person_only_if_visible(
    client: Any, caseworker_a: Any, caseworker_b: Any, activity_a: Any, person_a: Any
) -> None:
    client.force_login(caseworker_a)
    _submit(client, activity_a, {"key": str(uuid.uuid4()), "person": str(person_a.pk)})
    client.force_login(caseworker_b)
    detail = client.get(reverse("activities:detail", args=[activity_a.pk]))
    assert detail.status_code == 200
    assert person_a.last_name not in detail.text and "a registered person" in detail.text


CSV = (
    "date,kind,title,place,locality,topic,sex,age_band,disability,number\n"
    "2025-10-01,event,Ziua vârstnicilor,Sala mare,Baia Mare,,F,65+,yes,12\n"
    "2025-10-01,event,Ziua vârstnicilor,,,,M,65+,no,8\n"
    "01.03.2025,training,Instruire,,,,,,,\n"
)


def _upload(client: Any, org: Any, name: str, content: bytes) -> Any:
    upload = io.BytesIO(content)
    upload.name = name
    return client.post(reverse("activities:import"), {"organiser": org.pk, "file": upload})


def test_import_csv(client: Any, caseworker_a: Any, org_a: Any, bm_kinds: Any) -> None:
    client.force_login(caseworker_a)
    response = _upload(client, org_a, "a.csv", CSV.encode())
    assert response.status_code == 302
    activities = Activity.objects.for_tenant(org_a.municipality_id)
    assert activities.count() == 2
    counted = ParticipantCount.objects.for_tenant(org_a.municipality_id)
    assert sorted(counted.values_list("number", flat=True)) == [8, 12]


def test_import_refused_whole_with_row_numbers(client: Any, caseworker_a: Any, org_a: Any, bm_kinds: Any) -> None:
    client.force_login(caseworker_a)
    bad = CSV + "2025-13-01,party,,,,,X,7-15,maybe,0\n"
    response = _upload(client, org_a, "a.csv", bad.encode())
    assert response.status_code == 400
    for message in (
        "Row 5, date: Write the date as YYYY-MM-DD or DD.MM.YYYY.",
        "Row 5, kind: “party” is not a kind of the municipality&#x27;s list.",
        "Row 5, title: Give the activity a title.",
        "Row 5, sex: Write F, M or leave it blank.",
        "Row 5, age_band:",
        "Row 5, disability:",
        "Row 5, number:",
    ):
        assert message in response.text
    assert not Activity.objects.for_tenant(org_a.municipality_id).exists()


def test_import_xlsx(client: Any, caseworker_a: Any, org_a: Any, bm_kinds: Any) -> None:
    import datetime

    book = Workbook()
    sheet = book.active
    sheet.append(["date", "kind", "title", "sex", "age_band", "disability", "number"])
    sheet.append([datetime.datetime(2025, 5, 5), "campaign", "Campanie", "F", "18-64", "no", 30])
    buffer = io.BytesIO()
    book.save(buffer)
    client.force_login(caseworker_a)
    assert _upload(client, org_a, "a.xlsx", buffer.getvalue()).status_code == 302
    assert ParticipantCount.objects.for_tenant(org_a.municipality_id).get().number == 30
    refused = _upload(client, org_a, "b.xlsx", b"not a workbook")
    assert refused.status_code == 400 and "This is not an XLSX workbook." in refused.text


def test_export_xlsx_is_audited(client: Any, coordinator: Any, activity_a: Any, caseworker_a: Any) -> None:
    client.force_login(caseworker_a)
    _submit(client, activity_a, {"key": str(uuid.uuid4()), "sex": "M", "number": 4})
    client.force_login(coordinator)
    response = client.get(reverse("activities:list"), {"format": "xlsx"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][2] == activity_a.title and rows[1][-1] == 4
    assert AuditEvent.objects.filter(action="export", object_type="activities.activity.xlsx").count() == 1
