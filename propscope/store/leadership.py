"""The leadership tracker's reads (issue 16): the leader's reported appearances and their counts, the officials'
registry (names written, titles, list positions, companions), the officials' standing over a period, and the
raw material of absences. Every statement is built through the dialect; the tables are written with each
article (writes.py): official_mentions from the officials layer, appearances and appearance_people derived from
the appearances layer."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from propscope.model import SPAN_LAYER
from propscope.store.base import StoreBase
from propscope.store.codec import ANNOTATIONS_VERSION, rebuilt_text, spans_from_notes
from propscope.store.filters import date_clauses

# An appearance (article_id, seq) each person accompanied or greeted, counted once per appearance.
_PEOPLE_AT = "SELECT DISTINCT article_id, seq, person FROM appearance_people"
# Every article naming a person in a list or at an appearance, with its date: what "seen" counts.
_SEEN = (
    "SELECT m.name AS name, m.article_id AS article_id, a.date AS date FROM official_mentions m"
    " JOIN articles a ON a.id = m.article_id"
    " UNION SELECT f.person, f.article_id, a.date FROM appearance_people f JOIN articles a ON a.id = f.article_id"
)


def _where(clauses: Sequence[str]) -> str:
    return "".join(f" AND {c}" for c in clauses)


class Leadership(StoreBase):
    def _bounds(self, column: str, since: str | None, until: str | None) -> tuple[list[str], list[Any]]:
        return date_clauses(self.d, since, until, column=column)

    def appearance_rows(
        self,
        leader: str | None = None,
        since: str | None = None,
        until: str | None = None,
        kind: str | None = None,
        with_: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Appearances by the date counted (event_date, else the article's), oldest first, each with who
        accompanied and who greeted him, in the text's order. `with_`: a person who accompanied or greeted."""
        p = self.d.param
        clauses, params = self._bounds("g.date", since, until)
        for column, value in (("g.leader", leader), ("g.kind", kind)):
            if value is not None:
                clauses.append(f"{column} = {p}")
                params.append(value)
        if with_ is not None:
            clauses.append(
                "EXISTS (SELECT 1 FROM appearance_people f WHERE f.article_id = g.article_id AND f.seq = g.seq"
                f" AND f.person = {p})"
            )
            params.append(with_)
        tail = ""
        if limit is not None:
            tail = f" LIMIT {p}"
            params.append(limit)
        rows = self.db.dicts(
            "SELECT g.article_id, a.date AS article_date, a.title, g.seq, g.leader, g.kind, g.place, g.event_date,"
            " g.date FROM appearances g JOIN articles a ON a.id = g.article_id"
            f" WHERE 1 = 1{_where(clauses)} ORDER BY g.date IS NULL, g.date, g.article_id, g.seq{tail}",
            params,
        )
        people: dict[tuple[int, int], dict[str, list[str]]] = {}
        ids = sorted({int(r["article_id"]) for r in rows})
        for article_id, seq, person, relation in self.db.in_chunks(
            "SELECT article_id, seq, person, relation FROM appearance_people WHERE {} ORDER BY position",
            "article_id",
            ids,
        ):
            people.setdefault((int(article_id), int(seq)), {}).setdefault(relation, []).append(person)
        for row in rows:
            found = people.get((int(row["article_id"]), int(row["seq"])), {})
            row["accompanied_by"] = tuple(found.get("accompanied", ()))
            row["greeted_by"] = tuple(found.get("greeted", ()))
        return rows

    def appearance_periods(
        self, width: int, leader: str | None, since: str | None, until: str | None
    ) -> tuple[list[tuple[str, str, int]], list[tuple[str, int, int]], int]:
        """(period, kind, appearances), (period, appearances, articles behind them) per period with the date
        prefix of `width`, oldest first, and the appearances with no date."""
        clauses, params = self._bounds("g.date", since, until)
        if leader is not None:
            clauses.append(f"g.leader = {self.d.param}")
            params.append(leader)
        where = _where(clauses)
        period = f"substr(g.date, 1, {width})"
        kinds = [
            (r[0], r[1], int(r[2]))
            for r in self.db.execute(
                f"SELECT {period} AS p, g.kind, count(*) FROM appearances g WHERE g.date IS NOT NULL{where}"
                " GROUP BY p, g.kind ORDER BY p, g.kind",
                params,
            )
        ]
        totals = [
            (r[0], int(r[1]), int(r[2]))
            for r in self.db.execute(
                f"SELECT {period} AS p, count(*), count(DISTINCT g.article_id) FROM appearances g"
                f" WHERE g.date IS NOT NULL{where} GROUP BY p ORDER BY p",
                params,
            )
        ]
        undated = 0
        if not since and not until:  # the clauses are the leader's alone
            undated = int(self.db.scalar(f"SELECT count(*) FROM appearances g WHERE g.date IS NULL{where}", params))
        return kinds, totals, undated

    def leaders(self) -> list[str]:
        """The leaders with an appearance, as stored (canonical)."""
        return [r[0] for r in self.db.execute("SELECT DISTINCT leader FROM appearances ORDER BY leader")]

    # -- the registry -------------------------------------------------------------------------------------

    def official_names(self) -> list[str]:
        """Every canonical name in a list or at an appearance, and every spelling written: what a name typed
        is looked up among."""
        rows = self.db.execute(
            "SELECT name FROM official_mentions UNION SELECT written FROM official_mentions"
            " UNION SELECT person FROM appearance_people"
        )
        return sorted({r[0] for r in rows})

    def canonical_official(self, name: str) -> str | None:
        """The canonical name `name` is, or is written as; None when the archive has neither."""
        p = self.d.param
        for sql in (
            f"SELECT name FROM official_mentions WHERE name = {p} LIMIT 1",
            f"SELECT person FROM appearance_people WHERE person = {p} LIMIT 1",
            f"SELECT name, count(*) FROM official_mentions WHERE written = {p} GROUP BY name ORDER BY 2 DESC LIMIT 1",
        ):
            row = self.db.one(sql, (name,))
            if row is not None:
                return str(row[0])
        return None

    def official_record(self, name: str) -> dict[str, Any]:
        """Everything the registry holds of one canonical name (see results.OfficialProfile)."""
        p = self.d.param
        db = self.db
        variants = [
            (r[0], int(r[1]))
            for r in db.execute(
                f"SELECT written, count(*) FROM official_mentions WHERE name = {p} GROUP BY written ORDER BY 2 DESC, 1",
                (name,),
            )
        ]
        titles = db.dicts(
            "SELECT m.title, min(a.date) AS first_seen, max(a.date) AS last_seen, count(*) AS mentions"
            f" FROM official_mentions m JOIN articles a ON a.id = m.article_id WHERE m.name = {p}"
            " AND m.title IS NOT NULL GROUP BY m.title ORDER BY min(a.date), m.title",
            (name,),
        )
        at = f"SELECT DISTINCT article_id, seq FROM appearance_people WHERE person = {p}"
        by_month = [
            (r[0], int(r[1]))
            for r in db.execute(
                f"SELECT substr(g.date, 1, 7) AS month, count(*) FROM ({at}) x"
                " JOIN appearances g ON g.article_id = x.article_id AND g.seq = x.seq"
                " WHERE g.date IS NOT NULL GROUP BY month ORDER BY month",
                (name,),
            )
        ]
        appearances = int(db.scalar(f"SELECT count(*) FROM ({at}) x", (name,)))
        companions = [
            (r[0], int(r[1]))
            for r in db.execute(
                "SELECT o.person, count(*) FROM"
                f" (SELECT DISTINCT article_id, seq FROM appearance_people WHERE person = {p}"
                " AND relation = 'accompanied') x"
                " JOIN (SELECT DISTINCT article_id, seq, person FROM appearance_people"
                " WHERE relation = 'accompanied') o ON o.article_id = x.article_id AND o.seq = x.seq"
                f" WHERE o.person <> {p} GROUP BY o.person ORDER BY 2 DESC, 1 LIMIT 20",
                (name, name),
            )
        ]
        positions = db.dicts(
            "SELECT a.date, m.list, m.position, m.size, m.article_id FROM official_mentions m"
            f" JOIN articles a ON a.id = m.article_id WHERE m.name = {p}"
            " ORDER BY a.date IS NULL, a.date, m.article_id, m.list, m.position",
            (name,),
        )
        seen = db.one(
            f"SELECT min(x.date), max(x.date) FROM ({_SEEN}) x WHERE x.name = {p} AND x.date IS NOT NULL", (name,)
        )
        return {
            "name": name,
            "variants": tuple(written for written, _ in variants) or (name,),
            "titles": titles,
            "appearances_by_month": tuple(by_month),
            "companions": tuple(companions),
            "positions": positions,
            "first_seen": seen[0] if seen else None,
            "last_seen": seen[1] if seen else None,
            "mentions": sum(n for _, n in variants),
            "appearances": appearances,
        }

    def standings(
        self, since: str | None, until: str | None, leader: str | None, protocol_lists: Sequence[str]
    ) -> dict[str, dict[str, Any]]:
        """Per name over a period: appearances with the leader (by the date counted) and, per list kind
        (accompanied, protocol), the mean place and how many lists (by the article's date). `leader` narrows
        the appearances and the accompaniment lists to his; protocol lists are counted whoever presided."""
        p = self.d.param
        out: dict[str, dict[str, Any]] = {}
        clauses, params = self._bounds("g.date", since, until)
        if leader is not None:
            clauses.append(f"g.leader = {p}")
            params.append(leader)
        for person, n in self.db.execute(
            f"SELECT x.person, count(*) FROM ({_PEOPLE_AT}) x"
            " JOIN appearances g ON g.article_id = x.article_id AND g.seq = x.seq"
            f" WHERE 1 = 1{_where(clauses)} GROUP BY x.person",
            params,
        ):
            out.setdefault(person, {})["appearances"] = int(n)
        lists, list_params = self.d.in_list("m.list", ["accompanied", *protocol_lists])
        clauses, params = self._bounds("a.date", since, until)
        if leader is not None:
            clauses.append(
                f"(m.list <> 'accompanied' OR EXISTS (SELECT 1 FROM appearances g WHERE g.article_id = m.article_id"
                f" AND g.seq = m.appearance AND g.leader = {p}))"
            )
            params.append(leader)
        for name, list_kind, mean, n in self.db.execute(
            "SELECT m.name, CASE WHEN m.list = 'accompanied' THEN 'accompanied' ELSE 'protocol' END AS kind,"
            " avg(m.position), count(*) FROM official_mentions m JOIN articles a ON a.id = m.article_id"
            f" WHERE {lists}{_where(clauses)} GROUP BY m.name, kind",
            [*list_params, *params],
        ):
            standing = out.setdefault(name, {})
            standing[f"{list_kind}_position"] = float(mean)
            standing[f"{list_kind}_lists"] = int(n)
        return out

    # -- absences -----------------------------------------------------------------------------------------

    def appearance_days(self, leader: str | None) -> list[tuple[str, str, int]]:
        """(leader, date counted, an article reporting it) per leader and day with an appearance, in order."""
        clauses: list[str] = []
        params: list[Any] = []
        if leader is not None:
            clauses.append(f"g.leader = {self.d.param}")
            params.append(leader)
        return [
            (r[0], r[1], int(r[2]))
            for r in self.db.execute(
                "SELECT g.leader, g.date, min(g.article_id) FROM appearances g"
                f" WHERE g.date IS NOT NULL{_where(clauses)} GROUP BY g.leader, g.date ORDER BY g.leader, g.date",
                params,
            )
        ]

    def articles_by_day(self) -> list[tuple[str, int]]:
        """(date, articles) per day the archive has dispatches from, oldest first."""
        return [
            (r[0], int(r[1]))
            for r in self.db.execute(
                "SELECT date, count(*) FROM articles WHERE date IS NOT NULL GROUP BY date ORDER BY date"
            )
        ]

    def latest_date(self) -> str | None:
        """The archive's latest article date."""
        value = self.db.scalar("SELECT max(date) FROM articles")
        return str(value) if value is not None else None

    def last_seen_before(self, cutoff: str, min_seen: int) -> list[dict[str, Any]]:
        """Names seen (in a list or at an appearance) in at least `min_seen` articles, the last on or before
        `cutoff`: first and last date, articles, and the last article."""
        p = self.d.param
        found = self.db.dicts(
            "SELECT x.name, min(x.date) AS first_seen, max(x.date) AS last_seen, count(DISTINCT x.article_id) AS seen"
            f" FROM ({_SEEN}) x WHERE x.date IS NOT NULL GROUP BY x.name"
            f" HAVING count(DISTINCT x.article_id) >= {p} AND max(x.date) <= {p} ORDER BY max(x.date), x.name",
            (min_seen, cutoff),
        )
        last: dict[tuple[str, str], int] = {}
        for name, date, article_id in self.db.in_chunks(
            f"SELECT x.name, x.date, max(x.article_id) FROM ({_SEEN}) x WHERE {{}} GROUP BY x.name, x.date",
            "x.name",
            [row["name"] for row in found],
        ):
            last[(name, date)] = int(article_id)
        for row in found:
            row["last_article_id"] = last.get((row["name"], row["last_seen"]), 0)
        return found

    def registry_spellings(self) -> list[tuple[str, str]]:
        """(canonical, as written) for every name in a list or at an appearance, each canonical name as
        itself too: what a version's text is searched for."""
        rows = self.db.execute(
            "SELECT name, written FROM official_mentions UNION SELECT name, name FROM official_mentions"
            " UNION SELECT person, person FROM appearance_people"
        )
        return sorted({(r[0], r[1]) for r in rows})

    def versioned_names(self, chunk: int = 200) -> Iterator[dict[str, Any]]:
        """Per article with earlier versions: its title and, oldest version first, each version's number, when
        it was seen, the names it held (persons and the people at its appearances, from its annotations; the
        latest version's list officials too) and its text."""
        ids = [int(r[0]) for r in self.db.execute("SELECT DISTINCT article_id FROM article_versions ORDER BY 1")]
        for start in range(0, len(ids), chunk):
            part = ids[start : start + chunk]
            versions: dict[int, list[tuple[int, str | None, set[str], str]]] = {}
            among, params = self.d.in_list("article_id", part)
            for article_id, version, seen_at, notes, title, body, text in self.db.execute(
                "SELECT article_id, version, seen_at, annotations, title, body, text FROM article_versions"
                f" WHERE {among} ORDER BY article_id, version",
                params,
            ):
                held = (
                    int(version),
                    seen_at,
                    _names_in(notes),
                    text if text is not None else rebuilt_text(title, body),
                )
                versions.setdefault(int(article_id), []).append(held)
            officials: dict[int, set[str]] = {}
            for article_id, name in self.db.execute(
                f"SELECT article_id, name FROM official_mentions WHERE {among}", params
            ):
                officials.setdefault(int(article_id), set()).add(name)
            among, params = self.d.in_list("id", part)
            for article_id, version, seen_at, title, notes, body, text in self.db.execute(
                f"SELECT id, version, seen_at, title, annotations, body, text FROM articles WHERE {among} ORDER BY id",
                params,
            ):
                article_id = int(article_id)
                names = _names_in(notes) | officials.get(article_id, set())
                latest = (int(version), seen_at, names, text if text is not None else rebuilt_text(title, body))
                yield {"article_id": article_id, "title": title, "versions": [*versions.get(article_id, []), latest]}


_ENTITIES = SPAN_LAYER["entities"]
_APPEARANCES = SPAN_LAYER["appearances"]


def _names_in(annotations: str | None) -> set[str]:
    """The persons an article's stored annotations name: its person entities and everyone at its
    appearances. Annotations of another version than this propscope reads name nobody."""
    if not annotations:
        return set()
    notes = json.loads(annotations)
    if notes.get("v") != ANNOTATIONS_VERSION:
        return set()
    names = {e.canonical for e in spans_from_notes(_ENTITIES, notes.get("entities"), "") if e.type == "person"}
    for appearance in spans_from_notes(_APPEARANCES, notes.get("appearances"), ""):
        names.update(appearance.accompanied_by)
        names.update(appearance.greeted_by)
    return names
