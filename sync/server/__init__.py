"""The Imbizo central sync server: FastAPI over SQLAlchemy, implementing sync/PROTOCOL.md.

It shares only :mod:`sync.protocol` with the client; ``imbizo-server`` (:mod:`sync.server.cli`)
runs it.
"""
