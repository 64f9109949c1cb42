"""The cases tests use the shared person_a, case_a and supervisor_a (carenet.testing), read English
messages, and record deliveries of provider A's social canteen."""

import pytest

from carenet.testing.factories import ServiceFactory
from carenet.testing.language import english

__all__ = ["english"]  # autouse


@pytest.fixture
def service_a(org_a):
    """Provider A's social canteen (not the shared day centre: the cases tests name it)."""
    return ServiceFactory(organisation=org_a, name="Cantina socială", indexed=False)
