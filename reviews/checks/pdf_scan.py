"""What a PDF viewer could run, read from the bytes themselves rather than from one parser's
idea of the document: every name in the file and in every decoded stream (object streams
included), with #xx escapes undone, every /URI string however it is written, and scripts in
XFA forms.

Nothing here stops after a number of objects: the work is bounded by the file's size. The
only limit is on how much compressed data may expand, and reaching it is itself a finding,
so a compression bomb cannot buy a pass.
"""

import base64
import bisect
import re
import zlib
from dataclasses import dataclass, field

from django.utils.translation import gettext_noop as _
from pypdf.errors import PyPdfError
from pypdf.filters import LZWDecode

# Names that run something, send something away or carry other files, with what a
# reviewer should read (English message ids: findings show them in the reader's language).
# The same table serves the raw bytes and pypdf's parsed objects.
ACTIVE_NAMES = {
    "JavaScript": _("JavaScript"),
    "JS": _("JavaScript"),
    "OpenAction": _("an action run on opening"),
    "AA": _("automatic actions"),
    "Launch": _("a program launch"),
    "EmbeddedFile": _("embedded files"),
    "EmbeddedFiles": _("embedded files"),
    "SubmitForm": _("a form that sends its contents away"),
    "ImportData": _("a form that imports data"),
    "GoToR": _("a link that opens another file"),
    "GoToE": _("a link that opens an embedded file"),
    "RichMedia": _("rich media (Flash or video that can run code)"),
}
SCRIPT_LINK = _("a javascript: link")
XFA_SCRIPT = _("JavaScript in an XFA form")
SCRIPT_SCHEMES = ("javascript:", "vbscript:")

# PDF delimiters and white space end a name; "#xx" inside it stands for one byte.
DELIMITERS = rb"\x00\t\n\x0c\r %()<>\[\]{}/"
NAME = re.compile(rb"/([^" + DELIMITERS + rb"]*)")
NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
STREAM_START = re.compile(rb"stream(?:\r\n|\n|\r)")
XML_SCRIPT = re.compile(rb"<(?:[\w.-]+:)?script\b", re.IGNORECASE)
HEX_DIGITS = re.compile(rb"[^0-9A-Fa-f]")
WHITESPACE = b"\x00\t\n\x0c\r "
# Decoding stops at this many bytes per byte of file (and at least this floor): far above
# what text, fonts and forms expand to, far below what a compression bomb asks for.
EXPANSION_FACTOR = 16
EXPANSION_FLOOR = 64 * 1024 * 1024
# Image data never holds objects or scripts, and is most of a scanned certificate's bytes.
IMAGE_FILTERS = {b"DCTDecode", b"DCT", b"JPXDecode", b"CCITTFaxDecode", b"CCF", b"JBIG2Decode"}
READ_CHUNK = 1024 * 1024


class ExpansionLimitReached(Exception):
    pass


@dataclass
class PdfScan:
    active: set[str] = field(default_factory=set)
    expansion_limit: int = 0
    too_expansive: bool = False


def scan_pdf(data: bytes) -> PdfScan:
    """Everything active in ``data`` (the PDF from its header on)."""
    result = PdfScan(expansion_limit=max(EXPANSION_FLOOR, EXPANSION_FACTOR * len(data)))
    budget = [result.expansion_limit]
    names: set[str] = set()
    scripts = _scan_text(data, names, result.active)
    try:
        for decoded in _decoded_streams(data, budget):
            scripts |= _scan_text(decoded, names, result.active)
    except ExpansionLimitReached:
        result.too_expansive = True
    result.active |= {ACTIVE_NAMES[name] for name in names if name in ACTIVE_NAMES}
    if scripts and "XFA" in names:
        result.active.add(XFA_SCRIPT)
    return result


def decode_name(raw: bytes) -> str:
    if b"#" in raw:
        raw = NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)
    return raw.decode("latin-1")


def is_script_link(value: bytes | str) -> bool:
    """Whether a link runs script when followed. URL parsers drop leading spaces and control
    characters and every tab and line break, so "java\\tscript:" is still JavaScript."""
    if isinstance(value, bytes):
        if value.startswith(b"\xfe\xff"):
            value = value[2:].decode("utf-16-be", "replace")
        else:
            value = value.decode("latin-1")
    cleaned = re.sub(r"[\t\n\r]", "", value).lstrip("".join(map(chr, range(33)))).lower()
    return cleaned.startswith(SCRIPT_SCHEMES)


def _scan_text(text: bytes, names: set[str], active: set[str]) -> bool:
    """Collect the names in ``text`` and flag /URI strings that run script; True when the text
    holds an XML script element (XFA forms keep theirs in streams)."""
    spellings = {raw: decode_name(raw) for raw in set(NAME.findall(text))}
    names.update(spellings.values())
    uri = [raw for raw, name in spellings.items() if name == "URI"]
    if uri:
        _flag_script_links(text, uri, active)
    return XML_SCRIPT.search(text) is not None


def _flag_script_links(text: bytes, spellings: list[bytes], active: set[str]) -> None:
    """Read the string after each /URI (however the name is spelled). Each string is read no
    further than the next /URI, so the work stays linear in the text's length however the
    strings are nested or left open; only strings that could start with a script scheme
    (a j or v, an escape, or hex) are read at all."""
    name = b"(/(?:" + b"|".join(map(re.escape, spellings)) + b"))(?=[" + DELIMITERS + b"])"
    padded = text + b" "
    starts = [match.start() for match in re.finditer(name, padded)]
    candidate = re.compile(name + rb"[\x00\t\n\x0c\r ]*(?:\([\x00-\x20]*[jJvV\\\xfe]|<(?!<))")
    for match in candidate.finditer(padded):
        following = bisect.bisect_right(starts, match.start())
        end = starts[following] if following < len(starts) else len(text)
        value = _string_at(text, match.end(1), end)
        if value is not None and is_script_link(value):
            active.add(SCRIPT_LINK)
            return


def _string_at(text: bytes, start: int, end: int) -> bytes | None:
    """The PDF string (literal or hex) that starts at ``start`` after white space."""
    position = start
    while position < end and text[position] in WHITESPACE:
        position += 1
    if text[position : position + 1] == b"<" and text[position + 1 : position + 2] != b"<":
        close = text.find(b">", position, end)
        digits = HEX_DIGITS.sub(b"", text[position + 1 : close if close >= 0 else end])
        return bytes.fromhex(_even(digits))
    if text[position : position + 1] != b"(":
        return None
    return _literal_string(text, position + 1, end)


ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}


def _literal_string(text: bytes, position: int, end: int) -> bytes:
    out, depth = bytearray(), 1
    while position < end:
        byte = text[position]
        position += 1
        if byte == 0x5C:  # backslash
            if position >= end:
                break
            following = text[position]
            if 0x30 <= following <= 0x37:
                digits = re.match(rb"[0-7]{1,3}", text[position : position + 3]).group()
                out.append(int(digits, 8) & 0xFF)
                position += len(digits)
            elif following in (0x0A, 0x0D):
                position += 2 if text[position : position + 2] == b"\r\n" else 1
            else:
                out += ESCAPES.get(following, bytes([following]))
                position += 1
        elif byte == 0x28:
            depth += 1
            out.append(byte)
        elif byte == 0x29:
            depth -= 1
            if not depth:
                break
            out.append(byte)
        else:
            out.append(byte)
    return bytes(out)


def _decoded_streams(data: bytes, budget: list[int]):
    """Every stream's decoded bytes, except image data. Streams are found by their keywords,
    not through the cross-reference table, so objects a broken or misleading table leaves
    out are read too."""
    previous_end = position = 0
    while match := STREAM_START.search(data, position):
        position = match.end()
        # The stream's dictionary: from the object header before it (or the previous stream).
        header = data.rfind(b"obj", previous_end, match.start())
        dictionary = data[header if header >= 0 else previous_end : match.start()]
        if not dictionary.rstrip().endswith(b">>"):
            continue
        dictionary = _normalised(dictionary)
        stop = _stream_end(data, match.end(), _number(dictionary, b"Length", -1))
        position = previous_end = stop
        decoded = _decode(data[match.end() : stop], dictionary, budget)
        if decoded is not None:
            yield decoded


def _stream_end(data: bytes, start: int, length: int) -> int:
    """Where the stream's data ends: after /Length bytes when "endstream" follows there, as
    viewers read it, otherwise at the next "endstream" (a "endstream" planted inside the data
    does not cut a stream short when its length is right)."""
    if length >= 0 and data[start + length : start + length + 11].lstrip().startswith(b"endstream"):
        return start + length
    stop = data.find(b"endstream", start)
    return len(data) if stop < 0 else stop


def _normalised(dictionary: bytes) -> bytes:
    return NAME.sub(lambda m: b"/" + decode_name(m.group(1)).encode("latin-1"), dictionary)


def _filters(dictionary: bytes) -> list[bytes]:
    found = re.search(rb"/Filter\s*(\[[^\]]*\]|/[^\s/\[\]<>()]+)", dictionary)
    return re.findall(rb"/([^\s/\[\]<>()]+)", found.group(1)) if found else []


def _number(dictionary: bytes, key: bytes, default: int) -> int:
    found = re.search(rb"/" + key + rb"\s+(\d+)", dictionary)
    return int(found.group(1)) if found else default


def _decode(raw: bytes, dictionary: bytes, budget: list[int]) -> bytes | None:
    is_object_stream = re.search(rb"/Type\s*/ObjStm", dictionary) is not None
    if re.search(rb"/Subtype\s*/Image", dictionary) and not is_object_stream:
        return None
    data = raw
    for name in _filters(dictionary):
        if name in IMAGE_FILTERS:
            return None
        if name in (b"FlateDecode", b"Fl"):
            data = _inflate(data, budget)
        elif name in (b"ASCIIHexDecode", b"AHx"):
            data = _spend(bytes.fromhex(_even(HEX_DIGITS.sub(b"", data.split(b">")[0]))), budget)
        elif name in (b"ASCII85Decode", b"A85"):
            data = _spend(_ascii85(data), budget)
        elif name in (b"LZWDecode", b"LZW"):
            try:
                data = _spend(LZWDecode.decode(data), budget)
            except (PyPdfError, ValueError, IndexError):
                return None
        elif name in (b"RunLengthDecode", b"RL"):
            data = _run_length(data, budget)
        else:
            return None
        if name in (b"FlateDecode", b"Fl", b"LZWDecode", b"LZW") and is_object_stream:
            data = _unpredict(data, dictionary)
    return data


def _spend(data: bytes, budget: list[int]) -> bytes:
    budget[0] -= len(data)
    if budget[0] < 0:
        raise ExpansionLimitReached
    return data


def _even(digits: bytes) -> str:
    return (digits + b"0" * (len(digits) % 2)).decode()


def _inflate(data: bytes, budget: list[int]) -> bytes:
    """Inflate as far as the data is valid, as viewers do, and never beyond the budget."""
    inflater = zlib.decompressobj()
    out = []
    try:
        for start in range(0, len(data), READ_CHUNK):
            pending = data[start : start + READ_CHUNK]
            while pending and not inflater.eof:
                part = inflater.decompress(pending, max(budget[0], 0) + 1)
                out.append(_spend(part, budget))
                pending = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error:
        pass
    return b"".join(out)


def _ascii85(data: bytes) -> bytes:
    body = data.split(b"~>")[0].removeprefix(b"<~")
    try:
        return base64.a85decode(body, ignorechars=WHITESPACE)
    except ValueError:
        return b""


def _run_length(data: bytes, budget: list[int]) -> bytes:
    out, position = bytearray(), 0
    while position < len(data):
        length = data[position]
        if length == 128:
            break
        if length < 128:
            chunk = data[position + 1 : position + 2 + length]
            position += 2 + length
        else:
            chunk = data[position + 1 : position + 2] * (257 - length)
            position += 2
        out += _spend(chunk, budget)
    return bytes(out)


def _unpredict(data: bytes, dictionary: bytes) -> bytes:
    """Undo PNG row predictors, which object and cross-reference streams may use; without this
    the names inside an object stream come out interleaved with filter bytes."""
    if _number(dictionary, b"Predictor", 1) < 10:
        return data
    width = max(
        1,
        (
            _number(dictionary, b"Columns", 1)
            * _number(dictionary, b"Colors", 1)
            * _number(dictionary, b"BitsPerComponent", 8)
            + 7
        )
        // 8,
    )
    pixel = max(
        1, (_number(dictionary, b"Colors", 1) * _number(dictionary, b"BitsPerComponent", 8)) // 8
    )
    previous = bytearray(width)
    out = bytearray()
    for start in range(0, len(data), width + 1):
        kind, row = data[start], bytearray(data[start + 1 : start + 1 + width].ljust(width, b"\0"))
        for i in range(width):
            left = row[i - pixel] if i >= pixel else 0
            up = previous[i]
            if kind == 1:
                row[i] = (row[i] + left) & 0xFF
            elif kind == 2:
                row[i] = (row[i] + up) & 0xFF
            elif kind == 3:
                row[i] = (row[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                corner = previous[i - pixel] if i >= pixel else 0
                row[i] = (row[i] + _paeth(left, up, corner)) & 0xFF
        out += row
        previous = row
    return bytes(out)


def _paeth(left: int, up: int, corner: int) -> int:
    estimate = left + up - corner
    a, b, c = abs(estimate - left), abs(estimate - up), abs(estimate - corner)
    if a <= b and a <= c:
        return left
    return up if b <= c else corner
