"""Each editor driven as a person would: fill the form, pick people and terms, save, find it again."""

from __future__ import annotations

from editor_helpers import WAIT_MS, pick
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor, QImage

from desktop.core.kinds import Kind
from desktop.core.records import Relation
from desktop.ui.editors.actions_table import ACTION, DONE, DUE, OWNER


def test_create_a_case_study_offline_and_find_it_by_search(qtbot, open_editor, session) -> None:
    record = session.new_record(Kind.CASE_STUDY)
    editor = open_editor(record)
    assert editor.status_label.text() == "New — not saved yet"
    assert not editor.is_dirty

    qtbot.keyClicks(editor.widget("title").edit, "Borehole maintenance roster in Ward 7")
    editor.widget("category").combo.setCurrentIndex(2)  # Best practice
    qtbot.keyClicks(editor.widget("district").edit, "Northern Demo District")
    qtbot.keyClicks(editor.widget("summary").edit, "A weekly roster keeps every hand pump working.")
    body = editor.widget("body")
    qtbot.keyClicks(body.edit, "## Steps")
    qtbot.keyClick(body.edit, Qt.Key.Key_Return)
    qtbot.keyClick(body.edit, Qt.Key.Key_Return)
    qtbot.keyClicks(body.edit, "**Check** the pumps")
    qtbot.mouseClick(body.preview_button, Qt.MouseButton.LeftButton)
    assert "Steps" in body.preview.toPlainText() and "**" not in body.preview.toPlainText()
    qtbot.mouseClick(body.preview_button, Qt.MouseButton.LeftButton)
    assert body.stack.currentWidget() is body.edit

    pick(qtbot, editor.widget("@author"), "Lindiwe", "Lindiwe Okafor-Banda")
    assert editor.widget("@author").list.item(0).text() == "Lindiwe Okafor-Banda"
    pick(qtbot, editor.widget("@tags"), "Plain", "Plain language")
    assert {hit.kind for hit in session.as_you_type("Plain", kinds=[Kind.TERM])} == {Kind.TERM}
    tags = editor.widget("@tags")
    offered = [session.store.get(tags.found[title.casefold()]) for title in tags.model.stringList()]
    assert offered[0].title == "Plain language"
    assert {record.kind for record in offered} == {Kind.TERM}  # terms only, not the articles about them
    tags.input.setFocus()
    qtbot.keyClicks(tags.input, "boreholes")
    qtbot.keyClick(tags.input, Qt.Key.Key_Return)
    assert [tags.list.item(i).text() for i in range(tags.list.count())] == [
        "Plain language",
        "boreholes (free tag)",
    ]
    assert editor.is_dirty and editor.status_label.text().startswith("Unsaved changes")

    title = editor.widget("title").edit
    title.setFocus()
    save_key = editor.save_action.shortcut()  # Ctrl+S
    with qtbot.waitSignal(editor.record_saved, timeout=WAIT_MS) as saved:
        qtbot.keyClick(title, save_key[0].key(), save_key[0].keyboardModifiers())
    assert saved.args[0].created == (record.id,)
    assert not editor.is_dirty
    assert editor.status_label.text() == "Saved"

    hits = session.search("borehole roster").hits
    assert record.id in [hit.id for hit in hits]
    view = session.view(record.id)
    assert view is not None
    stored = view.record
    assert stored.fields["category"] == "best practice"
    assert stored.tags == ("Plain language", "boreholes")
    links = {(link.relation, link.title) for link in view.links}
    assert ("author", "Lindiwe Okafor-Banda") in links
    assert ("about", "Plain language") in links
    assert len(stored.links_of(Relation.ABOUT)) == 1  # the free tag has no term
    assert session.working_copy(record.id) is None


def test_record_a_site_visit_with_participants_follow_ups_and_photos(
    qtbot, open_editor, session, tmp_path
) -> None:
    record = session.new_record(Kind.SITE_VISIT)
    editor = open_editor(record)
    assert editor.form.attachments_note.isVisible()  # a new visit is saved before files attach to it
    qtbot.keyClicks(editor.widget("title").edit, "Learning visit: Ward 3 standpipes")
    editor.widget("start_date").edit.setDate(QDate(2026, 3, 2))
    editor.widget("end_date").edit.setDate(QDate(2026, 3, 3))
    qtbot.keyClicks(editor.widget("host").edit, "Ward 3 committee")
    qtbot.keyClicks(editor.widget("observations").edit, "Queues shorter after the new taps.")
    pick(qtbot, editor.widget("@participant"), "Tumelo", "Tumelo Fairweather")
    pick(qtbot, editor.widget("@participant"), "Grace", "Grace Nandipha Achterberg")

    follow_ups = editor.widget("follow_ups")
    qtbot.mouseClick(follow_ups.add_button, Qt.MouseButton.LeftButton)
    follow_ups.set_cell(0, ACTION, "Share the tap rota")
    follow_ups.set_cell(0, OWNER, "Tumelo")
    follow_ups.set_cell(0, DUE, "2026-04-01")
    qtbot.mouseClick(follow_ups.add_button, Qt.MouseButton.LeftButton)
    follow_ups.set_cell(1, ACTION, "Thank the committee")
    follow_ups.set_cell(1, DONE, True)
    assert follow_ups.table.rowCount() == 2

    with qtbot.waitSignal(editor.record_saved, timeout=WAIT_MS):
        assert editor.save()
    stored = session.store.get(record.id)
    assert stored.fields["start_date"] == "2026-03-02" and stored.fields["end_date"] == "2026-03-03"
    assert stored.fields["follow_ups"] == [
        {"action": "Share the tap rota", "owner": "Tumelo", "due": "2026-04-01", "done": False},
        {"action": "Thank the committee", "owner": "", "due": "", "done": True},
    ]
    people = {session.store.get(i).title for i in stored.links_of(Relation.PARTICIPANT)}
    assert people == {"Tumelo Fairweather", "Grace Nandipha Achterberg"}

    # Photos: the attachments panel takes files once the visit is saved.
    panel = editor.form.attachments_panel
    assert panel is not None and panel.record_id == record.id
    assert not editor.form.attachments_note.isVisible()
    photo = tmp_path / "standpipe.png"
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("steelblue"))
    assert image.save(str(photo))
    panel.add_files([photo])
    qtbot.waitUntil(lambda: len(panel.attachments()) == 1, timeout=WAIT_MS)
    assert [info.filename for info in session.attachments(record.id)] == ["standpipe.png"]


def test_a_follow_up_without_a_description_is_flagged_next_to_the_table(qtbot, open_editor, session) -> None:
    editor = open_editor("Learning visit: Kestrel Bay reservoir customer desk")
    follow_ups = editor.widget("follow_ups")
    before = follow_ups.table.rowCount()
    qtbot.mouseClick(follow_ups.add_button, Qt.MouseButton.LeftButton)
    assert f"action {before + 1} needs a description" in editor.errors()["follow_ups"]
    assert not editor.save()
    follow_ups.table.selectRow(before)
    qtbot.mouseClick(follow_ups.remove_button, Qt.MouseButton.LeftButton)
    assert "follow_ups" not in editor.errors()
    assert editor.current_record().content_hash() == editor.record.content_hash()
    editor.undo_action.trigger()  # the removal
    assert follow_ups.table.rowCount() == before + 1
    editor.undo_action.trigger()  # the addition
    assert follow_ups.table.rowCount() == before
    assert not editor.is_dirty


def test_edit_an_expert_profile_and_find_them_for_that_expertise(qtbot, open_editor, session) -> None:
    name = "Sipho Vermaak-Lindqvist"

    def profile_evidence() -> bool:
        match = next((m for m in session.find_experts("open data", limit=20) if m.name == name), None)
        return match is not None and any(e.relation == "profile" for e in match.evidence)

    assert not profile_evidence()
    editor = open_editor(name)
    expertise = editor.widget("expertise")
    pick(qtbot, expertise, "Open", "Open data")
    availability = editor.widget("availability")
    qtbot.mouseClick(availability.boxes["peer_review"], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(editor.record_saved, timeout=WAIT_MS):
        editor.save()

    stored = session.store.get(editor.record.id)
    assert stored.fields["expertise"][-1] == "Open data"
    assert stored.fields["availability"] == ["mentoring", "peer_review"]
    terms = {session.store.get(i).title for i in stored.links_of(Relation.ABOUT)}
    assert "Open data" in terms
    assert profile_evidence()


def test_edit_a_communitys_members(qtbot, open_editor, session) -> None:
    editor = open_editor("Water services learning network")
    members = editor.widget("@member")
    names = [members.list.item(i).text() for i in range(members.list.count())]
    assert names == ["Sipho Vermaak-Lindqvist", "Grace Nandipha Achterberg"]
    members.list.item(0).setSelected(True)
    qtbot.mouseClick(members.remove_button, Qt.MouseButton.LeftButton)
    pick(qtbot, members, "Tumelo", "Tumelo Fairweather")
    with qtbot.waitSignal(editor.record_saved, timeout=WAIT_MS):
        editor.save()
    stored = session.store.get(editor.record.id)
    assert [session.store.get(i).title for i in stored.links_of(Relation.MEMBER)] == [
        "Grace Nandipha Achterberg",
        "Tumelo Fairweather",
    ]
    assert len(stored.links_of(Relation.FACILITATOR)) == 1  # untouched relations stay
    assert len(stored.links_of(Relation.ABOUT)) == 2


def test_a_centre_item_flags_a_year_that_is_not_a_number(qtbot, open_editor, session) -> None:
    editor = open_editor("Water services")
    year = editor.widget("year").edit
    year.selectAll()
    qtbot.keyClicks(year, "19x4")
    assert "must be a whole number" in editor.errors()["year"]
    assert editor.row("year").message.isVisible()
    assert not editor.save()
    year.selectAll()
    qtbot.keyClicks(year, "1975")
    assert "year" not in editor.errors()
    with qtbot.waitSignal(editor.record_saved, timeout=WAIT_MS):
        assert editor.save()
    assert session.store.get(editor.record.id).fields["year"] == 1975


def test_a_question_and_an_answer_never_show_their_accepted_fields(qtbot, open_editor, session) -> None:
    """Accepting is an action on the thread, not a field to type in: the editors leave the
    accepted answer out and keep it as it was when the rest is saved."""
    from desktop.core.communities import new_answer, new_question

    community = next(iter(session.list_page([Kind.COMMUNITY], limit=1)))
    question = new_question("Who services the chlorinators?", "Ward 2", owner="", community_id=community.id)
    answer = new_answer(question, "The district water office, on a monthly round.", owner="thabo")
    session.save(answer.with_fields(accepted=True))
    session.save(question.with_fields(accepted_answer=answer.id))

    editor = open_editor(session.store.get(question.id))
    assert "accepted_answer" not in editor.form.widgets
    assert "title" in editor.form.widgets and "body" in editor.form.widgets
    title = editor.widget("title").edit
    title.selectAll()
    qtbot.keyClicks(title, "Who services the chlorinators in Ward 2?")
    with qtbot.waitSignal(editor.record_saved, timeout=WAIT_MS):
        editor.save()
    saved = session.store.get(question.id)
    assert saved.title == "Who services the chlorinators in Ward 2?"
    assert saved.fields["accepted_answer"] == answer.id

    answer_editor = open_editor(session.store.get(answer.id))
    assert "accepted" not in answer_editor.form.widgets and "body" in answer_editor.form.widgets
