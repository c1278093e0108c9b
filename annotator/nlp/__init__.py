"""spaCy, loaded lazily: pipelines for pre-annotation, tokenizers for snapping and export."""
