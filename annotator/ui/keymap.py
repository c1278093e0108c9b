"""Every shortcut of the window, re-bindable and stored with QSettings (group "keys").

Each action is registered under a stable id with its default keys; the user's bindings
override them and are applied at once to the live QAction, so the F1 sheet (which reads the
actions) always shows what the keys do now. A binding is refused when another action has the
key, or when it is a default window-manager shortcut somewhere the app runs: those never reach
the window (Alt+Shift+Left/Right send it to another desktop under openbox and some GNOME/KDE
set-ups), so the defaults avoid them too.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QAction, QKeySequence

GROUP = "keys"

# Default shortcuts of window managers and desktops (GNOME, KDE Plasma, openbox, Windows, macOS), in
# Qt's portable notation; on macOS Qt reads "Ctrl" as Command and "Meta" as Control.
WINDOW_MANAGER_KEYS: dict[str, str] = {
    "Alt+Shift+Left": "openbox: send the window to the desktop on the left",
    "Alt+Shift+Right": "openbox: send the window to the desktop on the right",
    "Alt+Shift+Up": "GNOME/openbox: move to another workspace",
    "Alt+Shift+Down": "GNOME/openbox: move to another workspace",
    "Ctrl+Alt+Left": "openbox/GNOME: switch desktop",
    "Ctrl+Alt+Right": "openbox/GNOME: switch desktop",
    "Ctrl+Alt+Up": "GNOME: switch workspace",
    "Ctrl+Alt+Down": "GNOME: switch workspace",
    "Ctrl+Alt+Shift+Left": "GNOME: move the window to another workspace",
    "Ctrl+Alt+Shift+Right": "GNOME: move the window to another workspace",
    "Ctrl+Alt+Shift+Up": "GNOME: move the window to another workspace",
    "Ctrl+Alt+Shift+Down": "GNOME: move the window to another workspace",
    "Ctrl+Alt+T": "Ubuntu: open a terminal",
    "Ctrl+Alt+L": "GNOME/KDE: lock the screen",
    "Ctrl+Alt+D": "GNOME/KDE: show the desktop",
    "Ctrl+Alt+Del": "Windows/GNOME/KDE: log out or task manager",
    "Ctrl+Alt+Backspace": "X: kill the server",
    "Ctrl+Alt+Tab": "GNOME/Windows: switch between panels or windows",
    "Alt+Tab": "every desktop: switch windows",
    "Alt+Shift+Tab": "every desktop: switch windows",
    "Alt+Esc": "GNOME/openbox/Windows: cycle windows",
    "Alt+Space": "GNOME/KDE/openbox/Windows: the window menu",
    "Alt+F1": "GNOME/KDE: the application menu",
    "Alt+F2": "GNOME/KDE: run a command",
    "Alt+F3": "KDE: the window menu",
    "Alt+F4": "every desktop: close the window",
    "Alt+F5": "GNOME: restore the window",
    "Alt+F7": "GNOME: move the window",
    "Alt+F8": "GNOME: resize the window",
    "Alt+F10": "GNOME: maximise the window",
    "Ctrl+F1": "KDE: switch to desktop 1",
    "Ctrl+F2": "KDE: switch to desktop 2",
    "Ctrl+F3": "KDE: switch to desktop 3",
    "Ctrl+F4": "KDE: switch to desktop 4",
    "Ctrl+F8": "KDE: show all desktops",
    "Ctrl+F9": "KDE: present the windows",
    "Ctrl+F10": "KDE: present the windows",
    "Ctrl+Esc": "Windows/KDE: the start menu or system activity",
    "Meta+Left": "macOS: previous space (Control+Left)",
    "Meta+Right": "macOS: next space (Control+Right)",
    "Meta+Up": "macOS: Mission Control (Control+Up)",
    "Meta+Down": "macOS: application windows (Control+Down)",
    "Ctrl+Space": "macOS: Spotlight (Command+Space)",
    "Ctrl+Tab": "macOS: switch applications (Command+Tab)",
    "Ctrl+H": "macOS: hide the application (Command+H)",
    "Ctrl+M": "macOS: minimise (Command+M)",
    "Ctrl+Alt+Esc": "macOS: force quit (Command+Option+Esc)",
    "Ctrl+Shift+3": "macOS: screenshot",
    "Ctrl+Shift+4": "macOS: screenshot",
    "Ctrl+Shift+5": "macOS: screenshot",
}


def normal(keys: str) -> str:
    """One key sequence in Qt's portable text ("Alt+Shift+Left"), for comparing."""
    return QKeySequence(keys).toString(QKeySequence.PortableText)


WM_NORMAL = {normal(k): why for k, why in WINDOW_MANAGER_KEYS.items()}


def window_manager_use(keys: str) -> str | None:
    """What the desktop does with these keys, when a window manager takes them before the window."""
    return WM_NORMAL.get(normal(keys))


def key_id_for(text: str) -> str:
    """A stable id from an action's text: "&Accept and open next" -> "accept_and_open_next"."""
    return re.sub(r"[^a-z0-9]+", "_", text.replace("&", "").lower()).strip("_")


class KeyMap(QObject):
    changed = Signal(str)  # an action id whose keys changed

    def __init__(self, settings: QSettings | None = None, parent=None):
        super().__init__(parent)
        self.settings = settings or QSettings()
        self.defaults: dict[str, list[str]] = {}
        self.actions: dict[str, QAction] = {}

    # ---- registering ---------------------------------------------------------------
    def register(self, key_id: str, action: QAction, defaults=()) -> QAction:
        defaults = [k if isinstance(k, str) else QKeySequence(k).toString(QKeySequence.PortableText) for k in defaults]
        self.defaults[key_id] = [normal(k) for k in defaults if normal(k)]
        self.actions[key_id] = action
        action.setProperty("key_id", key_id)
        action.setShortcuts([QKeySequence(k) for k in self.keys(key_id)])
        return action

    def unregister(self, key_id: str) -> None:
        self.actions.pop(key_id, None)

    # ---- reading -------------------------------------------------------------------
    def keys(self, key_id: str) -> list[str]:
        stored = self.settings.value(f"{GROUP}/{key_id}")
        if stored is None:
            return list(self.defaults.get(key_id, []))
        if isinstance(stored, str):
            stored = [stored] if stored else []
        return [normal(k) for k in stored if normal(k)]

    def is_default(self, key_id: str) -> bool:
        return self.keys(key_id) == self.defaults.get(key_id, [])

    def owner(self, keys: str, but: str | None = None) -> str | None:
        """The id of the action that has these keys now, other than `but`."""
        want = normal(keys)
        for key_id, action in self.actions.items():
            if key_id != but and want in [s.toString(QKeySequence.PortableText) for s in action.shortcuts()]:
                return key_id
        return None

    # ---- changing ------------------------------------------------------------------
    def check(self, key_id: str, keys: list[str]) -> str | None:
        """Why these keys cannot be bound to the action, or None."""
        for k in keys:
            if not normal(k):
                return f"{k!r} is not a key"
            wm = window_manager_use(k)
            if wm:
                return f"{normal(k)} is a window-manager shortcut ({wm}): the window would never see it"
            other = self.owner(k, but=key_id)
            if other is not None:
                return f"{normal(k)} is already the key of “{_name(self.actions[other])}”"
        return None

    def bind(self, key_id: str, keys: list[str]) -> str | None:
        """Give the action these keys (an empty list: no key); returns why not, or None when done."""
        if key_id not in self.actions:
            return f"no action {key_id!r}"
        why = self.check(key_id, keys)
        if why:
            return why
        keys = [normal(k) for k in keys]
        if keys == self.defaults.get(key_id, []):
            self.settings.remove(f"{GROUP}/{key_id}")
        else:
            self.settings.setValue(f"{GROUP}/{key_id}", keys)
        self.actions[key_id].setShortcuts([QKeySequence(k) for k in keys])
        self.changed.emit(key_id)
        return None

    def reset(self, key_id: str | None = None) -> None:
        """Back to the default keys: one action, or all."""
        ids = [key_id] if key_id else list(self.actions)
        for i in ids:
            self.settings.remove(f"{GROUP}/{i}")
            if i in self.actions:
                self.actions[i].setShortcuts([QKeySequence(k) for k in self.defaults.get(i, [])])
                self.changed.emit(i)

    def clashes_with_window_manager(self) -> list[tuple[str, str, str]]:
        """(action id, keys, what the desktop does) for every live binding a window manager takes."""
        out = []
        for key_id, action in self.actions.items():
            for s in action.shortcuts():
                why = window_manager_use(s.toString(QKeySequence.PortableText))
                if why:
                    out.append((key_id, s.toString(QKeySequence.PortableText), why))
        return out


def _name(action: QAction) -> str:
    return (action.property("cheat_text") or action.text()).replace("&", "").rstrip("…").strip()
