"""What an import found in a file, and what can go wrong with one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Found:
    """An article as the file gives it: front matter values (None where the file does not say)
    and the body as Markdown blocks, the reporting verbatim."""

    title: str
    body: str  # Markdown: blocks separated by blank lines, ending in a newline
    outlet: str | None = None
    standfirst: str | None = None
    url: str | None = None
    published: dt.date | None = None
    author: str | None = None


class ImportProblem(Exception):
    """A file that cannot be imported: where (path, line, column), why, and what to do."""

    def __init__(
        self, path: str, message: str, hint: str = "", line: int | None = None, column: int = 1
    ) -> None:
        super().__init__(message)
        self.path, self.message, self.hint = path, message, hint
        self.line, self.column = line, column

    def located(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}:{self.column}"
        return f"{where}: error: {self.message}"
