"""annotator: correct spaCy entities, tag stances, export gold training data."""

__version__ = "0.1.0"
