import pytest

from carenet.directory.models import Location, Service, ServiceAtLocation


def make_service(municipality, organisation, name, **extra):
    service = Service.plain.create(municipality=municipality, organisation=organisation, name=name, **extra)
    from carenet.directory.services import service_reindex

    service_reindex(service=service)
    return service


@pytest.fixture
def service_a(baia_mare, org_a):
    service = make_service(
        baia_mare, org_a, "Centru de zi pentru copii", description="Activități pentru copii și părinți."
    )
    location = Location.plain.create(
        municipality=baia_mare, organisation=org_a, name="Sediul A", latitude=47.65, longitude=23.57
    )
    ServiceAtLocation.plain.create(municipality=baia_mare, service=service, location=location)
    return service


@pytest.fixture
def service_b(baia_mare, org_b):
    return make_service(baia_mare, org_b, "Îngrijiri la domiciliu", description="Îngrijire pentru bătrâni acasă.")


@pytest.fixture
def balti_service(balti, balti_org):
    return make_service(balti, balti_org, "Centrul comunitar de sănătate mintală")
