"""Imbizo: an offline-first knowledge app for public-service field offices."""

APP_NAME = "Imbizo"
__version__ = "0.1.0"
