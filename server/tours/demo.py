"""The demo gallery's tour: six works in three rooms, narrated in ru, tt and en.

The texts are written from the facts of assets/art/collection.json (titles,
authors, years, descriptions). Each stop's place is worked out from the hung
gallery like the default tour's (2 m in front of the work, facing it), so a
re-hung gallery keeps a tour that fits. :func:`record_demo_tour` writes it at
every demo start (texts updated in place); :func:`narrate_demo_tour` reads it
aloud with espeak-ng once, keeping the clips in the demo's cache
(server/demo_media.py) so a fresh data dir reuses them.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from .. import keys
from ..storage import tours as tours_repo
from ..storage import venues as venues_repo
from .default import stop_id_for, viewing_place

log = logging.getLogger("zal.tours")

DEMO_TOUR = "gallery-highlights"
TITLE = {
    "en": "Six works, three rooms",
    "ru": "Шесть работ, три зала",
    "tt": "Алты әсәр, өч зал",
}
DESCRIPTION = {
    "en": "A short walk through the gallery's three rooms, told in your language.",
    "ru": "Короткая прогулка по трём залам галереи с рассказом на вашем языке.",
    "tt": "Галереяның өч залы буйлап кыска сәяхәт, сезнең телдә сөйләп бирелә.",
}


@dataclass(frozen=True)
class DemoStop:
    exhibit: str
    seconds: int
    title: dict[str, str]
    narration: dict[str, str]


STOPS = [
    DemoStop(
        "bruegel-harvesters-1565",
        60,
        {"en": "The Harvesters", "ru": "Жатва", "tt": "Урак өсте"},
        {
            "en": "Welcome to the City Gallery. Our walk begins with The Harvesters by Pieter "
            "Bruegel the Elder, painted on wood in 1565. Peasants cut the ripe wheat and stack "
            "it in sheaves. Others have stopped for a midday meal in the shade of a pear tree. "
            "Behind them a wide summer valley stretches to the horizon.",
            "ru": "Добро пожаловать в Городскую галерею. Наша прогулка начинается с «Жатвы» "
            "Питера Брейгеля Старшего, написанной на дереве в 1565 году. Крестьяне жнут спелую "
            "пшеницу и вяжут снопы. Другие присели пообедать в тени груши. За ними до самого "
            "горизонта простирается широкая летняя долина.",
            "tt": "Шәһәр галереясенә рәхим итегез. Безнең сәяхәт Питер Брейгель Өлкәннең "
            "«Урак өсте» картинасыннан башлана. Ул 1565 елда агачка язылган. Игенчеләр "
            "өлгергән бодайны ура һәм көлтәләргә бәйли. Башкалары груша агачы күләгәсендә "
            "төшке ашка туктаган. Алар артында офыкка кадәр киң җәйге үзән җәелеп ята.",
        },
    ),
    DemoStop(
        "van-gogh-wheat-field-with-cypresses-1889",
        50,
        {
            "en": "Wheat Field with Cypresses",
            "ru": "Пшеничное поле с кипарисами",
            "tt": "Кипарислы бодай басуы",
        },
        {
            "en": "Vincent van Gogh painted this wheat field in 1889, near Saint-Rémy in the "
            "south of France. The ripening wheat runs towards dark cypress trees and blue "
            "hills. Look at the white clouds: every brushstroke seems to swirl.",
            "ru": "Винсент Ван Гог написал это пшеничное поле в 1889 году близ Сен-Реми, на юге "
            "Франции. Созревающая пшеница тянется к тёмным кипарисам и синим холмам. Посмотрите "
            "на белые облака: кажется, что каждый мазок кружится.",
            "tt": "Винсент Ван Гог бу бодай басуын 1889 елда Франциянең көньягында, Сен-Реми "
            "янында язган. Өлгереп килүче бодай куе кипарисларга һәм зәңгәр калкулыкларга таба "
            "сузыла. Ак болытларга карагыз: һәр пумала эзе бөтерелеп торган кебек.",
        },
    ),
    DemoStop(
        "hokusai-under-the-wave-off-kanagawa-1831",
        50,
        {"en": "The Great Wave", "ru": "Большая волна", "tt": "Бөек дулкын"},
        {
            "en": "Now we are in Japan. Katsushika Hokusai made this colour woodblock print "
            "around 1831, for his series Thirty-six Views of Mount Fuji. A towering wave curls "
            "over three boats of rowers. Find Mount Fuji: it looks small, far away under the "
            "curve of the wave.",
            "ru": "Теперь мы в Японии. Кацусика Хокусай создал эту цветную гравюру на дереве "
            "около 1831 года для серии «Тридцать шесть видов Фудзи». Огромная волна нависает "
            "над тремя лодками с гребцами. Найдите гору Фудзи: она кажется маленькой, далеко, "
            "под изгибом волны.",
            "tt": "Хәзер без Япониядә. Кацусика Хокусай бу төсле гравюраны якынча 1831 елда "
            "«Фудзиның утыз алты күренеше» сериясе өчен ясаган. Гаять зур дулкын ишкәкчеләр "
            "утырган өч көймә өстенә бөгелә. Фудзи тавын табыгыз: ул еракта, дулкын астында "
            "кечкенә генә булып күренә.",
        },
    ),
    DemoStop(
        "leonardo-ginevra-de-benci-1474",
        50,
        {"en": "Ginevra de' Benci", "ru": "Джиневра де Бенчи", "tt": "Джиневра де Бенчи"},
        {
            "en": "We move into the portrait room. This young woman from Florence is Ginevra "
            "de' Benci, painted by Leonardo da Vinci around 1474. Behind her is a juniper bush. "
            "It is the only painting by Leonardo in the Americas.",
            "ru": "Переходим в зал портретов. Эта юная флорентийка — Джиневра де Бенчи; её "
            "написал Леонардо да Винчи около 1474 года. За ней можжевеловый куст. Это "
            "единственная картина Леонардо в Америке.",
            "tt": "Портретлар залына күчәбез. Бу яшь флоренцияле хатын-кыз — Джиневра де Бенчи. "
            "Аны Леонардо да Винчи якынча 1474 елда язган. Аның артында ардыч куагы. Бу "
            "Америкадагы бердәнбер Леонардо картинасы.",
        },
    ),
    DemoStop(
        "velazquez-juan-de-pareja-1650",
        45,
        {"en": "Juan de Pareja", "ru": "Хуан де Пареха", "tt": "Хуан де Пареха"},
        {
            "en": "Diego Velázquez painted this portrait in Rome in 1650. It shows his "
            "assistant, the painter Juan de Pareja. Notice the wide lace collar, and how "
            "calmly he looks back at us.",
            "ru": "Диего Веласкес написал этот портрет в Риме в 1650 году. На нём его помощник, "
            "живописец Хуан де Пареха. Обратите внимание на широкий кружевной воротник и на то, "
            "как спокойно он смотрит на нас.",
            "tt": "Диего Веласкес бу портретны 1650 елда Римда язган. Анда аның ярдәмчесе, "
            "рәссам Хуан де Пареха сурәтләнгән. Киң челтәр якага һәм аның безгә ничек тыныч "
            "карап торуына игътибар итегез.",
        },
    ),
    DemoStop(
        "degas-dance-class-1874",
        55,
        {"en": "The Dance Class", "ru": "Урок танца", "tt": "Бию дәресе"},
        {
            "en": "Our last stop is The Dance Class by Edgar Degas, painted in 1874. Young "
            "dancers in white tutus wait around the rehearsal room, while an old ballet master "
            "leans on his stick. Thank you for walking with us. The other works in these rooms "
            "are waiting for you.",
            "ru": "Последняя остановка — «Урок танца» Эдгара Дега, 1874 год. Юные балерины в "
            "белых пачках ждут в репетиционном зале, а пожилой балетмейстер опирается на "
            "трость. Спасибо, что прошли с нами. Остальные работы в этих залах ждут вас.",
            "tt": "Соңгы тукталыш — Эдгар Деганың «Бию дәресе» картинасы, 1874 ел. Ак пачкалы "
            "яшь балериналар репетиция залында көтеп тора, ә өлкән балетмейстер таягына "
            "таянган. Безнең белән йөргәнегез өчен рәхмәт. Бу заллардагы башка әсәрләр сезне "
            "көтә.",
        },
    ),
]


def demo_stops(metadata) -> list[dict]:
    """The stops as storage keeps them, placed in front of their works as hung;
    a work the gallery does not hang (or no floor before it) is left out."""
    slots = {s.exhibit: s for s in metadata.exhibit_slots if s.exhibit}
    out = []
    for stop in STOPS:
        slot = slots.get(stop.exhibit)
        place = viewing_place(slot, metadata.walkable) if slot else None
        if place is None:
            log.warning("demo tour stop left out", extra={"exhibit": stop.exhibit})
            continue
        position, yaw, pitch = place
        texts = {
            lang: {"title": stop.title[lang], "narration": stop.narration[lang]}
            for lang in ("ru", "tt", "en")
        }
        out.append(
            {
                "stop_id": stop_id_for(stop.exhibit),
                "exhibit_id": stop.exhibit,
                "place": {"position": position, "yaw": yaw, "pitch": pitch},
                "seconds": stop.seconds,
                "texts": texts,
            }
        )
    return out


async def record_demo_tour(app: web.Application, venue_id: str) -> bool:
    """Write the demo tour of ``venue_id`` (new, or its texts and stops updated)."""
    engine = app[keys.DB_ENGINE]
    venue = await venues_repo.get(engine, venue_id)
    if venue is None:
        return False
    metadata = await app[keys.METADATA_CACHE].get(app, venue["manifest_sha256"])
    stops = demo_stops(metadata)
    texts: dict = dict(
        lang="en",
        title=TITLE["en"],
        description=DESCRIPTION["en"],
        translations={
            lang: {"title": TITLE[lang], "description": DESCRIPTION[lang]} for lang in ("ru", "tt")
        },
    )
    if await tours_repo.get(engine, DEMO_TOUR) is None:
        await tours_repo.add(engine, id=DEMO_TOUR, venue_id=venue_id, stops=stops, **texts)
    else:
        await tours_repo.update(engine, DEMO_TOUR, stops=stops, **texts)
    return True


async def narrate_demo_tour(app: web.Application, cache_dir: Path, stops: int = len(STOPS)) -> int:
    """The first ``stops`` stops' readings in ru, tt and en, made now (or found);
    how many exist."""
    narrator = app[keys.NARRATOR]
    made = await asyncio.gather(
        *(
            narrator.narrate(lang, text, cache_dir)
            for stop in STOPS[:stops]
            for lang, text in stop.narration.items()
        )
    )
    return sum(1 for clip in made if clip is not None)
