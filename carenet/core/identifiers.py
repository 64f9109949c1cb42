"""National identifiers with checksums: Romanian CNP and CIF, Moldovan IDNP and IDNO.

Each ``validate_*`` raises ``ValidationError`` with a translated message naming the identifier;
``is_valid_*`` returns a bool. ``*_check_digit`` computes the control digit (used by the data
generator and the property-based tests).
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_CNP_WEIGHTS = (2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9)
_CIF_WEIGHTS = (7, 5, 3, 2, 1, 7, 5, 3, 2)
_MD_WEIGHTS = (7, 3, 1) * 4
# Romanian county codes used in CNPs: 01-46, 51-52 (Călărași, Giurgiu), 47-48 (old Bucharest
# sectors 7-8) and 70 (any county, since 2024).
_CNP_COUNTIES = {f"{i:02d}" for i in [*range(1, 49), 51, 52, 70]}
_CNP_CENTURY = {"1": 1900, "2": 1900, "3": 1800, "4": 1800, "5": 2000, "6": 2000}


def cnp_check_digit(first12: str) -> int:
    rest = sum(int(d) * w for d, w in zip(first12, _CNP_WEIGHTS, strict=True)) % 11
    return 1 if rest == 10 else rest


def cnp_birth_date(cnp: str) -> datetime.date | None:
    """The birth date coded in a CNP; residents and foreigners (7-9) carry no century, assume 1900/2000."""
    s, yy, mm, dd = cnp[0], int(cnp[1:3]), int(cnp[3:5]), int(cnp[5:7])
    century = _CNP_CENTURY.get(s)
    if century is None:
        century = 2000 if yy <= datetime.date.today().year % 100 else 1900
    try:
        return datetime.date(century + yy, mm, dd)
    except ValueError:
        return None


def cnp_sex(cnp: str) -> str | None:
    """The sex coded in a CNP's first digit: "M" (1, 3, 5, 7), "F" (2, 4, 6, 8), None for 9 (foreigners)."""
    first = cnp[:1]
    if first in "1357" and first:
        return "M"
    if first in "2468" and first:
        return "F"
    return None


def validate_cnp(value: str) -> None:
    value = (value or "").strip()
    if not re.fullmatch(r"\d{13}", value):
        raise ValidationError(_("The CNP must have exactly 13 digits."), code="cnp_format")
    if value[0] == "0":
        raise ValidationError(_("The CNP cannot start with 0."), code="cnp_sex")
    if cnp_birth_date(value) is None:
        raise ValidationError(_("The CNP contains an impossible date of birth."), code="cnp_date")
    if value[7:9] not in _CNP_COUNTIES:
        raise ValidationError(_("The CNP contains an unknown county code."), code="cnp_county")
    if cnp_check_digit(value[:12]) != int(value[12]):
        raise ValidationError(_("The CNP control digit is wrong; check the code for typos."), code="cnp_checksum")


def cif_check_digit(body: str) -> int:
    padded = body.rjust(9, "0")
    rest = sum(int(d) * w for d, w in zip(padded, _CIF_WEIGHTS, strict=True)) * 10 % 11
    return 0 if rest == 10 else rest


def validate_cif(value: str) -> None:
    value = (value or "").strip().upper()
    if value.startswith("RO"):
        value = value[2:].strip()
    if not re.fullmatch(r"\d{2,10}", value) or value[0] == "0":
        raise ValidationError(_("The CIF must have 2 to 10 digits, optionally after RO."), code="cif_format")
    if cif_check_digit(value[:-1]) != int(value[-1]):
        raise ValidationError(_("The CIF control digit is wrong; check the code for typos."), code="cif_checksum")


def md_check_digit(first12: str) -> int:
    return sum(int(d) * w for d, w in zip(first12, _MD_WEIGHTS, strict=True)) % 10


def _validate_md(value: str, *, label: str, prefixes: str) -> None:
    value = (value or "").strip()
    if not re.fullmatch(r"\d{13}", value):
        raise ValidationError(_("The %(label)s must have exactly 13 digits.") % {"label": label}, code="md_format")
    if value[0] not in prefixes:
        raise ValidationError(
            _("The %(label)s must start with %(prefixes)s.") % {"label": label, "prefixes": " / ".join(prefixes)},
            code="md_prefix",
        )
    if md_check_digit(value[:12]) != int(value[12]):
        raise ValidationError(
            _("The %(label)s control digit is wrong; check the code for typos.") % {"label": label},
            code="md_checksum",
        )


def validate_idnp(value: str) -> None:
    """Moldovan personal number: 2… for citizens, 0… for older records, 9… for foreigners."""
    _validate_md(value, label="IDNP", prefixes="029")


def validate_idno(value: str) -> None:
    """Moldovan state identification number of a legal person (1… ; 0… on older records)."""
    _validate_md(value, label="IDNO", prefixes="10")


def validate_org_identifier(value: str) -> None:
    """An organisation's IDNO (13 digits) or CIF (up to 10 digits, optional RO)."""
    cleaned = (value or "").strip()
    if not cleaned:
        return
    if len(cleaned) == 13 and cleaned.isdigit():
        validate_idno(cleaned)
    else:
        validate_cif(cleaned)


def validate_person_identifier(kind: str, value: str) -> None:
    {"cnp": validate_cnp, "idnp": validate_idnp}[kind](value)


def is_valid(validator, value: str) -> bool:
    try:
        validator(value)
    except ValidationError:
        return False
    return True
