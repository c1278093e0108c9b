"""Command-line choices made from the registries: a plugin's format or pre-annotator is a choice at once."""

from __future__ import annotations

from enum import StrEnum

from annotator.core.registry import Registry


def choices(name: str, registry: Registry, extra: tuple[str, ...] = ()) -> type[StrEnum]:
    """A StrEnum of the registry's names (plugins by their entry point names, not loaded yet)."""
    names = [*extra, *registry.declared_names()]
    return StrEnum(name, {n.replace("-", "_"): n for n in names})
