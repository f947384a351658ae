"""The controlled vocabulary as values: tagging a record with a term, merging and retiring terms.

A record is tagged with a term twice over: the term's preferred label in its tag list
(``record.tags``, or the kind's own list field: an expert's ``expertise``, a library
item's ``subjects``) and an ``about`` link to the term record. A term names its broader
terms the same way: labels in ``fields["broader"]`` and ``broader`` links. Every function
here returns new records and touches nothing else: the session saves what they return in
one transaction (with its outbox entries), so a merge or a retirement syncs as one change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from desktop.core.kinds import Kind
from desktop.core.merging import MERGED_NOTE
from desktop.core.records import Link, Record, Relation


class VocabularyRefused(Exception):
    """The user may not make this vocabulary change (librarians curate the vocabulary)."""


#: The note on a retired term's link to the term that replaced it (a merged term's reads "merged").
REPLACED_NOTE = "replaced"
#: How many replacements are followed at most (a term merged into one that was merged in turn...).
REPLACEMENT_STEPS = 8

#: Kinds that keep their vocabulary labels in a field of their own instead of ``record.tags``.
TAG_FIELDS: dict[Kind, str] = {Kind.EXPERT: "expertise", Kind.CENTRE_ITEM: "subjects"}


def _fold(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _unique(labels: Iterable[str], *, leave_out: Iterable[str] = ()) -> list[str]:
    seen = {_fold(label) for label in leave_out}
    out: list[str] = []
    for label in labels:
        text = " ".join(str(label).split())
        if text and _fold(text) not in seen:
            seen.add(_fold(text))
            out.append(text)
    return out


def term_labels(term: Record) -> list[str]:
    """The preferred label first, then the alternative labels."""
    return _unique([term.title, *(term.fields.get("alt_labels") or [])])


def tag_labels(record: Record) -> list[str]:
    """The vocabulary labels a record carries (its tags, or its kind's tag field)."""
    name = TAG_FIELDS.get(record.kind)
    if name is None:
        return list(record.tags)
    return [str(v) for v in record.fields.get(name) or []]


def _with_labels(record: Record, labels: Sequence[str]) -> Record:
    name = TAG_FIELDS.get(record.kind)
    if name is None:
        return record.with_changes(tags=tuple(_unique(labels)))
    values = _unique(labels)
    if not values and name not in record.fields:
        return record
    return record.with_fields(**{name: values})


def uses_term(record: Record, term: Record) -> bool:
    """True when ``record`` is about ``term`` (a link) or carries its preferred label as a tag."""
    if term.id in record.links_of(Relation.ABOUT):
        return True
    label = _fold(term.title)
    return bool(label) and any(_fold(tag) == label for tag in tag_labels(record))


def add_term(record: Record, term: Record) -> Record:
    """``record`` tagged with ``term``: its preferred label and an about link (nothing doubled)."""
    labels = tag_labels(record)
    alternatives = {_fold(label) for label in term_labels(term)[1:]}
    # A free tag that is one of the term's alternative labels becomes the preferred one.
    labels = [label for label in labels if _fold(label) not in alternatives]
    labels.append(term.title)
    links = list(record.links)
    if term.id not in record.links_of(Relation.ABOUT):
        links.append(Link(Relation.ABOUT, term.id))
    return _with_labels(record, labels).with_changes(links=tuple(links))


def remove_term(record: Record, term: Record) -> Record:
    """``record`` without ``term``: no about link to it, none of its labels among the tags."""
    names = {_fold(label) for label in term_labels(term)}
    labels = [label for label in tag_labels(record) if _fold(label) not in names]
    links = tuple(
        link for link in record.links if not (link.relation is Relation.ABOUT and link.target_id == term.id)
    )
    return _with_labels(record, labels).with_changes(links=links)


def restore_term(current: Record, before: Record, term: Record) -> Record:
    """``current`` with ``term``'s labels and about link as they were in ``before`` (a bulk tag undone).

    Only the term's own part goes back: a free tag equal to its label that the record had before
    stays, and tags or links changed since by anything else are kept. When nothing else changed,
    the tags and links are exactly those of ``before``.
    """
    names = {_fold(label) for label in term_labels(term)}
    now, then = tag_labels(current), tag_labels(before)
    others = [label for label in now if _fold(label) not in names]
    if others == [label for label in then if _fold(label) not in names]:
        labels = then
    else:
        labels = [*others, *(label for label in then if _fold(label) in names)]

    def is_term_link(link: Link) -> bool:
        return link.relation is Relation.ABOUT and link.target_id == term.id

    other_links = [link for link in current.links if not is_term_link(link)]
    if other_links == [link for link in before.links if not is_term_link(link)]:
        links = before.links
    else:
        links = (*other_links, *(link for link in before.links if is_term_link(link)))
    restored = _with_labels(current, labels).with_changes(links=tuple(links))
    name = TAG_FIELDS.get(current.kind)
    if name is not None and not labels and name not in before.fields and name in restored.fields:
        fields = dict(restored.fields)
        del fields[name]  # the bulk tag made the field: it goes again
        restored = restored.with_changes(fields=fields)
    return restored


def _replace_links(
    links: Sequence[Link], relation: Relation, old: str, new: str, *, skip: str = ""
) -> tuple[Link, ...]:
    """``links`` with each ``relation`` link to ``old`` pointing at ``new`` (in place, never doubled)."""
    out: list[Link] = []
    seen: set[tuple[Relation, str]] = set()
    for link in links:
        if link.relation is relation and link.target_id == old:
            link = Link(relation, new, link.note)
        key = (link.relation, link.target_id)
        if link.relation is relation and (key in seen or link.target_id == skip):
            continue
        seen.add(key)
        out.append(link)
    return tuple(out)


def replace_term(record: Record, old: Record, new: Record) -> Record:
    """``record`` retagged: what named ``old`` (about link, label) names ``new`` instead, in place."""
    if not uses_term(record, old):
        return record
    old_names = {_fold(label) for label in term_labels(old)}
    labels = [new.title if _fold(label) in old_names else label for label in tag_labels(record)]
    if not any(_fold(label) == _fold(new.title) for label in labels):
        labels.append(new.title)
    links = _replace_links(record.links, Relation.ABOUT, old.id, new.id)
    if new.id not in [link.target_id for link in links if link.relation is Relation.ABOUT]:
        links = (*links, Link(Relation.ABOUT, new.id))
    return _with_labels(record, labels).with_changes(links=links)


def move_narrower(narrower: Record, old: Record, new: Record) -> Record:
    """A narrower term of ``old`` made a narrower term of ``new`` (its broader links and labels)."""
    links = _replace_links(narrower.links, Relation.BROADER, old.id, new.id, skip=narrower.id)
    broader = [new.title if _fold(b) == _fold(old.title) else b for b in narrower.fields.get("broader") or []]
    fields = dict(narrower.fields)
    if broader or "broader" in fields:
        fields["broader"] = _unique(broader, leave_out=[narrower.title])
    return narrower.with_changes(links=links, fields=fields)


def take_labels(term: Record, other: Record) -> Record:
    """``term`` with ``other``'s preferred and alternative labels among its alternative labels.

    Nothing is doubled (labels compare case-insensitively) and ``term``'s own preferred label is
    never one of them; ``term`` itself is returned when it has every label already. A merge's
    survivor and a retired term's replacement take the old term's labels this way, so the old
    label still finds (and completes to) the term that took its place.
    """
    have = [*(term.fields.get("alt_labels") or [])]
    alt = _unique([*have, other.title, *(other.fields.get("alt_labels") or [])], leave_out=[term.title])
    if alt == have:
        return term
    return term.with_fields(alt_labels=alt)


def absorb(survivor: Record, loser: Record) -> Record:
    """The surviving term of a merge: the loser's labels as alternative labels, its broader terms too."""
    survivor = take_labels(survivor, loser)
    links = list(survivor.links)
    own = {survivor.id, loser.id}
    present = set(survivor.links_of(Relation.BROADER))
    for target in loser.links_of(Relation.BROADER):
        if target not in own and target not in present:
            links.append(Link(Relation.BROADER, target))
            present.add(target)
    links = [link for link in links if not (link.relation is Relation.BROADER and link.target_id in own)]
    broader = _unique(
        [*(survivor.fields.get("broader") or []), *(loser.fields.get("broader") or [])],
        leave_out=[survivor.title, loser.title],
    )
    fields = dict(survivor.fields)
    fields["alt_labels"] = list(fields.get("alt_labels") or [])
    if broader or "broader" in fields:
        fields["broader"] = broader
    if not str(fields.get("scope_note") or "").strip() and loser.fields.get("scope_note"):
        fields["scope_note"] = loser.fields["scope_note"]
    return survivor.with_changes(fields=fields, links=tuple(links))


def tombstone(term: Record, replacement: Record | None = None, note: str = MERGED_NOTE) -> Record:
    """A retired term: a tombstone (in the trash; its labels live on in the survivor of a merge).

    With a ``replacement`` the tombstone names it (a ``duplicate_of`` link noted "merged" or
    "replaced", as a merged record's does), so whoever still holds the old term, a link to it or
    its label is led to the term that took its place, on this machine and after a sync.
    """
    links = [link for link in term.links if link.relation is not Relation.DUPLICATE_OF]
    if replacement is not None:
        links.append(Link(Relation.DUPLICATE_OF, replacement.id, note))
    return term.with_changes(deleted=True, links=tuple(links))


def replacement_of(term: Record) -> str | None:
    """The id of the term a merged (or replaced) retired term points at, or None."""
    if not term.deleted or term.kind is not Kind.TERM:
        return None
    for link in term.links:
        if link.relation is Relation.DUPLICATE_OF and link.note in (MERGED_NOTE, REPLACED_NOTE):
            return link.target_id
    return None


def follow_replacements(
    found: Mapping[str, Record], fetch: Callable[[list[str]], Mapping[str, Record]]
) -> dict[str, Record]:
    """``found`` with each merged or replaced term's tombstone mapped to the live term that took its place.

    Followed along a chain (merged into a term that was merged in turn), at most
    :data:`REPLACEMENT_STEPS` steps and never round a loop; ``fetch`` reads records by id. A
    tombstone whose replacement is not in the profile (or is gone too) stays as it is.
    """
    resolved = dict(found)
    pending = {rid: nxt for rid, r in found.items() if (nxt := replacement_of(r))}
    visited = {rid: {rid} for rid in pending}
    for _ in range(REPLACEMENT_STEPS):
        if not pending:
            break
        targets = fetch(sorted(set(pending.values())))
        following: dict[str, str] = {}
        for rid, target_id in pending.items():
            target = targets.get(target_id)
            if target is None or target_id in visited[rid]:
                continue
            visited[rid].add(target_id)
            if not target.deleted:
                resolved[rid] = target
            elif (after := replacement_of(target)) is not None:
                following[rid] = after
        pending = following
    return resolved


@dataclass(frozen=True)
class TermUsage:
    """What uses a term: records tagged with or about it, and its narrower terms."""

    tagged: tuple[Record, ...] = ()
    narrower: tuple[Record, ...] = ()


@dataclass(frozen=True)
class VocabularyEdit:
    """The records one vocabulary operation writes (all in one transaction), and how many it retagged."""

    records: tuple[Record, ...] = ()
    retagged: int = 0
    moved: int = 0
    skipped: int = 0  # records the user may not change, left as they were


def plan_merge(survivor: Record, loser: Record, usage: TermUsage) -> VocabularyEdit:
    """Merge ``loser`` into ``survivor``: labels absorbed, narrower moved, records retagged, loser retired."""
    if survivor.id == loser.id:
        raise ValueError("a term cannot be merged into itself")
    if survivor.kind is not Kind.TERM or loser.kind is not Kind.TERM:
        raise ValueError("only vocabulary terms can be merged")
    merged = absorb(survivor, loser)
    records: dict[str, Record] = {}
    for narrower in usage.narrower:
        if narrower.id == survivor.id:
            continue  # the survivor was narrower than the loser: absorb() dropped that link
        records[narrower.id] = move_narrower(narrower, loser, merged)
    retagged = 0
    for record in usage.tagged:
        if record.id in (survivor.id, loser.id):
            continue
        base = records.get(record.id, record)
        changed = replace_term(base, loser, merged)
        if changed != base:
            retagged += 1
            records[record.id] = changed
    return VocabularyEdit(
        (merged, *records.values(), tombstone(loser, merged)), retagged=retagged, moved=len(usage.narrower)
    )


def plan_retire(term: Record, usage: TermUsage, replacement: Record | None = None) -> VocabularyEdit:
    """Retire ``term``: what used it is retagged with ``replacement``, or loses the tag when there is none.

    The replacement takes the retired term's labels as alternative labels (as a merge's survivor
    does), so a search or a tag field typed with the old label still finds it; without a
    replacement no other term changes but its narrower terms. Those move to the replacement, or
    to the retired term's own broader terms.
    """
    if replacement is not None and replacement.id == term.id:
        raise ValueError("a term cannot replace itself")
    records: dict[str, Record] = {}
    original = replacement
    if replacement is not None:
        replacement = take_labels(replacement, term)
        records[replacement.id] = replacement  # first, as a merge's survivor; left out if unchanged
    for narrower in usage.narrower:
        base = records.get(narrower.id, narrower)
        if replacement is not None:
            records[narrower.id] = move_narrower(base, term, replacement)
        else:
            records[narrower.id] = _lift(base, term)
    retagged = 0
    for record in usage.tagged:
        if record.id == term.id:
            continue
        base = records.get(record.id, record)
        changed = replace_term(base, term, replacement) if replacement else remove_term(base, term)
        if changed != base:
            retagged += 1
            records[record.id] = changed
    if replacement is not None and records[replacement.id] == original:
        del records[replacement.id]  # it had every label already (and was not moved): not written
    ended = tombstone(term, replacement, REPLACED_NOTE)
    return VocabularyEdit((*records.values(), ended), retagged=retagged, moved=len(usage.narrower))


def _lift(narrower: Record, retired: Record) -> Record:
    """A narrower term of a retired term hung from the retired term's broader terms instead."""
    links = [
        link
        for link in narrower.links
        if not (link.relation is Relation.BROADER and link.target_id == retired.id)
    ]
    have = {link.target_id for link in links if link.relation is Relation.BROADER}
    for target in retired.links_of(Relation.BROADER):
        if target not in have and target != narrower.id:
            links.append(Link(Relation.BROADER, target))
            have.add(target)
    broader = [b for b in narrower.fields.get("broader") or [] if _fold(b) != _fold(retired.title)]
    broader = _unique([*broader, *(retired.fields.get("broader") or [])], leave_out=[narrower.title])
    fields = dict(narrower.fields)
    if broader or "broader" in fields:
        fields["broader"] = broader
    return narrower.with_changes(links=tuple(links), fields=fields)


def with_broader(term: Record, broader: Sequence[tuple[str, str]]) -> Record:
    """``term`` with exactly these broader terms, as (id, preferred label) pairs (itself left out)."""
    kept = [link for link in term.links if link.relation is not Relation.BROADER]
    chosen = [(i, label) for i, label in dict(broader).items() if i != term.id]
    fields = dict(term.fields)
    if chosen or "broader" in fields:
        fields["broader"] = _unique(label for _, label in chosen)
    return term.with_changes(fields=fields, links=(*kept, *(Link(Relation.BROADER, i) for i, _ in chosen)))


def plan_edit(old: Record | None, new: Record, usage: TermUsage) -> VocabularyEdit:
    """An edited (or new) term; a new preferred label is carried to what uses it and its narrower terms."""
    if old is None or old.title == new.title:
        return VocabularyEdit((new,))
    records: list[Record] = [new]
    for narrower in usage.narrower:
        if narrower.id != new.id:
            records.append(move_narrower(narrower, old, new))
    retagged = 0
    for record in usage.tagged:
        labels = tag_labels(record)
        renamed = [new.title if _fold(label) == _fold(old.title) else label for label in labels]
        if renamed != labels:
            retagged += 1
            records.append(_with_labels(record, renamed))
    return VocabularyEdit(tuple(records), retagged=retagged)


def plan_bulk_tag(records: Iterable[Record], term: Record, *, remove: bool = False) -> VocabularyEdit:
    """Every record tagged with ``term`` (or untagged when ``remove``); records already so are left out."""
    changed = []
    for record in records:
        if record.deleted or record.id == term.id:
            continue
        new = remove_term(record, term) if remove else add_term(record, term)
        if new != record:
            changed.append(new)
    return VocabularyEdit(tuple(changed), retagged=len(changed))


@dataclass(frozen=True)
class TermEntry:
    """One live term as the vocabulary browser lists it (no prose: thousands are read at once)."""

    id: str
    label: str
    scheme: str
    notation: str = ""
    alt_labels: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()  # ids of broader terms
    uses: int = 0  # records with an about link to it


@dataclass(frozen=True)
class TermMatch:
    """A term found by one of its labels while a person types (``matched`` is the label that matched)."""

    id: str
    label: str
    matched: str
    scheme: str = ""

    @property
    def by_alternative(self) -> bool:
        """True when an alternative label matched, not the preferred one."""
        return _fold(self.matched) != _fold(self.label)


def rank_matches(
    text: str, candidates: Iterable[tuple[str, str, str, Sequence[str]]], limit: int
) -> list[TermMatch]:
    """Terms whose labels contain ``text``: whole label first, then label start, word start, anywhere.

    ``candidates`` are (id, preferred label, scheme, alternative labels); each term is offered once,
    under its best-matching label (the preferred one on a tie).
    """
    needle = _fold(text)
    if not needle:
        return []
    scored: list[tuple[int, int, str, TermMatch]] = []
    for term_id, label, scheme, alternatives in candidates:
        best: tuple[int, str] | None = None
        for position, name in enumerate([label, *alternatives]):
            folded = _fold(name)
            if needle not in folded:
                continue
            if folded == needle:
                rank = 0
            elif folded.startswith(needle):
                rank = 1
            elif f" {needle}" in f" {folded}":
                rank = 2
            else:
                rank = 3
            rank = rank * 2 + (1 if position else 0)
            if best is None or rank < best[0]:
                best = (rank, name)
        if best is not None:
            scored.append((best[0], len(best[1]), _fold(best[1]), TermMatch(term_id, label, best[1], scheme)))
    scored.sort(key=lambda item: item[:3])
    return [item[3] for item in scored[:limit]]
