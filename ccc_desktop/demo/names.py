"""Fictional names for the demo. Any likeness to real people is chance."""

from __future__ import annotations

import random

FIRST = [
    "Aisha", "Ben", "Chloe", "Daniel", "Ella", "Finn", "Grace", "Harry", "Isla", "Jack",
    "Kayla", "Liam", "Maya", "Noah", "Olivia", "Priya", "Quinn", "Ruby", "Sofia", "Theo",
    "Uma", "Victor", "Willow", "Xavier", "Yasmin", "Zac", "Amelia", "Oscar", "Leah", "Mason",
    "Nadia", "Kieran", "Bethany", "Callum", "Dominika", "Emre", "Fatima", "Gareth", "Hannah",
    "Imran", "Jade", "Kofi", "Lucy", "Marek", "Niamh", "Owen", "Phoebe", "Rhys", "Saoirse",
]
LAST = [
    "Ashworth", "Bellamy", "Carrington", "Dunmore", "Ellwood", "Fairbairn", "Greenhalgh",
    "Hollins", "Ingleby", "Jessop", "Kettering", "Lomax", "Merriweather", "Northcott",
    "Oldroyd", "Pickersgill", "Quarmby", "Ramsbottom", "Sowerby", "Thwaite", "Underwood",
    "Varley", "Whitworth", "Yardley", "Ackroyd", "Brearley", "Cawthorne", "Dransfield",
    "Eastwood", "Firth", "Gledhill", "Haigh", "Illingworth", "Kershaw", "Lockwood", "Mellor",
    "Nuttall", "Ormerod", "Pilling", "Rishworth", "Stansfield", "Tattersall", "Wadsworth",
]
STREETS = [
    "Cobden Road", "Saltergate", "Ashgate Road", "Newbold Road", "Hady Hill", "Brimington Road",
    "Whittington Moor Lane", "Storforth Lane", "Walton Back Lane", "Old Road", "Derby Road",
]
TOWNS = ["Chesterfield", "Staveley", "Dronfield", "Clay Cross", "Bolsover", "Eckington"]


def person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST), rng.choice(LAST)


def address(rng: random.Random) -> str:
    return (f"{rng.randint(1, 180)} {rng.choice(STREETS)}\n{rng.choice(TOWNS)}\n"
            f"S{rng.randint(40, 45)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
            f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}")


def phone(rng: random.Random) -> str:
    return f"07700 9{rng.randint(0, 99999):05d}"  # Ofcom's drama range: never a real number


def sample_names() -> list[str]:
    """Surnames the demo uses, for the test that no name reaches the disk in plain text."""
    return LAST[:10]
