"""The root conftest registers CareNet's one test plugin, ``carenet.testing`` (docs/architecture.md §8):
the shared users, persons, cases, services and plans, the factories and the refusal helpers live there."""

from carenet.testing.factories import make_org, make_user, org

pytest_plugins = ["carenet.testing.plugin"]

# Tests import the builders from here (``from conftest import make_user``); they live in carenet.testing.
__all__ = ["make_org", "make_user", "org"]
