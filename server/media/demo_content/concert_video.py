"""The ffmpeg command that makes the concert video from its pictures and its sound.

Title card for ``title_s`` (silent), then the stage: the piano-roll strip scrolled
past a playhead by ``crop`` and the waveform of the sound drawn under it by
``showwaves``, while the music plays. H.264 + AAC in MP4, 1280x720 at 25 fps; the
media pipeline turns it into HLS renditions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .piano_roll import RollLayout

FPS = 25
WIDTH, HEIGHT = 1280, 720
# the stage, top to bottom: a still header, the moving roll, a still footer with the
# waveform drawn on it. Stacked (vstack copies rows) rather than overlaid on one
# background: blending a 1280x440 picture into every frame costs more than the encode.
HEADER_HEIGHT, ROLL_HEIGHT, FOOTER_HEIGHT = 120, 440, 160
WAVES_TOP, WAVES_HEIGHT = 56, 84  # inside the footer
ROLL = RollLayout(screen_width=WIDTH, height=ROLL_HEIGHT, playhead_x=320, pixels_per_second=140)


@dataclass(frozen=True)
class VideoInputs:
    title_card: Path
    header: Path
    roll: Path
    footer: Path
    audio: Path
    title_s: float
    music_s: float  # the sound file's length: the stage lasts exactly as long


def ffmpeg_command(inputs: VideoInputs, out: Path, preset: str) -> list[str]:
    title, music = inputs.title_s, inputs.music_s
    total = title + music

    def still(index: int, seconds: float) -> str:
        # one decoded picture, converted once, repeated: no per-frame decoding or conversion
        return (
            f"[{index}:v]format=yuv420p,loop=loop=-1:size=1:start=0,"
            f"setpts=N/{FPS}/TB,trim=duration={seconds:.3f}"
        )

    pps = ROLL.pixels_per_second
    graph = ";".join(
        [
            f"{still(0, title)},fade=t=in:st=0:d=0.8,fade=t=out:st={title - 0.6:.3f}:d=0.6[title]",
            f"{still(1, music)}[header]",
            f"{still(2, music)},crop=w={WIDTH}:h={ROLL_HEIGHT}:x='t*{pps}':y=0,"
            f"drawbox=x={ROLL.playhead_x - 1}:y=0:w=2:h={ROLL_HEIGHT}:color=white@0.55:t=fill"
            "[roll]",
            f"{still(3, music)}[footer]",
            "[4:a]asplit=2[heard][drawn]",
            f"[drawn]showwaves=s={WIDTH}x{WAVES_HEIGHT}:mode=cline:rate={FPS}:"
            "colors=0xc9a45c:scale=sqrt[waves]",
            f"[footer][waves]overlay=x=0:y={WAVES_TOP}:shortest=1:format=yuv420[foot]",
            "[header][roll][foot]vstack=inputs=3:shortest=1,"
            f"fade=t=in:st=0:d=0.8,fade=t=out:st={max(music - 1.5, 0):.3f}:d=1.5[main]",
            "[title][main]concat=n=2:v=1:a=0[v]",
            f"[heard]adelay=delays={int(title * 1000)}:all=1,atrim=duration={total:.3f}[a]",
        ]
    )
    return [
        "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
        "-i", str(inputs.title_card),
        "-i", str(inputs.header),
        "-i", str(inputs.roll),
        "-i", str(inputs.footer),
        "-i", str(inputs.audio),
        "-filter_complex", graph,
        "-map", "[v]", "-map", "[a]",
        "-r", str(FPS),
        "-c:v", "libx264", "-preset", preset, "-crf", "23",
        "-pix_fmt", "yuv420p", "-g", str(FPS * 2),
        "-c:a", "aac", "-b:a", "160k", "-ar", "44100",
        "-movflags", "+faststart",
        str(out),
    ]  # fmt: skip
