"""The demo's real content, made for real on a short excerpt: music21 writes the
quartet's MIDI, fluidsynth plays it, ffmpeg films it; Pillow draws the lecture.

The whole movement takes a minute or two to render; these tests take its first
eight bars (about 13 s of music) at x264's ultrafast preset, once per session.
"""

from __future__ import annotations

import json
import re
import subprocess
import wave
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from music21 import midi as m21midi
from PIL import Image, ImageChops

from server.media.demo_content import (
    HAYDN_OP74_NO1_II,
    ConcertRecording,
    concert_recording,
    render_concert,
    render_lecture_slides,
    tools,
)
from server.media.demo_content.concert import TITLE_SECONDS, render_audio, wav_seconds
from server.media.demo_content.lecture_slides import draw_slide
from server.media.demo_content.lecture_text import Slide
from server.media.demo_content.score import music_seconds, prepare_score, write_midi

BARS = 8
GM_VIOLIN, GM_VIOLA, GM_CELLO = 40, 41, 42  # General MIDI programs, counted from 0
PROGRAM_CHANGE = m21midi.ChannelVoiceMessages.PROGRAM_CHANGE


@pytest.fixture(scope="session")
def demo_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("demo-content")


@pytest.fixture(scope="session")
def excerpt(demo_cache) -> ConcertRecording:
    return concert_recording(demo_cache, bars=BARS, preset="ultrafast")


@pytest.fixture(scope="session")
def excerpt_midi(tmp_path_factory) -> tuple[Path, float]:
    score = prepare_score(HAYDN_OP74_NO1_II.corpus_path, HAYDN_OP74_NO1_II.quarter_bpm, BARS)
    out = write_midi(score, tmp_path_factory.mktemp("midi") / "excerpt.mid")
    return out, music_seconds(score, HAYDN_OP74_NO1_II.quarter_bpm)


@pytest.fixture(scope="session")
def lecture(demo_cache) -> tuple[list[Path], Path]:
    return render_lecture_slides(demo_cache)


def _probe(path: Path) -> dict:
    done = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", str(path)],
        capture_output=True, check=True, timeout=30,
    )  # fmt: skip
    return json.loads(done.stdout)


def _frame(path: Path, at_s: float, out: Path) -> Image.Image:
    subprocess.run(
        ["ffmpeg", "-v", "error", "-nostdin", "-y", "-ss", f"{at_s}", "-i", str(path),
         "-frames:v", "1", str(out)],
        check=True, timeout=30,
    )  # fmt: skip
    return Image.open(out).convert("L")


def _difference(a: Image.Image, b: Image.Image) -> float:
    return float(np.asarray(ImageChops.difference(a, b), dtype=np.float64).mean())


def test_the_midi_has_the_quartets_four_string_parts(excerpt_midi):
    path, _ = excerpt_midi
    song = m21midi.MidiFile()
    song.open(str(path))
    song.read()
    song.close()
    programs, notes = [], []
    for track in song.tracks:
        if not any(event.isNoteOn() for event in track.events):
            continue  # the conductor track: tempo and metre
        changes = [e.data for e in track.events if e.type == PROGRAM_CHANGE]
        programs.append(changes[0])
        notes.append(sum(1 for event in track.events if event.isNoteOn()))
    assert programs == [GM_VIOLIN, GM_VIOLIN, GM_VIOLA, GM_CELLO]
    assert all(count >= 5 for count in notes), notes


def test_an_excerpt_is_cut_to_its_bars_at_our_tempo():
    piece = HAYDN_OP74_NO1_II
    score = prepare_score(piece.corpus_path, piece.quarter_bpm, BARS)
    # 3/8: a bar is a dotted quarter
    expected = BARS * 1.5 * 60 / piece.quarter_bpm
    assert music_seconds(score, piece.quarter_bpm) == pytest.approx(expected)
    with pytest.raises(ValueError, match="bars"):
        prepare_score(piece.corpus_path, piece.quarter_bpm, 0)


def test_fluidsynth_plays_music_not_silence(excerpt_midi, tmp_path):
    path, music_s = excerpt_midi
    wav = render_audio(path, tmp_path / "excerpt.wav")
    seconds = wav_seconds(wav)
    assert music_s <= seconds <= music_s + 4  # the strings' release and the reverb's tail
    with wave.open(str(wav)) as sound:
        assert sound.getnchannels() == 2 and sound.getsampwidth() == 2
        samples = np.frombuffer(sound.readframes(sound.getnframes()), dtype=np.int16)
    loudness = samples.reshape(-1, 2).astype(np.float64) / 32768
    second = 44100
    rms_per_second = [
        float(np.sqrt((loudness[i : i + second] ** 2).mean()))
        for i in range(0, int(music_s) * second, second)
    ]
    # every second of the written music sounds (-36 dBFS and up); nothing clips
    assert min(rms_per_second) > 0.016, rms_per_second
    assert np.abs(samples).max() < 32767


def test_the_concert_is_h264_and_aac_of_the_expected_length(excerpt, excerpt_midi):
    probe = _probe(excerpt.path)
    streams = {s["codec_type"]: s for s in probe["streams"]}
    assert streams["video"]["codec_name"] == "h264"
    assert (streams["video"]["width"], streams["video"]["height"]) == (1280, 720)
    assert streams["video"]["avg_frame_rate"] == "25/1"
    assert streams["video"]["pix_fmt"] == "yuv420p"
    assert streams["audio"]["codec_name"] == "aac"
    _, music_s = excerpt_midi
    duration = float(probe["format"]["duration"])
    assert duration == pytest.approx(excerpt.duration_s, abs=0.15)
    assert TITLE_SECONDS + music_s < duration < TITLE_SECONDS + music_s + 4
    for kind in ("video", "audio"):
        assert float(streams[kind]["duration"]) == pytest.approx(duration, abs=0.15)


def test_the_title_card_comes_first_then_the_music_moves(excerpt, tmp_path):
    title = _frame(excerpt.path, TITLE_SECONDS / 2, tmp_path / "title.png")
    music = _frame(excerpt.path, TITLE_SECONDS + 4, tmp_path / "music.png")
    later = _frame(excerpt.path, TITLE_SECONDS + 6, tmp_path / "later.png")
    assert _difference(title, music) > 5
    assert _difference(music, later) > 1  # the roll scrolled and the waveform changed
    # the card is dark with light text: both ends of the grey scale are there
    low, high = title.getextrema()
    assert low < 40 and high > 200


def test_the_music_under_the_video_is_heard(excerpt):
    done = subprocess.run(
        ["ffmpeg", "-nostdin", "-hide_banner", "-ss", str(TITLE_SECONDS + 1), "-t", "4",
         "-i", str(excerpt.path), "-vn", "-af", "volumedetect", "-f", "null", "-"],
        capture_output=True, text=True, check=True, timeout=30,
    )  # fmt: skip
    mean = float(done.stderr.split("mean_volume:")[1].split("dB")[0])
    assert mean > -35


def test_a_second_render_reuses_the_cache_without_running_a_tool(excerpt, demo_cache, monkeypatch):
    before = excerpt.path.stat().st_mtime_ns
    runs = tools.runs

    def refuse(*args, **kwargs):
        raise AssertionError("a cached render started a subprocess")

    monkeypatch.setattr(tools.subprocess, "run", refuse)
    assert render_concert(demo_cache, bars=BARS, preset="ultrafast") == excerpt.path
    assert concert_recording(demo_cache, bars=BARS, preset="ultrafast") == excerpt
    assert excerpt.path.stat().st_mtime_ns == before
    assert tools.runs == runs


def test_another_excerpt_is_another_cache_entry(demo_cache):
    from server.media.demo_content.concert import _cache_key

    piece = HAYDN_OP74_NO1_II
    assert _cache_key(piece, BARS, "ultrafast") != _cache_key(piece, BARS + 1, "ultrafast")
    assert _cache_key(piece, BARS, "ultrafast") != _cache_key(
        replace(piece, quarter_bpm=60.0), BARS, "ultrafast"
    )


def test_the_slides_are_full_hd_pngs_with_text(lecture):
    pngs, _ = lecture
    assert 6 <= len(pngs) <= 8
    for path in pngs:
        image = Image.open(path)
        assert image.format == "PNG" and image.size == (1920, 1080)
        grey = np.asarray(image.convert("L"))
        # light text on a dark page: thousands of near-white pixels above the river
        assert (grey[:960] > 200).sum() > 5000, path.name
    assert len({path.read_bytes() for path in pngs}) == len(pngs)


def test_the_pdf_has_the_same_slides(lecture, tmp_path):
    pngs, pdf = lecture
    info = subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True, timeout=30
    ).stdout
    assert re.search(rf"^Pages:\s+{len(pngs)}$", info, re.MULTILINE)
    assert "960 x 540 pts" in info
    subprocess.run(
        [
            "pdftoppm",
            "-f",
            "3",
            "-l",
            "3",
            "-scale-to-x",
            "1920",
            "-scale-to-y",
            "1080",
            "-png",
            str(pdf),
            str(tmp_path / "page"),
        ],
        check=True,
        timeout=60,
    )
    page = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    assert _difference(page, Image.open(pngs[2]).convert("L")) < 3
    assert _difference(page, Image.open(pngs[3]).convert("L")) > 3


def test_the_lecture_is_cached(lecture, demo_cache):
    pngs, pdf = lecture
    stamps = [path.stat().st_mtime_ns for path in [*pngs, pdf]]
    assert render_lecture_slides(demo_cache) == (pngs, pdf)
    assert [path.stat().st_mtime_ns for path in [*pngs, pdf]] == stamps


def test_a_slide_with_too_much_text_is_refused():
    point = "Пункт, который занимает место на странице."
    crowded = Slide("Слишком много", tuple(point for _ in range(16)))
    with pytest.raises(ValueError, match="into the river"):
        draw_slide(crowded, 2)


def test_a_tool_that_hangs_or_fails_says_so():
    with pytest.raises(tools.ToolFailed, match="longer than"):
        tools.run_tool(["sleep", "5"], timeout_s=0.3)
    with pytest.raises(tools.ToolFailed, match="exited with 1: .*No such file"):
        tools.run_tool(["ffprobe", "-v", "error", "/nonexistent.mid"], timeout_s=10)
    with pytest.raises(tools.ToolFailed, match="not installed"):
        tools.run_tool(["zal-no-such-tool"], timeout_s=10)
