"""The demo's content: institutions, which built-in venue each owns, and a programme.

Times are minutes from "now" (rounded down to 5 minutes) at each demo start, so the
lobby always shows something live, something next and something past.
"""

from __future__ import annotations

from dataclasses import dataclass

INSTITUTIONS = [
    ("city-philharmonic", "City Philharmonic Society", "philharmonic"),
    ("city-drama-theatre", "City Drama Theatre", "theatre"),
    ("city-museum", "City Museum of Art and History", "museum"),
]

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
        2 * 24 * 60,
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
