"""The API tests use the shared fixtures (carenet.testing) and read English messages."""

import pytest

from carenet.testing.factories import make_service
from carenet.testing.language import english

__all__ = ["english"]  # autouse


@pytest.fixture
def balti_service(balti, balti_org):
    """Bălți's day centre, named like Baia Mare's shared service_a so a search for "copii" finds both."""
    return make_service(balti, balti_org, "Centru de zi pentru copii din Bălți")
