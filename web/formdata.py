"""Reading form bodies strictly: text that is not UTF-8, or a broken multipart body, is refused
(400) before any view sees it, instead of being decoded as Latin-1 mojibake ("ÿþý")."""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.datastructures import Headers
from starlette.formparsers import MultiPartException, MultiPartParser


class BadForm(Exception):
    """The body cannot be read as the form it claims to be."""


class _StrictMultiPartParser(MultiPartParser):
    def on_part_end(self) -> None:
        if self._current_part.file is None:
            try:
                self._current_part.data.decode("utf-8")
                self._current_part.field_name.encode("utf-8")
            except (UnicodeDecodeError, UnicodeEncodeError):
                raise MultiPartException("A form field is not UTF-8 text.") from None
        super().on_part_end()


def urlencoded_fields(body: bytes) -> dict[str, str]:
    """The fields of an application/x-www-form-urlencoded body, which must be UTF-8."""
    try:
        return dict(parse_qsl(body.decode("ascii"), keep_blank_values=True, encoding="utf-8",
                              errors="strict"))
    except UnicodeError:
        raise BadForm() from None


async def multipart_text_fields(headers: Headers, body: bytes) -> dict[str, str]:
    """The text fields of a multipart/form-data body (files are checked, then dropped)."""

    async def stream():  # type: ignore[no-untyped-def]
        yield body

    parser = _StrictMultiPartParser(headers, stream(), max_files=1000, max_fields=1000)
    try:
        form = await parser.parse()
    except MultiPartException:
        raise BadForm() from None
    try:
        return {key: value for key, value in form.multi_items() if isinstance(value, str)}
    finally:
        await form.close()
