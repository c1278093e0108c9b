"""Named registries that other packages can extend through Python entry points.

One registry per extension point (readers, writers, export extensions, pre-annotators).
Built-ins register themselves when their module is imported; a separate distribution adds
one by declaring an entry point in the registry's group, e.g. in its pyproject.toml:

    [project.entry-points."annotator.writers"]
    brat = "annotator_brat:BratWriter"

Entry points are loaded the first time the registry is asked for its contents, so a plugin
costs nothing on the way to the first article. A plugin that fails to load is reported in
`problems` (and by name when asked for), never silently dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib import metadata

from annotator.core.errors import BadInput


class Registry[T]:
    def __init__(self, group: str, what: str, builtins: Callable[[], None] | None = None):
        """`group` is the entry-point group; `what` names an item in messages ("export format");
        `builtins` imports the modules that register the built-in items (deferred: they may be heavy)."""
        self.group = group
        self.what = what
        self._builtins = builtins
        self._items: dict[str, T] = {}
        self._loaded = False
        self._builtins_loaded = False
        self.problems: dict[str, str] = {}  # entry point name -> why it could not be loaded

    def register(self, name: str, item: T | None = None, *, replace: bool = False):
        """Register `item` under `name`; without an item, a decorator."""
        if item is None:
            return lambda obj: self.register(name, obj, replace=replace) or obj
        if name in self._items and not replace and self._items[name] is not item:
            raise ValueError(f"{self.what} {name!r} is registered already")
        self._items[name] = item
        return item

    def _load_builtins(self) -> None:
        if not self._builtins_loaded:
            self._builtins_loaded = True
            if self._builtins:
                self._builtins()

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        self._load_builtins()
        for ep in metadata.entry_points(group=self.group):
            if ep.name in self._items:
                continue  # a built-in of the same name wins; a plugin cannot shadow it by accident
            try:
                self._items[ep.name] = ep.load()
            except Exception as exc:  # a broken plugin must not take the app down; it is named when asked for
                self.problems[ep.name] = f"{type(exc).__name__}: {exc}"

    def names(self) -> list[str]:
        self._load()
        return list(self._items)

    def declared_names(self) -> list[str]:
        """The built-ins' names and the plugins' entry point names, without loading any plugin
        (for a command line's choices: a plugin's code loads only when it is used)."""
        if self._loaded:
            return self.names()
        self._load_builtins()
        names = list(self._items)
        names += [ep.name for ep in metadata.entry_points(group=self.group) if ep.name not in names]
        return names

    def items(self) -> Iterator[tuple[str, T]]:
        self._load()
        return iter(list(self._items.items()))

    def __contains__(self, name: str) -> bool:
        self._load()
        return name in self._items

    def get(self, name: str) -> T:
        self._load()
        try:
            return self._items[name]
        except KeyError:
            if name in self.problems:
                raise BadInput(f"the {self.what} {name!r} could not be loaded: {self.problems[name]}") from None
            raise BadInput(f"unknown {self.what} {name!r}: choose one of {self.choices()}") from None

    def choices(self) -> str:
        return ", ".join(self.names())


__all__ = ["Registry"]
