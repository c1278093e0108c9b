"""Generate the label palette again (about a minute) and print it with its figures: `make palette`."""

import itertools
import time

from annotator.core import palette
from annotator.core.scheme import DEFAULT_LABELS, PALETTE_ORDER

started = time.perf_counter()
colours = palette.generate(len(PALETTE_ORDER))
print(f"generated {len(colours)} colours from {len(palette.candidates())} candidates in {time.perf_counter() - started:.1f} s")
for name, colour in zip(PALETTE_ORDER, colours):
    print(f"  {name:<12} {colour}  dark {palette.dark_variant(colour)}")
scheme = {lb.name: lb.color for lb in DEFAULT_LABELS}
print("the scheme's colours are these:", all(scheme[n] == c for n, c in zip(PALETTE_ORDER, colours)))
top = [scheme[n] for n in PALETTE_ORDER[:8]]
every = list(scheme.values())
for view, name in enumerate(("light", "dark", "deuteranopia", "protanopia")):
    def closest(cs, v=view):
        return min(palette.delta_e(palette.views(a)[v], palette.views(b)[v]) for a, b in itertools.combinations(cs, 2))
    print(f"{name:<13} closest pair: 8 most used {closest(top):5.1f}   all 18 {closest(every):5.1f}")
ratios = [palette.contrast(bg, palette.text_colour(bg, dark)) for c in every
          for dark, bg in ((False, c), (True, palette.dark_variant(c)))]
print(f"text contrast: lowest {min(ratios):.2f}:1 (WCAG AA needs 4.5)")
page = min(min(palette.delta_e(c, palette.PAGES[0]), palette.delta_e(palette.dark_variant(c), palette.PAGES[1])) for c in every)
print(f"from the page: nearest {page:.1f} (at least {palette.MIN_FROM_PAGE})")
