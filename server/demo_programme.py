"""The demo's content: institutions, which built-in venue each owns, and a programme.

Times are minutes from "now" (rounded down to 5 minutes) at each demo start, so the
lobby always shows something live, something next and something past.

Texts are written in English (the base columns, ``lang = "en"``) with Russian and
Tatar translations beside them; one description is left untranslated into Tatar on
purpose, so the demo shows a fallback (Tatar -> Russian).
"""

from __future__ import annotations

from dataclasses import dataclass

INSTITUTIONS = [
    ("city-philharmonic", "City Philharmonic Society", "philharmonic"),
    ("city-drama-theatre", "City Drama Theatre", "theatre"),
    ("city-museum", "City Museum of Art and History", "museum"),
]

# institution id -> {lang: {"name": text}}
INSTITUTION_TRANSLATIONS: dict[str, dict[str, dict[str, str]]] = {
    "city-philharmonic": {
        "ru": {"name": "Городская филармония"},
        "tt": {"name": "Шәһәр филармониясе"},
    },
    "city-drama-theatre": {
        "ru": {"name": "Городской драматический театр"},
        "tt": {"name": "Шәһәр драма театры"},
    },
    "city-museum": {
        "ru": {"name": "Городской музей искусства и истории"},
        "tt": {"name": "Шәһәр сәнгать һәм тарих музее"},
    },
}

VENUE_OWNERS = {
    "philharmonic": "city-philharmonic",
    "chamber-hall": "city-philharmonic",
    "drama-theatre": "city-drama-theatre",
    "gallery": "city-museum",
    "lecture-room": "city-museum",
}


@dataclass(frozen=True)
class DemoEvent:
    id: str
    venue_id: str
    kind: str
    title: str
    description: str
    start_min: int  # minutes from now (rounded down to 5)
    duration_min: int


PROGRAMME = [
    DemoEvent(
        "tchaikovsky-five",
        "philharmonic",
        "concert",
        "Tchaikovsky: Symphony No. 5",
        "The City Philharmonic Orchestra with the Fifth Symphony and the Rococo Variations.",
        -40,
        110,
    ),
    DemoEvent(
        "landscapes-tour",
        "gallery",
        "excursion",
        "Two rooms of landscape painting",
        "A curator walks through the museum's landscape collection, room by room.",
        -10,
        60,
    ),
    DemoEvent(
        "piano-masterclass",
        "chamber-hall",
        "masterclass",
        "Piano master class: Chopin",
        "Conservatory students play Chopin's ballades; the professor works with each.",
        30,
        90,
    ),
    DemoEvent(
        "river-lecture",
        "lecture-room",
        "lecture",
        "How the river made the city",
        "A historian on three centuries of bridges, floods and embankments.",
        90,
        60,
    ),
    DemoEvent(
        "cherry-orchard",
        "drama-theatre",
        "performance",
        "The Cherry Orchard",
        "Chekhov's comedy in four acts, in the City Drama Theatre's new staging.",
        180,
        150,
    ),
    DemoEvent(
        "tram-qa",
        "lecture-room",
        "qa",
        "Questions to the city: new tram lines",
        "The deputy mayor and the transport department answer residents' questions.",
        24 * 60,
        90,
    ),
    DemoEvent(
        "string-quartets",
        "chamber-hall",
        "concert",
        "Evening of string quartets",
        "Haydn, Shostakovich and Borodin with the Philharmonic's string quartet.",
        -5,  # live now: it plays the demo recording (server/demo_media.py)
        100,
    ),
    DemoEvent(
        "brahms-requiem",
        "philharmonic",
        "concert",
        "Brahms: A German Requiem",
        "Choir and orchestra of the Philharmonic Society.",
        -24 * 60,
        90,
    ),
    DemoEvent(
        "icons-lecture",
        "lecture-room",
        "lecture",
        "Icons and light",
        "How painters of the northern school worked with gold and shadow.",
        -2 * 24 * 60,
        60,
    ),
    DemoEvent(
        "inspector-general",
        "drama-theatre",
        "performance",
        "The Government Inspector",
        "Gogol's satire, the season's opening production.",
        -3 * 24 * 60,
        140,
    ),
]


def _texts(title: str, description: str) -> dict[str, str]:
    return {"title": title, "description": description}


# event id -> {lang: {"title", "description"}}
EVENT_TRANSLATIONS: dict[str, dict[str, dict[str, str]]] = {
    "tchaikovsky-five": {
        "ru": _texts(
            "Чайковский: Симфония № 5",
            "Оркестр городской филармонии исполняет Пятую симфонию и Вариации на тему рококо.",
        ),
        "tt": _texts(
            "Чайковский: 5 нче симфония",
            "Шәһәр филармониясе оркестры Бишенче симфонияне һәм Рококо темасына "
            "вариацияләрне башкара.",
        ),
    },
    "landscapes-tour": {
        "ru": _texts(
            "Два зала пейзажной живописи",
            "Куратор ведёт по коллекции пейзажей музея, зал за залом.",
        ),
        "tt": _texts(
            "Пейзаж сәнгатенең ике залы",
            "Куратор музейдагы пейзажлар җыелмасын зал саен күрсәтә.",
        ),
    },
    "piano-masterclass": {
        "ru": _texts(
            "Фортепианный мастер-класс: Шопен",
            "Студенты консерватории играют баллады Шопена; профессор занимается с каждым.",
        ),
        "tt": _texts(
            "Фортепиано буенча мастер-класс: Шопен",
            "Консерватория студентлары Шопен балладаларын уйный; профессор һәркайсы "
            "белән шөгыльләнә.",
        ),
    },
    "river-lecture": {
        "ru": _texts(
            "Как река создала город",
            "Историк о трёх веках мостов, наводнений и набережных.",
        ),
        "tt": _texts(
            "Елга шәһәрне ничек барлыкка китергән",
            "Тарихчы күперләр, ташулар һәм яр буйларының өч гасыры турында сөйли.",
        ),
    },
    "cherry-orchard": {
        "ru": _texts(
            "Вишнёвый сад",
            "Комедия Чехова в четырёх действиях в новой постановке "
            "Городского драматического театра.",
        ),
        "tt": _texts(
            "Чия бакчасы",
            "Чеховның дүрт пәрдәле комедиясе, Шәһәр драма театрының яңа куелышында.",
        ),
    },
    "tram-qa": {
        "ru": _texts(
            "Вопросы городу: новые трамвайные линии",
            "Заместитель мэра и департамент транспорта отвечают на вопросы жителей.",
        ),
        "tt": _texts(
            "Шәһәргә сораулар: яңа трамвай линияләре",
            "Мэр урынбасары һәм транспорт департаменты шәһәр халкының сорауларына җавап бирә.",
        ),
    },
    "string-quartets": {
        "ru": _texts(
            "Вечер струнных квартетов",
            "Гайдн, Шостакович и Бородин в исполнении струнного квартета филармонии.",
        ),
        "tt": _texts(
            "Кыллы квартетлар кичәсе",
            "Филармониянең кыллы квартеты Гайдн, Шостакович һәм Бородин әсәрләрен башкара.",
        ),
    },
    "brahms-requiem": {
        "ru": _texts("Брамс: Немецкий реквием", "Хор и оркестр филармонии."),
        "tt": _texts("Брамс: Немец реквиемы", "Филармониянең хоры һәм оркестры."),
    },
    "icons-lecture": {
        "ru": _texts(
            "Иконы и свет",
            "Как иконописцы северной школы работали с золотом и тенью.",
        ),
        # the Tatar description is not written yet: it falls back to Russian
        "tt": {"title": "Иконалар һәм яктылык"},
    },
    "inspector-general": {
        "ru": _texts("Ревизор", "Сатира Гоголя — спектакль, открывший сезон."),
        "tt": _texts("Ревизор", "Гогольнең сатирасы — сезонны ачкан спектакль."),
    },
}


@dataclass(frozen=True)
class DemoCourse:
    id: str
    institution_id: str
    title: str
    description: str
    # (event id, the lesson's note) in the course's order
    lessons: tuple[tuple[str, str], ...]
    # {lang: {"title", "description"}}
    translations: dict[str, dict[str, str]]
    # {lang: [note per lesson]}
    notes: dict[str, tuple[str, ...]]


# a course (issue 8): the museum's lecture, excursion and lecture, in that order
COURSES = [
    DemoCourse(
        "city-and-its-art",
        "city-museum",
        "The city and its art",
        "Three lessons from the City Museum: icons, landscapes and the river, "
        "from the oldest pictures to the city we live in.",
        (
            ("icons-lecture", "Start here: the oldest pictures in the collection."),
            ("landscapes-tour", "Walk the two landscape rooms with the curator."),
            ("river-lecture", "How the river shaped the streets you know."),
        ),
        {
            "ru": _texts(
                "Город и его искусство",
                "Три урока Городского музея: иконы, пейзажи и река — от самых старых "
                "картин до города, в котором мы живём.",
            ),
            "tt": _texts(
                "Шәһәр һәм аның сәнгате",
                "Шәһәр музееның өч дәресе: иконалар, пейзажлар һәм елга — иң борынгы "
                "рәсемнәрдән без яшәгән шәһәргә кадәр.",
            ),
        },
        {
            "ru": (
                "Начните отсюда: самые старые картины коллекции.",
                "Пройдите два зала пейзажей вместе с куратором.",
                "Как река сложила знакомые вам улицы.",
            ),
            "tt": (
                "Моннан башлагыз: җыелманың иң борынгы рәсемнәре.",
                "Куратор белән ике пейзаж залын карап чыгыгыз.",
                "Елга сезгә таныш урамнарны ничек барлыкка китергән.",
            ),
        },
    ),
]
