"""A labelled synthetic registry for record linkage: true persons, their records, the corruptions.

About 20,000 true persons and 31,000 records (sizes are parameters). Names are Romanian, Hungarian,
Roma, Russian and Ukrainian, written in Latin and in Cyrillic (three Cyrillic→Latin schemes: the
Romanian/Moldovan reading, the Russian passport's ICAO scheme, the Ukrainian official one);
CNP or IDNP (valid control digits) for about 70 %. Every record of a person after the first carries
one or two corruptions a real registry has (see ``CORRUPTIONS``); families supply the hard
negatives: fathers and sons or mothers and daughters with the same name, twins, spouses sharing a
surname and an address, common names born the same year.

Everything here is synthetic. The transliteration tables below are the generator's own, written
independently of ``carenet.people.linkage`` (which must undo them), so the matcher is not graded
against itself.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field, replace

from carenet.core.identifiers import cnp_check_digit, md_check_digit

# ---------------------------------------------------------------- names (native spelling)
RO_M = [
    "Ion",
    "Ioan",
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
    "Cristian",
    "Gabriel",
    "Marius",
    "Petru",
    "Radu",
    "Sorin",
    "Adrian",
    "Bogdan",
    "Ciprian",
    "Dorin",
    "Liviu",
    "Ovidiu",
    "Tudor",
    "Victor",
    "Valentin",
    "Cătălin",
    "Remus",
    "Emil",
    "Aurel",
    "Teodor",
    "Grigore",
    "Iacob",
    "Costel",
    "Daniel",
    "Lucian",
    "Silviu",
    "Viorel",
    "Octavian",
]
RO_F = [
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
    "Mariana",
    "Lucia",
    "Angela",
    "Doina",
    "Camelia",
    "Carmen",
    "Diana",
    "Irina",
    "Otilia",
    "Paraschiva",
    "Silvia",
    "Tatiana",
    "Veronica",
    "Zoița",
    "Lenuța",
    "Anca",
    "Corina",
    "Livia",
    "Monica",
    "Raluca",
]
RO_LAST = [
    "Munteanu",
    "Popescu",
    "Pop",
    "Popa",
    "Rusu",
    "Ciobanu",
    "Țurcanu",
    "Lungu",
    "Moraru",
    "Ceban",
    "Cojocaru",
    "Rotaru",
    "Bodea",
    "Buda",
    "Bud",
    "Ursu",
    "Sârbu",
    "Cozma",
    "Mureșan",
    "Pașca",
    "Dragomir",
    "Ionescu",
    "Constantinescu",
    "Stan",
    "Stoica",
    "Dumitrescu",
    "Georgescu",
    "Matei",
    "Lazăr",
    "Nistor",
    "Toma",
    "Barbu",
    "Ardelean",
    "Bălan",
    "Chirilă",
    "Croitoru",
    "Enache",
    "Fărcaș",
    "Grosu",
    "Hoța",
    "Iliescu",
    "Lupu",
    "Mocanu",
    "Neagu",
    "Oprea",
    "Pîrvu",
    "Roman",
    "Sima",
    "Tănase",
    "Ungureanu",
    "Vlad",
    "Zamfir",
    "Bejan",
    "Cazacu",
    "Chiriac",
    "Dobre",
    "Filip",
    "Gavrilă",
    "Jitaru",
    "Manole",
    "Oltean",
    "Pintea",
    "Rațiu",
    "Suciu",
    "Tămaș",
    "Vlaicu",
    "Zaharia",
    "Ababei",
    "Botnari",
    "Cebotari",
    "Guțu",
    "Vieru",
    "Rusnac",
    "Bivol",
]
HU_M = [
    "János",
    "István",
    "László",
    "Ferenc",
    "Zoltán",
    "Attila",
    "Sándor",
    "Gábor",
    "Csaba",
    "Tibor",
    "Levente",
    "Gyula",
    "Imre",
    "Béla",
    "Lajos",
]
HU_F = [
    "Erzsébet",
    "Ilona",
    "Katalin",
    "Mária",
    "Zsuzsanna",
    "Éva",
    "Anikó",
    "Ildikó",
    "Enikő",
    "Gyöngyi",
    "Ilka",
    "Piroska",
    "Judit",
    "Edit",
    "Klára",
]
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
    "Szekeres",
    "Fekete",
    "Mészáros",
    "Oláh",
    "Simon",
    "Rácz",
    "Fazekas",
    "Bíró",
    "Vass",
    "Lakatos",
    "Gál",
    "Pál",
    "Sipos",
    "Bartha",
    "Boros",
]
ROMA_M = [
    "Florin",
    "Marian",
    "Gigel",
    "Nicușor",
    "Ionuț",
    "Costică",
    "Fănel",
    "Dănuț",
    "Marin",
    "Sandu",
    "Vasile",
    "Gheorghe",
    "Ion",
    "Petrică",
]
ROMA_F = [
    "Sorina",
    "Lenuța",
    "Florentina",
    "Mirela",
    "Nicoleta",
    "Elena",
    "Maria",
    "Ionela",
    "Sabina",
    "Fănica",
    "Rita",
    "Luminița",
]
ROMA_LAST = [
    "Lăcătuș",
    "Căldărar",
    "Rostaș",
    "Stoica",
    "Șerban",
    "Mihai",
    "Bumbu",
    "Radu",
    "Dinu",
    "Ciurar",
    "Florea",
    "Lingurar",
    "Spoitoru",
    "Tudor",
    "Bucur",
    "Ursar",
    "Zlătaru",
    "Argintaru",
    "Covaci",
    "Moldovan",
]
RU_M = [
    "Сергей",
    "Алексей",
    "Дмитрий",
    "Андрей",
    "Николай",
    "Виктор",
    "Юрий",
    "Игорь",
    "Михаил",
    "Олег",
    "Владимир",
    "Александр",
    "Павел",
    "Евгений",
]
RU_F = [
    "Наталья",
    "Ольга",
    "Татьяна",
    "Светлана",
    "Ирина",
    "Людмила",
    "Галина",
    "Вера",
    "Анна",
    "Елена",
    "Марина",
    "Оксана",
    "Юлия",
    "Ксения",
]
RU_LAST = [
    "Иванов",
    "Петров",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Волков",
    "Соколов",
    "Морозов",
    "Новиков",
    "Федоров",
    "Козлов",
    "Лебедев",
    "Егоров",
    "Павлов",
    "Семенов",
    "Голубев",
    "Виноградов",
    "Богданов",
    "Мунтяну",
    "Чобану",
    "Цуркану",
    "Русу",
    "Лунгу",
    "Чебан",
    "Ротару",
    "Гуцу",
]
UK_M = [
    "Олександр",
    "Сергій",
    "Андрій",
    "Василь",
    "Микола",
    "Іван",
    "Юрій",
    "Петро",
    "Богдан",
    "Тарас",
    "Остап",
    "Григорій",
    "Віталій",
    "Олег",
]
UK_F = [
    "Оксана",
    "Наталія",
    "Ольга",
    "Тетяна",
    "Ірина",
    "Галина",
    "Марія",
    "Катерина",
    "Людмила",
    "Світлана",
    "Юлія",
    "Ганна",
    "Олена",
    "Надія",
]
UK_LAST = [
    "Шевченко",
    "Мельник",
    "Мельничук",
    "Коваленко",
    "Бондаренко",
    "Ткаченко",
    "Кравченко",
    "Олійник",
    "Шевчук",
    "Поліщук",
    "Бойко",
    "Ткачук",
    "Савчук",
    "Гнатюк",
    "Кравчук",
    "Лисенко",
    "Руденко",
    "Марченко",
    "Петренко",
    "Клименко",
    "Павленко",
    "Гончар",
]
# Registries hold thousands of surnames: the lists above, then more made the way the languages make them.
_RO_ROOTS = [
    "Alb",
    "Andron",
    "Babă",
    "Bej",
    "Bogd",
    "Borș",
    "Bran",
    "Buz",
    "Căpr",
    "Cern",
    "Cioc",
    "Cost",
    "Crăci",
    "Dan",
    "Drag",
    "Fil",
    "Frunz",
    "Gav",
    "Gheorgh",
    "Grig",
    "Iacob",
    "Ign",
    "Lup",
    "Man",
    "Marc",
    "Mart",
    "Mihăil",
    "Mir",
    "Mold",
    "Nic",
    "Oros",
    "Pan",
    "Pavel",
    "Pătr",
    "Petr",
    "Pînt",
    "Rad",
    "Sav",
    "Scurt",
    "Sorb",
    "Stoi",
    "Tudor",
    "Ursul",
    "Vas",
    "Vîlc",
    "Zăv",
    "Bălț",
    "Cârst",
    "Dobr",
    "Moț",
    "Negr",
    "Olar",
    "Pâr",
    "Sârb",
    "Tom",
    "Vlăd",
]
RO_LAST += [root + suffix for root in _RO_ROOTS for suffix in ("escu", "eanu", "aru", "ache", "uț", "an")]
_UK_ROOTS = [
    "Бондар",
    "Коваль",
    "Ткач",
    "Шевч",
    "Мельн",
    "Кравч",
    "Гонч",
    "Савч",
    "Петр",
    "Павл",
    "Марч",
    "Руд",
    "Клим",
    "Лис",
    "Тимош",
    "Ярош",
    "Дорош",
    "Гриц",
]
UK_LAST += [root + suffix for root in _UK_ROOTS for suffix in ("енко", "ук", "ишин", "ій")]
_RU_ROOTS = [
    "Орл",
    "Зайц",
    "Медвед",
    "Сорок",
    "Гус",
    "Жук",
    "Комар",
    "Бел",
    "Черн",
    "Сидор",
    "Макар",
    "Тарас",
    "Щерб",
    "Яковл",
    "Фомин",
    "Крыл",
    "Ерш",
]
RU_LAST += [root + "ов" for root in _RU_ROOTS] + [root + "ин" for root in _RU_ROOTS[:10]]
HU_LAST += [
    "Szilágyi",
    "Kelemen",
    "Lengyel",
    "Antal",
    "Pintér",
    "Bakó",
    "Dobos",
    "Hegedűs",
    "Kocsis",
    "Máté",
    "Orbán",
    "Szűcs",
    "Vida",
    "Barta",
]
ROMA_LAST += [r + s for r in ("Lingur", "Căldăr", "Fier", "Spoit", "Ursăr", "Rudăr") for s in ("ar", "aru", "escu")]
GROUPS = {
    # group: (male given, female given, family, share of persons, script of the native spelling)
    "ro": (RO_M, RO_F, RO_LAST, 0.45, "lat"),
    "hu": (HU_M, HU_F, HU_LAST, 0.12, "lat"),
    "roma": (ROMA_M, ROMA_F, ROMA_LAST, 0.10, "lat"),
    "ru": (RU_M, RU_F, RU_LAST, 0.18, "cyr"),
    "uk": (UK_M, UK_F, UK_LAST, 0.15, "cyr"),
}
# Popular names are popular: a Zipf-like draw makes "Popescu Ion" common and "Szekeres Ilka" rare.


def _zipf(rng: random.Random, items: list[str]) -> str:
    n = len(items)
    weights = [1 / (i + 1) ** 0.5 for i in range(n)]
    return rng.choices(items, weights)[0]


NICKNAMES = {
    "Ion": ["Ionel", "Ionuț", "Nelu"],
    "Ioan": ["Ionel", "Nelu"],
    "Gheorghe": ["Ghiță", "George", "Gică"],
    "Vasile": ["Vasilică", "Sile"],
    "Alexandru": ["Sandu", "Alex"],
    "Nicolae": ["Nicu", "Nicușor"],
    "Dumitru": ["Mitică", "Dumitraș"],
    "Constantin": ["Costel", "Costică", "Costi"],
    "Ștefan": ["Fănel", "Fane"],
    "Mihai": ["Mihăiță"],
    "Maria": ["Mărioara", "Mia"],
    "Elena": ["Lenuța", "Ileana", "Lena"],
    "Ecaterina": ["Catinca", "Cătălina"],
    "Gabriela": ["Gabi"],
    "Paraschiva": ["Chiva"],
    "János": ["Jani", "Jancsi"],
    "István": ["Pista", "Pisti"],
    "László": ["Laci"],
    "Ferenc": ["Feri"],
    "Erzsébet": ["Erzsi", "Böske"],
    "Katalin": ["Kati", "Katica"],
    "Mária": ["Marika", "Mari"],
    "Zsuzsanna": ["Zsuzsa", "Zsuzsi"],
    "Ilona": ["Ili", "Ica"],
    "Александр": ["Саша", "Шура"],
    "Сергей": ["Серёжа"],
    "Дмитрий": ["Дима"],
    "Николай": ["Коля"],
    "Михаил": ["Миша"],
    "Владимир": ["Володя", "Вова"],
    "Наталья": ["Наташа"],
    "Татьяна": ["Таня"],
    "Елена": ["Лена"],
    "Светлана": ["Света"],
    "Людмила": ["Люда"],
    "Ирина": ["Ира"],
    "Олександр": ["Сашко"],
    "Іван": ["Івась"],
    "Микола": ["Миколка"],
    "Наталія": ["Наталка"],
    "Катерина": ["Катря"],
}
PATRONYMIC_M = {"ru": "ович", "uk": "ович"}

# ---------------------------------------------------------------- the generator's own transliterations
_CYR_RO = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "io",
            "j",
            "z",
            "i",
            "i",
            "c",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "h",
            "ț",
            "ci",
            "ș",
            "șc",
            "-",
            "î",
            "-",
            "e",
            "iu",
            "ia",
            "i",
            "ii",
            "ie",
            "g",
        ],
        strict=True,
    )
)
_CYR_ICAO = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "i",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "ie",
            "y",
            "-",
            "e",
            "iu",
            "ia",
            "i",
            "i",
            "ie",
            "g",
        ],
        strict=True,
    )
)
_CYR_UA = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
        [
            "a",
            "b",
            "v",
            "h",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "y",
            "i",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "-",
            "y",
            "-",
            "e",
            "iu",
            "ia",
            "i",
            "i",
            "ie",
            "g",
        ],
        strict=True,
    )
)
_UA_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
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
    "w": "в",
    "á": "а",
    "é": "е",
    "í": "и",
    "ó": "о",
    "ö": "ё",
    "ő": "ё",
    "ú": "у",
    "ü": "ю",
    "ű": "ю",
}
_STRIP = str.maketrans("ăâîșşțţĂÂÎȘŞȚŢáéíóöőúüűÁÉÍÓÖŐÚÜŰё", "aaissttAAISSTTaeiooouuuAEIOOOUUUе")
_CEDILLA = str.maketrans("șțȘȚ", "şţŞŢ")


def cyr_to_lat(word: str, scheme: str) -> str:
    table = {"ro": _CYR_RO, "icao": _CYR_ICAO, "ua": _CYR_UA}[scheme]
    out = []
    low = word.lower()
    for i, ch in enumerate(low):
        if scheme == "ua" and i == 0 and ch in _UA_INITIAL:
            out.append(_UA_INITIAL[ch])
            continue
        if scheme == "ro" and ch == "г" and i + 1 < len(low) and low[i + 1] in "еиі":
            out.append("gh")
            continue
        if scheme == "ro" and ch == "к" and i + 1 < len(low) and low[i + 1] in "еиі":
            out.append("ch")
            continue
        if scheme == "ro" and ch == "ч" and i + 1 < len(low) and low[i + 1] in "еиі":
            out.append("c")
            continue
        lat = table.get(ch, ch)
        out.append("" if lat == "-" else lat)
    text = "".join(out)
    return text[:1].upper() + text[1:]


def lat_to_cyr(word: str) -> str:
    """Romanian Latin → the Russian-style Cyrillic of Moldovan registers (approximate, as clerks write it)."""
    low = word.lower()
    for src, dst in (("chi", "ки"), ("che", "ке"), ("ghi", "ги"), ("ghe", "ге"), ("ea", "я"), ("ia", "я")):
        low = low.replace(src, dst)
    for src, dst in (("iu", "ю"), ("ce", "че"), ("ci", "чи"), ("ge", "дже"), ("gi", "джи"), ("sz", "с")):
        low = low.replace(src, dst)
    out = "".join(_RO_TO_CYR.get(ch, ch) for ch in low)
    return out[:1].upper() + out[1:]


def is_cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


def with_typo(rng: random.Random, word: str) -> str:
    if len(word) < 3:
        return word + word[-1:]
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.3:
        return word[:i] + word[i + 1 :]  # dropped letter
    if kind < 0.55:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swapped letters
    if kind < 0.75:
        return word[:i] + word[i] + word[i:]  # doubled letter
    pool = "абвгдеиклмнопрстуя" if is_cyrillic(word) else "abcdeilmnoprstu"
    return word[:i] + rng.choice(pool) + word[i + 1 :]  # wrong letter


def make_cnp(rng: random.Random, born: datetime.date, sex: str) -> str:
    first = ("1" if sex == "M" else "2") if born.year < 2000 else ("5" if sex == "M" else "6")
    body = f"{first}{born:%y%m%d}{rng.choice(['24', '12', '05', '40'])}{rng.randrange(1, 999):03d}"
    return body + str(cnp_check_digit(body))


def make_idnp(rng: random.Random, born: datetime.date) -> str:
    issued = min(born.year + rng.randint(0, 18), 2025) if born.year > 1990 else rng.randint(1995, 2025)
    body = f"2{issued % 1000:03d}{rng.randrange(0, 10**8):08d}"
    return body + str(md_check_digit(body))


# ---------------------------------------------------------------- the population
CORRUPTIONS = (
    "no_diacritics",
    "cedilla",
    "script",  # Cyrillic ↔ Latin in one of the schemes
    "swap",  # given and family names swapped
    "typo",
    "typo2",
    "nickname",
    "married",  # a woman's married surname, same birth date
    "dob_daymonth",
    "dob_digit",
    "dob_missing",
    "id_missing",
    "id_digit",
    "middle",  # an extra middle name or a patronymic
    "case_space",  # upper case and stray spaces
)
# Not chosen as a corruption, but drawn beside any of them (a quarter of later records): the person lives
# elsewhere now. It is a difference between the two records, so it is recorded with them: a pair whose
# later record also moved differs in two fields, not in one (decision 0018, "single-corruption pairs").
MOVED = "moved"


@dataclass
class Person:
    entity: int
    group: str
    sex: str
    given: str
    family: str
    birth_date: datetime.date | None
    kind: str
    national_id: str
    address: str
    tag: str = ""  # hard-negative family link ("twin", "parent_same_name", …)


@dataclass
class Record:
    rid: int
    entity: int
    first_name: str
    last_name: str
    sex: str
    birth_date: datetime.date | None
    identifier_kind: str
    national_id: str
    address: str
    other_spellings: str = ""
    corruptions: tuple[str, ...] = field(default_factory=tuple)
    tag: str = ""


STREETS = [
    "Str. Victoriei",
    "Bd. București",
    "Str. Independenței",
    "Str. Progresului",
    "Str. Ștefan cel Mare",
    "Str. Pușkin",
    "Str. Decebal",
    "Bd. Republicii",
    "Str. Vasile Lucaciu",
    "Str. Mihai Viteazu",
    "Str. Kiev",
    "Str. Dacia",
    "Str. Hatman Tăutu",
    "Str. Sf. Nicolae",
    "Str. Gării",
    "Str. Păcii",
    "Str. Florilor",
    "Str. Horea",
    "Str. Transilvaniei",
    "Str. 8 Martie",
]
TODAY = datetime.date(2026, 1, 1)


def _birth(rng: random.Random, lo: int = 0, hi: int = 95) -> datetime.date:
    roll = rng.random()
    if lo == 0 and hi == 95:
        age = rng.randint(0, 17) if roll < 0.3 else rng.randint(65, 95) if roll < 0.6 else rng.randint(18, 64)
    else:
        age = rng.randint(lo, hi)
    return TODAY - datetime.timedelta(days=round(age * 365.25) + rng.randint(0, 364))


def _group(rng: random.Random) -> str:
    return rng.choices(list(GROUPS), [g[3] for g in GROUPS.values()])[0]


def _feminine(family: str, group: str) -> str:
    if group == "ru" and family.endswith(("ов", "ев", "ин")):
        return family + "а"
    if group == "ru" and family.endswith("ий"):
        return family[:-2] + "ая"
    return family


def _identifier(rng: random.Random, group: str, born: datetime.date, sex: str, share: float) -> tuple[str, str]:
    if rng.random() >= share:
        return "", ""
    if group in ("ru", "uk") or rng.random() < 0.15:
        return "idnp", make_idnp(rng, born)
    return "cnp", make_cnp(rng, born, sex)


def _address(rng: random.Random) -> str:
    return f"{rng.choice(STREETS)} {rng.randint(1, 150)}" + (
        f", ap. {rng.randint(1, 60)}" if rng.random() < 0.4 else ""
    )


def population(persons: int = 20_000, *, seed: int = 14, id_share: float = 0.72) -> list[Person]:
    """True persons, a fifth of them in families that make hard negatives."""
    rng = random.Random(seed)
    out: list[Person] = []

    def new(group: str, sex: str, **kw: object) -> Person:
        male, female, fams, _share, _script = GROUPS[group]
        given = kw.pop("given", None) or _zipf(rng, male if sex == "M" else female)
        root = kw.pop("family_m", None)
        family = kw.pop("family", None) or root or _zipf(rng, fams)
        if sex == "F":
            family = _feminine(str(family), group)
        born = kw.pop("born", None) or _birth(rng)
        kind, code = _identifier(rng, group, born, sex, id_share)
        p = Person(
            len(out),
            group,
            sex,
            str(given),
            str(family),
            born,
            kind,
            code,
            str(kw.pop("address", "") or _address(rng)),
            str(kw.pop("tag", "")),
        )
        out.append(p)
        return p

    while len(out) < persons:
        group, roll = _group(rng), rng.random()
        if roll < 0.06 and len(out) + 2 <= persons:  # father and son, the same name, 20-40 years apart
            father = new(group, "M", born=_birth(rng, 45, 80))
            son_born = father.birth_date + datetime.timedelta(days=rng.randint(20 * 365, 40 * 365))  # type: ignore[operator]
            new(
                group,
                "M",
                given=father.given,
                family_m=father.family,
                born=min(son_born, TODAY),
                address=father.address,
                tag="parent_same_name",
            )
            father.tag = "parent_same_name"
        elif roll < 0.11 and len(out) + 2 <= persons:  # mother and daughter
            mother = new(group, "F", born=_birth(rng, 45, 80))
            born = mother.birth_date + datetime.timedelta(days=rng.randint(20 * 365, 40 * 365))  # type: ignore[operator]
            new(
                group,
                "F",
                given=mother.given,
                family=mother.family,
                born=min(born, TODAY),
                address=mother.address,
                tag="parent_same_name",
            )
            mother.tag = "parent_same_name"
        elif roll < 0.14 and len(out) + 2 <= persons:  # twins: same birth date, family, address
            sex = rng.choice("MF")
            a = new(group, sex, born=_birth(rng, 0, 40), tag="twin")
            twin_sex = sex if rng.random() < 0.6 else "MF".replace(sex, "")
            names = [g for g in GROUPS[group][0 if twin_sex == "M" else 1] if g != a.given]
            new(
                group,
                twin_sex,
                given=rng.choice(names),  # parents give twins two names
                family=a.family,
                family_m=a.family,
                born=a.birth_date,
                address=a.address,
                tag="twin",
            )
        elif roll < 0.19 and len(out) + 2 <= persons:  # spouses: one surname, one address
            h = new(group, "M", born=_birth(rng, 25, 85), tag="spouse")
            new(
                group,
                "F",
                family=_feminine(h.family, group),
                born=h.birth_date + datetime.timedelta(days=rng.randint(-3000, 3000)),
                address=h.address,
                tag="spouse",
            )  # type: ignore[operator]
        elif roll < 0.23 and len(out) + 2 <= persons:  # a common name born the same year, strangers
            sex = rng.choice("MF")
            a = new(group, sex, tag="same_name_year")
            year_mate = a.birth_date.replace(month=rng.randint(1, 12), day=rng.randint(1, 28))  # type: ignore[union-attr]
            new(group, sex, given=a.given, family=a.family, family_m=a.family, born=year_mate, tag="same_name_year")
        else:
            new(group, "M" if rng.random() < 0.47 else "F")
    return out


def _native_record(rng: random.Random, p: Person, rid: int) -> Record:
    """How the first record of a person was written: Cyrillic names sometimes already in Latin letters."""
    given, family, other = p.given, p.family, ""
    if is_cyrillic(given) and rng.random() < 0.45:
        scheme = rng.choice(["ro", "ro", "icao", "ua" if p.group == "uk" else "icao"])
        latin_g, latin_f = cyr_to_lat(given, scheme), cyr_to_lat(family, scheme)
        if rng.random() < 0.3:
            other = f"{given} {family}"
        given, family = latin_g, latin_f
    elif not is_cyrillic(given) and p.group == "ro" and rng.random() < 0.08:
        other = f"{lat_to_cyr(given)} {lat_to_cyr(family)}"
    return Record(rid, p.entity, given, family, p.sex, p.birth_date, p.kind, p.national_id, p.address, other, (), p.tag)


def _corrupt(rng: random.Random, base: Record, p: Person, what: str) -> Record:
    r = replace(base, corruptions=(*base.corruptions, what), other_spellings="")
    if what == "no_diacritics":
        r.first_name, r.last_name = r.first_name.translate(_STRIP), r.last_name.translate(_STRIP)
        if r.first_name == base.first_name and r.last_name == base.last_name:
            r.first_name = with_typo(rng, r.first_name)  # nothing to strip: a typo stands in
    elif what == "cedilla":
        r.first_name, r.last_name = r.first_name.translate(_CEDILLA), r.last_name.translate(_CEDILLA)
        if r.first_name == base.first_name and r.last_name == base.last_name:
            r.first_name, r.last_name = r.first_name.lower(), r.last_name.upper()
    elif what == "script":
        if is_cyrillic(r.first_name + r.last_name):
            scheme = rng.choice(["ro", "icao", "ua" if p.group == "uk" else "icao"])
            r.first_name, r.last_name = cyr_to_lat(r.first_name, scheme), cyr_to_lat(r.last_name, scheme)
        elif is_cyrillic(p.given):  # written in Latin before: back to the native Cyrillic
            r.first_name, r.last_name = p.given, p.family
        else:
            r.first_name, r.last_name = lat_to_cyr(r.first_name), lat_to_cyr(r.last_name)
    elif what == "swap":
        r.first_name, r.last_name = r.last_name, r.first_name
    elif what in ("typo", "typo2"):
        for _ in range(1 if what == "typo" else 2):
            if rng.random() < 0.5:
                r.first_name = with_typo(rng, r.first_name)
            else:
                r.last_name = with_typo(rng, r.last_name)
    elif what == "nickname":
        nick = NICKNAMES.get(p.given)
        if nick:
            r.first_name = rng.choice(nick)
            if not is_cyrillic(r.first_name) and is_cyrillic(base.first_name):
                r.first_name = lat_to_cyr(r.first_name)
            elif is_cyrillic(r.first_name) and not is_cyrillic(base.first_name):
                r.first_name = cyr_to_lat(r.first_name, "ro")
        else:
            r.first_name = with_typo(rng, r.first_name)
    elif what == "married":
        male, female, fams, _s, _sc = GROUPS[p.group]
        r.last_name = _feminine(_zipf(rng, fams), p.group)
        if not is_cyrillic(base.last_name) and is_cyrillic(r.last_name):
            r.last_name = cyr_to_lat(r.last_name, "ro")
        if rng.random() < 0.3:
            r.last_name = f"{base.last_name}-{r.last_name}"  # hyphenated: maiden-married
    elif what == "dob_daymonth" and r.birth_date:
        d = r.birth_date
        r.birth_date = (
            d.replace(month=d.day, day=d.month) if d.day <= 12 and d.day != d.month else d + datetime.timedelta(days=1)
        )
    elif what == "dob_digit" and r.birth_date:
        d = r.birth_date
        for _attempt in range(20):
            text = list(d.strftime("%Y%m%d"))
            i = rng.choice([2, 3, 5, 6, 7])
            text[i] = str((int(text[i]) + rng.choice([1, -1, 2])) % 10)
            try:
                new = datetime.date(int("".join(text[:4])), int("".join(text[4:6])), int("".join(text[6:])))
            except ValueError:
                continue
            if new != d and new <= TODAY:
                r.birth_date = new
                break
    elif what == "dob_missing":
        r.birth_date = None
    elif what == "id_missing":
        r.identifier_kind, r.national_id = "", ""
    elif what == "id_digit" and r.national_id:
        i = rng.randrange(7, 12)
        digit = (int(r.national_id[i]) + rng.randint(1, 9)) % 10
        r.national_id = r.national_id[:i] + str(digit) + r.national_id[i + 1 :]
    elif what == "middle":
        if is_cyrillic(r.first_name) and p.group in PATRONYMIC_M:
            father = _zipf(rng, GROUPS[p.group][0])
            suffix = PATRONYMIC_M[p.group] + ("на" if p.sex == "F" else "")
            stem = father[:-2] if father.endswith(("ий", "ій")) else father
            r.first_name = f"{r.first_name} {stem}{suffix}"
        else:
            male, female, *_rest = GROUPS[p.group]
            extra = rng.choice(male if p.sex == "M" else female)
            r.first_name = f"{r.first_name} {extra}" if rng.random() < 0.5 else f"{r.first_name}-{extra}"
    elif what == "case_space":
        r.first_name = "  " + r.first_name.upper() + " "
        r.last_name = r.last_name.upper().replace("", " ", 1) + "  "
    if r.address and rng.random() < 0.25:
        r.address = _address(rng)  # moved since
        if MOVED not in r.corruptions:
            r.corruptions = (*r.corruptions, MOVED)
    return r


def _applicable(p: Person, base: Record) -> list[str]:
    out = list(CORRUPTIONS)
    if p.sex != "F":
        out.remove("married")
    if not base.national_id:
        out.remove("id_missing")
        out.remove("id_digit")
    if not base.birth_date:
        for c in ("dob_daymonth", "dob_digit", "dob_missing"):
            out.remove(c)
    if p.given not in NICKNAMES:
        out.remove("nickname")
    if not any(ch in "șțŞŢȘȚşţ" for ch in base.first_name + base.last_name):
        out.remove("cedilla")
    return out


def registry(
    persons: int = 20_000, records: int = 31_000, *, seed: int = 14, dob_missing_share: float = 0.06
) -> tuple[list[Person], list[Record]]:
    """The persons and their records: one each, then duplicates (one or two corruptions) up to ``records``."""
    people = population(persons, seed=seed)
    rng = random.Random(seed + 1)
    out: list[Record] = []
    for p in people:
        base = _native_record(rng, p, len(out))
        if rng.random() < dob_missing_share:
            base.birth_date = None
        out.append(base)
    bases = list(out)
    extra = records - len(out)
    duplicated = rng.sample(range(len(bases)), k=min(len(bases), int(extra * 0.8)))
    picks = duplicated + [rng.choice(duplicated) for _ in range(extra - len(duplicated))]
    for index in picks:
        base, p = bases[index], people[bases[index].entity]
        options = _applicable(p, base)
        count = 1 if rng.random() < 0.7 else 2
        record = base
        for what in rng.sample(options, k=min(count, len(options))):
            record = _corrupt(rng, record, p, what)
        record.rid = len(out)
        out.append(record)
    return people, out
