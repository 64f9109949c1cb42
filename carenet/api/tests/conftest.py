import pytest

from carenet.cases.tests.conftest import case_a, person_a, service_a  # noqa: F401


@pytest.fixture(autouse=True)
def english(settings):
    """Assertions below read the English source messages; the Romanian ones are tested on their own."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
