"""The main window driven like a person would: search, filter, open, follow links, go back."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl

from desktop.core.kinds import Kind
from desktop.core.records import Link, Record, Relation, Status, new_record_id
from desktop.session import Session
from desktop.ui.models import HitListModel, snippet_html

WAIT_MS = 20_000


def _type(qtbot, window, text: str) -> None:
    box = window.search.query_edit
    box.setFocus()
    qtbot.keyClicks(box, text)


def _wait_answer(qtbot, window, text: str, full_text: bool = True) -> None:
    qtbot.waitUntil(
        lambda: (
            window.search.last_answer is not None
            and window.search.last_answer.text == text
            and window.search.last_answer.full_text == full_text
        ),
        timeout=WAIT_MS,
    )


def _row_of(window, title: str) -> int:
    model = window.search.model
    for row in range(model.rowCount()):
        if model.hit(row).title == title:
            return row
    raise AssertionError(f"{title!r} not in {[model.hit(r).title for r in range(model.rowCount())]}")


def test_snippet_markup_is_escaped_before_matches_are_bolded() -> None:
    assert snippet_html("<script>x</script> [[water]] & [[notices]]") == (
        "&lt;script&gt;x&lt;/script&gt; <b>water</b> &amp; <b>notices</b>"
    )
    assert snippet_html("unbalanced [[mark") == "unbalanced [[mark"


def test_titles_from_the_first_letters_then_full_text_with_facets(qtbot, open_window, demo_profile) -> None:
    window = open_window(demo_profile)
    assert window.pages.currentIndex() == window.PAGE_MAIN
    assert "55" in window.count_label.text()
    assert window.sync_ui.button.text() == "Not signed in"
    assert str(demo_profile.data_dir) in window.profile_label.text()

    _type(qtbot, window, "pl")
    _wait_answer(qtbot, window, "pl", full_text=False)
    titles = [window.search.model.hit(r).title for r in range(window.search.model.rowCount())]
    assert "Plain language" in titles

    _type(qtbot, window, "ain language")
    _wait_answer(qtbot, window, "plain language")
    answer = window.search.last_answer
    assert answer.total >= 5
    assert "Plain-language water interruption notices cut complaint calls" in [h.title for h in answer.hits]
    first = window.search.model.index(0, 0)
    assert "<b>" in first.data(HitListModel.SnippetHtmlRole)
    facet_titles = [window.search.facets.tree.topLevelItem(i).text(0) for i in range(7)]
    assert {"Kind", "Topic", "Author"} <= set(facet_titles)
    assert "results for" in window.search.status_label.text()


def test_only_the_latest_query_is_shown(qtbot, open_window, demo_profile) -> None:
    window = open_window(demo_profile)
    shown: list[str] = []
    window.search.answered.connect(lambda answer: shown.append(answer.text))
    box = window.search.query_edit
    for text in ("water", "accessible forms", "multilingual"):
        box.setText(text)
        window.search.run_now()  # no debounce: three queries in flight at once
    _wait_answer(qtbot, window, "multilingual")
    qtbot.waitUntil(lambda: window.tasks.pending_count == 0, timeout=WAIT_MS)
    assert shown[-1] == "multilingual"
    assert window.search.last_answer.text == "multilingual"


def test_a_facet_filters_and_unchecking_restores(qtbot, open_window, demo_profile) -> None:
    window = open_window(demo_profile)
    _type(qtbot, window, "plain language")
    _wait_answer(qtbot, window, "plain language")
    everything = window.search.last_answer.total

    window.search.facets.check("kind", "case_study")
    qtbot.waitUntil(lambda: window.search.last_answer.total < everything, timeout=WAIT_MS)
    kinds = {hit.kind for hit in window.search.last_answer.hits}
    assert kinds == {Kind.CASE_STUDY}

    window.search.facets.check("kind", "article")  # same facet: OR
    qtbot.waitUntil(
        lambda: {h.kind for h in window.search.last_answer.hits} == {Kind.CASE_STUDY, Kind.ARTICLE},
        timeout=WAIT_MS,
    )
    window.search.facets.check("district", "Northern Demo District")  # another facet: AND
    qtbot.waitUntil(
        lambda: {h.kind for h in window.search.last_answer.hits} == {Kind.CASE_STUDY}, timeout=WAIT_MS
    )

    window.search.facets.check("district", "Northern Demo District", False)
    window.search.facets.check("kind", "article", False)
    window.search.facets.check("kind", "case_study", False)
    qtbot.waitUntil(lambda: window.search.last_answer.total == everything, timeout=WAIT_MS)


def test_open_a_hit_follow_its_author_and_come_back(qtbot, open_window, demo_profile) -> None:
    window = open_window(demo_profile)
    title = "Plain-language water interruption notices cut complaint calls"
    _type(qtbot, window, "water interruption notices")
    _wait_answer(qtbot, window, "water interruption notices")

    qtbot.keyClick(window.search.query_edit, Qt.Key.Key_Down)  # from the box into the results
    assert window.search.results.hasFocus()
    window.search.results.setCurrentIndex(window.search.model.index(_row_of(window, title), 0))
    qtbot.keyClick(window.search.results, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: window.detail.view is not None and window.detail.view.record.title == title, timeout=WAIT_MS
    )

    text = window.detail.browser.toPlainText()
    assert "Connections" in text and "Author" in text and "Lindiwe Okafor-Banda" in text
    assert "Licence: CC0 1.0" in text
    author = next(link for link in window.detail.view.links if link.relation == "author")

    window.detail.browser.anchorClicked.emit(QUrl(f"record:{author.id}"))
    qtbot.waitUntil(lambda: window.detail.view.record.id == author.id, timeout=WAIT_MS)
    assert window.detail.view.record.kind is Kind.EXPERT
    profile = window.detail.browser.toPlainText()
    assert "Work and communities" in profile and "Wrote" in profile and title in profile
    assert "fictional demo profile" in profile
    assert window.back_button.isEnabled()

    qtbot.mouseClick(window.back_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.detail.view.record.title == title, timeout=WAIT_MS)
    assert not window.back_button.isEnabled()


def test_a_link_to_a_record_not_in_the_profile_is_greyed(qtbot, open_window, demo_profile) -> None:
    record = Record(
        id=new_record_id(),
        kind=Kind.CASE_STUDY,
        fields={"title": "Borehole maintenance roster", "summary": "Who checks which pump, when."},
        links=(Link(Relation.AUTHOR, new_record_id()),),
        status=Status.DRAFT,
    )
    with Session.open(demo_profile) as session:
        session.save(record)
    window = open_window(demo_profile)
    window.open_record(record.id)
    detail = window.record_page.detail
    assert window.current_page() is window.record_page
    qtbot.waitUntil(lambda: detail.view is not None, timeout=WAIT_MS)
    assert "not in this profile" in detail.browser.toPlainText()
    assert "record:" not in detail.browser.toHtml()


def test_did_you_mean_runs_the_suggestion(qtbot, open_window, demo_profile) -> None:
    window = open_window(demo_profile)
    _type(qtbot, window, "acessibility")
    _wait_answer(qtbot, window, "acessibility")
    assert window.search.suggestion_label.isVisible()
    assert "accessibility" in window.search.suggestion_label.text()
    window.search.suggestion_label.linkActivated.emit("#suggestion")
    _wait_answer(qtbot, window, "accessibility")
    assert window.search.query_edit.text() == "accessibility"
    assert window.search.last_answer.total > 0


def test_ctrl_k_focuses_the_search_box(qtbot, open_window, demo_profile) -> None:
    window = open_window(demo_profile)
    window.detail.browser.setFocus()
    window.activateWindow()
    window.find_action.trigger()
    assert window.search.query_edit.hasFocus()
    assert "Ctrl+K" in [s.toString() for s in window.find_action.shortcuts()]


def test_who_knows_about_the_search_topic(qtbot, open_window, demo_profile) -> None:
    window = open_window(demo_profile)
    _type(qtbot, window, "plain language")
    _wait_answer(qtbot, window, "plain language")
    qtbot.mouseClick(window.experts_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(window.experts.experts), timeout=WAIT_MS)
    names = [e.name for e in window.experts.experts]
    assert "Grace Nandipha Achterberg" in names
    text = window.experts.browser.toPlainText()
    assert "Who knows about “plain language”?" in text
    assert "author" in text or "facilitator" in text

    best = window.experts.experts[0]
    window.experts.browser.anchorClicked.emit(QUrl(f"record:{best.id}"))
    qtbot.waitUntil(
        lambda: window.detail.view is not None and window.detail.view.record.id == best.id, timeout=WAIT_MS
    )
    assert window.right.currentWidget() is window.detail
