"""Imbizo's domain: record kinds, validation and services. Pure Python: no Qt, SQL or Whoosh."""
