"""Word stocks for the demo newsroom: invented places, bodies, people and figures.

Every name here is made up for the demo (no real council, trust or person is quoted), and
``fill`` puts them into the ``{slot}`` placeholders of the sentence templates, drawing each
slot afresh from a seeded ``random.Random`` so a seed always gives the same text.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

PLACES = [
    "Eastmere", "Harrow Vale", "Kingsbridge", "Westfold", "Ashcombe", "Brackenford",
    "Northmoor", "Calderby", "Fenwick Cross", "Thornbury Heath", "Milbrook", "Redcastle",
    "Saltmarsh", "Glenholm", "Oakhaven", "Stourleigh", "Pendlebrook", "Wyecliffe",
]
COUNCIL_KINDS = ["Borough Council", "City Council", "County Council", "District Council",
                 "Metropolitan Borough Council"]
TRUST_KINDS = ["NHS Foundation Trust", "Hospitals NHS Trust", "Community Health NHS Trust",
               "Teaching Hospitals NHS Foundation Trust"]
REGIONS = ["West Fenland", "Tees and Calder", "North Riding", "South Marches", "Severn Estuary",
           "Pennine Gateway", "Wessex Coast", "East Weald"]
FIRST_NAMES = [
    "Helen", "Marcus", "Priya", "Owen", "Grace", "Tomasz", "Aisha", "Callum", "Ruth", "Declan",
    "Nadia", "Gareth", "Imogen", "Femi", "Sinead", "Rupert", "Leila", "Hamish", "Joanna", "Kwame",
    "Bethan", "Samir", "Fiona", "Ewan", "Rosalind", "Tariq", "Morag", "Daniel", "Yusuf", "Clare",
]
LAST_NAMES = [
    "Marsh", "Okafor", "Lindqvist", "Patel", "Hargreaves", "Doyle", "Brennan", "Achterberg",
    "Rowntree", "Mensah", "Castellan", "Pryce", "Whitlock", "Ferreira", "McAllister", "Osei",
    "Talbot", "Kowalczyk", "Greenhalgh", "Iqbal", "Fairweather", "Lomax", "Nwosu", "Sutcliffe",
]
ROLES = [
    "chief executive", "director of adult social services", "head of digital services",
    "finance director", "cabinet member for housing", "director of public health",
    "chief operating officer", "programme director", "leader", "chair of the scrutiny committee",
    "chief information officer", "head of policy", "director of place", "section 151 officer",
]
THINK_TANKS = ["the Civic Futures Institute", "the Local Services Network",
               "the Centre for Place and Prosperity", "the Public Money Forum",
               "the Care Alliance", "the Open Services Lab"]
SERVICES = [
    "adult social care", "children's services", "waste collection", "library provision",
    "road maintenance", "homelessness support", "school transport", "planning enforcement",
    "public health", "leisure centres", "council tax collection", "housing repairs",
]
SLOTS: dict[str, Callable[[random.Random], str]] = {
    "place": lambda r: r.choice(PLACES),
    "council": lambda r: f"{r.choice(PLACES)} {r.choice(COUNCIL_KINDS)}",
    "ca": lambda r: f"the {r.choice(REGIONS)} Combined Authority",
    "region": lambda r: r.choice(REGIONS),
    "trust": lambda r: f"{r.choice(PLACES)} {r.choice(TRUST_KINDS)}",
    "icb": lambda r: f"the {r.choice(REGIONS)} Integrated Care Board",
    "person": lambda r: f"{r.choice(FIRST_NAMES)} {r.choice(LAST_NAMES)}",
    "role": lambda r: r.choice(ROLES),
    "tank": lambda r: r.choice(THINK_TANKS),
    "service": lambda r: r.choice(SERVICES),
    "pct": lambda r: str(r.randint(4, 46)),
    "smallpct": lambda r: f"{r.randint(1, 9)}.{r.randint(0, 9)}",
    "money": lambda r: f"£{r.randint(2, 95)}m",
    "bn": lambda r: f"£{r.randint(1, 9)}.{r.randint(1, 9)}bn",
    "num": lambda r: f"{r.randint(2, 60) * 500:,}",
    "homes": lambda r: f"{r.randint(4, 90) * 100:,}",
    "year": lambda r: str(r.randint(2027, 2031)),
    "months": lambda r: str(r.choice([6, 9, 12, 18, 24, 36])),
    "weeks": lambda r: str(r.randint(3, 26)),
}
_SLOT = re.compile(r"\{(\w+)\}")


def fill(template: str, rng: random.Random, fixed: dict[str, str] | None = None) -> str:
    """The template with each ``{slot}`` filled: from ``fixed`` if given there, else drawn."""
    fixed = fixed or {}

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in fixed:
            return fixed[name]
        return SLOTS[name](rng)

    return _SLOT.sub(one, template)


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def organisation(rng: random.Random) -> str:
    """A body an author might work for: a council, a trust, a combined authority, a think tank."""
    pick = rng.randrange(4)
    if pick == 0:
        return SLOTS["council"](rng)
    if pick == 1:
        return SLOTS["trust"](rng)
    if pick == 2:
        return SLOTS["ca"](rng)
    return SLOTS["tank"](rng)
