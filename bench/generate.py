"""Deterministic generator of synthetic beneficiaries for demos and benchmarks.

Every generated person is flagged ``is_synthetic``. Names are Romanian, Hungarian and Russian /
Ukrainian, written the way real registers write them: with and without diacritics, in Cyrillic
(Bălți), with typos, first and last names sometimes swapped. Identifiers are valid CNP (Romania)
or IDNP (Moldova) codes with correct control digits, or missing (no identity document).

Loads in bulk: ``bulk_create`` in batches everywhere, PostgreSQL ``COPY`` for the large tables.
The same ``seed`` gives the same rows (UUIDs included).
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.db import connection, models, transaction

from carenet.core.db import citus
from carenet.core.identifiers import cnp_check_digit, md_check_digit

RO_MALE = [
    "Ion",
    "Gheorghe",
    "Vasile",
    "Ștefan",
    "Mihai",
    "Andrei",
    "Alexandru",
    "Nicolae",
    "Dumitru",
    "Florin",
    "Constantin",
    "Ioan",
    "Cristian",
    "Gabriel",
    "Marius",
    "Petru",
    "Radu",
    "Sorin",
    "Adrian",
    "Bogdan",
]
RO_FEMALE = [
    "Maria",
    "Elena",
    "Ioana",
    "Ana",
    "Mihaela",
    "Gabriela",
    "Cristina",
    "Andreea",
    "Florica",
    "Viorica",
    "Larisa",
    "Daniela",
    "Simona",
    "Ramona",
    "Georgiana",
    "Alina",
    "Nicoleta",
    "Rodica",
    "Aurelia",
    "Ecaterina",
]
RO_LAST = [
    "Munteanu",
    "Popescu",
    "Pop",
    "Rusu",
    "Ciobanu",
    "Țurcanu",
    "Lungu",
    "Moraru",
    "Ceban",
    "Cojocaru",
    "Mureșan",
    "Pintea",
    "Todea",
    "Bud",
    "Hossu",
    "Pașca",
    "Mărginean",
    "Băban",
    "Chiriac",
    "Rotaru",
    "Sârbu",
    "Bălan",
    "Știrbu",
    "Cozma",
    "Grosu",
    "Țâru",
    "Onu",
    "Zamfir",
    "Ursu",
    "Vlaicu",
]
HU_MALE = ["János", "István", "László", "Ferenc", "Zoltán", "Attila", "Sándor", "Gábor", "Csaba", "Tibor"]
HU_FEMALE = ["Erzsébet", "Ilona", "Katalin", "Mária", "Zsuzsanna", "Éva", "Anikó", "Ildikó", "Enikő", "Gyöngyi"]
HU_LAST = [
    "Kovács",
    "Szabó",
    "Nagy",
    "Tóth",
    "Horváth",
    "Varga",
    "Kiss",
    "Molnár",
    "Németh",
    "Farkas",
    "Balogh",
    "Papp",
    "Takács",
    "Juhász",
    "Szőke",
]
RU_MALE = ["Сергей", "Алексей", "Дмитрий", "Андрей", "Николай", "Виктор", "Юрий", "Игорь", "Михаил", "Олег"]
RU_FEMALE = ["Наталья", "Ольга", "Татьяна", "Светлана", "Ирина", "Людмила", "Галина", "Вера", "Анна", "Елена"]
RU_LAST_M = [
    "Иванов",
    "Петров",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Волков",
    "Шевчук",
    "Бондаренко",
    "Ткаченко",
    "Мунтяну",
    "Чобану",
    "Цуркану",
    "Русу",
    "Лунгу",
]
_RO_TO_CYR = {
    "a": "а",
    "ă": "э",
    "â": "ы",
    "b": "б",
    "c": "к",
    "d": "д",
    "e": "е",
    "f": "ф",
    "g": "г",
    "h": "х",
    "i": "и",
    "î": "ы",
    "j": "ж",
    "k": "к",
    "l": "л",
    "m": "м",
    "n": "н",
    "o": "о",
    "p": "п",
    "r": "р",
    "s": "с",
    "ș": "ш",
    "ş": "ш",
    "t": "т",
    "ț": "ц",
    "ţ": "ц",
    "u": "у",
    "v": "в",
    "x": "кс",
    "y": "й",
    "z": "з",
    "q": "к",
    "w": "в",
}
_STRIP = str.maketrans("ăâîșşțţĂÂÎȘŞȚŢáéíóöőúüűÁÉÍÓÖŐÚÜŰ", "aaissttAAISSTTaeiooouuuAEIOOOUUU")
# Ukrainian names (Bălți in Cyrillic; Maramureș's Ukrainian community writes them in Latin script).
UA_MALE = ["Олександр", "Петро", "Тарас", "Богдан", "Василь", "Микола"]
UA_FEMALE = ["Оксана", "Галина", "Олена", "Наталія", "Ірина", "Марія"]
UA_LAST = ["Ковальчук", "Мельник", "Бойко", "Шевченко", "Кравчук", "Ткачук"]
UA_RO_LAST = ["Petrovai", "Semeniuc", "Ivașcu", "Bizău", "Hrițcu", "Marchiș"]
# Surnames common among Roma families in Romania.
ROMA_LAST = ["Lăcătuș", "Căldăraru", "Rostaș", "Lingurar", "Stoica", "Ciurar"]
# Streets of each city, for synthetic addresses in the right place.
STREETS_BY_COUNTRY = {
    "RO": [
        "Str. Victoriei",
        "Bd. București",
        "Bd. Republicii",
        "Str. Progresului",
        "Str. Vasile Lucaciu",
        "Str. Mihai Viteazu",
        "Str. Gheorghe Șincai",
        "Bd. Independenței",
        "Str. Horea",
        "Str. Transilvaniei",
    ],
    "MD": [
        "str. Ștefan cel Mare",
        "str. Independenței",
        "str. Pușkin",
        "str. Decebal",
        "str. Mihai Eminescu",
        "str. Kiev",
        "str. 31 August 1989",
        "str. Sfântul Nicolae",
    ],
}
CITY_BY_COUNTRY = {"RO": "Baia Mare", "MD": "Bălți"}
STREETS = STREETS_BY_COUNTRY["RO"] + STREETS_BY_COUNTRY["MD"]


def street_address(rng: random.Random, country: str) -> str:
    streets = STREETS_BY_COUNTRY.get(country, STREETS)
    city = CITY_BY_COUNTRY.get(country, "")
    return f"{rng.choice(streets)} {rng.randint(1, 120)}" + (f", {city}" if city else "")


def to_cyrillic(name: str) -> str:
    """Romanian Latin → the Russian-style Cyrillic spelling used in Moldovan registers (approximate)."""
    low = (
        name.lower()
        .replace("ea", "я")
        .replace("ia", "я")
        .replace("iu", "ю")
        .replace("ce", "че")
        .replace("ci", "чи")
        .replace("ge", "дже")
        .replace("gi", "джи")
        .replace("che", "ке")
        .replace("chi", "ки")
    )
    out = "".join(_RO_TO_CYR.get(ch, ch) for ch in low)
    return out[:1].upper() + out[1:]


def with_typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.4:
        return word[:i] + word[i + 1 :]  # dropped letter
    if kind < 0.7:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swapped letters
    return word[:i] + word[i] + word[i:]  # doubled letter


def make_cnp(rng: random.Random, born: datetime.date, sex: str, county: str = "24") -> str:
    first = ("1" if sex == "M" else "2") if born.year < 2000 else ("5" if sex == "M" else "6")
    body = f"{first}{born:%y%m%d}{county}{rng.randrange(1, 999):03d}"
    return body + str(cnp_check_digit(body))


def make_idnp(rng: random.Random, born: datetime.date) -> str:
    body = f"2{born.year % 1000:03d}{rng.randrange(0, 10**8):08d}"
    return body + str(md_check_digit(body))


@dataclass
class Plan:
    """What to generate for one municipality."""

    municipality: Any
    organisations: Sequence[Any]
    services_by_org: dict[Any, list[Any]]
    caseworkers_by_org: dict[Any, list[Any]] = field(default_factory=dict)
    persons: int = 300
    deliveries: int = 1500
    case_share: float = 0.4
    seed: int = 2026
    country: str = "RO"


@dataclass
class Counts:
    persons: int = 0
    households: int = 0
    sensitive: int = 0
    cases: int = 0
    deliveries: int = 0

    def __str__(self) -> str:
        return (
            f"{self.persons} persons, {self.households} households, {self.cases} cases, "
            f"{self.deliveries} deliveries (all synthetic)"
        )


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _name(rng: random.Random, country: str, sex: str) -> tuple[str, str, str]:
    """(first, last, other spelling) in the way a register might hold them."""
    roll = rng.random()
    if country == "MD" and roll < 0.3:
        first = rng.choice(RU_MALE if sex == "M" else RU_FEMALE)
        last = rng.choice(RU_LAST_M)
        if sex == "F" and last.endswith(("ов", "ев", "ин")):
            last += "а"
        return first, last, ""
    if country == "MD" and roll < 0.4:
        return rng.choice(UA_MALE if sex == "M" else UA_FEMALE), rng.choice(UA_LAST), ""
    if country == "RO" and roll < 0.2:
        return rng.choice(HU_MALE if sex == "M" else HU_FEMALE), rng.choice(HU_LAST), ""
    first, last = rng.choice(RO_MALE if sex == "M" else RO_FEMALE), rng.choice(RO_LAST)
    if country == "RO" and roll < 0.3:
        last = rng.choice(ROMA_LAST)
    elif country == "RO" and roll < 0.35:
        last = rng.choice(UA_RO_LAST)
    other = ""
    variant = rng.random()
    if variant < 0.15:
        first, last = first.translate(_STRIP), last.translate(_STRIP)  # keyboard without diacritics
    elif variant < 0.2:
        first, last = with_typo(rng, first), with_typo(rng, last)
    elif country == "MD" and variant < 0.45:
        other = f"{to_cyrillic(first)} {to_cyrillic(last)}"
    if rng.random() < 0.03:
        first, last = last, first  # swapped on a paper form
    return first, last, other


def _birth(rng: random.Random) -> datetime.date:
    # a social-services population: many children and many elderly
    roll = rng.random()
    age = rng.randint(0, 17) if roll < 0.3 else rng.randint(65, 95) if roll < 0.65 else rng.randint(18, 64)
    # Counted back from the data's "today" so that nobody is born after it (age 0 = born in the last year).
    today = datetime.date(2026, 1, 1)
    return today - datetime.timedelta(days=round(age * 365.25) + rng.randint(0, 364))


def _bulk(model: type[models.Model], objs: Sequence[models.Model], batch: int = 5000) -> None:
    if not objs:
        return
    if connection.vendor == "postgresql" and len(objs) >= 20000:
        _copy(model, objs)
    elif connection.vendor == "sqlite" and len(objs) >= 20000:
        _executemany(model, objs)
    else:
        model._default_manager.bulk_create(list(objs), batch_size=batch)


def _copy(model: type[models.Model], objs: Iterable[models.Model]) -> None:
    """PostgreSQL COPY FROM STDIN: ~10× faster than INSERT for millions of rows."""
    objs = list(objs)
    # Auto-increment ids are left to the database.
    fields = [
        f
        for f in model._meta.concrete_fields
        if not (isinstance(f, models.AutoField | models.BigAutoField) and getattr(objs[0], f.attname) is None)
    ]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3 cursor
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([_copy_value(f, obj) for f in fields])


def _executemany(model: type[models.Model], objs: Sequence[models.Model], batch: int = 20000) -> None:
    """SQLite: one prepared INSERT run with executemany. ``bulk_create`` is limited there to 999 bound
    parameters per statement (~47 rows of a wide table) and prepares every value through the field API;
    here each column gets one converter chosen once. ~3× faster on the city preset."""
    import json

    fields = list(model._meta.concrete_fields)
    converters: list[Any] = []
    for f in fields:
        target = f.target_field if f.is_relation else f  # type: ignore[attr-defined]
        kind = target.get_internal_type()
        if kind == "UUIDField":
            converters.append(lambda v: v.hex if v is not None else None)
        elif isinstance(f, models.JSONField):
            converters.append(json.dumps)
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):  # what pre_save would fill
            stamp = f.pre_save(model(), add=True)
            adapt = (
                connection.ops.adapt_datetimefield_value
                if f.get_internal_type() == "DateTimeField"
                else connection.ops.adapt_datefield_value
            )
            converters.append(lambda v, stamp=stamp, adapt=adapt: adapt(v if v is not None else stamp))
        elif f.get_internal_type() == "DateTimeField":
            converters.append(connection.ops.adapt_datetimefield_value)
        elif f.get_internal_type() == "DateField":
            converters.append(connection.ops.adapt_datefield_value)
        elif f.get_internal_type() == "DecimalField":
            converters.append(lambda v: str(v) if v is not None else None)
        else:
            converters.append(None)
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields), ", ".join(["%s"] * len(fields))
    )
    pairs = [(f.attname, conv) for f, conv in zip(fields, converters, strict=True)]
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch):
            cursor.executemany(
                sql,
                [
                    tuple(conv(getattr(o, name)) if conv is not None else getattr(o, name) for name, conv in pairs)
                    for o in objs[start : start + batch]
                ],
            )


def _copy_value(f: models.Field, obj: models.Model) -> Any:
    value = getattr(obj, f.attname)
    if isinstance(f, models.JSONField):
        import json

        return json.dumps(value)
    if isinstance(value, bool | int | Decimal | str | datetime.date | uuid.UUID) or value is None:
        return value
    return f.get_db_prep_value(value, connection, prepared=False)


def generate(plan: Plan, *, stdout: Any = None) -> Counts:
    """Create persons, households, special-category rows, cases at every stage and service deliveries.

    Persons are made CHUNK at a time: each chunk's persons, households, cases and its share of the
    deliveries are written before the next chunk is made, so the national-registry preset (2,000,000
    persons) never holds more than one chunk in memory. A run of at most CHUNK persons draws the same
    random numbers in the same order as before chunking (the city preset's data is unchanged)."""
    counts = Counts()
    if not list(plan.organisations):
        return counts
    state = _State(rng=random.Random(plan.seed))
    restore_indexes()  # a bulk load that was interrupted left its tables without their indexes
    with _bulk_load_mode(enabled=plan.persons > CHUNK, stdout=stdout):
        for start in range(0, plan.persons, CHUNK):
            size = min(CHUNK, plan.persons - start)
            # This chunk's share of the deliveries, so that the chunks' shares add up to plan.deliveries exactly.
            share = (start + size) * plan.deliveries // plan.persons - start * plan.deliveries // plan.persons
            _generate_chunk(plan, state, counts, size=size, deliveries=share, stdout=stdout)
    analyze()
    return counts


BULK_TABLES = [
    "people_person",
    "people_household",
    "people_householdmember",
    "people_sensitiveprofile",
    "cases_case",
    "cases_caseevent",
    "cases_servicedelivery",
]


@contextmanager
def _bulk_load_mode(*, enabled: bool, stdout: Any) -> Iterator[None]:
    """On PostgreSQL and Citus, for a load of more than one chunk (the national registry): the generated
    tables' secondary indexes are dropped for the load and built again after it, one sort each instead of
    millions of random B-tree inserts (the person table has 17 indexes, deliveries 12), and foreign keys are
    not checked row by row on a single node (``session_replication_role = replica``, superuser only; the
    generator makes every reference itself). What pg_restore does. Primary keys and unique constraints stay. The dropped
    definitions are kept in a table first, so that an interrupted load gets them back on the next run."""
    if not enabled or connection.vendor != "postgresql":
        yield
        return
    on_citus = citus.is_citus(connection)  # DROP/CREATE INDEX on a distributed table reach every shard
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_dropped_index (name text PRIMARY KEY, definition text NOT NULL)"
        )
        cursor.execute(
            """SELECT i.indexname, i.indexdef FROM pg_indexes i
               WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
                 AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""",
            [BULK_TABLES],
        )
        dropped = cursor.fetchall()
        for name, definition in dropped:
            cursor.execute(
                "INSERT INTO bench_dropped_index VALUES (%s, %s) ON CONFLICT (name) DO NOTHING", [name, definition]
            )
            cursor.execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(name)}")
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        # On Citus the role would reach the coordinator's session only, not its connections to the workers.
        superuser = bool(cursor.fetchone()[0]) and not on_citus
        if superuser:
            cursor.execute("SET session_replication_role = replica")
    if stdout:
        stdout.write(
            f"  bulk load: {len(dropped)} indexes dropped until the end, foreign keys checked: {not superuser}"
        )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if superuser:
                cursor.execute("SET session_replication_role = DEFAULT")
        restore_indexes()


def restore_indexes() -> None:
    """Build again the indexes a bulk load dropped (kept in bench_dropped_index); nothing elsewhere."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_dropped_index') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return
        cursor.execute("SELECT name, definition FROM bench_dropped_index ORDER BY name")
        rows = cursor.fetchall()
        if rows:
            cursor.execute("SET maintenance_work_mem = '1GB'")
        for name, definition in rows:
            cursor.execute("SELECT to_regclass(%s) IS NULL", [name])
            if cursor.fetchone()[0]:
                cursor.execute(definition)
            cursor.execute("DELETE FROM bench_dropped_index WHERE name = %s", [name])


CHUNK = 100_000  # persons made, written and forgotten at a time


@dataclass
class _State:
    """What runs on from one chunk to the next: the random stream and the household being filled."""

    rng: random.Random
    household: Any = None
    left_in_household: int = 0


def _generate_chunk(plan: Plan, state: _State, counts: Counts, *, size: int, deliveries: int, stdout: Any) -> None:
    from carenet.cases.models import Case, CaseEvent, CaseStatus, Channel, ServiceDelivery
    from carenet.people.models import (
        DisabilityDegree,
        DisabilityType,
        DocumentStatus,
        Household,
        HouseholdMember,
        HouseholdRole,
        IdentifierKind,
        Person,
        SensitiveProfile,
    )

    rng = state.rng
    m_id = plan.municipality.pk
    orgs = list(plan.organisations)
    now = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    persons: list[Person] = []
    households: list[Household] = []
    members: list[HouseholdMember] = []
    sensitive: list[SensitiveProfile] = []
    household: Household | None = state.household
    left_in_household = state.left_in_household
    for _ in range(size):
        sex = "M" if rng.random() < 0.47 else "F"
        first, last, other = _name(rng, plan.country, sex)
        born = _birth(rng)
        org = rng.choice(orgs)
        kind, national_id, doc = "", "", DocumentStatus.HAS_DOCUMENT
        roll = rng.random()
        if roll < 0.7:
            if plan.country == "RO":
                kind, national_id = IdentifierKind.CNP, make_cnp(rng, born, sex)
            else:
                kind, national_id = IdentifierKind.IDNP, make_idnp(rng, born)
        elif roll < 0.8:
            doc = DocumentStatus.NO_DOCUMENT  # the data gap Bălți describes
        else:
            doc = DocumentStatus.UNKNOWN
        person = Person(
            id=_uuid(rng),
            municipality_id=m_id,
            first_name=first,
            last_name=last,
            other_spellings=other,
            sex=sex,
            birth_date=born,
            identifier_kind=kind,
            national_id=national_id,
            document_status=doc,
            address=street_address(rng, plan.country),
            registered_by_organisation_id=org.pk,
            is_synthetic=True,
            created_at=now,
            updated_at=now,
        )
        person.refresh_name_keys()
        persons.append(person)
        if left_in_household <= 0:
            household = Household(
                id=_uuid(rng),
                municipality_id=m_id,
                name=last,
                address=person.address,
                is_synthetic=True,
                created_at=now,
            )
            households.append(household)
            left_in_household = rng.choice([1, 1, 2, 2, 3, 4, 5])
            role = HouseholdRole.HEAD
        else:
            role = (
                HouseholdRole.CHILD
                if born.year > 2008
                else rng.choice([HouseholdRole.SPOUSE, HouseholdRole.PARENT, HouseholdRole.RELATIVE])
            )
        left_in_household -= 1
        assert household is not None
        members.append(
            HouseholdMember(
                id=_uuid(rng), municipality_id=m_id, household_id=household.pk, person_id=person.pk, role=role
            )
        )
        if rng.random() < 0.18:
            sensitive.append(
                SensitiveProfile(
                    person_id=person.pk,
                    municipality_id=m_id,
                    disability_degree=rng.choice(DisabilityDegree.values[1:]),
                    disability_type=rng.choice(DisabilityType.values[1:]),
                    health_notes="(synthetic)",
                    updated_at=now,
                )
            )
    state.household, state.left_in_household = household, left_in_household
    with transaction.atomic():
        _bulk(Person, persons)
        _bulk(Household, households)
        _bulk(HouseholdMember, members)
        _bulk(SensitiveProfile, sensitive)
    counts.persons += len(persons)
    counts.households += len(households)
    counts.sensitive += len(sensitive)
    if stdout:
        stdout.write(f"  persons: {counts.persons}")

    statuses = [
        (CaseStatus.INTAKE, 0.1),
        (CaseStatus.INQUIRY, 0.1),
        (CaseStatus.ADMITTED, 0.1),
        (CaseStatus.ACTIVE, 0.4),
        (CaseStatus.REFUSED, 0.05),
        (CaseStatus.CLOSED, 0.25),
    ]
    cases: list[Case] = []
    events: list[CaseEvent] = []
    case_of_person: dict[Any, Case] = {}
    for person in persons:
        if rng.random() >= plan.case_share:
            continue
        status = rng.choices([s for s, _w in statuses], weights=[w for _s, w in statuses])[0]
        org_id = person.registered_by_organisation_id
        workers = plan.caseworkers_by_org.get(org_id) or [None]
        opened = datetime.date(2026, 1, 1) - datetime.timedelta(days=rng.randint(10, 900))
        case = Case(
            id=_uuid(rng),
            municipality_id=m_id,
            reference=f"S-{opened.year}-{counts.cases + len(cases) + 1:07d}-{plan.seed % 1000:03d}",
            organisation_id=org_id,
            person_id=person.pk,
            caseworker_id=getattr(rng.choice(workers), "pk", None),
            channel=rng.choice(Channel.values),
            request_summary="(synthetic)",
            status=status,
            opened_on=opened,
            decided_on=opened + datetime.timedelta(days=20) if status not in ("intake", "inquiry") else None,
            refusal_reason="(synthetic) not eligible" if status == CaseStatus.REFUSED else "",
            contract_number=f"C-{counts.cases + len(cases) + 1}" if status in ("active", "closed") else "",
            contract_signed_on=opened + datetime.timedelta(days=30) if status in ("active", "closed") else None,
            outcome="goals_met" if status == CaseStatus.CLOSED else "",
            closed_on=opened + datetime.timedelta(days=300) if status == CaseStatus.CLOSED else None,
            is_synthetic=True,
            version=1,
            created_at=now,
            updated_at=now,
        )
        cases.append(case)
        case_of_person[person.pk] = case
        events.append(CaseEvent(municipality_id=m_id, case_id=case.pk, kind="open", summary="(synthetic)", at=now))
    with transaction.atomic():
        _bulk(Case, cases)
        _bulk(CaseEvent, events)
    counts.cases += len(cases)
    if stdout:
        stdout.write(f"  cases: {counts.cases}")

    served = [p for p in persons if plan.services_by_org.get(p.registered_by_organisation_id)]
    if served and deliveries:
        # Millions of rows: plain tuples, not model instances (3-4× faster to build).
        columns = [
            "id", "municipality_id", "person_id", "service_id", "organisation_id", "case_id",
            "delivered_on", "quantity", "unit", "staff_id", "is_synthetic",
        ]  # fmt: skip
        rows: list[tuple[Any, ...]] = []
        units = ["act", "meal", "hour", "session"]
        quantities = [Decimal(1), Decimal(1), Decimal(1), Decimal(2), Decimal(3)]
        end = datetime.date(2026, 1, 1)
        for _ in range(deliveries):
            person = rng.choice(served)
            org_id = person.registered_by_organisation_id
            person_case = case_of_person.get(person.pk)
            rows.append(
                (
                    _uuid(rng),
                    m_id,
                    person.pk,
                    rng.choice(plan.services_by_org[org_id]).pk,
                    org_id,
                    person_case.pk if person_case is not None and person_case.organisation_id == org_id else None,
                    end - datetime.timedelta(days=rng.randint(0, 730)),
                    rng.choice(quantities),
                    rng.choice(units),
                    None,
                    True,
                )
            )
            if len(rows) >= 100_000:
                _insert_rows(ServiceDelivery, columns, rows)
                counts.deliveries += len(rows)
                rows = []
        _insert_rows(ServiceDelivery, columns, rows)
        counts.deliveries += len(rows)
    if stdout:
        stdout.write(f"  deliveries: {counts.deliveries}")


def _insert_rows(model: type[models.Model], columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Insert raw rows (attribute names in ``columns``): COPY on PostgreSQL, executemany elsewhere."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    fields = cast(
        list[models.Field],
        [model._meta.get_field(c.removesuffix("_id")) if c != "id" else model._meta.pk for c in columns],
    )
    names = ", ".join(connection.ops.quote_name(cast(str, f.column)) for f in fields)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            prepared = [
                tuple(f.get_db_prep_value(v, connection, prepared=False) for f, v in zip(fields, row, strict=True))
                for row in rows
            ]
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", prepared)


def analyze() -> None:
    """Refresh the planner's statistics after a bulk load. Without them SQLite picks a tenant-wide index
    over a handful of primary keys (duplicate check 100 ms → 2 ms at 20,000 persons). On PostgreSQL also
    VACUUM, as autovacuum soon would in production: until the visibility map is set, covering indexes
    cannot answer alone (index-only scans fetch every row)."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql" or citus.is_citus(connection):
            # On a Citus coordinator a named distributed table is analysed on its workers in parallel, which
            # Citus refuses in a transaction that has already run a command locally: analyse the coordinator only.
            cursor.execute("ANALYZE")
            return
        # Name the tables: a bare ANALYZE also takes the cluster-wide catalogs (pg_authid, pg_database) and,
        # inside the demo's transaction, holds them until it commits, so every other database's ANALYZE
        # (another test worker loading the demo) waits for it.
        tables = ", ".join(
            connection.ops.quote_name(t) for t in connection.introspection.django_table_names(only_existing=True)
        )
        vacuum = not connection.in_atomic_block  # VACUUM cannot run in a transaction
        cursor.execute(f"{'VACUUM ANALYZE' if vacuum else 'ANALYZE'} {tables}")
