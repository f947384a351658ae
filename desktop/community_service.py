"""Communities of practice for one open profile: the community page, questions and answers,
follows and notifications, and membership (no Qt).

Everything but membership works offline from the local store: a question or an answer is a
record saved here and pushed at the next sync. Membership lives on the server (who may read
a community's records is the server's decision), so joining, leaving and managing members
are server calls; the lists the server gave are kept in the profile's meta table, so the
page shows them offline too (with the time they were fetched).

Joining or leaving offline is refused with a clear message rather than queued: a membership
change changes what the server lets this person read (it reconciles every device of theirs),
and a queued one would show a member's page to someone the server does not count as one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from desktop.core.communities import (
    AcceptedAnswer,
    accepted_answer,
    excerpt,
    new_answer,
    new_question,
    question_of,
    with_accepted,
)
from desktop.core.editing import RecordSummary
from desktop.core.kinds import Kind
from desktop.core.records import Record, Relation

if TYPE_CHECKING:
    from desktop.core.changes import Changes
    from desktop.session import Session
    from desktop.store.communities import StoredNotice
    from sync.client import SyncClient

#: Meta keys of what the server said about memberships (JSON), per community and for "me".
MEMBERS_KEY = "communities.members.{id}"
MINE_KEY = "communities.mine"


@dataclass(frozen=True)
class Person:
    """Someone on a community page: their profile (when there is one), name and why they are listed."""

    profile_id: str
    name: str
    why: str = ""
    user: str = ""
    role: str = ""


@dataclass(frozen=True)
class QuestionSummary:
    """A question on a community page."""

    id: str
    title: str
    owner: str
    updated_at: str
    answers: int
    accepted: bool
    #: The accepted answer (who wrote it, how it starts), when there is one.
    accepted_answer: AcceptedAnswer | None = None


@dataclass
class CommunityOverview:
    """What the community page shows; all of it from the local store (memberships as last fetched)."""

    record: Record
    facilitators: list[Person] = field(default_factory=list)
    members: list[Person] = field(default_factory=list)
    experts: list[Person] = field(default_factory=list)
    knowledge: list[RecordSummary] = field(default_factory=list)
    knowledge_count: int = 0
    questions: list[QuestionSummary] = field(default_factory=list)
    activity: list[RecordSummary] = field(default_factory=list)
    #: The server's member list as last fetched ({user: role}), and when; None if never fetched.
    server_members: dict[str, str] | None = None
    fetched_at: str = ""
    #: My role in it as the server last said ("member", "facilitator", "" for none; None: unknown).
    my_role: str | None = None

    @property
    def open_questions(self) -> list[QuestionSummary]:
        """Questions without an accepted answer."""
        return [q for q in self.questions if not q.accepted]


@dataclass(frozen=True)
class Thread:
    """A question with its answers, as the thread view shows it."""

    question: Record
    answers: list[Record]
    accepted_id: str
    following: bool
    community: Record | None
    asked_of: list[Person]
    me: str
    #: Whether the person is a librarian (the server lets librarians mark the accepted answer too).
    librarian: bool = False
    #: Answerers' names by answer id (their profile's name, else their user name).
    authors: dict[str, str] = field(default_factory=dict)

    @property
    def mine(self) -> bool:
        """Whether the person asked it."""
        return self.question.owner == self.me

    @property
    def may_accept(self) -> bool:
        """Whether the person may mark the accepted answer, withdraw it or accept another instead:
        the asker, or a librarian (the server's rule for every change of it)."""
        return self.mine or self.librarian

    @property
    def accepted_here(self) -> bool:
        """Whether the accepted answer is one of the answers here (it may be deleted, or not synced yet)."""
        return bool(self.accepted_id) and any(a.id == self.accepted_id for a in self.answers)


class CommunityService:
    """Community pages, questions and answers, follows and notifications for one session."""

    def __init__(self, session: Session):
        self.session = session
        self.store = session.store

    # -- the community page ------------------------------------------------------------------

    def overview(
        self, community_id: str, *, experts: int = 8, knowledge: int = 12
    ) -> CommunityOverview | None:
        """Everything the community page shows, or None when there is no such community here."""
        record = self.store.get(community_id)
        if record is None or record.kind is not Kind.COMMUNITY or record.deleted:
            return None
        terms = record.links_of(Relation.ABOUT)
        people_ids = record.links_of(Relation.FACILITATOR) + record.links_of(Relation.MEMBER)
        people = self.store.get_many(people_ids)
        cached, fetched_at = self.cached_members(community_id)
        overview = CommunityOverview(
            record=record,
            facilitators=[self._person(people.get(i), i) for i in record.links_of(Relation.FACILITATOR)],
            members=[self._person(people.get(i), i) for i in record.links_of(Relation.MEMBER)],
            knowledge=self.store.community_knowledge(community_id, terms, knowledge),
            knowledge_count=self.store.community_knowledge_count(community_id, terms),
            activity=self.store.community_activity(community_id, terms, 8),
            server_members=cached,
            fetched_at=fetched_at,
            my_role=self.my_role(community_id),
        )
        overview.questions = self._questions(community_id)
        overview.experts = self._experts(record, set(people_ids), experts)
        return overview

    def _person(self, profile: Record | None, profile_id: str, why: str = "") -> Person:
        if profile is None:
            return Person(profile_id, "", why)
        return Person(profile_id, profile.title, why, str(profile.fields.get("handle") or ""))

    def _questions(self, community_id: str) -> list[QuestionSummary]:
        summaries = self.store.community_questions(community_id)
        records = self.store.get_many(s.id for s in summaries)
        answers = self.store.answers_to([s.id for s in summaries])
        found = []
        accepted_ids = [accepted_answer(records.get(s.id)) for s in summaries]
        refs = self._accepted_refs([(s.id, a) for s, a in zip(summaries, accepted_ids, strict=True) if a])
        for summary in summaries:
            question = records.get(summary.id)
            found.append(
                QuestionSummary(
                    summary.id,
                    summary.title,
                    summary.owner,
                    summary.updated_at,
                    len(answers.get(summary.id, [])),
                    bool(accepted_answer(question)),
                    refs.get(summary.id),
                )
            )
        return found

    # -- accepted answers, as people read them ------------------------------------------------------

    def _authors(self, answers: list[Record]) -> dict[str, str]:
        """Each answer's author: the name on their linked profile, else their user name."""
        profiles = self.store.get_many(
            a.links_of(Relation.AUTHOR)[0] for a in answers if a.links_of(Relation.AUTHOR)
        )
        names = {}
        for answer in answers:
            linked = answer.links_of(Relation.AUTHOR)
            profile = profiles.get(linked[0]) if linked else None
            names[answer.id] = (profile.title if profile is not None else "") or answer.owner
        return names

    def _accepted_refs(self, pairs: list[tuple[str, str]]) -> dict[str, AcceptedAnswer]:
        """(question id, accepted answer id) pairs as :class:`AcceptedAnswer`, by question id."""
        answers = self.store.get_many(answer_id for _, answer_id in pairs)
        authors = self._authors([a for a in answers.values() if not a.deleted])
        refs = {}
        for question_id, answer_id in pairs:
            answer = answers.get(answer_id)
            if answer is None or answer.deleted:
                refs[question_id] = AcceptedAnswer(answer_id, question_id, "", "", exists=False)
            else:
                body = str(answer.fields.get("body") or "")
                refs[question_id] = AcceptedAnswer(answer_id, question_id, excerpt(body), authors[answer_id])
        return refs

    def accepted_of(self, record: Record) -> AcceptedAnswer | None:
        """A question's accepted answer; for an answer, itself when its question (or a librarian's
        mark) accepts it; None otherwise."""
        if record.kind is Kind.QUESTION:
            answer_id = accepted_answer(record)
            return self._accepted_refs([(record.id, answer_id)])[record.id] if answer_id else None
        if record.kind is Kind.ANSWER:
            question_id = question_of(record)
            question = self.store.get(question_id) if question_id else None
            if bool(record.fields.get("accepted")) or accepted_answer(question) == record.id:
                return self._accepted_refs([(question_id, record.id)])[question_id]
        return None

    def _experts(self, community: Record, listed: set[str], limit: int) -> list[Person]:
        """People with evidence on the community's topics (its tags, else its name)."""
        topics = list(community.tags) or [community.title]
        query = " OR ".join(f'"{topic}"' for topic in topics[:6] if topic.strip())
        if not query or limit <= 0:
            return []
        try:
            matches = self.session.find_experts(query, limit=limit + len(listed))
        except Exception:  # a broken or rebuilding index must not take the page down
            return []
        people = []
        for match in matches:
            if match.id in listed:
                continue
            # Relation words say why ("wrote", "answered"); titles say about what.
            titles = [str(getattr(item, "title", "") or "") for item in match.evidence[:2]]
            people.append(Person(match.id, match.name, "; ".join(t for t in titles if t)))
            if len(people) >= limit:
                break
        return people

    # -- questions and answers -------------------------------------------------------------------

    def thread(self, question_id: str) -> Thread | None:
        """A question and its answers, or None when it is not here."""
        question = self.store.get(question_id)
        if question is None or question.kind is not Kind.QUESTION or question.deleted:
            return None
        answers = self.store.answers_to([question_id])[question_id]
        communities = question.links_of(Relation.IN_COMMUNITY)
        community = self.store.get(communities[0]) if communities else None
        asked = question.links_of(Relation.ASKED_OF)
        profiles = self.store.get_many(asked)
        return Thread(
            question=question,
            answers=answers,
            accepted_id=accepted_answer(question),
            following=self.store.is_following(question_id),
            community=community,
            asked_of=[self._person(profiles.get(i), i) for i in asked],
            me=self.session.me(),
            librarian=self.session.is_librarian(),
            authors=self._authors(answers),
        )

    def ask_question(
        self, title: str, body: str = "", *, community_id: str = "", expert_id: str = ""
    ) -> Record:
        """Ask a question in a community, of a named expert, or both; saved here and followed.

        The question reaches the server at the next sync. Raises ValueError for a question with
        neither a community nor an expert, or an expert the server cannot reach (no user name).
        """
        me = self.session.me()
        expert_user = ""
        if expert_id:
            expert = self.store.get(expert_id)
            if expert is None or expert.kind is not Kind.EXPERT:
                raise ValueError("there is no such expert in this profile")
            expert_user = str(expert.fields.get("handle") or "")
        own = self.store.profile_of_user(me)
        question = new_question(
            title,
            body,
            owner=me,
            community_id=community_id,
            expert_id=expert_id,
            expert_user=expert_user,
            author_id=own.id if own is not None else "",
        )
        self._save_and_follow(question, question.id)
        return question

    def answer(self, question_id: str, body: str) -> Record:
        """Answer a question (saved here, pushed at the next sync); answering follows the question."""
        question = self.store.get(question_id)
        if question is None or question.kind is not Kind.QUESTION:
            raise ValueError("there is no such question in this profile")
        own = self.store.profile_of_user(self.session.me())
        answer = new_answer(
            question, body, owner=self.session.me(), author_id=own.id if own is not None else ""
        )
        self._save_and_follow(answer, question_id)
        return answer

    def accept(self, question_id: str, answer_id: str, *, librarian: bool | None = None) -> Changes:
        """Mark ``answer_id`` as the accepted answer: the asker's (or a librarian's) choice. Naming
        another answer accepts it instead; "" withdraws the acceptance (see :meth:`withdraw_acceptance`).

        ``librarian``: whether the person is one (None: the role the server last gave). The server
        holds the same rule; facilitators do not accept answers on others' questions there.
        """
        if librarian is None:
            librarian = self.session.is_librarian()
        question = self.store.get(question_id)
        if question is None or question.kind is not Kind.QUESTION:
            raise ValueError("there is no such question in this profile")
        if answer_id and answer_id not in {a.id for a in self.store.answers_to([question_id])[question_id]}:
            raise ValueError("that is not an answer to this question")
        return self.session.save(
            with_accepted(question, answer_id, by=self.session.me(), librarian=librarian)
        )

    def withdraw_acceptance(self, question_id: str, *, librarian: bool | None = None) -> Changes:
        """Withdraw a question's accepted answer (it turned out wrong): the question is open again,
        here at once and for everyone after the next sync. The same people may as for accepting.

        Raises ValueError when the question has no accepted answer (nothing is saved).
        """
        question = self.store.get(question_id)
        if question is None or question.kind is not Kind.QUESTION:
            raise ValueError("there is no such question in this profile")
        if not accepted_answer(question):
            raise ValueError("this question has no accepted answer to withdraw")
        return self.accept(question_id, "", librarian=librarian)

    def follow(self, question_id: str, on: bool = True) -> None:
        """Follow a question (new answers and its accepted answer become notifications), or stop."""
        self.store.follow(question_id, on)

    def _save_and_follow(self, record: Record, follow_id: str) -> None:
        session = self.session
        with session.store.writing():
            changes = session.store.save_and_follow([record], [follow_id])
            session.index.apply(changes, session.store)  # type: ignore[arg-type]

    # -- notifications --------------------------------------------------------------------------------

    def notifications(self, limit: int = 100) -> list[StoredNotice]:
        """Newest first."""
        return self.store.notifications(limit)

    def unread_count(self) -> int:
        """Notifications not read yet."""
        return self.store.unread_count()

    def mark_read(self, ids: list[int] | None = None) -> int:
        """Mark some (or all) notifications read."""
        return self.store.mark_read(ids)

    # -- membership (on the server; the answers cached here) ----------------------------------------

    def cached_members(self, community_id: str) -> tuple[dict[str, str] | None, str]:
        """The member list the server last gave ({user: role}) and when, or (None, "")."""
        raw = self.store.get_meta(MEMBERS_KEY.format(id=community_id))
        if not raw:
            return None, ""
        data = json.loads(raw)
        return dict(data.get("members") or {}), str(data.get("at") or "")

    def my_role(self, community_id: str) -> str | None:
        """My role in the community as the server last said ("" for none), None before it ever said."""
        raw = self.store.get_meta(MINE_KEY)
        if not raw:
            return None
        mine = json.loads(raw).get("communities") or {}
        return str(mine.get(community_id, ""))

    def refresh_memberships(self, client: SyncClient, community_id: str = "") -> CommunityOverview | None:
        """Ask the server for my memberships (and a community's members, when I may see them)."""
        from desktop.core.records import utc_now
        from sync.client import ServerRefused

        me = client.me()
        now = utc_now()
        self.store.set_meta(
            MINE_KEY, json.dumps({"communities": {k: v.value for k, v in me.communities.items()}, "at": now})
        )
        if community_id and (community_id in me.communities or me.role.value in ("librarian", "admin")):
            try:
                members = client.members(community_id)
            except ServerRefused as exc:
                if exc.status not in (403, 404):
                    raise
            else:
                self.store.set_meta(
                    MEMBERS_KEY.format(id=community_id),
                    json.dumps({"members": {k: v.value for k, v in members.items()}, "at": now}),
                )
        return self.overview(community_id) if community_id else None

    def change_membership(
        self, client: SyncClient, community_id: str, action: str, user: str = "", role: str = "member"
    ) -> CommunityOverview | None:
        """``join``, ``leave``, ``set`` (add a user or change their role) or ``remove`` on the server,
        then fetch the memberships again. What I may read changes at the next sync."""
        from sync.protocol import CommunityRole

        calls: dict[str, Callable[[], Any]] = {
            "join": lambda: client.join(community_id),
            "leave": lambda: client.remove_member(community_id, self.session.me()),
            "set": lambda: client.set_member(community_id, user, CommunityRole(role)),
            "remove": lambda: client.remove_member(community_id, user),
        }
        if action not in calls:
            raise ValueError(f"unknown membership action {action!r}")
        calls[action]()
        if action == "leave":
            self.store.set_meta(MEMBERS_KEY.format(id=community_id), "")
        return self.refresh_memberships(client, community_id)
