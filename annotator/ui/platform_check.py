"""Before Qt starts on X11: are the system libraries its xcb platform plugin needs installed?

Without them Qt aborts with "Could not load the Qt platform plugin "xcb"" and a core dump. This
module imports no Qt: it asks `ldd` what the plugin cannot find and names the Debian/Ubuntu
packages to install instead.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
from pathlib import Path

# soname -> Debian/Ubuntu package (the libraries libqxcb.so and libQt6XcbQpa link, transitively)
PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libSM.so.6": "libsm6",
    "libICE.so.6": "libice6",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
}
NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)


def xcb_plugin() -> Path | None:
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    return path if path.exists() else None


def missing_from_ldd(output: str) -> list[tuple[str, str]]:
    """(soname, package) for every library `ldd` reported as not found, in order, once each."""
    seen = dict.fromkeys(NOT_FOUND.findall(output))
    return [(name, PACKAGES.get(name, "")) for name in seen]


def uses_xcb(env: dict[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    platform = env.get("QT_QPA_PLATFORM", "")
    if platform:
        return platform.split(":")[0] == "xcb"
    return bool(env.get("DISPLAY")) and not env.get("WAYLAND_DISPLAY")


def missing_xcb_libraries(plugin: Path | None = None) -> list[tuple[str, str]]:
    """What the xcb plugin cannot load; [] when all is there (or it cannot be told: no ldd, no plugin)."""
    plugin = plugin or xcb_plugin()
    if plugin is None or shutil.which("ldd") is None:
        return []
    try:
        out = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return missing_from_ldd(out)


def message(missing: list[tuple[str, str]]) -> str:
    names = ", ".join(name for name, _ in missing)
    packages = sorted({pkg for _, pkg in missing if pkg})
    text = f"annotator's window cannot start: Qt's X11 (xcb) platform needs system libraries that are missing: {names}."
    if packages:
        text += f"\nInstall them with:\n  sudo apt-get install {' '.join(packages)}"
    text += "\n(Other commands, such as `annotator import` and `annotator export`, work without them.)"
    return text


__all__ = ["PACKAGES", "message", "missing_from_ldd", "missing_xcb_libraries", "uses_xcb", "xcb_plugin"]
