"""Communities of practice, questions and answers: the rules as pure functions (no SQL, no Qt).

A question lives in a community (an ``in_community`` link) or is asked of a named expert
(an ``asked_of`` link whose note holds that person's user name, which sync puts in the
envelope's ``reviewers`` so the server lets them read it). Its answers link ``answers``
to it. The asker marks the accepted answer: the question's ``accepted_answer`` field
holds that answer's id (the server lets only the asker or a librarian change it); the
same people withdraw it ("" again: the question is open) or accept another answer instead.

What a sync brings becomes notifications here: :func:`notices_on_arrival` decides,
from one arriving version and the copy the profile had before, which notices it makes.
Each notice has a key that names the event, so a page applied twice, or a sync retried,
never shows one twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from desktop.core.kinds import Kind
from desktop.core.records import Link, Record, Relation, Status, Visibility, new_record_id, utc_now

#: Kinds a community's "knowledge" lists (records shared in it, or about its topics).
KNOWLEDGE_KINDS = (Kind.CASE_STUDY, Kind.ARTICLE, Kind.SITE_VISIT, Kind.CENTRE_ITEM)

#: Notice kinds.
NEW_ANSWER, ACCEPTED, ASKED_OF_ME = "answer", "accepted", "asked"
#: The accepted answer was withdrawn: the question is open again.
WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Notice:
    """Something a sync brought that the person should see: opens ``record_id`` (a question)."""

    key: str  # names the event: the same event always has the same key
    kind: str  # NEW_ANSWER, ACCEPTED, WITHDRAWN or ASKED_OF_ME
    record_id: str  # the question to open
    subject_id: str  # the answer (or the question itself)
    title: str
    actor: str  # who did it (a user name)


@dataclass(frozen=True)
class AcceptedAnswer:
    """A question's accepted answer as people read it: who wrote it and how it starts (never its id)."""

    id: str
    question_id: str
    excerpt: str
    author: str  # the answerer's profile name, else their user name
    exists: bool = True  # False when the answer is not in this profile (yet)


def excerpt(text: str, limit: int = 140) -> str:
    """The start of a text on one line, cut at a word (with "…") when longer than ``limit``."""
    flat = " ".join(str(text or "").split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def accepted_answer(question: Record | None) -> str:
    """The id of a question's accepted answer, or ""."""
    if question is None or question.kind is not Kind.QUESTION:
        return ""
    value = question.fields.get("accepted_answer")
    return value if isinstance(value, str) else ""


def question_of(answer: Record) -> str:
    """The id of the question an answer answers, or ""."""
    targets = answer.links_of(Relation.ANSWERS)
    return targets[0] if targets else ""


def asked_of_users(record: Record) -> list[str]:
    """The user names a question is asked of (the notes of its ``asked_of`` links)."""
    return [link.note for link in record.links if link.relation is Relation.ASKED_OF and link.note]


def notices_on_arrival(
    record: Record,
    previous: Record | None,
    *,
    account: str,
    reviewers: tuple[str, ...] | list[str] = (),
    follows: Callable[[str], bool],
    owner_of: Callable[[str], str],
    title_of: Callable[[str], str],
) -> list[Notice]:
    """The notices one version from the server makes for ``account``.

    ``previous`` is the copy the profile had before (None when the record is new here);
    ``reviewers`` the version's envelope reviewers; ``follows(question_id)`` says whether the
    person follows a question; ``owner_of`` and ``title_of`` look up other local records.
    Nothing the person did themselves makes a notice.
    """
    if not account or record.deleted:
        return []
    if record.kind is Kind.ANSWER:
        question_id = question_of(record)
        if previous is None and question_id and record.owner != account and follows(question_id):
            return [
                Notice(
                    f"{NEW_ANSWER}:{record.id}",
                    NEW_ANSWER,
                    question_id,
                    record.id,
                    title_of(question_id),
                    record.owner,
                )
            ]
        return []
    if record.kind is not Kind.QUESTION:
        return []
    notices = []
    if (
        previous is None
        and record.owner != account
        and (account in reviewers or account in asked_of_users(record))
    ):
        notices.append(
            Notice(
                f"{ASKED_OF_ME}:{record.id}", ASKED_OF_ME, record.id, record.id, record.title, record.owner
            )
        )
    notices.extend(_acceptance_notices(record, previous, account=account, follows=follows, owner_of=owner_of))
    return notices


def _acceptance_notices(
    record: Record,
    previous: Record | None,
    *,
    account: str,
    follows: Callable[[str], bool],
    owner_of: Callable[[str], str],
) -> list[Notice]:
    """A question's accepted answer changed: accepted (a first one, or another instead) or
    withdrawn. Told to the question's followers, to the answerer concerned and to the asker when
    a librarian acted for them; never to the person who made the change, who is the one named.

    The key holds the question's revision when it has one, so accepting an answer again after
    withdrawing it is news again, while the same version applied twice is not.
    """
    actor = accepted_by(record)
    if actor == account:
        return []
    now, before = accepted_answer(record), accepted_answer(previous)
    if now == before:
        return []
    answer_id, kind = (now, ACCEPTED) if now else (before, WITHDRAWN)
    if not (follows(record.id) or owner_of(answer_id) == account or record.owner == account):
        return []
    key = f"{kind}:{record.id}:{answer_id}" + (f":{record.revision}" if record.revision else "")
    return [Notice(key, kind, record.id, answer_id, record.title, actor)]


def new_question(
    title: str,
    body: str,
    *,
    owner: str,
    community_id: str = "",
    expert_id: str = "",
    expert_user: str = "",
    author_id: str = "",
) -> Record:
    """A question asked in a community, of a named expert, or both (at least one of the two).

    ``expert_user`` is the expert's user name (their profile's ``handle``): without one the
    server cannot let them read a question outside a community. ``author_id``: the asker's
    own expert profile, when they have one (so the expert finder counts it).
    """
    title = title.strip()
    if not title:
        raise ValueError("a question needs a title")
    if not community_id and not expert_id:
        raise ValueError("a question is asked in a community or of a named expert")
    if expert_id and not community_id and not expert_user:
        raise ValueError("this expert has no user name on the server, so only a community can reach them")
    links: list[Link] = []
    if community_id:
        links.append(Link(Relation.IN_COMMUNITY, community_id))
    if expert_id:
        links.append(Link(Relation.ASKED_OF, expert_id, expert_user))
    if author_id:
        links.append(Link(Relation.AUTHOR, author_id))
    return Record(
        id=new_record_id(),
        kind=Kind.QUESTION,
        fields={"title": title, "body": body.strip(), "date": utc_now()},
        links=tuple(links),
        owner=owner,
        status=Status.PUBLISHED,
        visibility=Visibility.COMMUNITY,
        created_at=utc_now(),
    )


def new_answer(question: Record, body: str, *, owner: str, author_id: str = "") -> Record:
    """An answer to ``question`` (in the question's community, when it has one)."""
    body = body.strip()
    if not body:
        raise ValueError("an answer needs some text")
    links = [Link(Relation.ANSWERS, question.id)]
    links += [Link(Relation.IN_COMMUNITY, c) for c in question.links_of(Relation.IN_COMMUNITY)[:1]]
    if author_id:
        links.append(Link(Relation.AUTHOR, author_id))
    return Record(
        id=new_record_id(),
        kind=Kind.ANSWER,
        fields={"body": body, "date": utc_now()},
        links=tuple(links),
        owner=owner,
        status=Status.PUBLISHED,
        visibility=Visibility.COMMUNITY,
        created_at=utc_now(),
    )


def with_accepted(question: Record, answer_id: str, *, by: str, librarian: bool = False) -> Record:
    """The question with ``answer_id`` accepted: a first one, another instead of the one accepted,
    or "" to withdraw the acceptance (the question is open again); only its asker (or a librarian) may."""
    if question.kind is not Kind.QUESTION:
        raise ValueError("only a question has an accepted answer")
    if by != question.owner and not librarian:
        raise PermissionError("only the person who asked accepts an answer")
    return question.with_fields(accepted_answer=answer_id, accepted_by=by)


def accepted_by(question: Record) -> str:
    """Who last changed a question's accepted answer: ``accepted_by`` (a librarian may act for the
    asker), else the asker (questions accepted before the field existed)."""
    value = question.fields.get("accepted_by")
    return value if isinstance(value, str) and value else question.owner
