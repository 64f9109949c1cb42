"""Batch de-duplication: a background job trains the tenant's matcher, clusters, and a coordinator reviews."""

import datetime

import pytest

from carenet.core.models import BackgroundJob, JobStatus
from carenet.people.linkage.settings import DEFAULT_POSSIBLE, DEFAULT_PROBABLE
from carenet.people.models import LinkageModel, NotSamePerson
from carenet.testing.refusals import FORBIDDEN, LOGIN_REDIRECT, NOT_FOUND, assert_refused

from .conftest import make_person

BORN = datetime.date(1957, 3, 2)


@pytest.fixture
def twins_and_a_duplicate(baia_mare, org_a, org_b, person_a, balti, balti_org):
    cyrillic = make_person(baia_mare, org_b, first="Штефан", last="Мунтяну", sex="M")
    son = make_person(baia_mare, org_a, first="Ștefan", last="Munteanu", born=datetime.date(1983, 7, 14), sex="M")
    make_person(balti, balti_org, first="Ilka", last="Szekeres", born=BORN)  # the other municipality's
    return cyrillic, son


def _scan(client, user, capture):
    client.force_login(user)
    with capture(execute=True):  # the task is queued once the job row is committed
        assert client.post("/people/duplicates/scan/").status_code == 302


def test_the_batch_finds_the_duplicate_not_the_son_and_trains_for_this_tenant_only(
    client, coordinator, person_a, twins_and_a_duplicate, baia_mare, balti, django_capture_on_commit_callbacks
):
    cyrillic, _son = twins_and_a_duplicate
    _scan(client, coordinator, django_capture_on_commit_callbacks)
    job = BackgroundJob.objects.for_tenant(baia_mare).get()
    assert job.status == JobStatus.DONE and job.progress == 100 and job.result["records"] == 3
    [cluster] = job.result["clusters"]
    assert set(cluster["persons"]) == {str(person_a.pk), str(cyrillic.pk)}
    model = LinkageModel.objects.for_tenant(baia_mare).get()
    assert model.records == 3 and "szekeres" not in str(model.parameters)
    assert not LinkageModel.objects.for_tenant(balti).exists()
    page = client.get("/people/duplicates/").content.decode()
    assert "Мунтяну" in page and "Very likely the same person" in page and "name written in the other alphabet" in page
    # The pair's order follows the batch's reading order, not a ranking: either record may come first.
    assert (
        f"/people/{person_a.pk}/merge/?duplicate={cyrillic.pk}" in page
        or f"/people/{cyrillic.pk}/merge/?duplicate={person_a.pk}" in page
    )


def test_not_the_same_person_is_remembered_and_never_proposed_again(
    client, coordinator, person_a, twins_and_a_duplicate, baia_mare, django_capture_on_commit_callbacks
):
    cyrillic, _son = twins_and_a_duplicate
    _scan(client, coordinator, django_capture_on_commit_callbacks)
    r = client.post("/people/duplicates/not-same/", {"person": person_a.pk, "other": cyrillic.pk, "reason": "x"})
    assert r.status_code == 302 and NotSamePerson.objects.for_tenant(baia_mare).count() == 1
    assert "Мунтяну" not in client.get("/people/duplicates/").content.decode()
    _scan(client, coordinator, django_capture_on_commit_callbacks)
    assert BackgroundJob.objects.for_tenant(baia_mare).first().result["clusters"] == []


def test_the_review_page_refuses_an_anonymous_visitor(client):
    assert_refused(client, "/people/duplicates/", LOGIN_REDIRECT)


@pytest.mark.parametrize("who", ["caseworker_a", "manager_b"])  # a lower role; another provider's manager
def test_the_review_page_and_its_actions_refuse_provider_roles(request, client, who, person_a):
    client.force_login(request.getfixturevalue(who))
    assert_refused(client, "/people/duplicates/", FORBIDDEN)
    assert_refused(client, "/people/duplicates/scan/", FORBIDDEN, method="post")


def test_the_other_municipality_reaches_nothing_of_ours(client, other_tenant_user, person_a, twins_and_a_duplicate):
    cyrillic, _son = twins_and_a_duplicate
    client.force_login(other_tenant_user)
    assert "Munteanu" not in client.get("/people/duplicates/").content.decode()
    assert_refused(
        client,
        "/people/duplicates/not-same/",
        NOT_FOUND,
        method="post",
        data={"person": person_a.pk, "other": cyrillic.pk},
    )
    assert not NotSamePerson.objects.all_tenants().exists()


def test_thresholds_are_the_tenants_own_and_follow_their_validity_dates(coordinator, baia_mare, balti):
    from carenet.people.selectors import linkage_thresholds
    from carenet.people.services import linkage_settings_set

    linkage_settings_set(
        actor=coordinator,
        probable_threshold=0.95,
        possible_threshold=0.6,
        valid_from=datetime.date(2026, 1, 1),
        valid_to=datetime.date(2026, 6, 30),
    )
    assert linkage_thresholds(municipality_id=baia_mare.pk, on=datetime.date(2026, 3, 1)) == (0.6, 0.95)
    defaults = (DEFAULT_POSSIBLE, DEFAULT_PROBABLE)
    assert linkage_thresholds(municipality_id=baia_mare.pk, on=datetime.date(2026, 7, 1)) == defaults
    assert linkage_thresholds(municipality_id=balti.pk, on=datetime.date(2026, 3, 1)) == defaults


def test_thresholds_out_of_order_are_refused_naming_the_field(coordinator):
    from django.core.exceptions import ValidationError

    from carenet.people.services import linkage_settings_set

    with pytest.raises(ValidationError) as exc:
        linkage_settings_set(
            actor=coordinator, probable_threshold=0.5, possible_threshold=0.9, valid_from=datetime.date(2026, 1, 1)
        )
    assert "possible_threshold" in exc.value.message_dict
