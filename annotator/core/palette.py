"""Label colours that can be told apart, generated with coloraide (no hand-written colour science).

A label has one stored colour, its light-theme background (black text on it). Its dark-theme
background is derived from it (`dark_variant`: same OKLCh hue, lower lightness, chroma fitted to
sRGB), so a user's choice carries over to both themes.

The default palette is chosen greedily from a grid of OKLCh candidates: each next label (in the
order of how often news corpora use them) takes the candidate whose smallest CIEDE2000 distance
to the colours already taken is largest, counted in the light theme, the dark theme, and as seen
with deuteranopia and protanopia (Brettel/Viénot simulation, coloraide's `filter`); candidates
whose text contrast would fall under WCAG 4.5:1 are never offered. A label added later gets the
candidate farthest from the colours in use the same way (`farthest_colour`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

from coloraide import Color

LIGHT_TEXT_ON_DARK = "#e6e6e6"  # the dark theme's text colour
PAGES = ("#ffffff", "#1f2023")  # the article's background in the light and the dark theme
MIN_FROM_PAGE = 12.0  # CIEDE2000: a highlight must stand out from the page it is on
TEXT_CHOICES_LIGHT = ("#000000", "#ffffff")  # white only for a dark colour a user chose
TEXT_CHOICES_DARK = (LIGHT_TEXT_ON_DARK, "#ffffff")
MIN_CONTRAST = 4.5
CVD = ("deutan", "protan")

# The grid: lightness bands for the light theme, chroma levels and hues (degrees) in OKLCh.
LIGHT_L = (0.62, 0.68, 0.74, 0.80, 0.86, 0.92)
CHROMA = (0.05, 0.09, 0.13, 0.17, 0.21)
HUES = tuple(range(0, 360, 10))


def _color(value: str | Color) -> Color:
    return value if isinstance(value, Color) else Color(value)


def dark_variant(hex_colour: str) -> str:
    """The dark-theme background of a label colour: same hue, lightness mapped from [0.6, 1] to
    [0.30, 0.58] (light text stays readable on it; colours too near the dark page are not offered), chroma kept
    (fitted to sRGB)."""
    c = _color(hex_colour).convert("oklch")
    lightness, chroma, hue = c["lightness"], c["chroma"], c["hue"]
    mapped = 0.30 + (min(max(lightness, 0.6), 1.0) - 0.6) * 0.7
    out = Color("oklch", [mapped, chroma, hue if hue == hue else 0.0])  # NaN hue: a grey
    return out.fit("srgb").convert("srgb").to_string(hex=True)


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio."""
    return _color(a).contrast(_color(b), method="wcag21")


def text_colour(background: str, dark: bool) -> str:
    """The text colour with the best contrast on `background` among the theme's choices."""
    choices = TEXT_CHOICES_DARK if dark else TEXT_CHOICES_LIGHT
    return max(choices, key=lambda t: contrast(background, t))


def delta_e(a: str, b: str) -> float:
    return _color(a).delta_e(_color(b), method="2000")


def simulate(hex_colour: str, deficiency: str) -> str:
    """How a colour looks with deuteranopia ("deutan") or protanopia ("protan"), fully."""
    return _color(hex_colour).filter(deficiency, 1.0, in_place=False).fit("srgb").to_string(hex=True)


def views(hex_colour: str) -> tuple[str, ...]:
    """The colour as it is compared: light theme, dark theme, and both simulated deficiencies (light theme)."""
    return (hex_colour, dark_variant(hex_colour), *(simulate(hex_colour, d) for d in CVD))


@lru_cache(maxsize=1)
def candidates() -> tuple[str, ...]:
    """In-gamut grid colours whose text contrast is at least 4.5:1 in both themes."""
    out = []
    for lightness in LIGHT_L:
        for chroma in CHROMA:
            for hue in HUES:
                c = Color("oklch", [lightness, chroma, hue])
                if not c.in_gamut("srgb"):
                    continue
                hex_colour = c.convert("srgb").to_string(hex=True)
                dark = dark_variant(hex_colour)
                if (contrast(hex_colour, text_colour(hex_colour, False)) >= MIN_CONTRAST
                        and contrast(dark, text_colour(dark, True)) >= MIN_CONTRAST
                        and delta_e(hex_colour, PAGES[0]) >= MIN_FROM_PAGE and delta_e(dark, PAGES[1]) >= MIN_FROM_PAGE):
                    out.append(hex_colour)
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=4096)
def _views(hex_colour: str) -> tuple[Color, ...]:
    return tuple(Color(v) for v in views(hex_colour))


def distance(a: str, b: str, with_cvd: bool = True) -> float:
    """How far apart two label colours are, as the palette is judged: the smaller CIEDE2000 difference
    of the light and the dark theme; with `with_cvd`, also twice the smaller difference under
    deuteranopia and protanopia (so 10 there weighs as 20 in normal vision)."""
    va, vb = _views(a), _views(b)
    d = min(va[i].delta_e(vb[i], method="2000") for i in (0, 1))
    if with_cvd:
        d = min(d, 2 * min(va[i].delta_e(vb[i], method="2000") for i in (2, 3)))
    return d


def farthest_colour(in_use: Iterable[str], with_cvd: bool = False) -> str:
    """The candidate whose nearest colour in use is farthest away (the first candidate if none is in use)."""
    used = [u.lower() for u in in_use]
    best, best_d = None, -1.0
    for cand in candidates():
        if cand in used:
            continue
        d = min((distance(cand, u, with_cvd) for u in used), default=1000.0)
        if d > best_d:
            best, best_d = cand, d
    return best or candidates()[0]


def generate(n: int, top: int = 8) -> list[str]:
    """n colours, most distinct first. The first `top` are chosen together, colour-vision deficiencies
    counted: greedily, then improved by swapping one colour at a time for any candidate that raises
    the smallest pairwise distance, until no swap does (a local search; about a minute). The rest are
    added greedily, each as far as possible from everything before it in both themes."""
    picked: list[str] = []
    for _ in range(min(top, n)):
        picked.append(farthest_colour(picked, with_cvd=True))
    picked = _improve(picked)
    while len(picked) < n:
        picked.append(farthest_colour(picked))
    return picked


def _smallest(colours: Sequence[str]) -> float:
    return min((distance(a, b, True) for i, a in enumerate(colours) for b in colours[i + 1:]), default=1000.0)


def _improve(colours: list[str]) -> list[str]:
    current, score = list(colours), _smallest(colours)
    improved = True
    while improved:
        improved = False
        for i in range(len(current)):
            rest = current[:i] + current[i + 1:]
            for cand in candidates():
                if cand in current or min(distance(cand, r, True) for r in rest) <= score:
                    continue
                trial = rest[:i] + [cand] + rest[i:]
                trial_score = _smallest(trial)
                if trial_score > score:
                    current, score, improved = trial, trial_score, True
                    rest = current[:i] + current[i + 1:]
    return current


def min_distance(colours: Sequence[str], view: int) -> float:
    """The smallest pairwise CIEDE2000 difference in one view (0 light, 1 dark, 2 deutan, 3 protan)."""
    vs = [_views(c)[view] for c in colours]
    return min(vs[i].delta_e(vs[j], method="2000") for i in range(len(vs)) for j in range(i + 1, len(vs)))


__all__ = [
    "candidates", "contrast", "dark_variant", "delta_e", "distance", "farthest_colour", "generate", "min_distance",
    "simulate", "text_colour", "views",
]
