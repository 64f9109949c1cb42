"""A conforming HSDS 3.0 package built to cover every field CareNet reads, from several countries (issue 15).

Organisations from Romania (RO-CUI), Moldova (MD-IDNO), the United Kingdom (GB-COH), France (FR-RCS) and the
United States (US-EIN, with a free-text tax_id); values written as CareNet writes them (times HH:MM, numbers
as Python prints them, date-times in ISO 8601 with offset), so an exact comparison is meaningful.
"""

from __future__ import annotations

import uuid

from carenet.directory.datapackage.schema import RESOURCES, Tables

NS = uuid.UUID("4fa3b1d3-c574-4def-805c-0b9739abca5d")


def uid(name: str) -> str:
    return str(uuid.uuid5(NS, name))


def _row(resource: str, **values: str) -> dict[str, str]:
    columns = RESOURCES[resource][1]
    unknown = set(values) - set(columns)
    assert not unknown, unknown
    return {c: values.get(c, "") for c in columns}


ORGS = [
    # key, name, tax_id, scheme, type, identifier, country
    ("ro", "Asociația Sprijin Maramureș", "RO18547290", "RO-CUI", "CIF", "18547290", "RO"),
    ("md", "Centrul Speranța Bălți", "1003600000006", "MD-IDNO", "IDNO", "1003600000006", "MD"),
    ("gb", "Harbour Community Trust", "GB 123 4567 89", "GB-COH", "Company number", "01234567", "GB"),
    ("fr", "Association Entraide Lyon", "FR 40 303 265 045", "FR-RCS", "RCS", "Lyon B 303 265 045", "FR"),
    ("us", "Riverside Family Services", "EIN 12-3456789", "US-EIN", "EIN", "12-3456789", "US"),
]


def package() -> Tables:
    t: Tables = {name: [] for name in RESOURCES}
    taxonomy = uid("taxonomy")
    t["taxonomy"].append(
        _row(
            "taxonomy",
            id=taxonomy,
            name="Open Eligibility",
            description="Human services",
            uri="https://example.org/oe",
            version="2.0",
        )
    )
    top, child = uid("term-top"), uid("term-child")
    t["taxonomy_term"] += [
        _row(
            "taxonomy_term",
            id=top,
            code="100",
            name="Food",
            description="Food needs",
            taxonomy="Open Eligibility",
            language="en",
            taxonomy_id=taxonomy,
            term_uri="https://example.org/oe/100",
        ),
        _row(
            "taxonomy_term",
            id=child,
            code="100-1",
            name="Meals",
            description="Hot meals",
            parent_id=top,
            taxonomy="Open Eligibility",
            language="en",
            taxonomy_id=taxonomy,
            term_uri="https://example.org/oe/100-1",
        ),
    ]
    for n, (key, name, tax_id, scheme, kind, identifier, country) in enumerate(ORGS):
        org = uid(f"org-{key}")
        t["organization"].append(
            _row(
                "organization",
                id=org,
                name=name,
                alternate_name=key.upper(),
                description=f"{name} helps families.",
                email=f"contact@{key}.example.org",
                website=f"https://{key}.example.org",
                tax_status="charity",
                tax_id=tax_id,
                year_incorporated=str(1990 + n),
                legal_status="registered charity",
                logo=f"https://{key}.example.org/logo.png",
                uri=f"https://{key}.example.org/about",
                parent_organization_id=uid("org-ro") if key == "md" else "",
            )
        )
        t["organization_identifier"].append(
            _row(
                "organization_identifier",
                id=uid(f"ident-{key}"),
                organization_id=org,
                identifier_scheme=scheme,
                identifier_type=kind,
                identifier=identifier,
            )
        )
        program = uid(f"program-{key}")
        t["program"].append(
            _row(
                "program",
                id=program,
                organization_id=org,
                name=f"Programme {key}",
                alternate_name=f"P-{key}",
                description="Long-running support.",
            )
        )
        service, location, sal = uid(f"service-{key}"), uid(f"location-{key}"), uid(f"sal-{key}")
        t["service"].append(
            _row(
                "service",
                id=service,
                organization_id=org,
                program_id=program,
                name=f"Hot meals {key}",
                alternate_name=f"Meals {key}",
                description="A hot meal every weekday.",
                url=f"https://{key}.example.org/meals",
                email=f"meals@{key}.example.org",
                status="active",
                interpretation_services="English, Romanian",
                application_process="Walk in.",
                fees_description="Free for families on benefits.",
                wait_time="None",
                fees="None",
                accreditations="ISO 9001",
                eligibility_description="Families with children.",
                minimum_age="5",
                maximum_age="99",
                assured_date="2025-03-04",
                assurer_email=f"qa@{key}.example.org",
                licenses="L-1",
                alert="Closed on public holidays.",
                last_modified="2025-03-04T10:11:12+00:00",
            )
        )
        t["location"].append(
            _row(
                "location",
                id=location,
                location_type="physical",
                url=f"https://{key}.example.org/where",
                organization_id=org,
                name=f"Hall {key}",
                alternate_name=f"H{key}",
                description="Ground floor.",
                transportation="Bus 3",
                latitude=repr(47.0 + n / 10),
                longitude=repr(23.5 + n / 10),
                external_identifier=f"EXT-{key}",
                external_identifier_type="local register",
            )
        )
        t["address"].append(
            _row(
                "address",
                id=uid(f"address-{key}"),
                location_id=location,
                attention="Reception",
                address_1="1 Main St",
                address_2="Unit 2",
                city="Town",
                region="North",
                state_province="County",
                postal_code=f"4300{n}",
                country=country,
                address_type="postal",
            )
        )
        t["accessibility"].append(
            _row(
                "accessibility",
                id=uid(f"access-{key}"),
                location_id=location,
                description="Step-free.",
                details="Ramp at the side door.",
                url=f"https://{key}.example.org/access",
            )
        )
        t["service_at_location"].append(
            _row("service_at_location", id=sal, service_id=service, location_id=location, description="Daily.")
        )
        t["phone"].append(
            _row(
                "phone",
                id=uid(f"phone-{key}"),
                service_id=service,
                number="+40 262 000 000",
                extension="12",
                type="voice",
                description="Front desk",
            )
        )
        t["contact"].append(
            _row(
                "contact",
                id=uid(f"contact-{key}"),
                service_id=service,
                name="Ana Pop",
                title="Coordinator",
                department="Meals",
                email=f"ana@{key}.example.org",
            )
        )
        t["schedule"].append(
            _row(
                "schedule",
                id=uid(f"schedule-{key}"),
                service_id=service,
                valid_from="2025-01-01",
                valid_to="2025-12-31",
                dtstart="2025-01-06",
                timezone="2",
                until="2025-12-31",
                count="200",
                wkst="MO",
                freq="WEEKLY",
                interval="1",
                byday="MO,TU,WE,TH,FR",
                byweekno="1,2,3",
                bymonthday="1,15",
                byyearday="1,100",
                description="Weekdays",
                opens_at="09:00",
                closes_at="17:00",
                schedule_link="https://example.org/cal",
                attending_type="in person",
                notes="Bring an ID.",
            )
        )
        _owned_by_others(t, key, org=org, location=location, sal=sal, contact=uid(f"contact-{key}"))
        t["funding"].append(_row("funding", id=uid(f"funding-{key}"), service_id=service, source="City council"))
        t["service_area"].append(
            _row(
                "service_area",
                id=uid(f"area-{key}"),
                service_id=service,
                name="Town",
                description="The whole town",
                extent='{"type": "Point", "coordinates": [23.5, 47.0]}',
                extent_type="geojson",
                uri="https://example.org/area",
            )
        )
        t["required_document"].append(
            _row(
                "required_document",
                id=uid(f"doc-{key}"),
                service_id=service,
                document="Identity card",
                uri="https://example.org/id",
            )
        )
        t["language"].append(
            _row("language", id=uid(f"lang-{key}"), service_id=service, name="French", code="fr", note="Volunteers")
        )
        t["cost_option"].append(
            _row(
                "cost_option",
                id=uid(f"cost-{key}"),
                service_id=service,
                valid_from="2025-01-01",
                valid_to="2025-12-31",
                option="Meal",
                currency="EUR",
                amount="10.5",
                amount_description="Per meal",
            )
        )
        t["attribute"].append(
            _row(
                "attribute",
                id=uid(f"attr-{key}"),
                link_id=service,
                taxonomy_term_id=child,
                link_type="need",
                link_entity="service",
                value="",
            )
        )
    return t


def _owned_by_others(t: Tables, key: str, *, org: str, location: str, sal: str, contact: str) -> None:
    """HSDS 3.0's phones, contacts and schedules of an organisation, a location, a contact and a service at a
    location (not only of a service)."""
    for owner, column in (("org", "organization_id"), ("location", "location_id"), ("sal", "service_at_location_id")):
        link = {"org": org, "location": location, "sal": sal}[owner]
        t["phone"].append(
            _row("phone", id=uid(f"phone-{owner}-{key}"), number=f"+40 262 111 00{len(owner)}", **{column: link})
        )
        t["contact"].append(
            _row(
                "contact",
                id=uid(f"contact-{owner}-{key}"),
                name=f"Desk of the {owner}",
                email=f"{owner}@{key}.example.org",
                **{column: link},
            )
        )
    t["phone"].append(
        _row("phone", id=uid(f"phone-contact-{key}"), contact_id=contact, number="+40 262 222 000", type="cell")
    )
    t["phone"].append(  # a phone of the organisation's own contact: nested two levels deep in JSON
        _row("phone", id=uid(f"phone-contact-org-{key}"), contact_id=uid(f"contact-org-{key}"), number="+40 262 333")
    )
    for owner, column, link in (("location", "location_id", location), ("sal", "service_at_location_id", sal)):
        t["schedule"].append(
            _row(
                "schedule",
                id=uid(f"schedule-{owner}-{key}"),
                freq="WEEKLY",
                byday="SA",
                opens_at="10:00",
                closes_at="12:00",
                description=f"Saturdays at the {owner}",
                **{column: link},
            )
        )
