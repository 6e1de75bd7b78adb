"""The one way Markdown becomes HTML: markdown-it with raw HTML off, then nh3's allow-list."""

from __future__ import annotations

import functools

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_parser = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": True})
_parser.enable(["table", "strikethrough", "replacements", "smartquotes", "linkify"])
# A bare https://… in a policy or a teacher's step becomes a link; a bare domain does not
# (lessons name look-alike scam domains, which must never become something to click).
_parser.linkify.set({"fuzzy_link": False, "fuzzy_email": False})

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "hr",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


def render_markdown(text: str) -> Markup:
    """Safe HTML for Markdown from lesson files or supervisors (never for learner posts)."""
    html = _parser.render(text or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    # Sanitised by nh3 just above.
    return Markup(clean)  # noqa: S704  # nosec B704


@functools.lru_cache(maxsize=512)
def render_shipped_markdown(text: str) -> Markup:
    """render_markdown for text that ships with the app (a lesson's or a scenario's), which
    never changes while it runs: the same HTML, made once per text and kept (a few hundred
    texts at most: every lesson and scenario in every language)."""
    return render_markdown(text)
