"""The PySide6 window: the only package that imports Qt."""

import os

# Paint on the GUI thread only. Qt's raster engine hands every fill of 96 or more spans (any fill taller
# than 96 pixels: a scroll bar's groove, a list's or the article's background) to a thread pool of its own
# and waits for it. For a window's worth of pixels the hand-off costs more than the fill, and on a busy
# machine the wait for a pool thread to be scheduled shows as a stutter: an add, which scrolls the article
# and the entity list and so repaints both full-height scroll bars and the whole list, spent 2-5 ms there
# (bench-ui). Qt reads the variable when it first needs the pool, i.e. at the first large fill, so it is
# set here, before any window of the package paints. Set it to any value beforehand and Qt keeps it.
os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")
