"""The form of each kind: which fields, in which sections, with which widgets.

Kinds without a layout of their own get a generic form from their field specs.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from desktop.core.kinds import FieldType, Kind, field_specs
from desktop.core.records import Relation
from desktop.ui.editors.form import FormBuilder, field_label
from desktop.ui.editors.widgets import ChecklistField, ChoiceField, MarkdownField, TextField


def categories() -> list[tuple[str, str]]:
    """Stored values of a case study's category, with their labels."""
    return [
        ("case study", QCoreApplication.translate("RecordEditor", "Case study")),
        ("best practice", QCoreApplication.translate("RecordEditor", "Best practice")),
        ("lesson learned", QCoreApplication.translate("RecordEditor", "Lesson learned")),
    ]


def availability() -> list[tuple[str, str]]:
    """Stored values of an expert's availability, with their labels."""
    return [
        ("advice", QCoreApplication.translate("RecordEditor", "Advice")),
        ("mentoring", QCoreApplication.translate("RecordEditor", "Mentoring")),
        ("peer_review", QCoreApplication.translate("RecordEditor", "Peer review")),
    ]


def case_study(form: FormBuilder) -> None:
    """Case study / best practice: what, where and when; people; tags; the story in sections."""
    form.section(QCoreApplication.translate("RecordEditor", "About this practice"))
    form.field("title")
    form.field("category", ChoiceField(categories()))
    form.fields("service_area", "district", "period", "date", "organisations")
    form.section(QCoreApplication.translate("RecordEditor", "People involved"))
    form.people(Relation.AUTHOR, QCoreApplication.translate("RecordEditor", "Written by"))
    form.people(Relation.PARTICIPANT, QCoreApplication.translate("RecordEditor", "Took part"))
    form.records(
        Relation.BUILDS_ON,
        QCoreApplication.translate("RecordEditor", "Builds on"),
        (Kind.CASE_STUDY, Kind.ARTICLE, Kind.CENTRE_ITEM, Kind.SITE_VISIT),
    )
    form.section(QCoreApplication.translate("RecordEditor", "Tags"))
    form.vocabulary(QCoreApplication.translate("RecordEditor", "Tags"))
    form.section(QCoreApplication.translate("RecordEditor", "The story"))
    for name in ("summary", "context", "approach", "results", "lessons"):
        form.field(name, TextField(lines=3))
    form.field("body", MarkdownField(), QCoreApplication.translate("RecordEditor", "Body (Markdown)"))
    form.attachments(QCoreApplication.translate("RecordEditor", "Photos and documents"))


def site_visit(form: FormBuilder) -> None:
    """Site visit / learning excursion: when and where, who, what was seen, follow-ups, photos."""
    form.section(QCoreApplication.translate("RecordEditor", "The visit"))
    form.fields("title", "start_date", "end_date", "host", "place", "district", "purpose")
    form.people(Relation.PARTICIPANT, QCoreApplication.translate("RecordEditor", "Participants"))
    form.section(QCoreApplication.translate("RecordEditor", "What we learned"))
    form.fields("observations", "lessons")
    form.vocabulary(QCoreApplication.translate("RecordEditor", "Tags"))
    form.section(QCoreApplication.translate("RecordEditor", "Follow-up actions"))
    form.field("follow_ups")
    form.attachments(QCoreApplication.translate("RecordEditor", "Photos and documents"))


def expert(form: FormBuilder) -> None:
    """Expert profile: who, what they know, when they can help, how to reach them."""
    form.section(QCoreApplication.translate("RecordEditor", "Person"))
    form.fields("name", "role", "organisation", "district")
    form.section(QCoreApplication.translate("RecordEditor", "Expertise and availability"))
    form.vocabulary(field_label(Kind.EXPERT, "expertise"))
    form.field("languages")
    form.field("availability", ChecklistField(availability()))
    form.section(QCoreApplication.translate("RecordEditor", "Contact"))
    form.fields("email", "phone", "bio")


def centre_item(form: FormBuilder) -> None:
    """Knowledge-centre item: the catalogue record and its digital copy."""
    form.section(QCoreApplication.translate("RecordEditor", "Catalogue record"))
    form.fields("title", "authors", "publisher", "year", "edition", "isbn", "issn", "lccn", "url")
    form.fields("format", "language")
    form.vocabulary(field_label(Kind.CENTRE_ITEM, "subjects"))
    form.fields("call_number", "holding_centre", "abstract")
    form.attachments(QCoreApplication.translate("RecordEditor", "Digital copy"))


def community(form: FormBuilder) -> None:
    """Community of practice: purpose, how to join, facilitators and members."""
    form.section(QCoreApplication.translate("RecordEditor", "Community"))
    form.fields("name", "purpose", "service_area", "contact", "date")
    form.section(QCoreApplication.translate("RecordEditor", "People"))
    form.people(Relation.FACILITATOR, QCoreApplication.translate("RecordEditor", "Facilitators"))
    form.people(Relation.MEMBER, QCoreApplication.translate("RecordEditor", "Members"))
    form.section(QCoreApplication.translate("RecordEditor", "Tags"))
    form.vocabulary(QCoreApplication.translate("RecordEditor", "Tags"))


def generic(form: FormBuilder) -> None:
    """Any other kind: every field of its spec a person types in, then tags.

    Fields set by an action (a question's accepted answer) are left out: the record keeps
    them as they are (the draft edits only the fields it shows).
    """
    form.section(QCoreApplication.translate("RecordEditor", "Details"))
    for spec in field_specs(form.kind):
        if spec.by_action:
            continue
        form.field(
            spec.name, MarkdownField() if spec.name == "body" and spec.type is FieldType.LONGTEXT else None
        )
    if form.kind is not Kind.TERM:
        form.vocabulary(QCoreApplication.translate("RecordEditor", "Tags"))


LAYOUTS: dict[Kind, Callable[[FormBuilder], None]] = {
    Kind.CASE_STUDY: case_study,
    Kind.SITE_VISIT: site_visit,
    Kind.EXPERT: expert,
    Kind.CENTRE_ITEM: centre_item,
    Kind.COMMUNITY: community,
}


def build_form(form: FormBuilder) -> None:
    """Lay out ``form`` for its kind."""
    LAYOUTS.get(form.kind, generic)(form)
    form.finish()
