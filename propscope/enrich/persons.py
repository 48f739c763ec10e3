"""People the gazetteer does not know, found by the shapes names take in these texts, and the canonical
form of every person name (titles dropped, title case, Korean syllables split: "Kim Jong-un" -> "Kim Jong Un").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import ahocorasick

KOREAN_SURNAMES = [
    "Kim",
    "Ri",
    "Pak",
    "Choe",
    "Jong",
    "Kang",
    "Jang",
    "Han",
    "O",
    "Yun",
    "Jo",
    "Ryu",
    "Hong",
    "Hwang",
    "Ko",
    "Son",
    "Song",
    "Mun",
    "Yang",
    "Paek",
    "Jon",
    "Chon",
    "Ju",
    "An",
    "Sin",
    "Cha",
    "Chae",
    "Ho",
    "Rim",
    "Ryang",
    "Thae",
    "Kwon",
    "Nam",
    "Hyon",
    "Pyon",
    "So",
    "Tong",
    "Yu",
    "Ra",
    "Cho",
    "Choi",
    "Lee",
    "Park",
    "Roh",
    "Moon",
    "Yoon",
    "Chun",
    "Chung",
    "Jeong",
    "Hyun",
    "Ahn",
    "Shin",
    "Oh",
    "Lim",
    "Ha",
    "Kye",
    "Ma",
    "Chu",
    "Kil",
    "Pang",
    "Sok",
    "Won",
    "Myong",
    "Kong",
    "Ok",
    "Ryom",
    "Pae",
    "Chang",
    "Um",
    "Om",
    "Min",
    "Bae",
    "Seo",
    "Suh",
    "Ban",
    "Hyun",
    "Tak",
    "Sung",
    "Kye",
    "Yom",
    "Chi",
    "Phi",
    "Phyo",
    "Ki",
    "Hyong",
    "Kwak",
    "Ryom",
    "Wi",
    "Sim",
    "Chong",
    "Kwan",
    "Chin",
    "Mo",
    "Jin",
    "Rho",
    "Ryo",
]
_SYLLABLE = re.compile(
    r"^(ch|kk|tt|pp|ss|jj|th|ph|kh|sh|[kgndtrlmbpsjchywf])?(w|y)?"
    r"(a|ae|e|eo|o|oe|u|ui|i|ya|yo|yu|ye|wa|wo|we|wi|yae|oi|oo|eu|ai|ou)"
    r"(ng|n|m|l|k|p|t|r|b|g|s|ch)?$",
    re.I,
)
# A Korean personal name: surname and one or two given-name syllables ("Kim Yong Nam", "Ri Sol Ju",
# "Kim Jong-un"); given names may be joined by a hyphen with the second in lower case.
_KOREAN_NAME = re.compile(
    r"\b(?P<surname>[A-Z][a-z]{0,4})\s+(?P<given1>[A-Z][a-z]{0,5})(?:(?P<sep>[ -])(?P<given2>[A-Za-z][a-z]{0,5}))?\b"
    r"(?!['’]s\s+(?:Party|Army))"
)
_SURNAMES = frozenset(KOREAN_SURNAMES)


def _surname_automaton() -> ahocorasick.Automaton:
    """Case-sensitive "Kim " keys: the automaton finds candidate names in one C-speed pass."""
    automaton = ahocorasick.Automaton()
    for surname in _SURNAMES:
        automaton.add_word(surname + " ", len(surname) + 1)
    automaton.make_automaton()
    return automaton


_SURNAME_KEYS = _surname_automaton()
PERSON_TITLES = (
    "President|Vice-President|Vice President|Prime Minister|Premier|Chancellor|Secretary of State|"
    "Defense Secretary|Defence Secretary|Foreign Secretary|Foreign Minister|Secretary|Minister|Senator|"
    "Congressman|Ambassador|Chairman|Chairwoman|General Secretary|First Secretary|King|Queen|Prince|"
    "Princess|Emperor|Sultan|Emir|Sheikh|Pope|Mr\\.|Mrs\\.|Ms\\.|Dr\\.|Comrade|Marshal|Generalissimo|"
    "Governor|Mayor|Professor|Prof\\.|Lieutenant General|Major General|Colonel General|Vice Marshal|"
    "Admiral|Commander|Lady|Madame|Madam|Presidente|Primer Ministro|Secretario General|Canciller|"
    "el presidente|la presidenta|Mariscal"
)
_TITLED = re.compile(
    rf"\b(?=[A-Zel])(?:{PERSON_TITLES})\s+(?P<name>(?:[A-Z][\w'’\-]+\s+){{0,3}}[A-Z][\w'’\-]+)",
)
_ROLE_AFTER = (
    r"president|chairman|chairwoman|chairperson|general secretary|first secretary|secretary-general|"
    r"secretary general|secretary|prime minister|premier|minister|ambassador|director|head|leader|member|"
    r"vice-chairman|vice-president|vice chairman|vice president|chief|editor|professor|founder|deputy|"
    r"governor|mayor|spokesman|spokeswoman|king|queen|representative|commander|coordinator|"
    r"presidente|secretario|ministro|embajador|director"
)
# "Nguyen Phu Trong, general secretary of ...": the role after the comma is found first (rare, cheap),
# then the capitalised run before it.
_ROLE_AFTER_COMMA = re.compile(rf",\s+(?:the\s+|a\s+|an\s+)?(?:[a-z][a-z\-]+\s+){{0,2}}(?:{_ROLE_AFTER})\b")
_NAME_BEFORE = re.compile(
    r"(?<![\w.])(?P<name>(?:[A-Z]\.\s*)?[A-Z][a-zà-ÿ'’\-]+(?:\s+(?:[A-Z]\.\s+)?[A-Z][a-zà-ÿ'’\-]+){0,3})$"
)
# "sent a message to Jacek Czaputowicz upon his appointment": the addressee of a message is a person.
_ADDRESSEE = re.compile(
    r"\b(?:message|letter|greetings|telegram|congratulations|condolences|reply|wreath|gift|present)\s+to\s+"
    r"(?P<name>[A-Z][a-zà-ÿ'’\-]+(?:\s+(?:[A-Z]\.\s+)?[A-Z][a-zà-ÿ'’\-]+){1,3})(?=[\s,.;]+[a-z(]|[.,;]?$)"
)
# Words that make a capitalised run a body, a place or a thing rather than a person.
NOT_NAME_WORDS = {
    "The",
    "Of",
    "And",
    "For",
    "In",
    "On",
    "At",
    "To",
    "A",
    "An",
    "Party",
    "Committee",
    "Association",
    "Army",
    "People",
    "People's",
    "Republic",
    "Democratic",
    "Korean",
    "Korea",
    "University",
    "Square",
    "Society",
    "Institute",
    "Union",
    "League",
    "Federation",
    "Council",
    "Ministry",
    "Government",
    "Front",
    "Movement",
    "National",
    "International",
    "Central",
    "General",
    "State",
    "Supreme",
    "Assembly",
    "Day",
    "Juche",
    "Songun",
    "Academy",
    "Group",
    "Centre",
    "Center",
    "Organization",
    "Organisation",
    "Foundation",
    "Department",
    "Bureau",
    "Agency",
    "Office",
    "Embassy",
    "Hall",
    "Palace",
    "House",
    "Museum",
    "Prize",
    "Order",
    "Medal",
    "Award",
    "Festival",
    "Week",
    "Month",
    "Year",
    "Treaty",
    "Declaration",
    "Conference",
    "Forum",
    "Congress",
    "Commission",
    "Press",
    "News",
    "Times",
    "Post",
    "Daily",
    "Sinmun",
    "Rodong",
    "Minju",
    "Joson",
    "KCNA",
    "DPRK",
    "U.S.",
    "UN",
    "Mt",
    "Mt.",
    "Mount",
    "Street",
    "Station",
    "Factory",
    "Farm",
    "Company",
    "Works",
    "Mine",
    "Complex",
    "Plant",
    "School",
    "College",
    "Hospital",
    "Theatre",
    "Theater",
    "Stadium",
    "Park",
    "Bridge",
    "Province",
    "County",
    "City",
    "Island",
    "River",
    "South",
    "North",
    "East",
    "West",
    "Asia",
    "Africa",
    "Europe",
    "America",
    "Latin",
    "Arab",
    "Islamic",
    "Socialist",
    "Communist",
    "Workers",
    "Workers'",
    "Worker's",
    "Labour",
    "Labor",
    "Liberal",
    "Youth",
    "Women's",
    "Children's",
    "Friendship",
    "Solidarity",
    "Study",
    "Studies",
    "Idea",
    "Kimilsungism",
    "Kimjongilism",
    "Cabinet",
    "Presidium",
    "Navy",
    "Air",
    "Force",
    "Forces",
    "Command",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Mr",
    "His",
    "Her",
    "Their",
    "This",
    "That",
    "These",
    "It",
    "He",
    "She",
    "They",
    "We",
    "Our",
    "Comrade",
    "Marshal",
    "President",
    "Chairman",
    "Secretary",
    "Minister",
    "Premier",
    "Leader",
    "Great",
    "Respected",
    "Dear",
    "Commander",
    "Lake",
    "Sea",
    "Gulf",
    "Peninsula",
    "Region",
    "Zone",
}
# A name followed by one of these words is part of a proper name of a thing: "Kim Il Sung Square".
_THING_AFTER = re.compile(
    r"^[\s'’s-]*(University|Square|Stadium|Prize|Youth|Socialist|Military|Higher|Academy|Bridge|Street|Park|"
    r"Statue|Memorial|Mausoleum|Order|Medal|Award|Birthplace|Institute|School|College|Hall|Palace|Mansion|"
    r"Library|Museum|Centre|Center|Foundation|Prize|Kimilsungia|Kimjongilia|Revolutionary\s+School|"
    r"Political|Steel|Works|Complex|Hospital|Exhibition|Stadium|Plant|Factory|Mine|Station|Farm|Era|"
    r"Festival|Day|Film|Studio|Award|Chair|Bust|Mural|Mosaic|Portrait|Field|Tower|Art|"
    r"Juche|Theatre|Theater|Arena|Road|Avenue|Boulevard|Cup|Olympiad|Mountain|Highway)\b"
)


@dataclass(frozen=True, slots=True)
class PersonMention:
    start: int
    end: int
    canonical: str
    confidence: float


def canonical_person(surface: str) -> str:
    """Title case, whitespace collapsed, Korean hyphenated given names split: 'KIM JONG-UN' -> 'Kim Jong Un'."""
    words = surface.replace("’", "'").split()
    out: list[str] = []
    for word in words:
        parts = word.split("-")
        if len(parts) == 2 and all(_SYLLABLE.match(p) for p in parts) and len(words) <= 3:
            out.extend(p.capitalize() for p in parts)
        elif word.isupper() or word.islower():
            out.append("-".join(p.capitalize() for p in parts))
        else:
            out.append(word)
    return " ".join(out)


def is_thing_name(text: str, end: int) -> bool:
    """Is the name that ends at `end` the first part of a proper name of a thing ("... Square")?"""
    return bool(_THING_AFTER.match(text[end : end + 40]))


def find_pattern_persons(text: str, body_start: int = 0, all_caps: bool = False) -> list[PersonMention]:
    """Names shaped like people's names; the caller drops those inside gazetteer names.

    Titles are in title case and the all-capitals wire copy has no case at all: there only the Korean
    name shape (which checks every syllable) is trusted; titled and role patterns read the body."""
    found: list[PersonMention] = []
    for match in _korean_names(text):
        given2 = match.group("given2")
        given1 = match.group("given1")
        if not _SYLLABLE.match(given1) or (given2 and not _SYLLABLE.match(given2)):
            continue
        if given2 is None:
            continue  # "Surname Word" is mostly an ordinary phrase; two-syllable names need the gazetteer
        if given1 in NOT_NAME_WORDS or given2 in NOT_NAME_WORDS:
            continue
        if is_thing_name(text, match.end()):
            continue
        found.append(PersonMention(match.start(), match.end(), canonical_person(match.group(0)), 0.8))
    for match in [] if all_caps else _titled_or_role_names(text, body_start):
        start = match.start("name")
        words = re.sub(r"['’]s$", "", match.group("name")).split()
        while words and words[-1].rstrip("'’s") in NOT_NAME_WORDS:
            words.pop()
        while words and words[0] in NOT_NAME_WORDS:
            start += len(words[0]) + 1
            words.pop(0)
        if not words or any(w in NOT_NAME_WORDS for w in words):
            continue
        end = start + len(" ".join(words))
        if text[start:end] != " ".join(words):
            continue  # spacing other than single blanks: not a clean name run
        if is_thing_name(text, end):
            continue
        found.append(PersonMention(start, end, canonical_person(" ".join(words)), 0.7))
    return found


def _korean_names(text: str) -> list[re.Match[str]]:
    """Names that start with a Korean surname ("The Kim Jong Il" finds "Kim Jong Il"): the automaton finds
    each "Surname " on a word boundary, the name regex checks the syllables after it."""
    found: list[re.Match[str]] = []
    resume = 0
    for end_index, length in _SURNAME_KEYS.iter(text):
        start = end_index - length + 1
        if start < resume or (start > 0 and text[start - 1].isalnum()):
            continue
        match = _KOREAN_NAME.match(text, start)
        if match is not None:
            found.append(match)
            resume = match.end()
    return found


def _titled_or_role_names(text: str, body_start: int) -> list[re.Match[str]]:
    matches = list(_TITLED.finditer(text, body_start))
    matches.extend(_ADDRESSEE.finditer(text, body_start))
    for role in _ROLE_AFTER_COMMA.finditer(text, body_start):
        window_start = max(0, role.start() - 80)
        before = _NAME_BEFORE.search(text, window_start, role.start())
        if before:
            matches.append(before)
    return matches
