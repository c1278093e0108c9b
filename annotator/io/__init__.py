"""Importers and exporters: files in, records out (and records back to files)."""
