"""Imbizo sync: the shared contract, the client and the central server (later issues)."""
