"""Issue 24, "Must show": a new municipality is onboarded from four files and its coordinator produces the annual
report of its plan. The town is synthetic (Valea Verde, Romanian and Hungarian)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from carenet.accounts.models import Membership, User
from carenet.core.models import BackgroundJob, Municipality, Organisation
from carenet.core.roles import Role
from carenet.directory.models import Location, Phone, Service
from carenet.plans.models import Plan

pytestmark = pytest.mark.django_db


def test_four_files_make_a_municipality_with_its_network_staff_and_plan(onboarded):
    town = Municipality.objects.get(slug="valea-verde")
    assert town.country == "RO" and town.official_languages == ["ro", "hu"] and town.currency == "RON"
    assert onboarded.counts["organisations"] == {"created": 3, "updated": 0}
    assert set(Organisation.objects.for_tenant(town).values_list("code", flat=True)) == {"primaria", "das", "zold-kert"}
    assert Organisation.objects.for_tenant(town).get(code="zold-kert").kind == "ngo"
    canteen = Service.objects.for_tenant(town).get(name__startswith="Cantina")
    assert canteen.places_total == 60 and canteen.languages == ["ro", "hu"]
    assert canteen.terms.get().code == "8899 CPS-I"
    assert Phone.objects.for_tenant(town).get(service=canteen).number == "0262 000 012"
    day_centre = Service.objects.for_tenant(town).get(name__startswith="Centru de zi")
    # Empty cells stay empty: no address, phone or e-mail is invented for the day centre.
    assert day_centre.email == "" and not Phone.objects.for_tenant(town).filter(service=day_centre).exists()
    assert Location.objects.for_tenant(town).filter(address_1__startswith="Strada Fictivă").count() == 1
    coordinator = User.objects.get(username="vv_coord")
    assert not coordinator.has_usable_password()  # the owner sets it through "Forgot your password"
    roles = dict(Membership.objects.for_tenant(town).values_list("user__username", "role"))
    assert roles == {"vv_coord": Role.COORDINATOR, "vv_das": Role.PROVIDER_MANAGER, "vv_zold": Role.CASEWORKER}
    assert Membership.objects.for_tenant(town).get(user=coordinator).organisation.code == "primaria"
    plan = Plan.objects.for_tenant(town).get()
    assert plan.code == "valea-verde-2026-2028" and plan.actions.count() == 3
    assert sorted(plan.actions.get(code="1.1").responsible.values_list("code", flat=True)) == ["das"]


def test_the_new_coordinator_produces_the_annual_report_of_the_plan(
    client, onboarded, django_capture_on_commit_callbacks
):
    plan = Plan.objects.for_tenant(onboarded.municipality).get()
    client.force_login(User.objects.get(username="vv_coord"))
    form = client.get(reverse("reports:report_start", args=[plan.pk]))
    assert form.status_code == 200 and "Magyar" in form.content.decode()  # the town's second language
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("reports:report_start", args=[plan.pk]), {"period": "2026", "language": "ro"})
    job = BackgroundJob.objects.for_tenant(onboarded.municipality).get()
    assert resp.status_code == 302 and job.status == "done", job.message
    pdf = client.get(reverse("reports:report_download", args=[job.pk, "pdf"]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content)[:4] == b"%PDF"
    docx = client.get(reverse("reports:report_download", args=[job.pk, "docx"]))
    assert docx.status_code == 200 and b"".join(docx.streaming_content)[:2] == b"PK"


def test_the_new_coordinator_sees_nothing_of_baia_mare(client, onboarded, service_a, case_a, bm_plan):
    client.force_login(User.objects.get(username="vv_coord"))
    assert client.get(reverse("directory:service_edit", args=[service_a.pk])).status_code == 404
    assert client.get(reverse("cases:detail", args=[case_a.pk])).status_code == 404
    assert client.get(reverse("reports:report_start", args=[bm_plan.pk])).status_code == 404
