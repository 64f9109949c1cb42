from carenet.cases.tests.conftest import case_a, person_a, service_a  # noqa: F401
