"""Digital.gov's Hugo layout: articles, author profiles, communities and topics.

- ``news|events|guides|resources/**.md`` -> ``article`` (document type news,
  event, guide, resource), authors -> AUTHOR links, topics -> tags + ABOUT links;
- ``authors/<slug>/_index.md`` -> ``expert`` (the folder name is the author's
  identity, the one articles use);
- ``communities/*.md`` -> ``community`` (authors are its facilitators, topics tags + ABOUT
  links); a plain page there (``type: page``, the community guidelines) is skipped with a note;
- an article whose text links to a community's page (``digital.gov/communities/<slug>``, a
  Hugo ``ref`` to it, or one of its old addresses) -> IN_COMMUNITY links: "hosted by the
  [Plain Language Community](...)", "Join the [DevOps Community](...)";
- ``topics/<slug>/_index.md`` (or the ``digitalgov_topics`` folder) -> ``term``
  in the ``digitalgov-topics`` scheme.

Section list pages (``news/_index.md``, ``authors/_index.md`` ...) are not content
and are skipped with a note.
"""

from __future__ import annotations

import re
from typing import Any

from desktop.core.kinds import Kind
from desktop.core.records import Link, Record, Relation, record_id_for
from desktop.importers.markdown import clean_markdown, date_field, source_status, title_of
from desktop.importers.model import RunContext, SourceFile, make_record
from desktop.importers.text import clean_text, humanise_slug, limit, one_line, str_list

AUTHOR_SPACE = "digitalgov:author"
TOPIC_SPACE = "digitalgov:topic"
COMMUNITY_SPACE = "digitalgov:community"
TOPIC_SCHEME = "digitalgov-topics"

_ARTICLE_TYPES = {"news": "news", "events": "event", "guides": "guide", "resources": "resource"}

#: A link to a community's page in an article: a Markdown link target or a Hugo ``ref``.
_COMMUNITY_LINK = re.compile(
    r"""(?:\]\(\s*|ref\s+")(?:https?://(?:www\.)?digital(?:gov)?\.gov)?/communities/([a-z0-9-]+)""",
    re.IGNORECASE,
)
#: Community page titles written as a call to join ("Join the Web Managers").
_JOIN_THE = re.compile(r"^join\s+the\s+", re.IGNORECASE)


def author_id(slug: str) -> str:
    """Record id of the Digital.gov author with this slug."""
    return record_id_for(AUTHOR_SPACE, slug)


def topic_id(slug: str) -> str:
    """Record id of the Digital.gov topic with this slug."""
    return record_id_for(TOPIC_SPACE, slug)


def parse_digitalgov(
    front: dict[str, Any], raw_body: str, src: SourceFile, ctx: RunContext, notes: list[str]
) -> list[Record]:
    """Records from one Markdown file of the Digital.gov site."""
    parts = src.rel.split("/")
    if src.collection.layout == "digitalgov-topics":
        parts = ["topics", *parts]
    section = parts[0] if len(parts) > 1 else ""
    if parts[-1] == "_index.md" and len(parts) == 2:
        notes.append(f"{src.rel} is a section list page, not content; skipped")
        return []
    if section == "authors":
        return [_expert(front, raw_body, src, parts)]
    if section == "communities":
        if one_line(front.get("type")).lower() == "page":
            notes.append(f"{src.rel} is a page about the communities, not a community; skipped")
            return []
        return [_community(front, raw_body, src, ctx, notes)]
    if section == "topics":
        return [_topic(front, src, ctx, parts)]
    return [_article(front, raw_body, src, ctx, notes, _ARTICLE_TYPES.get(section, "page"))]


def _topics(front: dict[str, Any], ctx: RunContext) -> tuple[list[str], list[Link]]:
    tags: list[str] = []
    links: list[Link] = []
    for slug in str_list(front.get("topics")):
        tags.append(ctx.topic_labels.get(slug) or humanise_slug(slug))
        links.append(Link(Relation.ABOUT, topic_id(slug)))
    return tags, links


def _communities_linked(raw_body: str, ctx: RunContext) -> list[Link]:
    """IN_COMMUNITY links to the communities whose pages the text links to (known ones only)."""
    links: list[Link] = []
    for match in _COMMUNITY_LINK.finditer(raw_body):
        name = match.group(1).lower().removesuffix(".md")
        community = ctx.community_ids.get(name)
        if community and all(link.target_id != community for link in links):
            links.append(Link(Relation.IN_COMMUNITY, community))
    return links


def community_names(key: str, stem: str, aliases: list[str]) -> list[str]:
    """The names a community's page goes by in links: its slug, its file name, its old addresses."""
    names = [key.lower(), stem.lower()]
    for alias in aliases:
        parts = [part for part in alias.lower().split("/") if part]
        if len(parts) == 2 and parts[0] == "communities":
            names.append(parts[1])
    return list(dict.fromkeys(name for name in names if name and "/" not in name))


def register_community(
    community_ids: dict[str, str], record_id: str, key: str, stem: str, aliases: list[str]
) -> None:
    """Map the names a community's page goes by to its record id.

    A community's own slug and file name win over another community's old address (the
    Contact Center page lists "government-contact-center-council", the G3C's own slug, among
    its aliases), whatever order the communities are read in, so an import of one folder and an
    import of the whole corpus link an article to the same community.
    """
    own = set(community_names(key, stem, []))
    for name in community_names(key, stem, aliases):
        if name in own:
            community_ids[name] = record_id
        else:
            community_ids.setdefault(name, record_id)


def _people(front: dict[str, Any], relation: Relation) -> list[Link]:
    return [Link(relation, author_id(slug)) for slug in str_list(front.get("authors"))]


def _article(
    front: dict[str, Any], raw_body: str, src: SourceFile, ctx: RunContext, notes: list[str], doc_type: str
) -> Record:
    body = clean_markdown(raw_body)
    key = one_line(front.get("slug")) or src.rel
    section = src.rel.split("/")[0]
    tags, about = _topics(front, ctx)
    organisations = str_list(front.get("host")) + str_list(front.get("event_organizer"))
    url = one_line(front.get("source_url"))
    fields = {
        "title": title_of(front, body, src),
        "document_type": doc_type,
        "summary": clean_text(front.get("summary")) or clean_text(front.get("deck")),
        "body": body,
        "organisations": organisations,
        "date": date_field(front, "date", notes, "date"),
        "updated": date_field(front, "updated", notes, "lastmod"),
        "url": url if url.startswith(("http://", "https://")) else "",
    }
    source = src.source(key, url=str(fields["url"]), status=source_status(front))
    links = _people(front, Relation.AUTHOR) + about + _communities_linked(raw_body, ctx)
    return make_record(f"digitalgov:{section}", Kind.ARTICLE, fields, source, tags=tags, links=links)


def _expert(front: dict[str, Any], raw_body: str, src: SourceFile, parts: list[str]) -> Record:
    slug = parts[1] if parts[-1] == "_index.md" and len(parts) >= 3 else src.path.stem
    name = one_line(front.get("display_name")) or " ".join(
        p for p in (one_line(front.get("first_name")), one_line(front.get("last_name"))) if p
    )
    fields = {
        "name": name or one_line(front.get("title")) or humanise_slug(slug),
        "organisation": one_line(front.get("agency_full_name")) or one_line(front.get("agency")),
        "district": one_line(front.get("location")),
        "handle": one_line(front.get("github")),
        "bio": clean_markdown(raw_body),
    }
    source = src.source(slug, url=f"https://digital.gov/authors/{slug}/", status=source_status(front))
    return make_record(AUTHOR_SPACE, Kind.EXPERT, fields, source)


def _contact(front: dict[str, Any]) -> str:
    lines: list[str] = []
    entries = front.get("community_list")
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        where = one_line(entry.get("platform")) or "mailing list"
        audience = one_line(entry.get("type"))
        text = f"{where} ({audience})" if audience else where
        email = one_line(entry.get("subscribe_email"))
        if email:
            text += f": email {email}"
        body = one_line(entry.get("subscribe_email_body"))
        if body:
            text += f' with "{body}"'
        terms = one_line(entry.get("terms"))
        if terms:
            text += f". {terms}"
        lines.append(text)
    redirect = one_line(front.get("redirectto"))
    if not lines and redirect.startswith(("http://", "https://")):
        lines.append(redirect)
    return limit("; ".join(lines), 1000)


def _community(
    front: dict[str, Any], raw_body: str, src: SourceFile, ctx: RunContext, notes: list[str]
) -> Record:
    body = clean_markdown(raw_body)
    key = one_line(front.get("slug")) or src.rel
    summary = clean_text(front.get("summary")) or clean_text(front.get("deck"))
    tags, about = _topics(front, ctx)
    fields = {
        "name": _JOIN_THE.sub("", title_of(front, body, src)).strip() or title_of(front, body, src),
        "purpose": "\n\n".join(part for part in (summary, body) if part),
        "contact": _contact(front),
        "date": date_field(front, "date", notes, "date"),
        "expires": date_field(front, "expirydate", notes, "expirydate"),
    }
    status = source_status(front)
    aliases = str_list(front.get("aliases"))
    if aliases:
        # The page's old addresses: articles still link to them, and an import that does not
        # read this file again (one folder of news) finds the community by them in the store.
        status["aliases"] = aliases
    source = src.source(key, url=f"https://digital.gov/communities/{key}/", status=status)
    links = _people(front, Relation.FACILITATOR) + about
    record = make_record(COMMUNITY_SPACE, Kind.COMMUNITY, fields, source, tags=tags, links=links)
    register_community(ctx.community_ids, record.id, key, src.path.stem, aliases)
    return record


def _topic(front: dict[str, Any], src: SourceFile, ctx: RunContext, parts: list[str]) -> Record:
    folder = parts[-2] if parts[-1] == "_index.md" and len(parts) >= 3 else src.path.stem
    slug = one_line(front.get("slug")) or folder
    label = one_line(front.get("title")) or humanise_slug(slug)
    alt_labels: list[str] = []
    for alias in str_list(front.get("aliases")):
        words = humanise_slug(alias.rstrip("/").rsplit("/", 1)[-1])
        if words and words.lower() != label.lower() and words not in alt_labels:
            alt_labels.append(words)
    ctx.topic_labels[slug] = label
    fields = {
        "label": label,
        "alt_labels": alt_labels,
        "scheme": TOPIC_SCHEME,
        "notation": slug,
        "scope_note": clean_text(front.get("summary")),
    }
    source = src.source(slug, url=f"https://digital.gov/topics/{slug}/", status=source_status(front))
    return make_record(TOPIC_SPACE, Kind.TERM, fields, source)
