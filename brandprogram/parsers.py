"""Request body parsers of the API: JSON and multipart, refusing what no field can hold.

A body nested thousands of levels deep makes the JSON decoder (and everything that walks the
result afterwards) recurse until Python gives up; a NUL character cannot be stored in
PostgreSQL text, so a value echoed back in an error and kept for ``Idempotency-Key`` retries
would fail to save. Both are refused here, as a 400 problem, before any view sees the body.
"""

from rest_framework import parsers
from rest_framework.exceptions import ParseError

# Far deeper than any request body of the API (the deepest is three levels).
MAX_DEPTH = 32


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise _too_deep() from None
        _check_values(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        _check_values(
            [list(parsed.data.lists()), [upload.name for upload in parsed.files.values()]]
        )
        return parsed


def _check_values(data) -> None:
    """Walk the parsed body without recursion: refuse deep nesting and NUL characters."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise _too_deep()
        if isinstance(value, str):
            if "\x00" in value:
                raise ParseError(
                    "The request contains a NUL character (U+0000), which no field accepts."
                )
        elif isinstance(value, dict):
            pending.extend((item, depth + 1) for pair in value.items() for item in pair)
        elif isinstance(value, list | tuple):
            pending.extend((item, depth + 1) for item in value)


def _too_deep() -> ParseError:
    return ParseError(f"The JSON body is nested more than {MAX_DEPTH} levels deep.")
