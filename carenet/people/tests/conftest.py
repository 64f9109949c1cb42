"""The people tests use the shared fixtures (carenet.testing: person_a, person_b, balti_person …) and read
English messages."""

from carenet.testing.factories import make_person
from carenet.testing.language import english

__all__ = ["english", "make_person"]  # english is autouse; tests import make_person from here
