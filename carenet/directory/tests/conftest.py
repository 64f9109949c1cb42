"""The directory tests use the shared services (carenet.testing: service_a, service_b, balti_service)."""

from carenet.testing.factories import make_service

__all__ = ["make_service"]  # tests import it from here
