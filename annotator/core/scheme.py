"""Default label scheme, stance targets and stance values for a new corpus."""

from __future__ import annotations

from annotator.core.model import Label

# Colours are light enough for black text on a light theme; the ui darkens them for dark themes.
DEFAULT_LABELS: tuple[Label, ...] = (
    Label("PERSON", "#f4a3a3", "p", position=0),
    Label("ORG", "#9ec5f8", "o", position=1),
    Label("GPE", "#a8e0a0", "g", position=2),
    Label("NORP", "#f7d08a", "n", position=3),
    Label("LOC", "#c7e8d0", "l", position=4),
    Label("DATE", "#d9c2f0", "d", position=5),
    Label("EVENT", "#f5b8e0", "e", position=6),
    Label("FAC", "#e0d6b0", "f", position=7),
    Label("LAW", "#b8e6e6", "w", position=8),
    Label("MONEY", "#e6e39c", "m", position=9),
    Label("CARDINAL", "#dddddd", "c", position=10),
    Label("ORDINAL", "#e3e3e3", "r", position=11),
    Label("PERCENT", "#d6e4c4", "", position=12),
    Label("PRODUCT", "#f0c8a8", "", position=13),
    Label("QUANTITY", "#cfd8e8", "", position=14),
    Label("TIME", "#e8cfe0", "t", position=15),
    Label("WORK_OF_ART", "#f2e2c4", "", position=16),
    Label("LANGUAGE", "#c4e0f2", "", position=17),
)

DEFAULT_STANCE_TARGETS: tuple[str, ...] = (
    "peace deal / negotiations",
    "ceasefire",
    "territorial concessions (Donbas)",
    "security guarantees",
    "NATO membership for Ukraine",
    "energy-infrastructure strikes",
    "sanctions / pressure on Russia",
)

DEFAULT_STANCE_VALUES: tuple[str, ...] = ("FAVOR", "AGAINST", "NEUTRAL")

# Spare colours for labels that arrive from an import or the user.
EXTRA_COLOURS = ("#ffd1dc", "#c1f0f6", "#e2f0cb", "#ffdac1", "#d5c6e0", "#b5ead7", "#f3e5ab")


def colour_for_new_label(n_existing: int) -> str:
    return EXTRA_COLOURS[n_existing % len(EXTRA_COLOURS)]
