"""Markdown that people type (newsletters, network posts, competition rules), made safe.

markdown-it-py turns it into HTML with raw HTML switched off, then nh3 (the Rust ammonia
sanitiser) keeps only the tags and attributes below, so anything typed as HTML or script comes
out inert, and links can only be http(s) or mailto.
"""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

TAGS = {
    "a",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "hr",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

# "js-default" is CommonMark with tables and strikethrough, and no raw HTML.
_parser = MarkdownIt("js-default", {"linkify": False, "typographer": False})


def render_markdown(text: str) -> SafeString:
    """HTML for ``text``, safe to put in a page or an email. A typed "# Heading" becomes <h2>,
    since the page's own title is its only <h1>."""
    html = _parser.render(text or "")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 - nh3 has just sanitised it
