"""The HSDS service list and search in hand-written SQL (``directory.hsds.service_search_page``) answer exactly
what the ORM path (``filter_services`` + ``service_list_page`` + ``service_json(full=False)``) answers: same
services, same order, same total, same JSON, for every filter, language and page, on both databases."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from carenet.core import demo as core_demo
from carenet.core.models import Municipality
from carenet.directory import demo, hsds
from carenet.directory.models import OrganisationProfile, Program, Service, ServiceAttribute
from carenet.directory.selectors import filter_services, public_services

QUERIES = [
    "",
    "copii",
    "ingrijire domiciliu",
    "Bătrâni",
    "centru de zi copii",
    "de",
    "consiliere victime",
    "zzzz",
    "asistenta sociala copii",
    "c",
]
LANGUAGES = ["ro", "ru", "hu", "uk", "en"]


@pytest.fixture
def demo_directory(db):
    core_demo.load()
    demo.load()
    municipalities = {m.slug: m for m in Municipality.objects.all()}
    # translated providers and programmes, which the demo does not have
    baia_mare = municipalities["baia-mare"]
    services = list(Service.objects.for_tenant(baia_mare).select_related("organisation").order_by("name")[:6])
    for i, service in enumerate(services[:3]):
        profile, _ = OrganisationProfile.plain.get_or_create(
            municipality=baia_mare, organisation=service.organisation, defaults={"description": "Descriere"}
        )
        profile.translations = {"hu": {"name": f"Szolgáltató {i}", "description": "Leírás"}, "ru": {"description": ""}}
        profile.year_incorporated = 1990 + i
        profile.save()
    program = Program.plain.create(
        municipality=baia_mare,
        organisation=services[3].organisation,
        name="Program de zi",
        description="Zilnic",
        translations={"uk": {"name": "Денна програма"}},
    )
    Service.plain.filter(pk__in=[s.pk for s in services[3:5]]).update(
        program=program, last_verified_at=timezone.now() - timedelta(days=3)
    )
    return municipalities


def _orm(municipality, lang, offset, limit, **filters):
    qs = filter_services(services=public_services(municipality=municipality), municipality=municipality, **filters)
    total, rows = hsds.service_list_page(qs, offset=offset, limit=limit, lang=lang)
    return total, [hsds.service_json(row, lang, full=False) for row in rows]


def _sql(municipality, lang, offset, limit, **filters):
    return hsds.service_search_page(
        municipality_id=municipality.pk if municipality is not None else None,
        **filters,
        offset=offset,
        limit=limit,
        lang=lang,
    )


def _same(municipality, lang="ro", offset=0, limit=50, **filters):
    expected = _orm(municipality, lang, offset, limit, **filters)
    got = _sql(municipality, lang, offset, limit, **filters)
    assert json.dumps(got, ensure_ascii=False) == json.dumps(expected, ensure_ascii=False), (lang, filters)
    return got


def _every_search_in_every_language_is_the_same(demo_directory):
    found = 0
    for municipality in [*demo_directory.values(), None]:
        for query in QUERIES:
            for lang in LANGUAGES:
                found += _same(municipality, lang, search=query)[0]
    assert found  # the comparison compared something


def _pages_and_past_the_last_page_are_the_same(demo_directory):
    baia_mare = demo_directory["baia-mare"]
    for offset, limit in [(0, 1), (5, 7), (40, 7), (43, 50), (44, 50), (500, 50)]:
        _same(baia_mare, "hu", offset, limit)
        _same(baia_mare, "ro", offset, limit, search="copii")
    total, contents = _same(baia_mare, "ro", 500, 50, search="copii")
    assert total > 0 and contents == []


def _every_filter_is_the_same(demo_directory):
    baia_mare = demo_directory["baia-mare"]
    attributes = list(
        ServiceAttribute.objects.for_tenant(baia_mare)
        .values_list("taxonomy_term_id", "taxonomy_term__taxonomy_id")
        .distinct()
        .order_by("taxonomy_term_id")
    )
    terms = sorted({str(t) for t, _ in attributes})
    taxonomies = sorted({str(x) for _, x in attributes})
    organisations = sorted(
        str(o) for o in Service.objects.for_tenant(baia_mare).values_list("organisation_id", flat=True).distinct()
    )
    found = 0
    for term in terms[:6]:
        found += _same(baia_mare, taxonomy_term_ids=[term])[0]
        _same(baia_mare, "ru", taxonomy_term_ids=[term], search="centru")
    _same(baia_mare, taxonomy_term_ids=terms[:2])
    for taxonomy in taxonomies:
        found += _same(baia_mare, "uk", taxonomy_ids=[taxonomy])[0]
    _same(baia_mare, taxonomy_ids=taxonomies, search="copii")
    found += _same(baia_mare, organisation_ids=organisations[:3])[0]
    _same(baia_mare, "hu", organisation_ids=organisations[:3], search="servicii")
    newest = Service.objects.for_tenant(baia_mare).order_by("-updated_at").values_list("updated_at", flat=True)[0]
    found += _same(baia_mare, modified_after=newest)[0]  # inclusive
    assert _same(baia_mare, modified_after=newest + timedelta(seconds=1))[0] == 0
    _same(None, modified_after=timezone.make_aware(datetime(2000, 1, 1)), search="copii")
    assert found


def _another_municipality_sees_none_of_these_services(demo_directory):
    baia_mare, balti = demo_directory["baia-mare"], demo_directory["balti"]
    ids = {row["id"] for row in _sql(baia_mare, "ro", 0, 200)[1]}
    organisation = Service.objects.for_tenant(baia_mare).values_list("organisation_id", flat=True)[0]
    assert _sql(balti, "ro", 0, 200, organisation_ids=[organisation])[0] == 0
    assert not ids & {row["id"] for row in _sql(balti, "ro", 0, 200)[1]}
    assert _sql(None, "ro", 0, 1)[0] == Service.objects.all_tenants().count()


def test_the_sql_list_is_the_orm_list_and_keeps_to_its_municipality(demo_directory):
    # one test: loading the demo directory is most of its time
    _every_search_in_every_language_is_the_same(demo_directory)
    _pages_and_past_the_last_page_are_the_same(demo_directory)
    _every_filter_is_the_same(demo_directory)
    _another_municipality_sees_none_of_these_services(demo_directory)


def test_the_search_answers_in_two_queries_and_three_for_several_words(
    client, demo_directory, django_assert_max_num_queries, settings
):
    settings.CARENET_HSDS_CACHE_SECONDS = 0  # every answer computed (a cached one adds the data version's read)
    # the municipality's id (plain SQL) and the page with its total; several words: their tokens counted first
    with django_assert_max_num_queries(2):
        response = client.get("/api/hsds/baia-mare/services", {"search": "copii"})
    assert response.status_code == 200 and response.json()["total_items"] > 0
    with django_assert_max_num_queries(3):
        response = client.get("/api/hsds/baia-mare/services", {"search": "ingrijire domiciliu", "lang": "hu"})
    assert response.status_code == 200 and response.json()["total_items"] > 0
    with django_assert_max_num_queries(3):  # past the last page: the total counted on its own
        assert client.get("/api/hsds/baia-mare/services", {"page": 99}).json()["contents"] == []
