"""A background job's page is its starter's: anyone else gets 404 (its existence is not confirmed)."""

import pytest

from carenet.core.models import BackgroundJob


@pytest.fixture
def job(caseworker_a, baia_mare):
    return BackgroundJob.objects.create(
        municipality=baia_mare, kind="report", title="Raport anual", created_by=caseworker_a
    )


def test_the_starter_follows_their_job_and_sees_it_on_their_page(client, caseworker_a, job):
    client.force_login(caseworker_a)
    assert client.get(f"/jobs/{job.pk}/").status_code == 200
    assert "Raport anual" in client.get("/dashboard/").content.decode()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, job):
    response = client.get(f"/jobs/{job.pk}/")
    assert response.status_code == 302 and "/account/login/" in response["Location"]


@pytest.mark.parametrize("who", ["caseworker_b", "coordinator", "other_tenant_user"])
def test_anyone_else_gets_404(request, client, job, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert "Raport anual" not in client.get("/dashboard/").content.decode()
