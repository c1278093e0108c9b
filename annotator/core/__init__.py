"""Plain data and pure functions: no I/O, no Qt, no spaCy."""
