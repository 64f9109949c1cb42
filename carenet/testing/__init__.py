"""CareNet's one pytest plugin (docs/architecture.md §8).

* ``carenet.testing.plugin`` — registered by the root ``conftest.py`` (``pytest_plugins``): the shared
  fixtures (``carenet.testing.fixtures``) and the browser rule (a missing Chromium skips the browser tests,
  or fails the run when ``CARENET_REQUIRE_BROWSER=1``, as ``make test`` and CI set it).
* ``carenet.testing.factories`` — factory-boy factories and the ``make_*`` builders.
* ``carenet.testing.refusals`` — ``assert_refused(client, url, status)``: one status code per refusal.
* ``carenet.testing.language`` — the autouse ``english`` fixture a conftest imports to read English.
* ``carenet.testing.browser`` — where Chromium is and how it is launched.

This module itself imports no Django code, so settings and pytest-django may load it first.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The vendored HSDS 3.0 schemas (carenet/directory/standards/hsds-3.0/README.md): inside the clone.
HSDS_SCHEMAS = ROOT / "carenet" / "directory" / "standards" / "hsds-3.0" / "schema"
PASSWORD = "correct-horse-battery"  # noqa: S105  (every test user's password)
