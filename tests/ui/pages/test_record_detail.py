"""Detail views show every connection: people, community, tags to the vocabulary, cites and cited by."""

from __future__ import annotations

import importlib.util
import json

import pytest
from PySide6.QtCore import Qt, QUrl

from desktop.resources import demo_file
from desktop.ui.detail_view import DetailView

WAIT_MS = 20_000


def _demo_id(title: str) -> str:
    for record in json.loads(demo_file().read_text(encoding="utf-8"))["records"]:
        fields = record["fields"]
        if title in (fields.get("title"), fields.get("name"), fields.get("label")):
            return str(record["id"])
    raise KeyError(title)


def _open(qtbot, window, title: str):
    window.open_record(_demo_id(title))
    detail = window.record_page.detail
    qtbot.waitUntil(lambda: detail.view is not None and detail.view.record.title == title, timeout=WAIT_MS)
    return detail, detail.browser.toPlainText()


def _section(text: str, label: str, next_label: str) -> str:
    start = text.index(label)
    return text[start : text.index(next_label, start + len(label))]


def test_an_expert_profile_lists_what_they_wrote_took_part_in_and_answered(
    qtbot, open_window, demo_profile
) -> None:
    window = open_window(demo_profile)
    _detail, lindiwe = _open(qtbot, window, "Lindiwe Okafor-Banda")
    assert "Work and communities" in lindiwe
    wrote = _section(lindiwe, "Wrote", "Took part in")
    assert "Plain-language water interruption notices cut complaint calls" in wrote
    took_part = _section(lindiwe, "Took part in", "Asked")
    assert "Learning visit: Kestrel Bay reservoir customer desk" in took_part
    assert "Who checks our translated notices before they go out?" in _section(
        lindiwe, "Asked", "Facilitates"
    )
    assert "Water services learning network" in _section(lindiwe, "Facilitates", "Member of")
    assert "Plain Language community of practice" in _section(lindiwe, "Member of", "Source")

    _detail, grace = _open(qtbot, window, "Grace Nandipha Achterberg")
    assert "We ask a second speaker" in _section(grace, "Answered", "Facilitates")
    assert "Learning visit: multilingual help desk" in _section(grace, "Took part in", "Answered")
    assert "Wrote" not in grace  # she wrote no case study: no empty group


def test_a_case_study_links_people_community_tags_and_citations(qtbot, open_window, demo_profile) -> None:
    window = open_window(demo_profile)
    detail, text = _open(qtbot, window, "Plain-language water interruption notices cut complaint calls")
    assert "Lindiwe Okafor-Banda" in _section(text, "Authors", "Participants")
    assert "Grace Nandipha Achterberg" in _section(text, "Participants", "Community")
    assert "Water services learning network" in _section(text, "Community", "Cites")
    assert "What is content design?" in _section(text, "Cites", "What points here")
    assert "Learning visit: Kestrel Bay reservoir customer desk" in _section(text, "Cited by", "Source")
    assert "Licence:" in text

    markup = detail.browser.toHtml()
    for tag in detail.view.record.tags:
        assert f"term:{_demo_id(tag)}" in markup, f"the tag {tag} links to its vocabulary term"
    assert "\nAbout\n" not in text  # terms shown as tags are not listed twice

    # Following a tag opens the term in the Vocabulary page, which lists what it is tagged on.
    tag = detail.view.record.tags[0]
    detail.browser.anchorClicked.emit(QUrl(f"term:{_demo_id(tag)}"))
    vocabulary = window.shell.page("vocabulary")
    assert window.current_page() is vocabulary
    qtbot.waitUntil(lambda: vocabulary.panel.details is not None, timeout=WAIT_MS)
    assert vocabulary.panel.details.term.title == tag
    vocabulary.panel.show_uses()
    uses = [vocabulary.panel.uses_list.item(i).text() for i in range(vocabulary.panel.uses_list.count())]
    assert any("Plain-language water interruption" in use for use in uses)


def test_a_community_shows_its_people_and_questions(qtbot, open_window, demo_profile) -> None:
    window = open_window(demo_profile)
    _detail, text = _open(qtbot, window, "Plain Language community of practice")
    assert "Purpose" in text
    assert "Grace Nandipha Achterberg" in _section(text, "Facilitators", "Members")
    members = _section(text, "Members", "What points here")
    assert {"Lindiwe Okafor-Banda", "Tumelo Fairweather", "Rethabile Castellanos"} <= {
        name for name in members.split("\n")
    }
    assert "Who checks our translated notices" in _section(text, "Questions", "Shared in this community")


def test_edit_history_and_export_say_what_was_asked(qtbot, open_window, demo_profile) -> None:
    # A view of its own: the window wires these signals to dialogs (export asks for a file).
    window = open_window(demo_profile)
    detail = DetailView(window.tasks)
    qtbot.addWidget(detail)
    detail.set_session(window.session)
    detail.show()
    assert not detail.edit_button.isEnabled()  # nothing shown yet
    record_id = _demo_id("Accessible indigent-support application forms")
    detail.open_record(record_id)
    qtbot.waitUntil(lambda: detail.record_id == record_id, timeout=WAIT_MS)
    for button, signal in (
        (detail.edit_button, detail.edit_requested),
        (detail.history_button, detail.history_requested),
        (detail.export_button, detail.export_requested),
    ):
        assert button.isEnabled() and button.accessibleName()
        with qtbot.waitSignal(signal, timeout=WAIT_MS) as caught:
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert caught.args == [record_id]


def test_the_attachments_place_is_there_for_kinds_that_carry_files(qtbot, open_window, demo_profile) -> None:
    window = open_window(demo_profile)
    panel_exists = importlib.util.find_spec("desktop.ui.attachments_panel") is not None
    detail, _text = _open(qtbot, window, "Learning visit: Kestrel Bay reservoir customer desk")
    assert detail.attachments_slot.isVisible() == panel_exists
    assert (detail.attachments_panel is not None) == panel_exists
    detail, _text = _open(qtbot, window, "Tumelo Fairweather")
    assert not detail.attachments_slot.isVisible()


def test_files_shown_before_the_view_has_a_height_leave_the_text_most_of_it(
    qtbot, open_window, demo_profile
) -> None:
    # The review queue shows a record before its view is laid out: the split waits for a height.
    if importlib.util.find_spec("desktop.ui.attachments_panel") is None:
        pytest.skip("no attachments panel in this build")
    window = open_window(demo_profile)
    detail = DetailView(window.tasks)
    qtbot.addWidget(detail)
    detail.set_session(window.session)
    record_id = _demo_id("Learning visit: Kestrel Bay reservoir customer desk")
    detail.open_record(record_id)  # hidden, a few pixels high
    qtbot.waitUntil(lambda: detail.record_id == record_id, timeout=WAIT_MS)
    detail.resize(700, 800)
    detail.show()
    qtbot.waitUntil(lambda: detail.body.height() > 600, timeout=WAIT_MS)
    text, files = detail.body.sizes()
    assert text > 2 * files
