"""The gazetteer: curated, versioned names of countries, places, people, organisations and outlets.

It ships with the package (`enrich/data/gazetteer.json`); a user extends it with a file of the same shape
(`PROPSCOPE_GAZETTEER=/path/to/mine.json`, read at the edge into Settings and passed here), whose entries
are added, or replace the shipped entry of the same type and canonical name. Parse uses it for place
spellings, enrich for every entity.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from propscope.errors import InputError
from propscope.model import EntityType

SECTIONS: dict[str, EntityType] = {
    "countries": "country",
    "places": "place",
    "persons": "person",
    "organizations": "organization",
    "outlets": "outlet",
}


ROLES = ("adversary", "compatriot")


@dataclass(frozen=True, slots=True)
class Name:
    """One entry: a canonical name, its aliases, its type and its country."""

    canonical: str
    type: EntityType
    country: str | None
    aliases: tuple[str, ...]
    role: str | None = None  # adversary or compatriot where a support claim must not call it foreign
    parent: str | None = None  # the body an organ counts as ("Central Committee of the CPC" -> its party)


@dataclass(frozen=True, slots=True)
class Gazetteer:
    version: str
    names: tuple[Name, ...]

    def country_names(self) -> dict[str, str]:
        return {n.country: n.canonical for n in self.names if n.type == "country" and n.country}


def _entries(data: dict[str, Any], origin: str) -> list[Name]:
    names: list[Name] = []
    for section, entity_type in SECTIONS.items():
        for item in data.get(section, []):
            if entity_type == "country":
                canonical = item["name"]
                aliases = [canonical, *item.get("aliases", []), *item.get("demonyms", [])]
                country = item["code"]
            else:
                canonical = item["canonical"]
                aliases = [canonical, *item.get("aliases", [])]
                country = item.get("country")
            if not isinstance(canonical, str) or not canonical.strip():
                raise InputError(f"an entry in '{section}' has no name", origin)
            unique = tuple(dict.fromkeys(a for a in aliases if isinstance(a, str) and a.strip()))
            role, parent = item.get("role"), item.get("parent")
            if role not in (None, *ROLES):
                raise InputError(f"{canonical!r} has role {role!r}; use one of {', '.join(ROLES)}", origin)
            names.append(Name(canonical, entity_type, country, unique, role, parent))
    return names


def load_gazetteer_file(path: Path) -> tuple[str, list[Name]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read the gazetteer ({exc}); check the file is JSON", str(path)) from exc
    if not isinstance(data, dict):
        raise InputError("a gazetteer is a JSON object with countries, places, persons, ...", str(path))
    try:
        return str(data.get("version", "user")), _entries(data, str(path))
    except (KeyError, TypeError) as exc:
        raise InputError(f"malformed gazetteer entry ({exc}); see README.md, section Names", str(path)) from exc


@cache
def load_gazetteer(user_file: str | None = None) -> Gazetteer:
    """The shipped gazetteer, extended by the user's file (Settings.gazetteer_file, passed from the edge)."""
    shipped = resources.files("propscope.enrich") / "data" / "gazetteer.json"  # shipped beside the enrich steps
    with resources.as_file(shipped) as path:
        version, names = load_gazetteer_file(path)
    if user_file:
        user_version, user_names = load_gazetteer_file(Path(user_file))
        replaced = {(n.type, n.canonical) for n in user_names}
        names = [n for n in names if (n.type, n.canonical) not in replaced] + user_names
        version = f"{version}+{user_version}"
    return Gazetteer(version, tuple(names))


@cache
def place_spellings(user_file: str | None = None) -> dict[str, str]:
    """Lower-cased alias -> canonical place name ("teheran" -> "Tehran"), for datelines."""
    names = load_gazetteer(user_file).names
    return {alias.lower(): n.canonical for n in names if n.type == "place" for alias in n.aliases}


def _folded(name: str) -> str:
    """How a typed country name is compared: case and runs of white space ignored."""
    return " ".join(name.casefold().split())


@cache
def country_lookup(user_file: str | None = None) -> dict[str, str]:
    """Folded ISO code, name, alias or demonym -> ISO code ("usa", "united states", "us" -> "US")."""
    lookup: dict[str, str] = {}
    for n in load_gazetteer(user_file).names:
        if n.type == "country" and n.country:
            lookup[_folded(n.country)] = n.country
            for alias in n.aliases:
                lookup.setdefault(_folded(alias), n.country)
    return lookup


def resolve_countries(given: Iterable[str], what: str, user_file: str | None = None) -> tuple[str, ...]:
    """Each country as its ISO code, by code or by any name the gazetteer knows, in order, once; one that it
    does not know raises UsageError naming it and the closest names it does know (a filter on a country no
    article can carry would answer 0 hits without a word)."""
    from propscope.errors import UsageError

    lookup = country_lookup(user_file)
    codes: list[str] = []
    for value in given:
        code = lookup.get(_folded(value))
        if code is None:
            names = load_gazetteer(user_file).country_names()
            close = difflib.get_close_matches(_folded(value), lookup, n=3, cutoff=0.75)
            shown = list(dict.fromkeys(f"{names.get(lookup[c], c)} ({lookup[c]})" for c in close))
            hint = f"; did you mean {' or '.join(shown)}?" if shown else "; use an ISO code (US) or a country's name"
            raise UsageError(f"{what} {value!r} is not a country the gazetteer knows{hint}")
        codes.append(code)
    return tuple(dict.fromkeys(codes))
