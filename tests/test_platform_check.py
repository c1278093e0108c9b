"""Starting the window on a bare Linux desktop: missing xcb libraries are named with their packages,
instead of Qt's abort."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.ui import platform_check

LDD = """\tlinux-vdso.so.1 (0x00007ffd)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f)
\tlibxcb-cursor.so.0 => not found
\tlibxkbcommon-x11.so.0 => not found
\tlibxcb-cursor.so.0 => not found
\tlibfoo-unknown.so.3 => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)
"""


def test_ldd_output_becomes_the_packages_to_install():
    missing = platform_check.missing_from_ldd(LDD)
    assert missing == [("libxcb-cursor.so.0", "libxcb-cursor0"), ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
                       ("libfoo-unknown.so.3", "")]
    text = platform_check.message(missing)
    assert "sudo apt-get install libxcb-cursor0 libxkbcommon-x11-0" in text and "libfoo-unknown.so.3" in text


def test_which_platform_is_xcb():
    assert platform_check.uses_xcb({"DISPLAY": ":0"})
    assert not platform_check.uses_xcb({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"})
    assert platform_check.uses_xcb({"QT_QPA_PLATFORM": "xcb"})
    assert not platform_check.uses_xcb({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"})


def test_this_machine_has_what_the_plugin_needs():
    assert platform_check.xcb_plugin() is not None
    assert platform_check.missing_xcb_libraries() == []  # the README's list is installed here


@pytest.mark.skipif(shutil.which("patchelf") is None, reason="patchelf is not installed (apt-get install patchelf)")
def test_the_window_command_names_a_missing_library_instead_of_aborting(tmp_path):
    fake = tmp_path / "libqxcb.so"
    shutil.copy(platform_check.xcb_plugin(), fake)
    subprocess.run(["patchelf", "--add-needed", "libxcb-cursor-gone.so.0", str(fake)], check=True)
    code = ("import sys; from pathlib import Path; from annotator.ui import platform_check as p; "
            f"p.xcb_plugin = lambda: Path({str(fake)!r}); "
            "from annotator.cli import main; sys.argv = ['annotator', '--db', 'x.db']; main()")
    env = dict(os.environ, DISPLAY=":99", QT_QPA_PLATFORM="xcb")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "libxcb-cursor-gone.so.0" in out.stderr and "Could not load" not in out.stderr
    assert not Path(tmp_path, "x.db").exists()
