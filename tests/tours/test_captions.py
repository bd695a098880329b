"""Captions of a narration (server/tours/captions.py): one cue per sentence, timed
by its share of the text, long sentences cut, text escaped for WebVTT."""

from server.tours.captions import MAX_CUE_CHARS, cue_texts, cues, webvtt


def test_each_sentence_is_a_cue_lasting_its_share_of_the_audio():
    text = "Short one. A sentence three times as long!  Last?"
    timed = cues(text, 10.0)
    assert [t for _, _, t in timed] == ["Short one.", "A sentence three times as long!", "Last?"]
    total = sum(len(t) for _, _, t in timed)
    for start, end, t in timed:
        assert abs((end - start) - 10.0 * len(t) / total) < 1e-9
    assert timed[0][0] == 0.0 and timed[-1][1] == 10.0
    assert all(a[1] == b[0] for a, b in zip(timed, timed[1:], strict=False))  # no gaps


def test_a_long_sentence_is_cut_at_clauses_then_words_and_markup_is_escaped():
    long = ", ".join(["слово " * 8] * 4).strip() + "."
    pieces = cue_texts(long)
    assert len(pieces) > 1 and all(len(p) <= MAX_CUE_CHARS for p in pieces)
    assert " ".join(pieces) == " ".join(long.split())
    vtt = webvtt("Tom & <b>Jerry</b>. Два.", 61.5)
    assert vtt.startswith("WEBVTT\n\n1\n00:00:00.000 --> ")
    assert "Tom &amp; &lt;b&gt;Jerry&lt;/b&gt;." in vtt and "<b>" not in vtt
    assert vtt.rstrip().endswith("--> 00:01:01.500\nДва.")
