"""The registries of input formats (readers) and export formats (writers), filled by annotator.io.builtin_formats
and by plugins' entry points (groups `annotator.readers`, `annotator.writers`). Use them through annotator.io.formats,
which makes sure the built-ins are registered."""

from __future__ import annotations

from annotator.core.registry import Registry

READERS: Registry = Registry("annotator.readers", "input format")
WRITERS: Registry = Registry("annotator.writers", "export format")
