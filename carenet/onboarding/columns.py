"""The columns of each onboarding file: the key, the name shown in errors, the headers accepted (ro and en)."""

from django.utils.translation import gettext_lazy as _

from .tabular import Column

ORGANISATION_COLUMNS = (
    Column("code", _("code"), ("cod", "cod intern")),
    Column("name", _("name"), ("denumire", "nume", "organisation", "organization", "organizatie"), required=True),
    Column("short_name", _("short name"), ("denumire scurta", "nume scurt", "acronim", "abbreviation")),
    Column("kind", _("kind"), ("tip", "type", "forma", "forma juridica"), required=True),
    Column("sector", _("sector"), ("domeniu",)),
    Column("tax_id", _("tax id"), ("cui", "cif", "idno", "cod fiscal", "cod de identificare fiscala", "tax id")),
    Column("parent", _("parent organisation"), ("parent", "subordonata", "organizatie parinte")),
    Column("address", _("address"), ("adresa", "sediu")),
    Column("phone", _("phone"), ("telefon",)),
    Column("email", _("e-mail"), ("email", "e mail", "posta electronica")),
    Column("website", _("website"), ("web", "site", "site web", "pagina web", "url")),
)

SERVICE_COLUMNS = (
    Column(
        "organisation",
        _("organisation"),
        ("organization", "organizatie", "furnizor", "provider", "organisation code", "cod organizatie"),
        required=True,
    ),
    Column("name", _("service name"), ("service", "serviciu", "denumire serviciu", "name", "denumire"), required=True),
    Column("description", _("description"), ("descriere",)),
    Column("categories", _("categories"), ("categorii", "taxonomy", "taxonomie", "nomenclator", "cod serviciu")),
    Column("address", _("address"), ("adresa", "sediu")),
    Column("phone", _("phone"), ("telefon",)),
    Column("email", _("e-mail"), ("email", "e mail")),
    Column("website", _("website"), ("web", "site", "pagina web", "url")),
    Column("languages", _("languages"), ("limbi", "limbile", "language", "limba")),
    Column("capacity", _("capacity"), ("capacitate", "locuri", "numar locuri", "places")),
)

USER_COLUMNS = (
    Column("username", _("username"), ("utilizator", "nume utilizator", "user", "login"), required=True),
    Column("first_name", _("first name"), ("prenume", "given name")),
    Column("last_name", _("last name"), ("nume", "nume de familie", "surname", "family name")),
    Column("email", _("e-mail"), ("email", "e mail"), required=True),
    Column("organisation", _("organisation"), ("organization", "organizatie", "institutie")),
    Column("role", _("role"), ("rol",), required=True),
    Column("language", _("language"), ("limba", "limba preferata", "preferred language")),
)
