"""The links under a thread's answers: who is offered accepting, accepting instead and withdrawing."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtGui import QPalette

from desktop.community_service import Thread
from desktop.core.communities import new_answer, new_question
from desktop.ui.community_html import thread_html

COMMUNITY = "aaaaaaaa-0000-4000-8000-000000000001"


def _thread(answers: int = 2) -> Thread:
    """Alice's question with bob's answers, nothing accepted, as alice sees it."""
    question = new_question("Boreholes?", "", owner="alice", community_id=COMMUNITY)
    replies = [new_answer(question, f"Answer {n}.", owner="bob") for n in range(answers)]
    return Thread(question, replies, "", following=False, community=None, asked_of=[], me="alice")


def _accepted(thread: Thread, answer_id: str) -> Thread:
    return replace(
        thread, question=thread.question.with_fields(accepted_answer=answer_id), accepted_id=answer_id
    )


def test_the_asker_and_librarians_are_offered_each_change_and_others_none(qtbot: Any) -> None:
    palette = QPalette()
    opened = _thread()
    assert thread_html(opened, palette).count(">Accept this answer</a>") == 2
    first, second = (a.id for a in opened.answers)
    chosen = _accepted(opened, first)
    shown = thread_html(chosen, palette)
    assert f"href='withdraw:{chosen.question.id}'>Withdraw acceptance</a>" in shown
    assert f"href='accept:{second}'>Accept this instead</a>" in shown
    assert "Accept this answer" not in shown and "as librarian" not in shown
    as_librarian = thread_html(replace(chosen, me="lib", librarian=True), palette)
    assert as_librarian.count("(as librarian)") == 2
    for other in ("bob", "carol"):  # the answerer, anyone else (a facilitator too): the server refuses them
        plain = thread_html(replace(chosen, me=other), palette)
        assert "withdraw:" not in plain and "accept:" not in plain


def test_an_accepted_answer_not_in_the_profile_can_still_be_withdrawn(qtbot: Any) -> None:
    gone = _accepted(_thread(answers=1), "dddddddd-0000-4000-8000-000000000004")
    assert not gone.accepted_here
    shown = thread_html(gone, QPalette())
    assert "The accepted answer is not in this profile" in shown
    assert f"href='withdraw:{gone.question.id}'>Withdraw acceptance</a>" in shown
    assert f"href='accept:{gone.answers[0].id}'>Accept this instead</a>" in shown
