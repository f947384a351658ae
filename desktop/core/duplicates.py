"""Likely duplicates across the knowledge base and the catalogue, found by blocking keys.

Records are never compared all against all. Each record gives keys (its ISBNs, ISSNs and
source URL, its authors, its day or year of publication), and only records that share a
key are compared:

- the same ISBN or ISSN (normalised: ISBN-10 and -13, hyphens, qualifiers) or the same source
  URL (scheme, ``www.``, trailing slash and tracking parameters ignored) is a duplicate whatever
  the titles say; the score is lower when the titles differ. A shared URL does not count between
  catalogue records of different editions, ISBNs or ISSNs (a series page names several items);
- a near-identical title (similarity >= ``TITLE_SIMILARITY``) is a duplicate only with support,
  a shared author or the same date (same day, one day apart for time zones; the same year for
  catalogue items), AND with no conflicting evidence. Different years or days, different edition
  statements, disjoint ISBN or ISSN sets, or two different source URLs mean different editions,
  printings, copies or events that only share a title, and they are not shown.

A key held by more than ``MAX_SHARED_KEY`` records (a home page many items point at, an ISBN of
a multi-volume set) names a collection, not one item, and is left out.

A pair a librarian said is not a duplicate (desktop/core/dismissals.py) is left out before the
pairs are joined into groups; asked for, the dismissed pairs make groups of their own, marked.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

from desktop.core.identifiers import (
    author_key,
    edition_key,
    normalize_isbn,
    normalize_issn,
    normalize_title,
    normalize_url,
)
from desktop.core.kinds import Kind
from desktop.core.records import Record, Relation

#: The kinds searched for duplicates: the knowledge base and the catalogue.
DUPLICATE_KINDS: tuple[Kind, ...] = (Kind.ARTICLE, Kind.CASE_STUDY, Kind.CENTRE_ITEM)
#: Titles at least this similar (difflib ratio of the normalised titles) are "near-identical".
TITLE_SIMILARITY = 0.9
#: A key shared by more records than this names a collection, not one item.
MAX_SHARED_KEY = 12
#: Days apart that still count as "the same date" (a time zone, a post dated the next morning).
SAME_DAY_SLACK = 1
#: A title shorter than this many words names a topic ("Methods", "Up next"), not one item: a date
#: alone does not make two such records one.
MIN_WORDS_FOR_DATE_ONLY = 3
#: Words that tell parts, volumes and issues apart: titles differing in these are different items.
_ROMAN = frozenset("i ii iii iv v vi vii viii ix x xi xii xiii xiv xv xvi xvii xviii xix xx".split())

#: What each reason is called, for people.
REASON_LABELS: dict[str, str] = {
    "isbn": "same ISBN",
    "issn": "same ISSN",
    "url": "same source URL",
    "title_author": "near-identical title and author",
    "title_date": "near-identical title and date",
}


@dataclass(frozen=True)
class DuplicateFacts:
    """What duplicate detection reads of one record (small: the whole corpus is held at once)."""

    id: str
    kind: Kind
    title: str
    norm_title: str = ""
    authors: frozenset[str] = frozenset()
    day: int | None = None  # proleptic ordinal of the publication date
    year: int | None = None
    edition: str = ""  # edition_key of catalogue items, "" for other kinds
    isbns: frozenset[str] = frozenset()
    issns: frozenset[str] = frozenset()
    url: str = ""
    filled: int = 0  # how many fields hold a value (the fuller record is the suggested survivor)
    created_at: str = ""

    @classmethod
    def of(
        cls,
        record_id: str,
        kind: Kind,
        fields: Mapping[str, Any],
        *,
        author_ids: Iterable[str] = (),
        source_url: str = "",
        created_at: str = "",
    ) -> DuplicateFacts:
        """The facts of a record from its fields, the ids of the experts it names as authors
        and its source's URL (used when the fields have none)."""
        title = str(fields.get("title") or "")
        authors = {f"id:{target}" for target in author_ids if target}
        authors.update(author_key(name) for name in _strings(fields.get("authors")) if name.strip())
        authors.discard("")
        day, year = _day_and_year(fields)
        return cls(
            id=record_id,
            kind=kind,
            title=title,
            norm_title=normalize_title(title),
            authors=frozenset(authors),
            day=day,
            year=year,
            edition=edition_key(str(fields.get("edition") or "")) if kind is Kind.CENTRE_ITEM else "",
            isbns=frozenset(i for i in map(normalize_isbn, _strings(fields.get("isbn"))) if i),
            issns=frozenset(i for i in map(normalize_issn, _strings(fields.get("issn"))) if i),
            url=normalize_url(str(fields.get("url") or "")) or normalize_url(source_url),
            filled=sum(1 for value in fields.values() if value not in (None, "", [], {})),
            created_at=created_at,
        )


def facts_of(record: Record) -> DuplicateFacts:
    """The facts of a record (the store reads the same from its columns without loading records)."""
    return DuplicateFacts.of(
        record.id,
        record.kind,
        record.fields,
        author_ids=record.links_of(Relation.AUTHOR),
        source_url=record.source.url if record.source else "",
        created_at=record.created_at,
    )


@dataclass(frozen=True)
class Reason:
    """Why two records look like one: a reason code (REASON_LABELS) and what they share."""

    code: str
    detail: str = ""

    @property
    def label(self) -> str:
        """The reason as people read it."""
        return REASON_LABELS.get(self.code, self.code)

    def to_json(self) -> dict[str, str]:
        """Plain JSON values."""
        return {"code": self.code, "label": self.label, "detail": self.detail}


@dataclass(frozen=True)
class PairMatch:
    """Two records found alike, with the reasons and a similarity score in [0, 1]."""

    first: str
    second: str
    score: float
    reasons: tuple[Reason, ...]
    title_similarity: float


@dataclass(frozen=True)
class DuplicateGroup:
    """Records that are likely one item: every pair found, the reasons, the best pair's score."""

    id: str
    score: float
    reasons: tuple[Reason, ...]
    members: tuple[DuplicateFacts, ...]  # the suggested survivor first
    pairs: tuple[PairMatch, ...] = field(default=())
    dismissed: bool = False  # every pair was said not to be a duplicate (listed only when asked)

    @property
    def kinds(self) -> tuple[Kind, ...]:
        """The kinds of the members, each once."""
        return tuple(dict.fromkeys(member.kind for member in self.members))

    def to_json(self) -> dict[str, Any]:
        """The group as ``imbizo duplicates --json`` prints it."""
        return {
            "id": self.id,
            "score": self.score,
            "dismissed": self.dismissed,
            "reasons": [reason.to_json() for reason in self.reasons],
            "records": [
                {"id": m.id, "kind": m.kind.value, "title": m.title, "year": m.year} for m in self.members
            ],
            "pairs": [
                {
                    "records": [pair.first, pair.second],
                    "score": pair.score,
                    "reasons": [reason.code for reason in pair.reasons],
                }
                for pair in self.pairs
            ],
        }


def describe(reasons: Sequence[Reason], *, details: bool = True) -> str:
    """The reasons as one line: "same ISBN 9780…; near-identical title, author and date"
    (without what is shared when ``details`` is false)."""
    codes = {reason.code for reason in reasons}
    parts = [
        f"{reason.label} {reason.detail}" if reason.detail and details else reason.label
        for reason in reasons
        if reason.code in ("isbn", "issn", "url")
    ]
    if "title_author" in codes and "title_date" in codes:
        parts.append("near-identical title, author and date")
    elif "title_author" in codes:
        parts.append(REASON_LABELS["title_author"])
    elif "title_date" in codes:
        parts.append(REASON_LABELS["title_date"])
    return "; ".join(parts)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(item) for item in value if isinstance(item, str | int)]
    return []


def _day_and_year(fields: Mapping[str, Any]) -> tuple[int | None, int | None]:
    text = str(fields.get("date") or "").strip()
    day = year = None
    if len(text) >= 10:
        try:
            day = date.fromisoformat(text[:10]).toordinal()
            year = int(text[:4])
        except ValueError:
            day = None
    if year is None and len(text) >= 4 and text[:4].isdigit():
        year = int(text[:4])
    raw_year = fields.get("year")
    if year is None and raw_year not in (None, ""):
        try:
            year = int(str(raw_year).strip()[:4])
        except ValueError:
            year = None
    return day, year


def title_similarity(a: str, b: str) -> float:
    """Similarity of two normalised titles in [0, 1] (difflib's ratio; 1.0 for equal titles)."""
    if a == b:
        return 1.0 if a else 0.0
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


@lru_cache(maxsize=65_536)
def _numbering(title: str) -> tuple[str, ...]:
    """The numbers and roman numerals of a normalised title (``part 2``, ``part ii``, ``2021``)."""
    return tuple(word for word in title.split() if word.isdigit() or word in _ROMAN)


def _similar_enough(a: str, b: str, matcher: SequenceMatcher[str] | None = None) -> float:
    """The similarity when it can reach TITLE_SIMILARITY, else 0.0 (cheap bounds first).

    Titles that differ in their numbers ("Part I" and "Part II", "Report 2020" and "Report 2021")
    are parts or issues of a series, never near-identical. ``matcher`` may already hold ``a`` as
    its second sequence (its index of ``a`` is then built once for many ``b``).
    """
    if a == b:
        return 1.0 if a else 0.0
    if not a or not b or 2 * min(len(a), len(b)) / (len(a) + len(b)) < TITLE_SIMILARITY:
        return 0.0
    if _numbering(a) != _numbering(b):
        return 0.0
    if matcher is None:
        matcher = SequenceMatcher(None, b, a, autojunk=False)
    else:
        matcher.set_seq1(b)
    if matcher.real_quick_ratio() < TITLE_SIMILARITY or matcher.quick_ratio() < TITLE_SIMILARITY:
        return 0.0
    ratio = matcher.ratio()
    return ratio if ratio >= TITLE_SIMILARITY else 0.0


def _same_date(a: DuplicateFacts, b: DuplicateFacts) -> bool | None:
    """True/False when both records are dated (by day when both have one, else by year); None otherwise."""
    if a.day is not None and b.day is not None:
        return abs(a.day - b.day) <= SAME_DAY_SLACK
    if a.year is not None and b.year is not None:
        return a.year == b.year
    return None


def conflicts(a: DuplicateFacts, b: DuplicateFacts) -> list[str]:
    """The evidence that two records sharing a title are different items (editions, copies, events)."""
    found: list[str] = []
    if a.authors and b.authors and not a.authors & b.authors:
        found.append("authors differ")
    if _same_date(a, b) is False:
        found.append("dates differ")
    if a.edition and b.edition and a.edition != b.edition:
        found.append("editions differ")
    if a.isbns and b.isbns and not a.isbns & b.isbns:
        found.append("ISBNs differ")
    if a.issns and b.issns and not a.issns & b.issns:
        found.append("ISSNs differ")
    if a.url and b.url and a.url != b.url:
        found.append("URLs differ")
    return found


def _identity_conflicts(a: DuplicateFacts, b: DuplicateFacts) -> bool:
    """Different editions, ISBNs or ISSNs: one URL (a series page, a publisher's site) then names
    several items, not one."""
    return bool(
        (a.edition and b.edition and a.edition != b.edition)
        or (a.isbns and b.isbns and not a.isbns & b.isbns)
        or (a.issns and b.issns and not a.issns & b.issns)
    )


def compare(a: DuplicateFacts, b: DuplicateFacts, *, similarity: float | None = None) -> PairMatch | None:
    """Whether two records are likely one item, with the reasons and a score; None when not.

    The score combines the reasons' scores as independent evidence (1 - product of misses).
    """
    if a.id == b.id:
        return None
    sim = _similar_enough(a.norm_title, b.norm_title) if similarity is None else similarity
    if not sim and (a.isbns & b.isbns or a.issns & b.issns or (a.url and a.url == b.url)):
        sim = title_similarity(a.norm_title, b.norm_title)  # scores an identifier match
    scored: list[tuple[Reason, float]] = []
    shared_isbns = sorted(a.isbns & b.isbns)
    if shared_isbns:
        scored.append((Reason("isbn", ", ".join(shared_isbns)), 0.85 + 0.15 * sim))
    shared_issns = sorted(a.issns & b.issns)
    if shared_issns:
        scored.append((Reason("issn", ", ".join(shared_issns)), 0.75 + 0.2 * sim))
    if a.url and a.url == b.url and not _identity_conflicts(a, b):
        scored.append((Reason("url", a.url), 0.55 + 0.4 * sim))
    if sim >= TITLE_SIMILARITY and not conflicts(a, b):
        if a.authors & b.authors:
            scored.append((Reason("title_author", f"title similarity {sim:.2f}"), 0.75 * sim))
        if _same_date(a, b) and len(a.norm_title.split()) >= MIN_WORDS_FOR_DATE_ONLY:
            scored.append((Reason("title_date", f"title similarity {sim:.2f}"), 0.7 * sim))
    if not scored:
        return None
    miss = 1.0
    for _, score in scored:
        miss *= 1.0 - score
    first, second = sorted((a.id, b.id))
    return PairMatch(
        first,
        second,
        round(min(1.0, 1.0 - miss), 3),
        tuple(reason for reason, _ in scored),
        round(sim, 3),
    )


class _Blocks:
    """Keys -> the records holding them (ids as indexes into the facts list)."""

    def __init__(self) -> None:
        self.keys: dict[tuple[str, Any], list[int]] = defaultdict(list)

    def add(self, key: tuple[str, Any], index: int) -> None:
        self.keys[key].append(index)


def _blocks(facts: Sequence[DuplicateFacts]) -> _Blocks:
    blocks = _Blocks()
    for index, item in enumerate(facts):
        for isbn in item.isbns:
            blocks.add(("isbn", isbn), index)
        for issn in item.issns:
            blocks.add(("issn", issn), index)
        if item.url:
            blocks.add(("url", item.url), index)
        if not item.norm_title:
            continue
        for author in item.authors:
            blocks.add(("author", author), index)
        if item.day is not None:
            blocks.add(("day", item.day), index)
        elif item.year is not None and item.kind is Kind.CENTRE_ITEM:
            blocks.add(("year", item.year), index)
    return blocks


def _title_pairs(
    members: list[int],
    facts: Sequence[DuplicateFacts],
    tested: dict[tuple[int, int], float],
    across: set[int] | None = None,
) -> Iterable[tuple[int, int, float]]:
    """Pairs of a block whose titles are near-identical.

    Sorted by length, each title is only compared with the few whose length allows the threshold;
    a pair met in another block already (the same author and the same day) is not compared again.
    With ``across``, only pairs with one record in ``across`` and one outside it are compared.
    """
    ordered = sorted(members, key=lambda i: len(facts[i].norm_title))
    matcher: SequenceMatcher[str] = SequenceMatcher(None, autojunk=False)
    for position, i in enumerate(ordered):
        a = facts[i].norm_title
        loaded = False  # the matcher's index of ``a`` is built at the first comparison that needs it
        for j in ordered[position + 1 :]:
            b = facts[j].norm_title
            if 2 * len(a) / (len(a) + len(b)) < TITLE_SIMILARITY:
                break
            if across is not None and (i in across) == (j in across):
                continue
            key = (i, j) if i < j else (j, i)
            if key in tested:
                continue
            if not loaded and a != b:
                matcher.set_seq2(a)
                loaded = True
            sim = tested[key] = _similar_enough(a, b, matcher)
            if sim:
                yield i, j, sim


def candidate_pairs(facts: Sequence[DuplicateFacts]) -> dict[tuple[int, int], float | None]:
    """The pairs worth comparing (index pairs, lower first) -> title similarity when already known."""
    blocks = _blocks(facts)
    pairs: dict[tuple[int, int], float | None] = {}
    tested: dict[tuple[int, int], float] = {}
    days: dict[int, list[int]] = {}
    for (name, value), members in blocks.keys.items():
        if name == "day":
            days[value] = members
        if len(members) < 2:
            continue
        if name in ("isbn", "issn", "url"):
            if len(members) > MAX_SHARED_KEY:
                continue
            for position, i in enumerate(members):
                for j in members[position + 1 :]:
                    pairs.setdefault((min(i, j), max(i, j)), None)
        else:
            for i, j, sim in _title_pairs(members, facts, tested):
                pairs[(min(i, j), max(i, j))] = sim
    for day, members in days.items():  # "the same date" allows a day's slack: join neighbouring days
        for slack in range(1, SAME_DAY_SLACK + 1):
            later = days.get(day + slack)
            if later:
                for i, j, sim in _title_pairs(members + later, facts, tested, set(later)):
                    pairs[(min(i, j), max(i, j))] = sim
    return pairs


def _suggested_order(members: Iterable[DuplicateFacts]) -> tuple[DuplicateFacts, ...]:
    """The fullest record first (the suggested survivor), then the older, then by id."""
    return tuple(sorted(members, key=lambda m: (-m.filled, m.created_at or "~", m.id)))


def find_duplicates(
    facts: Sequence[DuplicateFacts],
    *,
    kinds: Sequence[Kind] = (),
    limit: int | None = None,
    dismissed: Collection[tuple[str, str]] = (),
    include_dismissed: bool = False,
) -> list[DuplicateGroup]:
    """Groups of likely duplicates among ``facts``, best score first.

    Pairs found alike are joined into groups (a record alike to two others makes a group of
    three). ``kinds`` keeps the groups holding a record of one of those kinds. ``dismissed``
    holds the pairs (lower id first) said not to be duplicates: they are left out, or, with
    ``include_dismissed``, grouped on their own after the others, marked ``dismissed``.
    """
    live: list[PairMatch] = []
    set_aside: list[PairMatch] = []
    for (i, j), sim in candidate_pairs(facts).items():
        match = compare(facts[i], facts[j], similarity=sim)
        if match is not None:
            (set_aside if (match.first, match.second) in dismissed else live).append(match)
    by_id = {item.id: item for item in facts}
    groups = _groups(live, by_id, kinds)
    if include_dismissed:
        groups.extend(_groups(set_aside, by_id, kinds, dismissed=True))
    groups.sort(key=lambda g: (g.dismissed, -g.score, g.members[0].norm_title, g.id))
    return groups[:limit] if limit is not None else groups


def _groups(
    matches: Sequence[PairMatch],
    by_id: Mapping[str, DuplicateFacts],
    kinds: Sequence[Kind],
    *,
    dismissed: bool = False,
) -> list[DuplicateGroup]:
    """The pairs joined into groups (connected components)."""
    parent: dict[str, str] = {}

    def root(item: str) -> str:
        parent.setdefault(item, item)
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for match in matches:
        parent[root(match.first)] = root(match.second)
    grouped: dict[str, list[PairMatch]] = defaultdict(list)
    for match in matches:
        grouped[root(match.first)].append(match)
    groups: list[DuplicateGroup] = []
    wanted = set(kinds)
    for pairs in grouped.values():
        ids = sorted({rid for pair in pairs for rid in (pair.first, pair.second)})
        members = _suggested_order(by_id[rid] for rid in ids)
        if wanted and not wanted & {member.kind for member in members}:
            continue
        reasons: dict[str, Reason] = {}
        for pair in sorted(pairs, key=lambda p: -p.score):
            for reason in pair.reasons:
                reasons.setdefault(reason.code, reason)
        group_id = hashlib.sha256("\x1f".join(ids).encode()).hexdigest()[:12]
        ordered_pairs = tuple(sorted(pairs, key=lambda p: (-p.score, p.first, p.second)))
        groups.append(
            DuplicateGroup(
                group_id,
                ordered_pairs[0].score,
                tuple(reasons.values()),
                members,
                ordered_pairs,
                dismissed=dismissed,
            )
        )
    return groups
