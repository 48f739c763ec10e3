"""JSON Lines dumps, plain or gzip, with the corpus fields (id, source, date, title, body, url, lang).

A record's text is `title + "\\n\\n" + body`; all offsets refer to it. Lines are read one at a time with a
length cap, so a 50 MB line or a truncated gzip costs one quarantined item, never the batch or the memory.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import json
import re
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from propscope.ingest.files import wide_encoding
from propscope.ingest.seen import seen_time
from propscope.ingest.streams import GZIP_MAGIC, GunzipReader, UnpackLimitError
from propscope.model import Quarantined, RawRecord
from propscope.settings import DEFAULT_LIMITS, Limits

MAX_LINE_BYTES = 8 * 1024 * 1024
_CHUNK = 1024 * 1024
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
MAX_DATE_CHARS = 100  # of a date field that is no day, kept as given
# Fields the model reads itself; everything else in a record is kept in `meta`.
_KNOWN = {"id", "source", "date", "title", "body", "url", "lang"}
_Handle = IO[bytes] | GunzipReader


def read_jsonl(path: Path, limits: Limits = DEFAULT_LIMITS) -> Iterator[RawRecord | Quarantined]:
    with path.open("rb") as probe:
        is_gzip = probe.read(2) == GZIP_MAGIC
    # Closed by _read_lines, inside the try that turns gzip errors into quarantine.
    handle: _Handle = GunzipReader(path.open("rb"), limits) if is_gzip else path.open("rb")  # noqa: SIM115
    yield from _read_lines(handle, str(path))


def records_from_jsonl_bytes(
    data: bytes, origin: str, limits: Limits = DEFAULT_LIMITS
) -> Iterator[RawRecord | Quarantined]:
    """JSON Lines held in memory (a request body), plain or gzip, read as a file of them is: records go to
    ingest directly, with no temporary file."""
    raw = io.BytesIO(data)
    handle: _Handle = GunzipReader(raw, limits, "gzip body") if data[:2] == GZIP_MAGIC else raw
    yield from _read_lines(handle, origin)


def upload_origin() -> str:
    """The origin of records posted in one request: unique, so that two uploads' records without an id or a
    URL (kept apart by origin and line) never become versions of each other."""
    return f"upload {dt.datetime.now(dt.UTC):%Y-%m-%dT%H:%M:%S.%fZ}"


def _read_lines(handle: _Handle, origin: str) -> Iterator[RawRecord | Quarantined]:
    line_no = 0
    try:
        with handle:
            try:
                for item in _lines(_utf8_chunks(handle)):
                    if isinstance(item, int):  # a run of blank lines, counted, not iterated
                        line_no += item
                        continue
                    line, overflow = item
                    line_no += 1
                    if overflow:
                        yield Quarantined(
                            origin=origin,
                            record_id=f"line {line_no}",
                            raw=line[:4096],
                            reason=f"line longer than {MAX_LINE_BYTES // (1024 * 1024)} MB; skipped",
                        )
                    elif line.strip():
                        yield parse_record_line(line, origin, line_no)
            except UnpackLimitError as exc:
                yield Quarantined(
                    origin=origin,
                    record_id=f"line {line_no + 1}",
                    reason=f"{exc}; read {line_no} lines, the rest of the file is skipped",
                )
            except (EOFError, OSError, zlib.error) as exc:
                what = "truncated gzip" if isinstance(exc, EOFError) else f"unreadable data ({exc})"
                yield Quarantined(
                    origin=origin,
                    record_id=f"line {line_no + 1}",
                    reason=f"{what} after {line_no} lines: the rest of the file is lost; fetch it again",
                )
    except OSError as exc:  # gzip header errors surface on first read
        yield Quarantined(origin=origin, reason=f"cannot read: {exc}")


def _utf8_chunks(handle: _Handle) -> Iterator[bytes]:
    """The stream in chunks as they come (a truncated gzip still gives all it holds), as UTF-8: a file saved
    as UTF-16 or UTF-32 (with its byte order mark, as Windows saves "Unicode" text) is decoded on the way."""
    read = getattr(handle, "read1", handle.read)
    first = b""
    while len(first) < 4:
        more = read(_CHUNK)
        if not more:
            break
        first += more
    encoding = wide_encoding(first)
    if encoding is None:
        if first:
            yield first
        while more := read(_CHUNK):
            yield more
        return
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    yield decoder.decode(first).encode("utf-8")
    while more := read(_CHUNK):
        yield decoder.decode(more).encode("utf-8")
    yield decoder.decode(b"", final=True).encode("utf-8")


def _lines(chunks: Iterable[bytes]) -> Iterator[tuple[bytes, bool] | int]:
    """Each line with its end (\\n, \\r\\n, or a lone \\r as old Mac files end lines), and whether it ran over
    MAX_LINE_BYTES: such a line is given as its first MAX_LINE_BYTES, the rest drained, never held. A run of
    blank lines comes as its count, found by one regular expression: a file of millions of empty lines (a
    gzip of newlines packs 200 MB into 200 kB) costs what scanning it costs, not a step per line."""
    pending = b""
    draining = False  # inside a line over the cap, already reported
    for chunk in chunks:
        data = pending + chunk
        pending = b""
        if draining:  # what comes up to the next line end is the rest of the drained line
            end = _LINE_END.search(data)
            if end is None:
                pending = b"\r" if data.endswith(b"\r") else b""  # a \r may be the first half of a \r\n
                continue
            draining = False
            data = data[end.end() :]
        start = 0
        for run_start, run_end in _blank_runs(data):
            yield from _capped(data[start:run_start].splitlines(keepends=True))
            blank = data[run_start:run_end]
            yield blank.count(b"\n") + blank.count(b"\r") - blank.count(b"\r\n")
            start = run_end
        lines = data[start:].splitlines(keepends=True)  # bytes split at \n, \r\n and \r only
        # The last piece waits for the next chunk unless it ends with \n: it is unfinished, or its \r may be
        # the first half of a \r\n.
        pending = lines.pop() if lines and not lines[-1].endswith(b"\n") else b""
        yield from _capped(lines)
        if len(pending) > MAX_LINE_BYTES:
            yield pending[:MAX_LINE_BYTES], True
            draining = True
            pending = b"\r" if pending.endswith(b"\r") else b""  # nothing of a drained line is kept but that
    if pending and not draining:
        yield pending, False


def _capped(lines: list[bytes]) -> Iterator[tuple[bytes, bool]]:
    for line in lines:
        if len(line) - (2 if line.endswith(b"\r\n") else 1) > MAX_LINE_BYTES:
            yield line[:MAX_LINE_BYTES], True
        else:
            yield line, False


def _blank_runs(data: bytes) -> Iterator[tuple[int, int]]:
    """(start, end) of each run of blank lines in data that starts at a line start: from a line start to a
    line end, white space only. A \\r at the very end is left out: it may be half of a \\r\\n the next chunk
    completes. Found from line ends (a character class scan), not tried at every byte."""
    leading = _LEADING_BLANKS.match(data)
    if leading:
        run = _trimmed(data, 0, leading.end())
        if run:
            yield run
    for found in _LINE_END_THEN_BLANKS.finditer(data, leading.end() if leading else 0):
        at = found.start()
        begin = at + (2 if data.startswith(b"\r\n", at) else 1)  # after the line end of the line before
        run = _trimmed(data, begin, found.end())
        if run:
            yield run


def _trimmed(data: bytes, begin: int, end: int) -> tuple[int, int] | None:
    if end == len(data) and data.endswith(b"\r"):
        last = max(data.rfind(b"\n", begin, end - 1), data.rfind(b"\r", begin, end - 1))
        end = last + 1 if last >= 0 else begin
    return (begin, end) if end > begin else None


_LINE_END = re.compile(rb"\r\n|\r(?!\Z)|\n")
_LEADING_BLANKS = re.compile(rb"[ \t\f\v\r\n]*[\r\n]")
_LINE_END_THEN_BLANKS = re.compile(rb"[\r\n][ \t\f\v\r\n]*[\r\n]")


def parse_record_line(line: bytes, origin: str, line_no: int) -> RawRecord | Quarantined:
    where = f"line {line_no}"
    try:
        decoded = line.decode("utf-8-sig")  # a byte order mark opens many files saved on Windows
    except UnicodeDecodeError as exc:
        return Quarantined(origin=origin, record_id=where, raw=line, reason=f"invalid UTF-8 at byte {exc.start}")
    try:
        obj = _DECODER.decode(decoded)
    except json.JSONDecodeError as exc:
        return Quarantined(origin=origin, record_id=where, raw=line, reason=f"malformed JSON: {exc.msg}")
    except RecursionError:
        return Quarantined(origin=origin, record_id=where, raw=line, reason="JSON nested too deeply")
    if not isinstance(obj, dict):
        return Quarantined(origin=origin, record_id=where, raw=line, reason="JSON line is not an object")
    return guarded_record(obj, origin, line, where)


def _integer(digits: str) -> int | str:
    """An integer too long for Python to convert (over sys.get_int_max_str_digits(), 4,300 by default) is kept
    as its digits: one number in a record's extra fields is no reason to lose the record."""
    try:
        return int(digits)
    except ValueError:
        return digits


_DECODER = json.JSONDecoder(parse_int=_integer)  # one, not one per line (json.loads with options makes one)


def guarded_record(obj: dict[str, Any], origin: str, raw: bytes, where: str) -> RawRecord | Quarantined:
    """record_from_object, with anything it did not foresee quarantining this record, never the batch."""
    try:
        return record_from_object(obj, origin, raw, where)
    except Exception as exc:  # noqa: BLE001 - the last resort for one record; the reason names the exception
        reason = f"unreadable record ({type(exc).__name__}: {exc})"
        return Quarantined(origin=origin, record_id=where, raw=raw, reason=reason[:500])


# Other names scrapers give the same fields (kcna.kp archives: headline, story_text, link, date_str).
FIELD_ALIASES = {
    "id": ("id", "record_id", "guid", "uid"),
    "title": ("title", "headline", "heading"),
    "body": ("body", "story_text", "text", "content", "article"),
    "url": ("url", "link", "href"),
    "date": ("date_str", "date", "published", "pubdate", "published_at"),
}


def _field(obj: dict[str, Any], name: str) -> Any:
    for key in FIELD_ALIASES.get(name, (name,)):
        value = obj.get(key)
        if value not in (None, ""):
            return value
    return None


def _date_text(value: Any) -> str:
    """ISO text as it is; epoch milliseconds or seconds (JavaScript dumps) as a UTC date."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        seconds = value / 1000 if value > 10**11 else value
        try:
            return dt.datetime.fromtimestamp(seconds, dt.UTC).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return ""
    return _as_text(value)


def _day(text: str) -> str | None:
    """The day a date field opens with (YYYY-MM-DD), if it is one: 2024-13-45 and 0000-00-00 are not."""
    match = _DATE.match(text)
    if match is None:
        return None
    try:
        return dt.date(*map(int, match.groups())).isoformat()
    except ValueError:
        return None


# A record that declares itself another text of a known record ("variant_of": an earlier or later version of
# the same dispatch) is a version of that record, not a new article.
VERSION_OF = ("variant_of", "version_of")


def record_from_object(obj: dict[str, Any], origin: str, raw: bytes, where: str) -> RawRecord | Quarantined:
    own_id = _as_text(_field(obj, "id")) or None
    parent = next((_as_text(obj[key]) for key in VERSION_OF if obj.get(key)), None)
    record_id = parent or own_id
    title = _clean(_as_text(_field(obj, "title")))
    body = _clean(_as_text(_field(obj, "body")))
    if not title.strip() and not body.strip():
        return Quarantined(
            origin=origin, record_id=record_id or where, raw=raw, reason="record has neither title nor body"
        )
    if title.strip():
        title = title.strip()
        text = f"{title}\n\n{body}" if body else title
        title_end: int | None = len(title)
    else:
        text, title_end = body, None
    given = _date_text(_field(obj, "date")).strip()
    date = _day(given)
    return RawRecord(
        origin=origin,
        kind="jsonl",
        text=text,
        raw=raw,
        record_id=record_id,
        title_end=title_end,
        source=_as_text(obj.get("source")) or None,
        url=_as_text(_field(obj, "url")) or None,
        lang=_as_text(obj.get("lang")) or None,
        date=date,
        date_source="record" if date else None,
        date_raw=given[:MAX_DATE_CHARS] if given and not date else None,
        meta={
            **{k: v for k, v in obj.items() if k not in _KNOWN_ALL},
            **({} if record_id else {"line": where}),
            **({"version_id": own_id} if parent and own_id else {}),
        },
        seen_at=seen_time(obj),
    )


def _as_text(value: object) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _clean(value: str) -> str:
    """Line ends normalised; NUL and other C0 controls (never meaningful in a dispatch) removed."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL.search(value):
        value = _CONTROL.sub("", value)
    return value


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


_KNOWN_ALL = _KNOWN | {alias for aliases in FIELD_ALIASES.values() for alias in aliases} - {"date"}
MAX_DOCUMENT_BYTES = 256 * 1024 * 1024


def read_json_document(path: Path) -> Iterator[RawRecord | Quarantined]:
    """A JSON file holding an array of records (or an object with one), as scrapers often save them.

    Read whole (capped): a document cannot be streamed line by line like JSON Lines."""
    origin = str(path)
    size = path.stat().st_size
    if size > MAX_DOCUMENT_BYTES:
        yield Quarantined(
            origin=origin, reason=f"JSON document of {size:,} bytes is too large; convert it to JSON Lines"
        )
        return
    raw = path.read_bytes()
    encoding = wide_encoding(raw) or "utf-8-sig"
    try:
        data = _DECODER.decode(raw.decode(encoding))
    except UnicodeDecodeError as exc:
        yield Quarantined(origin=origin, reason=f"invalid {encoding.removesuffix('-sig').upper()} at byte {exc.start}")
        return
    except json.JSONDecodeError as exc:
        yield Quarantined(origin=origin, reason=f"malformed JSON at line {exc.lineno}: {exc.msg}")
        return
    except RecursionError:
        yield Quarantined(origin=origin, reason="JSON nested too deeply")
        return
    records = (
        data
        if isinstance(data, list)
        else next((v for v in data.values() if isinstance(v, list)), None)
        if isinstance(data, dict)
        else None
    )
    if records is None:
        yield Quarantined(origin=origin, reason="JSON document without a list of records")
        return
    for number, item in enumerate(records, 1):
        where = f"item {number}"
        if not isinstance(item, dict):
            yield Quarantined(origin=origin, record_id=where, reason="list item is not an object")
            continue
        yield guarded_record(item, origin, _item_bytes(item), where)


def _item_bytes(item: dict[str, Any]) -> bytes:
    """A document's item as the JSON line it is kept as; escaped where it holds what UTF-8 cannot (a lone
    surrogate), so that the line reads back as the same item."""
    try:
        return json.dumps(item, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(item).encode("ascii")
