"""Invariants of the shipped gazetteer (propscope/enrich/data/gazetteer.json): shape, codes, uniqueness,
the names the labelling rules (docs/labeling.md) depend on. Standard library only."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

PATH = Path(__file__).resolve().parents[1] / "propscope" / "enrich" / "data" / "gazetteer.json"
SECTIONS = ("countries", "places", "persons", "organizations", "outlets")
OTHER_SECTIONS = SECTIONS[1:]


@pytest.fixture(scope="module")
def gaz() -> dict:
    return json.loads(PATH.read_text(encoding="utf-8"))


def _names(entry: dict) -> list[str]:
    """Every string an entry is known by: its name or canonical, aliases and demonyms."""
    head = entry["name"] if "name" in entry else entry["canonical"]
    return [head, *entry["aliases"], *entry.get("demonyms", [])]


def _country(gaz: dict, code: str) -> dict:
    found = [c for c in gaz["countries"] if c["code"] == code]
    assert len(found) == 1, code
    return found[0]


def _entry(gaz: dict, section: str, canonical: str) -> dict:
    found = [e for e in gaz[section] if e["canonical"] == canonical]
    assert len(found) == 1, f"{section}: {canonical}"
    return found[0]


def _codes(gaz: dict) -> set[str]:
    return {c["code"] for c in gaz["countries"]}


# ---------------------------------------------------------------- shape


def test_file_is_utf8_json_object_with_exact_top_level_keys(gaz):
    assert PATH.read_bytes().decode("utf-8")
    assert set(gaz) == {"version", *SECTIONS}
    assert isinstance(gaz["version"], str)
    assert re.fullmatch(r"\d{4}\.\d+\.\d+", gaz["version"])
    for section in SECTIONS:
        assert isinstance(gaz[section], list) and gaz[section], section


def test_country_entries_have_the_country_shape(gaz):
    for c in gaz["countries"]:
        assert set(c) == {"code", "name", "aliases", "demonyms"}, c
        assert isinstance(c["name"], str)
        assert isinstance(c["aliases"], list) and isinstance(c["demonyms"], list)


def test_other_entries_have_their_shape(gaz):
    for section in ("places", "organizations", "outlets"):
        for e in gaz[section]:
            allowed = {"canonical", "country", "aliases", "role", "parent"}
            assert {"canonical", "country", "aliases"} <= set(e) <= allowed, (section, e)
    for e in gaz["persons"]:
        assert {"canonical", "aliases", "country"} <= set(e) <= {"canonical", "aliases", "country", "note", "role"}, e
        if "note" in e:
            assert isinstance(e["note"], str) and e["note"].strip()


def test_roles_and_parents_name_what_exists(gaz):
    """A role is adversary or compatriot; a parent is another organisation's canonical name."""
    organizations = {e["canonical"] for e in gaz["organizations"]}
    for section in ("persons", "organizations", "outlets"):
        for e in gaz[section]:
            assert e.get("role") in (None, "adversary", "compatriot"), e
            if "parent" in e:
                assert e["parent"] in organizations and e["parent"] != e["canonical"], e


def test_every_name_is_a_clean_nonempty_string_listed_once(gaz):
    for section in SECTIONS:
        for e in gaz[section]:
            names = _names(e)
            for n in names:
                assert isinstance(n, str) and n, (section, e)
                assert n == n.strip() and "  " not in n, (section, n)
            assert len(names) == len(set(names)), (section, names)


# ---------------------------------------------------------------- codes


def test_iso_codes_are_two_capital_letters_and_unique(gaz):
    codes = [c["code"] for c in gaz["countries"]]
    for code in codes:
        assert re.fullmatch(r"[A-Z]{2}", code), code
    assert len(codes) == len(set(codes))


def test_all_iso_countries_are_there(gaz):
    assert len(gaz["countries"]) >= 240


def test_entry_country_codes_are_known_or_null(gaz):
    codes = _codes(gaz)
    for section in OTHER_SECTIONS:
        for e in gaz[section]:
            assert e["country"] is None or e["country"] in codes, (section, e["canonical"], e["country"])


# ---------------------------------------------------------------- uniqueness and order


def test_no_duplicate_canonical_names(gaz):
    for section in OTHER_SECTIONS:
        canon = [e["canonical"] for e in gaz[section]]
        assert len(canon) == len(set(canon)), section
    names = [c["name"] for c in gaz["countries"]]
    assert len(names) == len(set(names))
    everything = names + [e["canonical"] for s in OTHER_SECTIONS for e in gaz[s]]
    assert len(everything) == len(set(everything)), "a canonical name is used in two sections"


def test_no_alias_collides_across_two_countries(gaz):
    owners: dict[str, set[str]] = defaultdict(set)
    for c in gaz["countries"]:
        for n in _names(c):
            owners[n.casefold()].add(c["code"])
    clashes = {n: sorted(s) for n, s in owners.items() if len(s) > 1}
    assert not clashes, clashes


def test_no_name_is_shared_by_two_entries(gaz):
    owners: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for section in SECTIONS:
        for e in gaz[section]:
            key = e.get("code") or e["canonical"]
            for n in _names(e):
                owners[n.casefold()].add((section, key))
    clashes = {n: sorted(s) for n, s in owners.items() if len(s) > 1}
    assert not clashes, clashes


def test_aliases_do_not_repeat_the_canonical(gaz):
    for section in OTHER_SECTIONS:
        for e in gaz[section]:
            assert e["canonical"] not in e["aliases"], e["canonical"]


def test_lists_are_sorted(gaz):
    codes = [c["code"] for c in gaz["countries"]]
    assert codes == sorted(codes)
    for section in OTHER_SECTIONS:
        canon = [e["canonical"] for e in gaz[section]]
        assert canon == sorted(canon, key=lambda s: (s.casefold(), s)), section


def test_place_canonicals_are_not_country_names(gaz):
    country_names = {n.casefold() for c in gaz["countries"] for n in _names(c)}
    for p in gaz["places"]:
        assert p["canonical"].casefold() not in country_names, p["canonical"]


# ---------------------------------------------------------------- names the labelling rules need


# The names the labelling rules (docs/labeling.md) rely on, by country.
REQUIRED_NAMES = {
    "KP": (
        "Korea",
        "Korean",
        "Koreans",
        "DPRK",
        "D.P.R.K.",
        "north Korea",
        "North Korea",
        "Democratic People's Republic of Korea",
        "RPDC",
        "Corea",
        "coreano",
    ),
    "KR": (
        "south Korea",
        "South Korea",
        "south Korean",
        "South Korean",
        "ROK",
        "Republic of Korea",
        "Corea del Sur",
        "surcoreano",
        "surcoreanos",
        "sudcoreano",
    ),
    "US": (
        "United States",
        "United States of America",
        "U.S.",
        "USA",
        "U.S.A.",
        "America",
        "US",
        "Estados Unidos",
        "EE.UU.",
        "EEUU",
        "American",
        "Americans",
        "estadounidense",
        "estadounidenses",
        "norteamericano",
        "norteamericanos",
        "yanqui",
    ),
    "JP": ("Japan", "Japanese", "Japón", "Japon", "japonés", "japoneses"),
    "CN": ("China", "Chinese", "PRC", "People's Republic of China", "chino", "chinos"),
}


@pytest.mark.parametrize("code", sorted(REQUIRED_NAMES))
def test_names_the_labelling_rules_need(gaz, code):
    names = set(_names(_country(gaz, code)))
    for n in REQUIRED_NAMES[code]:
        assert n in names, n


def test_china_is_no_other_country_s_demonym(gaz):
    others = {n for c in gaz["countries"] if c["code"] != "CN" for n in c["demonyms"]}
    assert "China" not in others and "Chinese" not in others


@pytest.mark.parametrize(
    "alias, code",
    [
        ("Soviet Union", "RU"),
        ("USSR", "RU"),
        ("Yugoslavia", "RS"),
        ("Czechoslovakia", "CZ"),
        ("Kampuchea", "KH"),
        ("Zaire", "CD"),
        ("Burma", "MM"),
        ("Byelorussia", "BY"),
        ("Viet Nam", "VN"),
        ("Lao", "LA"),
        ("DR Congo", "CD"),
        ("Syria", "SY"),
        ("Zimbabwe", "ZW"),
        ("UK", "GB"),
        ("UAE", "AE"),
        ("DRC", "CD"),
        ("Georgia", "GE"),
        ("Jordan", "JO"),
        ("Chad", "TD"),
        ("Turkey", "TR"),
    ],
)
def test_country_spellings_and_historic_states(gaz, alias, code):
    assert alias in _names(_country(gaz, code))


def test_no_ordinary_lowercase_words_as_country_aliases(gaz):
    banned = {
        "us",
        "chad",
        "turkey",
        "china",
        "guinea",
        "jersey",
        "man",
        "reunion",
        "reunión",
        "reuniones",
        "georgia",
        "jordan",
        "macedonia",
    }
    for c in gaz["countries"]:
        for n in _names(c):
            assert n not in banned, (c["code"], n)


def test_regions_have_no_country(gaz):
    for canonical in ("Korean Peninsula", "Northeast Asia", "Asia", "Africa", "Europe", "Middle East", "Latin America"):
        assert _entry(gaz, "places", canonical)["country"] is None, canonical
    assert "Korean peninsula" in _entry(gaz, "places", "Korean Peninsula")["aliases"]


def test_places_the_corpus_needs(gaz):
    expect = {
        "Pyongyang": "KP",
        "Kaesong": "KP",
        "Hamhung": "KP",
        "Chongjin": "KP",
        "Sinuiju": "KP",
        "Wonsan": "KP",
        "Nampho": "KP",
        "Rason": "KP",
        "Mt. Paektu": "KP",
        "Panmunjom": "KP",
        "Seoul": "KR",
        "Tokyo": "JP",
        "Beijing": "CN",
        "Moscow": "RU",
        "Tehran": "IR",
        "Havana": "CU",
        "Mexico City": "MX",
        "Washington": "US",
        "New Delhi": "IN",
        "Luanda": "AO",
    }
    for canonical, code in expect.items():
        assert _entry(gaz, "places", canonical)["country"] == code, canonical
    assert "Teheran" in _entry(gaz, "places", "Tehran")["aliases"]
    assert "Phanmunjom" in _entry(gaz, "places", "Panmunjom")["aliases"]


def test_enough_persons_and_the_leaders(gaz):
    assert len(gaz["persons"]) >= 300
    for canonical, code in [
        ("Kim Il Sung", "KP"),
        ("Kim Jong Il", "KP"),
        ("Kim Jong Un", "KP"),
        ("Kim Yong Nam", "KP"),
        ("Choe Ryong Hae", "KP"),
        ("Pak Pong Ju", "KP"),
        ("Kim Yo Jong", "KP"),
        ("Ri Sol Ju", "KP"),
        ("Jang Song Thaek", "KP"),
        ("Hwang Pyong So", "KP"),
        ("Kim Yong Chol", "KP"),
        ("Ri Yong Ho", "KP"),
        ("Choe Son Hui", "KP"),
        ("Kang Sok Ju", "KP"),
        ("Kim Kye Gwan", "KP"),
        ("Paek Nam Sun", "KP"),
        ("Kim Jong Suk", "KP"),
        ("Kim Hyong Jik", "KP"),
        ("Kang Pan Sok", "KP"),
        ("Lee Myung Bak", "KR"),
        ("Park Geun Hye", "KR"),
        ("Roh Moo Hyun", "KR"),
        ("Moon Jae In", "KR"),
        ("Yoon Suk Yeol", "KR"),
        ("Kim Dae Jung", "KR"),
        ("Kim Young Sam", "KR"),
        ("George W. Bush", "US"),
        ("Barack Obama", "US"),
        ("Donald Trump", "US"),
        ("Shinzo Abe", "JP"),
        ("Xi Jinping", "CN"),
        ("Hu Jintao", "CN"),
    ]:
        assert _entry(gaz, "persons", canonical)["country"] == code, canonical


def test_korean_names_are_spaced_syllables_with_hyphenated_aliases(gaz):
    assert "Kim Jong-un" in _entry(gaz, "persons", "Kim Jong Un")["aliases"]
    assert "Lee Myung-bak" in _entry(gaz, "persons", "Lee Myung Bak")["aliases"]
    assert "Park Geun-hye" in _entry(gaz, "persons", "Park Geun Hye")["aliases"]
    for p in gaz["persons"]:
        if p["country"] in ("KP", "KR"):
            assert "-" not in p["canonical"], p["canonical"]


def test_no_bare_surnames_or_ambiguous_person_aliases(gaz):
    for p in gaz["persons"]:
        if " " not in p["canonical"]:
            continue  # single-name people (Sukarno, Akihito) may have single-word spellings
        for alias in p["aliases"]:
            assert " " in alias, (p["canonical"], alias)
    assert "George Bush" not in _names(_entry(gaz, "persons", "George W. Bush"))
    assert "Kim Yong Sam" not in _entry(gaz, "persons", "Kim Young Sam")["aliases"]


def test_organizations_that_hold_person_names(gaz):
    for canonical in (
        "Kim Il Sung University",
        "Kim Il Sung Square",
        "Kumsusan Palace of the Sun",
        "Kim Il Sung Socialist Youth League",
        "Kim Chaek University of Technology",
    ):
        assert _entry(gaz, "organizations", canonical)["country"] == "KP"


def test_party_state_and_foreign_bodies(gaz):
    wpk = _names(_entry(gaz, "organizations", "Workers' Party of Korea"))
    for n in ("Worker's Party of Korea", "Workers Party of Korea", "WPK", "Partido del Trabajo de Corea", "PTC"):
        assert n in wpk, n
    for canonical, code in [
        ("Korean People's Army", "KP"),
        ("Supreme People's Assembly", "KP"),
        ("National Defence Commission", "KP"),
        ("State Affairs Commission", "KP"),
        ("Committee for the Peaceful Reunification of the Fatherland", "KP"),
        ("General Association of Korean Residents in Japan", "JP"),
        ("Grand National Party", "KR"),
        ("Saenuri Party", "KR"),
        ("National Intelligence Service", "KR"),
        ("Communist Party of China", "CN"),
        ("Liberal Democratic Party of Japan", "JP"),
        ("United Nations", None),
        ("UN Security Council", None),
        ("International Atomic Energy Agency", None),
        ("European Union", None),
        ("NATO", None),
        ("Korean Friendship Association", None),
    ]:
        assert _entry(gaz, "organizations", canonical)["country"] == code, canonical
    assert "Chongryon" in _entry(gaz, "organizations", "General Association of Korean Residents in Japan")["aliases"]


def test_relayed_outlets_of_the_labelling_rules(gaz):
    for canonical in (
        "Rodong Sinmun",
        "Minju Joson",
        "Joson Inmingun",
        "Chongnyon Jonwi",
        "Tongil Sinbo",
        "Uriminzokkiri",
        "Choson Sinbo",
        "Kyulsim",
        "Minjok 21",
        "Arirang Meari",
        "Korea Today",
        "Pyongyang Times",
        "Voice of Korea",
        "Korean Central TV",
        "Naenara",
        "DPRK Today",
        "Ryomyong",
        "Meari",
        "Tongil Voice",
        "Xinhua",
        "TASS",
        "Kyodo",
        "Yonhap",
        "NHK",
        "New York Times",
        "Washington Post",
    ):
        _entry(gaz, "outlets", canonical)
    assert "Josoninmingun" in _entry(gaz, "outlets", "Joson Inmingun")["aliases"]
    assert "Chongnyonjonwi" in _entry(gaz, "outlets", "Chongnyon Jonwi")["aliases"]
    assert "Nodong Sinmun" in _entry(gaz, "outlets", "Rodong Sinmun")["aliases"]
    assert "KCNA" in _entry(gaz, "outlets", "Korean Central News Agency")["aliases"]
