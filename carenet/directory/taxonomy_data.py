"""Reference taxonomies of the directory, loaded by data migration (0003_taxonomies).

Ids are deterministic (uuid5), so every deployment, export and import agrees on them.

* ``ro-hg-867-2015`` — Romania's social-service nomenclature (HG 867/2015, annex 1): CAEN class +
  category code (``8790 CR-D-I``). Only the codes used by the Baia Mare network and their close
  siblings are loaded; the list is extended by a later migration, never by hand.
* ``md-servicii-sociale`` — the social services of the Republic of Moldova as organised by Law
  123/2010 (primary / specialised / highly specialised), each with its framework regulation.
  Moldova has no numeric nomenclature: the codes here are CareNet's own (``MD-S-…``).
* ``carenet-target-groups`` — the target groups named in both municipal documents.
* ``carenet-needs`` — what a citizen looks for; used by the public service finder.
"""

from __future__ import annotations

import uuid
from typing import Any

NAMESPACE = uuid.UUID("5b1c1a52-6a39-4d0e-9c0e-8a3f0d3a6c11")


def taxonomy_uuid(code: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"taxonomy:{code}")


def term_uuid(taxonomy_code: str, code: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"term:{taxonomy_code}:{code}")


TAXONOMIES: list[dict[str, Any]] = [
    {
        "code": "ro-hg-867-2015",
        "name": "Nomenclatorul serviciilor sociale (HG nr. 867/2015)",
        "description": "Nomenclatorul serviciilor sociale din România, anexa 1 la HG nr. 867/2015: "
        "clasa CAEN și codul categoriei de serviciu.",
        "uri": "https://legislatie.just.ro/Public/DetaliiDocument/173157",
        "version": "2015",
        "country": "RO",
    },
    {
        "code": "md-servicii-sociale",
        "name": "Serviciile sociale din Republica Moldova (Legea nr. 123/2010)",
        "description": "Servicii sociale primare, specializate și cu specializare înaltă, conform Legii "
        "nr. 123/2010 cu privire la serviciile sociale și regulamentelor-cadru aprobate de Guvern. Codurile "
        "sunt ale CareNet (Moldova nu are un nomenclator numeric).",
        "uri": "https://www.legis.md/cautare/getResults?doc_id=110439",
        "version": "2010",
        "country": "MD",
    },
    {
        "code": "carenet-target-groups",
        "name": "Grupuri țintă",
        "description": "Grupurile țintă numite de strategia Baia Mare și de planul de acțiuni Bălți.",
        "uri": "",
        "version": "1",
        "country": "",
    },
    {
        "code": "carenet-needs",
        "name": "Nevoi",
        "description": "Ce caută un cetățean: categoriile căutării publice de servicii.",
        "uri": "",
        "version": "1",
        "country": "",
    },
]

# (code, name, description)
HG_867_TERMS: list[tuple[str, str, str]] = [
    ("8730 CR-V-I", "Cămin pentru persoane vârstnice", "Servicii sociale cu cazare pentru persoane vârstnice."),
    ("8790 CR-C-I", "Centru de plasament", "Servicii sociale cu cazare pentru copii (protecție specială)."),
    ("8790 CR-C-II", "Centru de primire în regim de urgență pentru copii", "Servicii sociale cu cazare."),
    ("8790 CR-D-I", "Centru de îngrijire și asistență", "Centru rezidențial pentru persoane adulte cu dizabilități."),
    (
        "8790 CR-D-II",
        "Centru de recuperare și reabilitare",
        "Centru rezidențial pentru persoane adulte cu dizabilități.",
    ),
    (
        "8790 CR-D-III",
        "Centru de integrare prin terapie ocupațională",
        "Centru rezidențial pentru adulți cu dizabilități.",
    ),
    (
        "8790 CR-D-IV",
        "Centru de pregătire pentru o viață independentă",
        "Centru rezidențial pentru tineri cu dizabilități.",
    ),
    ("8790 CR-PFA-I", "Adăpost de noapte", "Găzduire pe timp de noapte pentru persoane fără adăpost."),
    ("8790 CR-PFA-II", "Centru rezidențial cu găzduire pe perioadă determinată", "Persoane fără adăpost."),
    ("8790 CR-VD-I", "Centru de primire în regim de urgență", "Victime ale violenței domestice."),
    ("8790 CR-VD-II", "Centru de recuperare pentru victimele violenței domestice", "Servicii sociale cu cazare."),
    ("8810 CZ-V-I", "Centru de zi pentru persoane vârstnice", "Centru de zi de asistență și recuperare."),
    ("8810 CZ-V-II", "Centru de zi de socializare și petrecere a timpului liber (tip club)", "Persoane vârstnice."),
    ("8810 CZ-D-I", "Centru de zi pentru persoane adulte cu dizabilități", "Servicii sociale fără cazare."),
    ("8810 ID-I", "Îngrijire la domiciliu pentru persoane vârstnice", "Unitate de îngrijire la domiciliu."),
    (
        "8810 ID-II",
        "Îngrijire la domiciliu pentru persoane adulte cu dizabilități",
        "Unitate de îngrijire la domiciliu.",
    ),
    ("8891 CZ-C-I", "Centru de zi pentru copii", "Servicii sociale fără cazare pentru copii și familiile lor."),
    ("8891 CZ-C-II", "Centru de zi pentru copii cu dizabilități", "Servicii de recuperare fără cazare."),
    ("8899 CZ-F-I", "Centru de consiliere și sprijin pentru părinți și copii", "Servicii pentru familie."),
    ("8899 CZ-VD-I", "Centru de consiliere pentru prevenirea și combaterea violenței domestice", "Fără cazare."),
    ("8899 CZ-VD-III", "Centru pentru agresori", "Consiliere pentru agresorii familiali."),
    ("8899 CZ-A-I", "Centru de zi pentru persoane cu adicții", "Prevenire, consiliere, reinserție."),
    ("8899 CZ-PN-I", "Centru de zi pentru persoane în situații de nevoie", "Informare, consiliere, sprijin."),
    ("8899 CPS-I", "Cantină socială", "Masă caldă (Legea nr. 208/1997)."),
    ("8899 CPS-II", "Serviciu mobil de acordare a hranei", "Hrană la domiciliu."),
    ("8899 CPS-III", "Ambulanță socială", "Servicii mobile de urgență socială."),
]

# (code, name, description) — Republic of Moldova, Law 123/2010 and the framework regulations.
MD_TERMS: list[tuple[str, str, str]] = [
    ("MD-P", "Servicii sociale primare", "Servicii la nivel de comunitate, pentru toți cei în nevoie."),
    ("MD-P-01", "Asistență socială comunitară", "Evaluarea inițială, informare, consiliere, orientare."),
    ("MD-P-02", "Cantina de ajutor social", "Alimentare gratuită pentru persoanele în dificultate."),
    ("MD-P-03", "Centrul comunitar", "Activități de socializare și servicii de zi în comunitate."),
    ("MD-S", "Servicii sociale specializate", "Servicii pentru persoane cu nevoi complexe."),
    ("MD-S-01", "Îngrijire socială la domiciliu", "Ajutor la domiciliu pentru vârstnici și persoane cu dizabilități."),
    ("MD-S-02", "Asistență personală", "Asistent personal pentru persoane cu dizabilități severe."),
    ("MD-S-03", "Echipa mobilă", "Servicii la domiciliu pentru persoane cu dizabilități."),
    ("MD-S-04", "Centru de zi", "Servicii de zi pentru copii, persoane cu dizabilități sau vârstnici."),
    ("MD-S-05", "Locuință protejată", "Locuință cu sprijin pentru viață independentă."),
    ("MD-S-06", "Casa comunitară", "Îngrijire în comunitate pentru persoane cu dizabilități."),
    ("MD-S-07", "Respiro", "Îngrijire temporară, pentru odihna familiei."),
    ("MD-S-08", "Sprijin familial pentru familiile cu copii", "Prevenirea separării copilului de familie."),
    ("MD-S-09", "Asistență parentală profesionistă", "Îngrijirea copilului într-o familie de asistenți."),
    ("MD-S-10", "Centru comunitar de sănătate mintală", "Servicii medico-sociale pentru sănătatea mintală."),
    ("MD-S-11", "Centru medico-social de zi", "Servicii medico-sociale de zi."),
    ("MD-I", "Servicii sociale cu specializare înaltă", "Servicii rezidențiale, cu îngrijire permanentă."),
    ("MD-I-01", "Centru de plasament temporar", "Plasament temporar pentru copii sau adulți."),
    ("MD-I-02", "Centru pentru victimele violenței", "Cazare și asistență pentru victimele violenței în familie."),
    ("MD-I-03", "Aziluri și centre rezidențiale pentru vârstnici", "Îngrijire rezidențială."),
]

# (code, ro, {language: name})
TARGET_GROUPS: list[tuple[str, str, dict[str, str]]] = [
    ("copii", "Copii", {"hu": "Gyermekek", "ru": "Дети", "uk": "Діти", "en": "Children"}),
    ("tineri", "Tineri", {"hu": "Fiatalok", "ru": "Молодёжь", "uk": "Молодь", "en": "Young people"}),
    (
        "familii",
        "Familii cu copii",
        {"hu": "Gyermekes családok", "ru": "Семьи с детьми", "uk": "Сім'ї з дітьми", "en": "Families with children"},
    ),
    (
        "varstnici",
        "Persoane vârstnice",
        {"hu": "Idősek", "ru": "Пожилые люди", "uk": "Літні люди", "en": "Older people"},
    ),
    (
        "dizabilitati",
        "Persoane cu dizabilități",
        {
            "hu": "Fogyatékossággal élő személyek",
            "ru": "Люди с инвалидностью",
            "uk": "Люди з інвалідністю",
            "en": "People with disabilities",
        },
    ),
    (
        "victime-violenta",
        "Victime ale violenței",
        {"hu": "Erőszak áldozatai", "ru": "Жертвы насилия", "uk": "Жертви насильства", "en": "Victims of violence"},
    ),
    ("agresori", "Agresori", {"hu": "Bántalmazók", "ru": "Агрессоры", "uk": "Кривдники", "en": "Perpetrators"}),
    (
        "fara-adapost",
        "Persoane fără adăpost",
        {"hu": "Hajléktalanok", "ru": "Бездомные", "uk": "Безхатченки", "en": "Homeless people"},
    ),
    (
        "adictii",
        "Persoane cu adicții",
        {
            "hu": "Szenvedélybetegek",
            "ru": "Люди с зависимостями",
            "uk": "Люди із залежностями",
            "en": "People with addictions",
        },
    ),
    (
        "sanatate-mintala",
        "Persoane cu probleme de sănătate mintală",
        {
            "hu": "Mentális problémákkal élők",
            "ru": "Люди с проблемами психического здоровья",
            "uk": "Люди з проблемами психічного здоров'я",
            "en": "People with mental-health problems",
        },
    ),
    ("refugiati", "Refugiați", {"hu": "Menekültek", "ru": "Беженцы", "uk": "Біженці", "en": "Refugees"}),
    ("romi", "Romi", {"hu": "Romák", "ru": "Ромá", "uk": "Роми", "en": "Roma"}),
    (
        "comunitati-marginalizate",
        "Comunități marginalizate",
        {
            "hu": "Marginalizált közösségek",
            "ru": "Маргинализированные сообщества",
            "uk": "Маргіналізовані громади",
            "en": "Marginalised communities",
        },
    ),
    (
        "saracie",
        "Persoane în risc de sărăcie",
        {
            "hu": "Szegénység által veszélyeztetettek",
            "ru": "Люди под угрозой бедности",
            "uk": "Люди під загрозою бідності",
            "en": "People at risk of poverty",
        },
    ),
]

NEEDS: list[tuple[str, str, dict[str, str]]] = [
    (
        "ingrijire-domiciliu",
        "Îngrijire la domiciliu",
        {"hu": "Otthoni gondozás", "ru": "Уход на дому", "uk": "Догляд удома", "en": "Home care"},
    ),
    (
        "centru-de-zi",
        "Centru de zi",
        {"hu": "Nappali központ", "ru": "Дневной центр", "uk": "Денний центр", "en": "Day centre"},
    ),
    (
        "hrana",
        "Hrană, masă caldă",
        {
            "hu": "Étkeztetés, meleg étel",
            "ru": "Питание, горячая еда",
            "uk": "Харчування, гаряча їжа",
            "en": "Food, hot meals",
        },
    ),
    (
        "adapost",
        "Adăpost, cazare",
        {"hu": "Szállás, menedék", "ru": "Приют, жильё", "uk": "Притулок, житло", "en": "Shelter, accommodation"},
    ),
    (
        "consiliere",
        "Consiliere și informare",
        {
            "hu": "Tanácsadás és tájékoztatás",
            "ru": "Консультирование и информирование",
            "uk": "Консультування та інформування",
            "en": "Counselling and information",
        },
    ),
    (
        "consiliere-psihologica",
        "Consiliere psihologică",
        {
            "hu": "Pszichológiai tanácsadás",
            "ru": "Психологическая помощь",
            "uk": "Психологічна допомога",
            "en": "Psychological counselling",
        },
    ),
    (
        "protectie-violenta",
        "Protecție împotriva violenței",
        {
            "hu": "Védelem az erőszak ellen",
            "ru": "Защита от насилия",
            "uk": "Захист від насильства",
            "en": "Protection from violence",
        },
    ),
    (
        "recuperare",
        "Recuperare și terapie",
        {
            "hu": "Rehabilitáció és terápia",
            "ru": "Реабилитация и терапия",
            "uk": "Реабілітація та терапія",
            "en": "Rehabilitation and therapy",
        },
    ),
    (
        "educatie",
        "Sprijin educațional",
        {
            "hu": "Oktatási támogatás",
            "ru": "Образовательная поддержка",
            "uk": "Освітня підтримка",
            "en": "Educational support",
        },
    ),
    (
        "ocupare",
        "Orientare profesională și loc de muncă",
        {
            "hu": "Pályaorientáció és munka",
            "ru": "Профориентация и работа",
            "uk": "Профорієнтація та робота",
            "en": "Careers and employment",
        },
    ),
    ("sanatate", "Sănătate", {"hu": "Egészség", "ru": "Здоровье", "uk": "Здоров'я", "en": "Health"}),
    (
        "socializare",
        "Socializare și timp liber",
        {
            "hu": "Közösségi élet és szabadidő",
            "ru": "Общение и досуг",
            "uk": "Спілкування та дозвілля",
            "en": "Social activities and leisure",
        },
    ),
    (
        "acte-beneficii",
        "Acte și beneficii sociale",
        {
            "hu": "Iratok és szociális juttatások",
            "ru": "Документы и социальные пособия",
            "uk": "Документи та соціальні виплати",
            "en": "Documents and social benefits",
        },
    ),
    (
        "prevenire-adictii",
        "Prevenirea adicțiilor",
        {
            "hu": "Szenvedélybetegség megelőzése",
            "ru": "Профилактика зависимостей",
            "uk": "Профілактика залежностей",
            "en": "Addiction prevention",
        },
    ),
    (
        "voluntariat",
        "Voluntariat",
        {"hu": "Önkéntesség", "ru": "Волонтёрство", "uk": "Волонтерство", "en": "Volunteering"},
    ),
]

# Words citizens use for the same thing (indexed for search with the term's names).
SYNONYMS: dict[str, str] = {
    "varstnici": "Bătrâni, seniori, pensionari, persoane în vârstă, persoane în etate. Idős emberek, nyugdíjasok. "
    "Старики, пенсионеры, пожилые, престарелые. Пенсіонери, літні.",
    "copii": "Copil, copiii, minori. Gyerekek. Ребёнок, ребенок, детей, детский. Дитина, дітей.",
    "dizabilitati": "Persoane cu handicap. Fogyatékosok. Инвалиды, инвалидность. Інваліди.",
    "fara-adapost": "Oameni ai străzii. Hajléktalan emberek. Бездомный, без крова. Безпритульні.",
    "victime-violenta": "Violență domestică, violență în familie. Családon belüli erőszak.",
    "ingrijire-domiciliu": "Îngrijiri la domiciliu, ajutor acasă, îngrijitor. Házi segítségnyújtás, gondozó.",
    "hrana": "Cantină, mâncare, masă. Ebéd, étel, népkonyha. Столовая, еда, обед. Їдальня, їжа.",
    "adapost": "Găzduire, locuință, dormit. Szállás, lakhatás. Приют, ночлег, ночлежка. Притулок, нічліг.",
    "consiliere": "Sfaturi, informații. Tanács, információ.",
    "recuperare": "Kinetoterapie, fizioterapie, logopedie. Fizioterápia, gyógytorna.",
}


def load_taxonomies(apps: Any, schema_editor: Any = None) -> None:
    """Create or update the reference taxonomies (idempotent; also used by tests)."""
    taxonomy_model = apps.get_model("directory", "Taxonomy")
    term_model = apps.get_model("directory", "TaxonomyTerm")
    by_code = {}
    for spec in TAXONOMIES:
        tax, _ = taxonomy_model.objects.update_or_create(
            id=taxonomy_uuid(spec["code"]), defaults={k: v for k, v in spec.items()}
        )
        by_code[spec["code"]] = tax
    rows: list[tuple[str, str, str, str, dict[str, str]]] = []
    rows += [("ro-hg-867-2015", code, name, desc, {}) for code, name, desc in HG_867_TERMS]
    rows += [("md-servicii-sociale", code, name, desc, {}) for code, name, desc in MD_TERMS]
    rows += [
        ("carenet-target-groups", code, name, SYNONYMS.get(code, ""), names) for code, name, names in TARGET_GROUPS
    ]
    rows += [("carenet-needs", code, name, SYNONYMS.get(code, ""), names) for code, name, names in NEEDS]
    for tax_code, code, name, desc, names in rows:
        parent_id = None
        if tax_code == "md-servicii-sociale" and code.count("-") == 2:
            parent_id = term_uuid(tax_code, code.rsplit("-", 1)[0])
        term_model.objects.update_or_create(
            id=term_uuid(tax_code, code),
            defaults={
                "taxonomy": by_code[tax_code],
                "code": code,
                "name": name,
                "description": desc,
                "names": names,
                "parent_id": parent_id,
            },
        )
