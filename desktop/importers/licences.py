"""Which collection a file belongs to, and on what terms its records may be reused.

A collection's root is found by walking up from the file: the first folder that
is a known collection (by name) or that holds an upstream licence file
(``LICEN[CS]E.upstream.*``) or another collection marker (``.git``, a Hugo or
Jekyll site configuration). Licence and attribution texts for the known
collections follow the corpus's PROVENANCE.md; unknown collections get an empty
licence (the command line may override it later).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

_LICENCE_MARKER = re.compile(r"^LICEN[CS]E\.upstream(\..*)?$", re.IGNORECASE)
_OTHER_MARKERS = (".git", "_config.yml", "hugo.toml", "hugo.yaml", "config.toml")

OGL3 = "Open Government Licence v3.0"
OGL3_ATTRIBUTION = "Contains public sector information licensed under the Open Government Licence v3.0."
PUBLIC_DOMAIN_CC0 = "Public domain (US Government work) and CC0 1.0"


@dataclass(frozen=True)
class Terms:
    """Licence and attribution of a collection (or of one file inside it)."""

    licence: str = ""
    attribution: str = ""
    marc_org: str = ""  # MARC organisation code standing in for a missing 003


@dataclass(frozen=True)
class Collection:
    """A folder of source files that share an identity space and licence terms.

    ``layout`` names the mapping to use (``digitalgov``, ``18f-methods``, ...);
    an empty layout means generic handling.
    """

    name: str
    root: Path
    layout: str = ""
    terms: Terms = Terms()

    def relative(self, path: Path) -> str:
        """``path`` relative to the collection root, with forward slashes."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.name

    def terms_for(self, path: Path) -> Terms:
        """Licence terms for one file (some collections credit a different library per file)."""
        if self.layout == "marc2bibframe2":
            library = _MARC2BIBFRAME2_LIBRARIES.get(path.stem)
            if library:
                name, org, licence = library
                return Terms(
                    licence=licence,
                    attribution=f"Library of Congress marc2bibframe2 sample dataset; records from {name}",
                    marc_org=org,
                )
        return self.terms


_DIGITALGOV = Terms(
    PUBLIC_DOMAIN_CC0, "Digital.gov (U.S. General Services Administration), public domain / CC0 1.0"
)

#: Known collections by folder name: (collection name, layout, terms).
KNOWN: dict[str, tuple[str, str, Terms]] = {
    "govuk_content_items": ("govuk-content-items", "govuk", Terms(OGL3, OGL3_ATTRIBUTION)),
    "digitalgov": ("digitalgov", "digitalgov", _DIGITALGOV),
    "digitalgov_topics": ("digitalgov-topics", "digitalgov-topics", _DIGITALGOV),
    "govuk_service_design_manual_2016": (
        "govuk-service-manual-2016",
        "govuk-service-manual-2016",
        Terms(
            "Open Government Licence v2.0",
            "Contains public sector information licensed under the Open Government Licence v2.0 "
            "(GOV.UK Government Service Design Manual, 2016).",
        ),
    ),
    "18f_methods": (
        "18f-methods",
        "18f-methods",
        Terms(
            PUBLIC_DOMAIN_CC0, "18F Methods (U.S. General Services Administration), public domain / CC0 1.0"
        ),
    ),
    "marc2bibframe2_dataset": (
        "marc2bibframe2",
        "marc2bibframe2",
        Terms("CC0 1.0", "Library of Congress marc2bibframe2 sample dataset"),
    ),
    "pymarc_test": (
        "pymarc-test",
        "pymarc-test",
        Terms(
            "Library of Congress catalogue records (public domain); pymarc test files BSD-2-Clause",
            "Library of Congress catalogue records, from the pymarc test suite",
            marc_org="DLC",
        ),
    ),
    "eurovoc": (
        "eurovoc",
        "eurovoc",
        Terms(
            "EuroVoc © European Union; reuse authorised provided appropriate acknowledgement is given "
            "(Commission Decision 2011/833/EU)",
            "EuroVoc, the EU's multilingual thesaurus, © European Union (release of 2021-06-04)",
        ),
    ),
    "lgsl_govuk_publisher": (
        "lgsl",
        "lgsl",
        Terms(
            "Open Government Licence",
            "Local Government Service List (LGSL), attributed to the LG Inform Plus programme; "
            "as published in GOV.UK publisher",
        ),
    ),
}

#: marc2bibframe2 dataset files: (library, MARC organisation code, licence of its records).
_MARC2BIBFRAME2_LIBRARIES: dict[str, tuple[str, str, str]] = {
    "british_library": ("the British Library", "Uk", "CC0 1.0"),
    "dnb": ("the Deutsche Nationalbibliothek", "DE-101", "CC0 1.0"),
    "gwu": ("George Washington University Libraries", "DGW", "CC0 1.0 (dataset)"),
    "loc_general": ("the Library of Congress", "DLC", "Public domain (US Government work)"),
    "loc_physical": ("the Library of Congress", "DLC", "Public domain (US Government work)"),
    "nlm": ("the National Library of Medicine", "DNLM", "Public domain (US Government work)"),
    "oclc": ("OCLC (WorldCat)", "OCoLC", "ODC-BY 1.0 (attribution to OCLC required)"),
    "princeton": ("Princeton University Library", "NjP", "CC0 1.0 (dataset)"),
}


def is_licence_marker(name: str) -> bool:
    """True for upstream licence files, which mark a collection root and are not content."""
    return bool(_LICENCE_MARKER.match(name))


class CollectionFinder:
    """Finds (and caches per folder) the collection each file belongs to."""

    def __init__(self) -> None:
        self._cache: dict[Path, Collection | None] = {}

    def find(self, path: Path, fallback_root: Path | None = None) -> Collection:
        """The collection of ``path``; ``fallback_root`` (the folder being imported) if none is marked."""
        found = self._walk(path.parent)
        if found is not None:
            return found
        root = fallback_root if fallback_root is not None else path.parent
        return Collection(name=_safe_name(root.name) or "imported", root=root)

    def _walk(self, folder: Path) -> Collection | None:
        chain: list[Path] = []
        current = folder
        result: Collection | None = None
        for _ in range(64):
            if current in self._cache:
                result = self._cache[current]
                break
            chain.append(current)
            result = _collection_at(current)
            if result is not None or current.parent == current:
                break
            current = current.parent
        for seen in chain:
            self._cache[seen] = result
        return result


def _collection_at(folder: Path) -> Collection | None:
    known = KNOWN.get(folder.name)
    if known is not None:
        name, layout, terms = known
        return Collection(name=name, root=folder, layout=layout, terms=terms)
    try:
        names = [entry.name for entry in folder.iterdir()]
    except OSError:
        return None
    if any(_LICENCE_MARKER.match(name) for name in names) or any(m in names for m in _OTHER_MARKERS):
        log.debug("collection root %s (unknown collection)", folder)
        return Collection(name=_safe_name(folder.name) or "imported", root=folder)
    return None


def _safe_name(name: str) -> str:
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace").strip()
