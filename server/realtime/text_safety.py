"""Text that shows what it says: checks for display names and chat messages.

After Unicode's guidance on spoofing (UTS #39), bidirectional text (UAX #9) and
source-code spoofing (UTS #55):

* Bidirectional controls (embeddings, overrides, isolates, LRM/RLM/ALM) let a
  message render as a different text ("\u202egnp.exe" shows as "exe.png").
  Chat *strips* them: the words stay, only the reordering goes, and the client
  shows every message isolated (``dir="auto"``), so real right-to-left text
  still reads correctly. A name is an identity, so a name holding one is
  *refused* instead of silently changed.
* Other format (Cf) and control (Cc) characters, and line/paragraph separators
  (which end a bidi paragraph), are refused in both; exceptions are ZWJ and ZWNJ
  between two visible characters (emoji sequences like 👩‍🎤, Persian and Indic
  spelling) and the tag characters of emoji flag sequences (🏴 + tags).
* A name must show something: one letter, digit, punctuation or symbol that is
  not default-ignorable, so zero-width-only or combining-marks-only names are
  refused. Names are NFC-normalised so one name has one spelling.
* More than :data:`MAX_MARKS_IN_A_ROW` combining marks on one character
  ("Zalgo" text drawn over neighbouring lines) is refused in both.

Functions raise :class:`TextRefused` (a ``ValueError``, so pydantic validators
report it as a validation error with its message).
"""

from __future__ import annotations

import unicodedata

# UAX #9 explicit formatting characters, and the implicit marks LRM, RLM, ALM
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e"  # LRE RLE PDF LRO RLO
    "\u2066\u2067\u2068\u2069"  # LRI RLI FSI PDI
    "\u200e\u200f\u061c"  # LRM RLM ALM
)
ZWNJ, ZWJ = "\u200c", "\u200d"
BLACK_FLAG, TAG_FIRST, TAG_LAST, CANCEL_TAG = 0x1F3F4, 0xE0020, 0xE007F, "\U000e007f"
LINE_SEPARATORS = frozenset("\u2028\u2029")
MAX_MARKS_IN_A_ROW = 4

# Default_Ignorable_Code_Point (Unicode 15.1 DerivedCoreProperties.txt): drawn as
# nothing. Many are Cf (refused anyway); the rest (Hangul fillers, variation
# selectors, the combining grapheme joiner) are letters or marks that show nothing.
_DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
# look like a space but are not White_Space, so strip() keeps them
_BLANK_LOOKING = frozenset("\u2800")  # BRAILLE PATTERN BLANK


class TextRefused(ValueError):
    """The text cannot be shown honestly; the message says why."""


def is_default_ignorable(ch: str) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _DEFAULT_IGNORABLE)


def is_visible(ch: str) -> bool:
    """A character that draws something on its own: a letter, number,
    punctuation or symbol that is neither default-ignorable nor blank."""
    return (
        unicodedata.category(ch)[0] in "LNPS"
        and not is_default_ignorable(ch)
        and ch not in _BLANK_LOOKING
    )


def strip_bidi_controls(text: str) -> str:
    return "".join(ch for ch in text if ch not in BIDI_CONTROLS)


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch)[0] == "M"


def _joiner_allowed(text: str, i: int) -> bool:
    """ZWJ/ZWNJ join two drawn characters (marks may sit in between: 🏳️‍🌈 has
    U+FE0F before its ZWJ, Indic a virama), never start, end or double."""
    before = next((c for c in reversed(text[:i]) if not _is_mark(c)), "")
    after = text[i + 1 : i + 2]
    return bool(before and after) and is_visible(before) and is_visible(after)


def _in_flag_tags(text: str, i: int) -> bool:
    """Tag characters only as an emoji tag sequence: 🏴 then tags, ending in U+E007F."""
    j = i
    while j > 0 and TAG_FIRST <= ord(text[j - 1]) <= TAG_LAST:
        j -= 1
    if j == 0 or ord(text[j - 1]) != BLACK_FLAG:
        return False
    k = i
    while k < len(text) and TAG_FIRST <= ord(text[k]) <= TAG_LAST and text[k] != CANCEL_TAG:
        k += 1
    return k < len(text) and text[k] == CANCEL_TAG


def _describe(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, '').lower()}".rstrip()


def _is_variation_selector(ch: str) -> bool:
    cp = ord(ch)
    return 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF


def check_characters(text: str, what: str, *, strict: bool = False) -> None:
    """Refuse controls, format characters (but joiners and flag tags in their
    place), line separators and mark pile-ups. ``strict`` (names) also refuses
    every other default-ignorable character (Hangul fillers and the like), so
    "Anna" and "Anna" + an invisible letter cannot both be names."""
    marks = 0
    for i, ch in enumerate(text):
        category = unicodedata.category(ch)
        if category in ("Cc", "Cs"):
            raise TextRefused(f"{what} contains a control character ({_describe(ch)})")
        if ch in BIDI_CONTROLS:
            raise TextRefused(
                f"{what} contains a text direction control ({_describe(ch)}), "
                "which can make text display as something else"
            )
        if ch in LINE_SEPARATORS:
            raise TextRefused(f"{what} contains a line break ({_describe(ch)})")
        if ch in (ZWJ, ZWNJ):
            invisible = not _joiner_allowed(text, i)
        elif TAG_FIRST <= ord(ch) <= TAG_LAST:
            invisible = not _in_flag_tags(text, i)
        else:
            invisible = category == "Cf" or (
                strict and is_default_ignorable(ch) and not _is_variation_selector(ch)
            )
        if invisible:
            raise TextRefused(f"{what} contains an invisible character ({_describe(ch)})")
        marks = marks + 1 if category in ("Mn", "Me") else 0
        if marks > MAX_MARKS_IN_A_ROW:
            raise TextRefused(f"{what} stacks more than {MAX_MARKS_IN_A_ROW} accents on a letter")


def _bounded(text: str, what: str, max_len: int) -> str:
    text = text.strip()
    if not text:
        raise TextRefused(f"{what} is empty")
    if len(text) > max_len:
        raise TextRefused(f"{what} is longer than {max_len} characters")
    return text


def safe_name(value: str, max_len: int) -> str:
    """A display name: NFC, trimmed, visible, no direction or other controls."""
    name = _bounded(unicodedata.normalize("NFC", value), "name", max_len)
    check_characters(name, "name", strict=True)
    if not any(is_visible(ch) for ch in name):
        raise TextRefused("name has no visible characters")
    return name


def safe_chat(value: str, max_len: int) -> str:
    """A chat line: trimmed, direction controls removed, otherwise unchanged
    (no normalisation: what was typed is what others read)."""
    text = _bounded(strip_bidi_controls(value), "text", max_len)
    check_characters(text, "text")
    if not any(is_visible(ch) for ch in text):
        raise TextRefused("text has no visible characters")
    return text
