"""The project's own errors. Readers raise only :class:`ParseError` on bad input."""

from __future__ import annotations


class ParseError(Exception):
    """Input that cannot be read. Rendered as ``error: FILE:LINE: message``."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def with_path(self, path: str | None) -> ParseError:
        if self.path is None:
            self.path = path
        return self

    def one_line(self) -> str:
        where = self.path or "<input>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        msg = " ".join(self.message.split())
        return f"error: {where}: {msg}"

    def __str__(self) -> str:
        return self.one_line()
