"""The manifest of a collection: one row per work, as CSV or as a JSON list.

Columns (JSON keys are the same names): ``file`` (the image), ``title``,
``author`` (or ``artist``), ``year``, ``medium``, ``width_cm``, ``height_cm``,
``description``, ``audio`` (an audio-guide file), ``credit``, ``institution``,
``license``, ``room``, and texts in other languages as ``title_<lang>``,
``description_<lang>``, ``medium_<lang>`` (``title_ru``, ``description_tt``...).
Only ``file`` and ``title`` are required. An unknown column is refused (a typo
would silently lose a text), naming it; rows are numbered as a spreadsheet shows
them (the CSV header is row 1) or from 1 in a JSON list.
"""

from __future__ import annotations

import csv
import io
import json
import re

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import CollectionRefused

MANIFEST_NAMES = ("collection.json", "collection.csv", "manifest.json", "manifest.csv")
TRANSLATED = ("title", "description", "medium")
_LANG_COLUMN = re.compile(r"^(title|description|medium)_([a-z]{2,3})$")
_ALIASES = {"artist": "author", "image": "file"}
_FILE_NAME = re.compile(r"^[^/\\\x00-\x1f]{1,200}$")


class ManifestWork(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    row: int
    file: str = Field(pattern=_FILE_NAME.pattern)
    title: str = Field(min_length=1, max_length=200)
    author: str | None = Field(default=None, max_length=200)
    year: str | None = Field(default=None, max_length=60)
    medium: str | None = Field(default=None, max_length=200)
    width_cm: float | None = Field(default=None, gt=0, le=5000)
    height_cm: float | None = Field(default=None, gt=0, le=5000)
    description: str | None = Field(default=None, max_length=4000)
    audio: str | None = Field(default=None, pattern=_FILE_NAME.pattern)
    credit: str | None = Field(default=None, max_length=400)
    institution: str | None = Field(default=None, max_length=200)
    license: str | None = Field(default=None, max_length=200)
    room: str | None = Field(default=None, max_length=80)
    # {"ru": {"title": ..., "description": ...}, ...}
    texts: dict[str, dict[str, str]] = {}

    @property
    def credit_line(self) -> str | None:
        """``credit`` as given, else the holder and the licence."""
        if self.credit:
            return self.credit
        parts = [p for p in (self.institution, self.license) if p]
        return " · ".join(parts) or None


def _base_name(path: str) -> str:
    """``images/a.jpg`` (a folder upload, a manifest written beside its folder) -> ``a.jpg``;
    the name only matches an uploaded file, it is never a path on the server."""
    return re.split(r"[\\/]", path)[-1]


def _clean(value: object) -> object:
    # empty CSV cells and JSON nulls both mean "not given"
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value.strip() if isinstance(value, str) else value


def _work(row: int, raw: dict, problems: list[str]) -> ManifestWork | None:
    fields: dict[str, object] = {"row": row}
    texts: dict[str, dict[str, str]] = {}
    for key, value in raw.items():
        name = _ALIASES.get(str(key).strip().lower(), str(key).strip().lower())
        value = _clean(value)
        lang = _LANG_COLUMN.match(name)
        if lang:
            if value is not None:
                texts.setdefault(lang.group(2), {})[lang.group(1)] = str(value)[:4000]
        elif name in ManifestWork.model_fields and name not in ("row", "texts"):
            if value is not None and name in ("file", "audio"):
                value = _base_name(str(value))
            if value is not None:
                fields[name] = value
        else:
            problems.append(f"row {row}: unknown column {key!r}")
            return None
    fields["texts"] = texts
    try:
        return ManifestWork.model_validate(fields)
    except ValidationError as exc:
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"])
            label = raw.get("file") or raw.get("image") or "?"
            problems.append(f"row {row} ({label}): {where}: {err['msg']}")
        return None


def _rows_from_json(data: bytes) -> list[tuple[int, dict]]:
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CollectionRefused([f"the manifest is not valid JSON: {exc}"]) from None
    if isinstance(parsed, dict) and isinstance(parsed.get("works"), list):
        parsed = parsed["works"]
    if not isinstance(parsed, list) or not all(isinstance(r, dict) for r in parsed):
        raise CollectionRefused(["the JSON manifest must be a list of works (objects)"])
    return list(enumerate(parsed, start=1))


def _rows_from_csv(data: bytes) -> list[tuple[int, dict]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CollectionRefused(["the CSV manifest is not UTF-8 text"]) from None
    # the header names no text with commas in it: its most frequent separator is the one
    header = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header.count)
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    rows = []
    for n, record in enumerate(reader, start=2):
        if None in record:  # more cells than the header has columns
            raise CollectionRefused([f"row {n}: more cells than the header has columns"])
        if any(v and v.strip() for v in record.values()):
            rows.append((n, dict(record)))
    return rows


def parse_manifest(data: bytes, name: str, max_works: int) -> list[ManifestWork]:
    """The works of a manifest named ``name`` (``.csv`` or ``.json``)."""
    kind = name.rsplit(".", 1)[-1].lower()
    if kind not in ("csv", "json"):
        raise CollectionRefused([f"the manifest {name!r} must be a .csv or .json file"])
    rows = _rows_from_json(data) if kind == "json" else _rows_from_csv(data)
    if not rows:
        raise CollectionRefused(["the manifest lists no works"])
    if len(rows) > max_works:
        raise CollectionRefused(
            [f"the manifest lists {len(rows)} works; at most {max_works} (max_works)"]
        )
    problems: list[str] = []
    works = [w for n, raw in rows if (w := _work(n, raw, problems)) is not None]
    seen: dict[str, int] = {}
    for w in works:
        if w.file in seen:
            problems.append(f"row {w.row}: {w.file!r} is already the image of row {seen[w.file]}")
        seen.setdefault(w.file, w.row)
    if problems:
        raise CollectionRefused(problems)
    return works
