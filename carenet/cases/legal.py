"""Legal references of the registers and forms, by the tenant's country (law follows the tenant: Romanian
for Baia Mare, Moldovan for Bălți), each with the dates it applies between.

A reference is looked up by key for a municipality on a date; a country with no reference for a key shows
none rather than another country's law.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class LegalReference:
    key: str
    country: str
    reference: str
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None


REFERENCES: tuple[LegalReference, ...] = (
    # Romania: the procedure for monitoring children whose parents work abroad.
    LegalReference("parents_abroad_register", "RO", "HG 691/2015"),
    # Republic of Moldova: special protection of children at risk and of children separated from their parents.
    LegalReference("parents_abroad_register", "MD", "Legea nr. 140/2013"),
    # The social inquiry, the individual intervention plan and the service contract (printable documents).
    LegalReference("social_services", "RO", "Legea asistenței sociale nr. 292/2011"),
    LegalReference("social_services", "MD", "Legea nr. 123/2010 cu privire la serviciile sociale"),
)


def legal_reference(*, municipality: Any, key: str, on: datetime.date | None = None) -> str:
    """The reference in force in the municipality's country on ``on`` (today by default), or ""."""
    day = on or datetime.date.today()
    country = getattr(municipality, "country", "")
    for ref in REFERENCES:
        if ref.key != key or ref.country != country:
            continue
        if (ref.valid_from is None or ref.valid_from <= day) and (ref.valid_to is None or day <= ref.valid_to):
            return ref.reference
    return ""
