"""The public ranked list on the portal: file numbers and scores, never a name; drafts are not published."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from carenet.housing import services

from .conftest import TODAY, answers


@pytest.fixture
def two_scored(applicant_factory: Any, officer: Any, grid: Any) -> list[Any]:
    out = []
    for points in (10, 5):
        a = applicant_factory(filed_on=TODAY)
        services.application_score(
            actor=officer, application=a, answers=answers(grid, conditions=points, household=2, disability=0)
        )
        out.append(a)
    return out


def test_a_draft_list_is_not_published(client, two_scored, officer, grid, baia_mare):
    services.ranked_list_draw(actor=officer, grid=grid)
    response = client.get(reverse("housing_public:ranking", args=[baia_mare.slug]))
    assert response.status_code == 200
    assert two_scored[0].file_number not in response.text


def test_the_approved_list_shows_file_numbers_and_scores_never_names(
    client, two_scored, officer, coordinator, grid, baia_mare
):
    ranked_list = services.ranked_list_draw(actor=officer, grid=grid)
    services.ranked_list_approve(actor=coordinator, ranked_list=ranked_list)
    response = client.get(reverse("housing_public:ranking", args=[baia_mare.slug]))
    text = response.text
    assert response.status_code == 200
    assert text.index(two_scored[0].file_number) < text.index(two_scored[1].file_number)
    assert "Current housing conditions: 10" in text
    for application in two_scored:
        person = application.applicant
        assert person.last_name not in text and person.first_name not in text
        assert str(person.pk) not in text and str(application.pk) not in text


def test_an_unknown_municipality_is_404(client, db):
    assert client.get("/nowhere/housing/ranking/").status_code == 404


def test_a_bad_year_shows_the_latest(client, baia_mare):
    assert client.get(reverse("housing_public:ranking", args=[baia_mare.slug]) + "?year=abc").status_code == 200
