"""What the demo concert plays, in the three languages of the city (ru, tt, en)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ConcertPiece:
    """A movement of a public-domain work in music21's corpus, and how to play it.

    ``quarter_bpm`` is our choice of tempo (the corpus file has none); ``composer`` and
    ``work`` map a language code to its text; ``movement`` is the tempo heading, which
    musicians read in Italian whatever their language.
    """

    id: str
    corpus_path: str
    quarter_bpm: float
    composer: dict[str, str]
    work: dict[str, str]
    movement: str

    def title(self, lang: str) -> str:
        return f"{self.composer[lang]}: {self.work[lang]} — {self.movement}"


HAYDN_OP74_NO1_II = ConcertPiece(
    id="haydn-op74-1-ii",
    corpus_path="haydn/opus74no1/movement2",
    # Andantino grazioso in 3/8: an eighth at 112, a gentle walking pace
    quarter_bpm=56.0,
    composer={"ru": "Йозеф Гайдн", "tt": "Йозеф Гайдн", "en": "Joseph Haydn"},
    work={
        "ru": "Струнный квартет до мажор, соч. 74 № 1",
        "tt": "Кыллы квартет, до мажор, op. 74 № 1",
        "en": "String Quartet in C major, Op. 74 No. 1",
    },
    movement="II. Andantino grazioso",
)

# the parts of a string quartet, top to bottom, as the legend names them
QUARTET_PARTS = {
    "ru": ("Скрипка I", "Скрипка II", "Альт", "Виолончель"),
    "tt": ("I скрипка", "II скрипка", "Альт", "Виолончель"),
    "en": ("Violin I", "Violin II", "Viola", "Cello"),
}
