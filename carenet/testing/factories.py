"""factory-boy factories for the rows tests make most, and the ``make_*`` builders the tests call.

Tenant-owned rows follow their organisation's municipality: ``PersonFactory(registered_by_organisation=org)``
lands in ``org``'s municipality; given only ``municipality=m``, a factory makes the organisation in ``m``.
The factories write rows directly (no audit event, no workflow); a test of a workflow calls the service
(``case_open``, ``referral_create`` …), as the fixtures in ``carenet.testing.fixtures`` do.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, TypeVar

import factory
from factory.django import DjangoModelFactory

from carenet.accounts.models import Membership, User
from carenet.cases.models import Case, ServiceDelivery
from carenet.core.models import Municipality, Organisation, OrganisationKind
from carenet.core.roles import Role
from carenet.directory.models import Location, Service, ServiceAtLocation
from carenet.people.models import Person
from carenet.referrals.models import Referral
from carenet.testing import PASSWORD

T = TypeVar("T")


class MunicipalityFactory(DjangoModelFactory[Municipality]):
    """A Romanian municipality by default; ``baia_mare=True`` and ``balti=True`` are the two real tenants."""

    class Meta:
        model = Municipality

    slug = factory.Sequence(lambda n: f"municipiul-{n}")
    name = factory.LazyAttribute(lambda o: f"Municipiul {o.slug}")
    country = "RO"
    official_languages = factory.LazyFunction(lambda: ["ro"])
    currency = "RON"
    time_zone = "Europe/Bucharest"
    statistical_code = factory.Sequence(lambda n: f"{900000 + n}")
    population = 100000

    class Params:
        baia_mare = factory.Trait(
            slug="baia-mare",
            name="Municipiul Baia Mare",
            official_languages=factory.LazyFunction(lambda: ["ro", "hu"]),
            statistical_code="106318",
            population=108759,
        )
        balti = factory.Trait(
            slug="balti",
            name="Municipiul Bălți",
            country="MD",
            official_languages=factory.LazyFunction(lambda: ["ro", "ru"]),
            currency="MDL",
            time_zone="Europe/Chisinau",
            statistical_code="0300",
            population=136563,
        )


class OrganisationFactory(DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: f"org-{n}")
    name = factory.LazyAttribute(lambda o: f"Organizația {o.code}")
    kind = OrganisationKind.PUBLIC


class TenantRowFactory(DjangoModelFactory[T]):
    """A tenant-owned row with an organisation: the municipality is the organisation's (see the module)."""

    _organisation_field = "organisation"

    class Meta:
        abstract = True

    @classmethod
    def _generate(cls, strategy: Any, params: dict[str, Any]) -> Any:
        field = cls._organisation_field
        if params.get("municipality") is not None and field not in params:
            params = {**params, field: OrganisationFactory(municipality=params["municipality"])}
        return super()._generate(strategy, params)


class UserFactory(DjangoModelFactory[User]):
    """A user with the shared test password; ``municipality`` is their home tenant (None: a citizen)."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@test.local")
    municipality = None

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        password = kwargs.pop("password", PASSWORD)
        return model_class.objects.create_user(*args, password=password, **kwargs)


class MembershipFactory(TenantRowFactory[Membership]):
    """A role in an organisation; the user is made in the organisation's municipality unless given."""

    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    municipality = factory.SelfAttribute("organisation.municipality")
    user = factory.SubFactory(UserFactory, municipality=factory.SelfAttribute("..municipality"))
    role = Role.CASEWORKER
    is_supervisor = False


class PersonFactory(TenantRowFactory[Person]):
    """Ștefan Munteanu, born 2 March 1957, registered by a provider (the defaults of the people tests)."""

    _organisation_field = "registered_by_organisation"

    class Meta:
        model = Person

    registered_by_organisation = factory.SubFactory(OrganisationFactory)
    municipality = factory.SelfAttribute("registered_by_organisation.municipality")
    first_name = "Ștefan"
    last_name = "Munteanu"
    birth_date = datetime.date(1957, 3, 2)


class ServiceFactory(TenantRowFactory[Service]):
    """A directory service, indexed for search like one saved through the directory's services
    (``indexed=False`` leaves the search columns empty)."""

    class Meta:
        model = Service
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    municipality = factory.SelfAttribute("organisation.municipality")
    name = factory.Sequence(lambda n: f"Serviciul {n}")

    @factory.post_generation
    def indexed(obj: Service, create: bool, extracted: bool | None, **kwargs: Any) -> None:
        if create and extracted is not False:
            from carenet.directory.services import service_reindex

            service_reindex(service=obj)


class LocationFactory(TenantRowFactory[Location]):
    class Meta:
        model = Location

    organisation = factory.SubFactory(OrganisationFactory)
    municipality = factory.SelfAttribute("organisation.municipality")
    name = factory.Sequence(lambda n: f"Sediul {n}")


class ServiceAtLocationFactory(DjangoModelFactory[ServiceAtLocation]):
    class Meta:
        model = ServiceAtLocation

    service = factory.SubFactory(ServiceFactory)
    municipality = factory.SelfAttribute("service.municipality")
    location = factory.SubFactory(LocationFactory, organisation=factory.SelfAttribute("..service.organisation"))


class CaseFactory(TenantRowFactory[Case]):
    """A case row as it stands after intake (no audit event: call ``case_open`` to test the workflow)."""

    class Meta:
        model = Case

    organisation = factory.SubFactory(OrganisationFactory)
    municipality = factory.SelfAttribute("organisation.municipality")
    person = factory.SubFactory(PersonFactory, registered_by_organisation=factory.SelfAttribute("..organisation"))
    reference = factory.Sequence(lambda n: f"T-{n:05d}")
    channel = "in_person"
    opened_on = factory.LazyFunction(datetime.date.today)


class ServiceDeliveryFactory(TenantRowFactory[ServiceDelivery]):
    """One act of a service to a person, by the service's provider, today."""

    class Meta:
        model = ServiceDelivery

    organisation = factory.SubFactory(OrganisationFactory)
    municipality = factory.SelfAttribute("organisation.municipality")
    person = factory.SubFactory(PersonFactory, registered_by_organisation=factory.SelfAttribute("..organisation"))
    service = factory.SubFactory(ServiceFactory, organisation=factory.SelfAttribute("..organisation"))
    case = None
    delivered_on = factory.LazyFunction(datetime.date.today)
    quantity = Decimal(1)


class ReferralFactory(DjangoModelFactory[Referral]):
    """A draft referral row from a case to a service of another provider of the same municipality
    (no consent, no audit event: call ``referral_create`` to test the workflow)."""

    class Meta:
        model = Referral

    case = factory.SubFactory(CaseFactory)
    municipality = factory.SelfAttribute("case.municipality")
    person = factory.SelfAttribute("case.person")
    from_organisation = factory.SelfAttribute("case.organisation")
    to_service = factory.SubFactory(
        ServiceFactory,
        organisation=factory.SubFactory(
            OrganisationFactory, municipality=factory.SelfAttribute("...case.municipality")
        ),
    )
    to_organisation = factory.SelfAttribute("to_service.organisation")
    reference = factory.Sequence(lambda n: f"R-{n:05d}")
    reason = "Are nevoie de serviciu."


# --- Builders with the signatures the tests have always called (``from conftest import make_user`` …) ---


def make_org(
    municipality: Municipality, code: str, name: str, kind: str = OrganisationKind.PUBLIC, **extra: Any
) -> Organisation:
    return OrganisationFactory.create(municipality=municipality, code=code, name=name, kind=kind, **extra)


def make_user(
    username: str,
    municipality: Municipality | None,
    org: Organisation | None = None,
    role: str | None = None,
    supervisor: bool = False,
    **extra: Any,
) -> User:
    """A user of ``municipality``; with ``org``, a member of it in ``role`` (a supervisor if asked)."""
    user = UserFactory.create(username=username, municipality=municipality, **extra)
    if org is not None:
        MembershipFactory.create(
            user=user, organisation=org, municipality=municipality, role=role, is_supervisor=supervisor
        )
    return user


def make_person(
    municipality: Municipality,
    org: Organisation,
    first: str = "Ștefan",
    last: str = "Munteanu",
    born: datetime.date | None = datetime.date(1957, 3, 2),
    **extra: Any,
) -> Person:
    return PersonFactory.create(
        municipality=municipality,
        registered_by_organisation=org,
        first_name=first,
        last_name=last,
        birth_date=born,
        **extra,
    )


def make_service(municipality: Municipality, organisation: Organisation, name: str, **extra: Any) -> Service:
    """A directory service indexed for search (what the directory's own forms save)."""
    return ServiceFactory.create(municipality=municipality, organisation=organisation, name=name, **extra)


def org(municipality: Municipality, code: str) -> Organisation:
    """An organisation loaded by the demo loaders, by its code."""
    return Organisation.objects.for_tenant(municipality).get(code=code)
