"""Record kinds and the typed fields each kind carries.

Fields live in a record's ``fields`` mapping (the sync payload); this module says
which fields a kind has, their type, limits and which one is the title.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """The kinds of record; the values are used by ``--kind`` and in JSON."""

    CASE_STUDY = "case_study"
    ARTICLE = "article"
    SITE_VISIT = "site_visit"
    EXPERT = "expert"
    CENTRE_ITEM = "centre_item"
    COMMUNITY = "community"
    QUESTION = "question"
    ANSWER = "answer"
    TERM = "term"
    REQUEST = "request"


class FieldType(StrEnum):
    """How a field's value is shaped and checked."""

    TEXT = "text"  # one line
    LONGTEXT = "longtext"  # Markdown or plain prose
    LIST = "list"  # list of short strings
    DATE = "date"  # ISO 8601 date or date-time string
    INT = "int"
    BOOL = "bool"
    ACTIONS = "actions"  # list of follow-up actions {action, owner, due, done}
    RAW = "raw"  # an original source record kept verbatim (e.g. MARCXML)


#: Size limits, in characters, per field type (a huge field gets a clear message).
MAX_LENGTH: dict[FieldType, int] = {
    FieldType.TEXT: 1_000,
    FieldType.LONGTEXT: 2_000_000,
    FieldType.LIST: 500,  # per item
    FieldType.DATE: 40,
    FieldType.RAW: 5_000_000,
}
MAX_LIST_ITEMS = 2_000


@dataclass(frozen=True)
class FieldSpec:
    """One field of a kind: its name, type, whether it is required and its label.

    ``by_action``: the field is set by an action (accepting an answer), never typed in an
    editor; views show what it stands for (the accepted answer), not its raw value.
    ``person``: the field holds a user name (who did the action), shown as it is.
    """

    name: str
    type: FieldType
    label: str
    required: bool = False
    by_action: bool = False
    person: bool = False

    @property
    def names_a_record(self) -> bool:
        """Whether the field holds a record's id set by an action (the accepted answer), which
        views read as that record's title."""
        return self.by_action and self.type is FieldType.TEXT and not self.person


def _f(
    name: str,
    type_: FieldType,
    label: str,
    required: bool = False,
    *,
    by_action: bool = False,
    person: bool = False,
) -> FieldSpec:
    return FieldSpec(name, type_, label, required, by_action, person)


T, L, LS, D, I, B = (
    FieldType.TEXT,
    FieldType.LONGTEXT,
    FieldType.LIST,
    FieldType.DATE,
    FieldType.INT,
    FieldType.BOOL,
)

KIND_FIELDS: dict[Kind, tuple[FieldSpec, ...]] = {
    Kind.CASE_STUDY: (
        _f("title", T, "Title", True),
        _f("category", T, "Category"),  # case study, best practice, lesson learned
        _f("summary", L, "Summary"),
        _f("context", L, "Context"),
        _f("approach", L, "Approach"),
        _f("results", L, "Results"),
        _f("lessons", L, "Lessons"),
        _f("body", L, "Body"),
        _f("service_area", T, "Service area"),
        _f("district", T, "District or municipality"),
        _f("organisations", LS, "Organisations"),
        _f("period", T, "Period"),
        _f("date", D, "Date"),
    ),
    Kind.ARTICLE: (
        _f("title", T, "Title", True),
        _f("document_type", T, "Document type"),
        _f("summary", L, "Summary"),
        _f("body", L, "Body"),
        _f("organisations", LS, "Organisations"),
        _f("date", D, "Published"),
        _f("updated", D, "Updated"),
        _f("locale", T, "Language"),
        _f("url", T, "Source URL"),
    ),
    Kind.SITE_VISIT: (
        _f("title", T, "Title", True),
        _f("start_date", D, "From"),
        _f("end_date", D, "To"),
        _f("host", T, "Host"),
        _f("place", T, "Place"),
        _f("district", T, "District"),
        _f("purpose", L, "Purpose"),
        _f("observations", L, "Observations"),
        _f("lessons", L, "Lessons"),
        _f("follow_ups", FieldType.ACTIONS, "Follow-up actions"),
    ),
    Kind.EXPERT: (
        _f("name", T, "Name", True),
        _f("role", T, "Role"),
        _f("organisation", T, "Organisation"),
        _f("district", T, "District"),
        _f("expertise", LS, "Expertise"),
        _f("languages", LS, "Languages"),
        _f("email", T, "Email"),
        _f("phone", T, "Phone"),
        _f("availability", LS, "Available for"),  # advice, mentoring, peer_review
        _f("bio", L, "Biography"),
        _f("handle", T, "Handle"),
    ),
    Kind.CENTRE_ITEM: (
        _f("title", T, "Title", True),
        _f("authors", LS, "Authors"),
        _f("publisher", T, "Publisher"),
        _f("year", I, "Year"),
        _f("edition", T, "Edition"),
        _f("isbn", LS, "ISBN"),
        _f("issn", LS, "ISSN"),
        _f("lccn", T, "LCCN"),
        _f("control_number", T, "Control number"),
        _f("url", T, "URL"),
        _f("format", T, "Format"),
        _f("language", T, "Language"),
        _f("subjects", LS, "Subjects"),
        _f("call_number", T, "Call number"),
        _f("holding_centre", T, "Holding centre"),
        _f("abstract", L, "Abstract"),
        _f("marc", FieldType.RAW, "Original catalogue record"),
    ),
    Kind.COMMUNITY: (
        _f("name", T, "Name", True),
        _f("purpose", L, "Purpose"),
        _f("service_area", T, "Service area"),
        _f("contact", T, "How to join"),
        _f("date", D, "Started"),
        _f("expires", D, "Archived on"),
    ),
    Kind.QUESTION: (
        _f("title", T, "Question", True),
        _f("body", L, "Details"),
        _f("date", D, "Asked"),
        _f("accepted_answer", T, "Accepted answer", by_action=True),  # an answer's id, set by the asker
        _f("accepted_by", T, "Accepted by", by_action=True, person=True),  # the asker, or a librarian
    ),
    Kind.ANSWER: (
        _f("body", L, "Answer", True),
        _f("accepted", B, "Accepted", by_action=True),  # a librarian's mark (the question's is the asker's)
        _f("date", D, "Answered"),
    ),
    Kind.TERM: (
        _f("label", T, "Preferred label", True),
        _f("alt_labels", LS, "Alternative labels"),
        _f("broader", LS, "Broader terms"),
        _f("scheme", T, "Vocabulary"),
        _f("notation", T, "Notation"),
        _f("scope_note", L, "Scope note"),
    ),
    Kind.REQUEST: (
        _f("request_type", T, "Request", True),  # advice, mentoring, peer_review
        _f("message", L, "Message"),
        _f("state", T, "State"),  # open, accepted, declined, done
        _f("outcome", L, "Outcome"),
        _f("date", D, "Asked"),
        _f("responded", D, "Answered"),
    ),
}

#: The field that names a record of each kind.
TITLE_FIELD: dict[Kind, str] = {
    Kind.EXPERT: "name",
    Kind.COMMUNITY: "name",
    Kind.TERM: "label",
    Kind.ANSWER: "body",
    Kind.REQUEST: "message",
}

KIND_LABELS: dict[Kind, str] = {
    Kind.CASE_STUDY: "Case study",
    Kind.ARTICLE: "Article",
    Kind.SITE_VISIT: "Site visit",
    Kind.EXPERT: "Expert",
    Kind.CENTRE_ITEM: "Knowledge-centre item",
    Kind.COMMUNITY: "Community",
    Kind.QUESTION: "Question",
    Kind.ANSWER: "Answer",
    Kind.TERM: "Vocabulary term",
    Kind.REQUEST: "Request",
}


def field_specs(kind: Kind) -> tuple[FieldSpec, ...]:
    """The fields of ``kind`` in display order."""
    return KIND_FIELDS[kind]


def field_spec(kind: Kind, name: str) -> FieldSpec | None:
    """The spec of one field of ``kind``, or None if the kind has no such field."""
    for spec in KIND_FIELDS[kind]:
        if spec.name == name:
            return spec
    return None


def parse_kind(value: str) -> Kind:
    """Turn a user-typed kind (``case_study``, ``case-study``) into a Kind, or raise ValueError."""
    normalized = value.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return Kind(normalized)
    except ValueError:
        known = ", ".join(k.value for k in Kind)
        raise ValueError(f"unknown kind {value!r}; known kinds: {known}") from None
