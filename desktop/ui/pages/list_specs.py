"""What each list page lists (kinds, the kinds it can create) and how it counts them ("30 site visits")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from desktop.core.kinds import Kind


@dataclass(frozen=True)
class ListSpec:
    """What one list page lists and how it names what it lists."""

    key: str  # for settings and the navigation
    title: str
    kinds: tuple[Kind, ...]
    new_kinds: tuple[Kind, ...]
    count_text: Callable[[int], str]  # "1,234 case studies"
    icon: str
    hidden_columns: tuple[int, ...] = ()  # columns that say nothing on this page (Kind on one kind)
    #: "Tag selected…" adds vocabulary terms to what is listed (not to people: their expertise says it).
    bulk_tag: bool = True


def _counted(one: str, many: str) -> Callable[[int], str]:
    def text(count: int) -> str:
        return one if count == 1 else many.format(n=f"{count:,}")

    return text


def list_specs() -> list[ListSpec]:
    """The list pages of the main window, in navigation order (translated when called)."""

    def t(text: str) -> str:
        return QCoreApplication.translate("RecordListPage", text)

    return [
        ListSpec(
            "knowledge-base",
            t("Knowledge base"),
            (Kind.CASE_STUDY, Kind.ARTICLE),
            (Kind.CASE_STUDY,),
            _counted(t("1 case study or article"), t("{n} case studies and articles")),
            "knowledge-base",
        ),
        ListSpec(
            "site-visits",
            t("Site visits"),
            (Kind.SITE_VISIT,),
            (Kind.SITE_VISIT,),
            _counted(t("1 site visit"), t("{n} site visits")),
            "site-visit",
            (1,),
        ),
        ListSpec(
            "experts",
            t("Experts"),
            (Kind.EXPERT,),
            (Kind.EXPERT,),
            _counted(t("1 expert"), t("{n} experts")),
            "experts",
            (1, 4),
            bulk_tag=False,
        ),
        ListSpec(
            "centre",
            t("Knowledge centre"),
            (Kind.CENTRE_ITEM,),
            (Kind.CENTRE_ITEM,),
            _counted(t("1 knowledge-centre item"), t("{n} knowledge-centre items")),
            "centre",
            (1, 3),
        ),
        ListSpec(
            "communities",
            t("Communities"),
            (Kind.COMMUNITY, Kind.QUESTION),
            (Kind.COMMUNITY, Kind.QUESTION),
            _counted(t("1 community or question"), t("{n} communities and questions")),
            "communities",
            # The community page takes most of the width, so the list keeps room for names;
            # a community's or question's status says little (a thread shows an unsent one).
            (2, 3),
        ),
    ]
