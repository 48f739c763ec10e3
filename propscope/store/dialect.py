"""What the shared statements ask of a database's SQL: placeholders, IN lists, the full-text match and the
query compiled for it, and which of its errors mean a refused write or an unreadable query. One subclass per
database (sqlite.py, postgres.py); the shared code builds each statement from these fragments and never edits
a finished one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from propscope.search import Term
    from propscope.store.engine import Engine


class Dialect:
    param = "?"  # one parameter's placeholder
    in_chunk = 900  # values per IN list that in_chunks sends at once
    Error: type[Exception] = Exception  # any error of the database's driver
    IntegrityError: type[Exception] = Exception  # a constraint refused the row
    # The full-text match over `articles a`, each with one parameter (the compiled query):
    text_from = ""  # FROM ... WHERE, joining the matches to `a`
    text_id = ""  # the matches' article id column there (keyset paging follows it)
    text_in = ""  # a condition on `a`: it is one of the matches
    newest = "a.date DESC, a.id DESC"  # newest first, undated last

    def marks(self, count: int) -> str:
        """Placeholders for `count` values in a row: VALUES (...)."""
        return ", ".join([self.param] * count)

    def in_list(self, column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
        """`column` is one of `values`: the condition and its parameters."""
        return f"{column} IN ({self.marks(len(values))})", list(values)

    def unplanned(self, column: str) -> str:
        """A column whose index must not drive the plan of a full-text search (SQLite's unary +)."""
        return column

    def distinct_list(self, column: str) -> str:
        """The distinct values of a column in a group, comma-separated."""
        return f"group_concat(DISTINCT {column})"

    def compile_query(self, terms: list[Term], engine: Engine) -> str:
        """The parsed search language as the value of the full-text match's parameter."""
        raise NotImplementedError

    def refused_write(self, exc: Exception) -> str | None:
        """Why the database refused a write (full disk, read-only, no permission), or None if `exc` is not that."""
        raise NotImplementedError

    def refused_query(self, exc: Exception) -> bool:
        """Whether `exc` says the full-text engine cannot read the compiled query."""
        raise NotImplementedError

    def stopped(self, exc: Exception) -> bool:
        """Whether `exc` says the database stopped the statement when asked to (a timeout, a cancel)."""
        raise NotImplementedError
