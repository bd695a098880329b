"""server.realtime.text_safety: names and chat that cannot lie about what they show."""

from __future__ import annotations

import unicodedata

import pytest

from server.realtime.protocol import ChatPayload, ClientError, ConnectAuth, parse
from server.realtime.text_safety import (
    BIDI_CONTROLS,
    MAX_MARKS_IN_A_ROW,
    TextRefused,
    is_default_ignorable,
    is_visible,
    safe_chat,
    safe_name,
    strip_bidi_controls,
)

NAME_MAX, CHAT_MAX = 32, 500

# must pass byte for byte, in names and in chat
HONEST = [
    "Анна",
    "Иван Петров",
    "Гөлнара Җәләлова",  # Tatar: ә ө ү җ ң һ
    "Әлфия Үзәкова",
    "Миңнехан Һади",
    "ӘӨҮҖҢҺ әөүҗңһ",
    "Ёлка и йогурт",
    "O'Brien-Smith",
    "Zoë",
    "שלום",  # Hebrew: right-to-left without any control
    "مرحبا",
    "می\u200cخواهم",  # Persian ZWNJ between letters
    "क्\u200dष",  # Devanagari: virama, ZWJ, letter
    "👨\u200d👩\u200d👧\u200d👦",
    "🏳\ufe0f\u200d🌈",
    "👩🏽\u200d🎤",
    "❤\ufe0f\u200d🔥",
    "🧑\u200d🤝\u200d🧑",
    "1\ufe0f\u20e3",  # keycap
    "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",  # Scotland
    "🇹🇹",
    "Ли 李 이",
    "a\u00a0b",  # no-break space inside
    "<b>not html</b>",
]


@pytest.mark.parametrize("text", HONEST)
def test_honest_text_passes_untouched(text):
    assert unicodedata.is_normalized("NFC", text)
    assert safe_chat(text, CHAT_MAX) == text
    assert safe_name(text, NAME_MAX) == text


def test_tatar_and_russian_chat_passes_untouched():
    line = "Сәлам, дуслар! Концерт бик яхшы иде 👏 Спасибо, было чудесно! ң һ җ ү ө ә"
    assert safe_chat(line, CHAT_MAX) == line


def test_emoji_zwj_sequences_in_chat_pass_untouched():
    line = "Браво 👨\u200d👩\u200d👧 🏳\ufe0f\u200d🌈 👩🏽\u200d🎤!"
    assert safe_chat(line, CHAT_MAX) == line


@pytest.mark.parametrize("control", sorted(BIDI_CONTROLS))
def test_every_bidi_control_is_stripped_from_chat(control):
    assert safe_chat(f"abc{control}def", CHAT_MAX) == "abcdef"


@pytest.mark.parametrize("control", sorted(BIDI_CONTROLS))
def test_every_bidi_control_is_refused_in_names(control):
    with pytest.raises(TextRefused, match="direction control"):
        safe_name(f"Anna{control}", NAME_MAX)


def test_the_rlo_trick_is_neutralised():
    # shows as "exe.png" with the override, is "gnp.exe" without
    assert safe_chat("see my photo \u202egnp.exe", CHAT_MAX) == "see my photo gnp.exe"
    assert safe_chat("\u2067\u202eabc\u202c\u2069 xyz", CHAT_MAX) == "abc xyz"
    assert strip_bidi_controls("\u200e\u200f\u061c") == ""


@pytest.mark.parametrize(
    "text",
    [
        "\u202e",
        "\u2066\u2069",
        "  \u200e  ",
    ],
)
def test_chat_of_only_direction_controls_is_empty(text):
    with pytest.raises(TextRefused, match="empty"):
        safe_chat(text, CHAT_MAX)


INVISIBLE_NAMES = [
    "\u200b",
    "\u200b\u200b\u200b",
    "\u200c",
    "\u200d",
    "\u200b\u200c\u200d",
    "\u2060",
    "\ufeff",
    "\u180e",
    "\u00ad",
    "\u3164",  # Hangul filler (a letter that draws nothing)
    "\u115f\u1160",
    "\uffa0",
    "\u2800",  # braille blank
    "\u0301",  # a combining mark with no letter
    "\u0301\u0302\u0303",
    "\u20e3",
    "\u034f",
    "\ufe0f",
    " \u200b ",
    "\u2800\u2800",
    "\U000e0041",
]


@pytest.mark.parametrize("name", INVISIBLE_NAMES)
def test_names_without_anything_visible_are_refused(name):
    with pytest.raises(TextRefused):
        safe_name(name, NAME_MAX)


@pytest.mark.parametrize(
    "name",
    [
        "Anna\u200b",
        "\u200bAnna",
        "An\u2060na",
        "Anna\u3164",
        "Anna\u200d",  # a joiner that joins nothing
        "\u200dAnna",
        "An\u200d\u200dna",
        "A\u200c",
        "Anna\ufeff",
        "An\u00adna",
        "Anna\U000e0067",  # a tag outside a flag sequence
        "🏴\U000e0067\U000e0062",  # flag tags without their cancel tag
    ],
)
def test_names_with_hidden_characters_are_refused(name):
    with pytest.raises(TextRefused, match="invisible"):
        safe_name(name, NAME_MAX)


@pytest.mark.parametrize(
    "text",
    [
        "a\x00b",
        "a\x07b",
        "line\nbreak",
        "tab\there",
        "c1\x85in the middle",
        "del\x7f",
        "a\u2028b",  # line separator
        "a\u2029b",  # paragraph separator: ends a bidi paragraph
        "lone \ud800 surrogate",
    ],
)
def test_controls_and_line_breaks_are_refused_in_both(text):
    with pytest.raises(TextRefused):
        safe_chat(text, CHAT_MAX)
    with pytest.raises(TextRefused):
        safe_name(text, NAME_MAX)


@pytest.mark.parametrize(
    "text", ["zero\u200bwidth", "word\u2060joiner", "\ufeffbom", "soft\u00adhy"]
)
def test_other_format_characters_are_refused_in_chat(text):
    with pytest.raises(TextRefused, match="invisible"):
        safe_chat(text, CHAT_MAX)


def test_invisible_only_chat_is_refused():
    with pytest.raises(TextRefused, match="no visible"):
        safe_chat("\u3164\u3164", CHAT_MAX)


def test_names_are_nfc_normalised():
    decomposed = "Zoe\u0308 Ha\u0308kkinen"
    assert safe_name(decomposed, NAME_MAX) == "Zoë Häkkinen"
    tatar_decomposed = unicodedata.normalize("NFD", "Йолдыз Ёлкина")
    assert safe_name(tatar_decomposed, NAME_MAX) == "Йолдыз Ёлкина"
    # chat is not rewritten: what was typed is what others read
    assert safe_chat(decomposed, CHAT_MAX) == decomposed


def test_mark_pileups_are_refused():
    ok = "e" + "\u0301\u0302\u0303\u0304"[:MAX_MARKS_IN_A_ROW]
    assert safe_chat(ok, CHAT_MAX) == ok
    zalgo = "e" + "\u0301\u0302\u0303\u0304\u0305\u0306"
    with pytest.raises(TextRefused, match="accents"):
        safe_chat(zalgo, CHAT_MAX)
    with pytest.raises(TextRefused, match="accents"):
        safe_name(zalgo, NAME_MAX)


def test_lengths_are_counted_after_trimming_and_normalising():
    assert safe_name("  " + "x" * NAME_MAX + "  ", NAME_MAX) == "x" * NAME_MAX
    with pytest.raises(TextRefused, match="longer"):
        safe_name("x" * (NAME_MAX + 1), NAME_MAX)
    # 32 letters written decomposed are 32 characters once composed
    assert safe_name("e\u0301" * NAME_MAX, NAME_MAX) == "é" * NAME_MAX
    with pytest.raises(TextRefused, match="empty"):
        safe_name("   ", NAME_MAX)


def test_visibility_helpers():
    assert is_visible("a") and is_visible("ә") and is_visible("👏") and is_visible("!")
    for ch in ("\u200b", "\u3164", "\u2800", "\u0301", " ", "\ufe0f"):
        assert not is_visible(ch), hex(ord(ch))
    for ch in ("\u00ad", "\u200d", "\u2066", "\ufeff", "\U000e0001", "\U000e0100"):
        assert is_default_ignorable(ch), hex(ord(ch))
    assert not is_default_ignorable("a")


def test_the_payload_models_use_it():
    assert parse(ChatPayload, {"text": "hi \u202eolleh"}).text == "hi olleh"
    assert parse(ConnectAuth, {"name": "Zoe\u0308"}).name == "Zoë"
    for bad in ("\u200b\u200b", "Eve\u202e", "\u0301"):
        with pytest.raises(ClientError) as refused:
            parse(ConnectAuth, {"name": bad})
        assert refused.value.code == "invalid_payload"
        assert "name" in refused.value.message
