"""Showing what a candidate wrote (their REPORT.md, their code) to reviewers without
letting it run script, track readers or pass for our own pages."""

import nh3
from markdown_it import MarkdownIt

MAX_REPORT_CHARACTERS = 100_000
TRUNCATION_NOTE = "<p>… (truncated)</p>"
# A NUL byte this early means an image, archive or compiled file, not text.
BINARY_SNIFF_BYTES = 8192

# "js-default" keeps raw HTML off: a <script> or <a onclick> in the report is shown as text.
_MARKDOWN = MarkdownIt("js-default")
# Sanitising the rendered HTML as well guards against whatever the renderer lets through.
# No <img>: a remote image would tell the candidate who opens the report, and when.
_CLEANER = nh3.Cleaner(
    tags={
        *("h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "code", "pre"),
        *("em", "strong", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "a", "hr", "br"),
    },
    attributes={"a": {"href"}},
    link_rel="noopener noreferrer nofollow",
    url_schemes={"http", "https", "mailto"},
    # A relative link would resolve against our own site and could pass for one of its pages.
    url_relative="deny",
)


def render_markdown(markdown_text: str) -> str:
    """The report as sanitised HTML, safe to mark safe in a template. Reports over
    MAX_REPORT_CHARACTERS are cut there and end with a "… (truncated)" note."""
    truncated = len(markdown_text) > MAX_REPORT_CHARACTERS
    # Rendering time grows with the input; the cap keeps a page view cheap.
    html = _CLEANER.clean(_MARKDOWN.render(markdown_text[:MAX_REPORT_CHARACTERS]))
    # The note is added after rendering so that a cut inside a code block cannot swallow it.
    return html + TRUNCATION_NOTE if truncated else html


def decode_text(data: bytes, limit: int = 200_000) -> tuple[str | None, bool]:
    """A file's content for the code browser: (text, truncated), the text being at most
    `limit` bytes' worth. (None, False) when the bytes look binary: a NUL byte in the
    first BINARY_SNIFF_BYTES, or not UTF-8. A character cut in two at the limit becomes
    U+FFFD; anywhere else invalid UTF-8 means binary."""
    if b"\x00" in data[:BINARY_SNIFF_BYTES]:
        return None, False
    truncated = len(data) > limit
    head = data[:limit]
    try:
        return head.decode("utf-8"), truncated
    except UnicodeDecodeError as error:
        # Only the valid start of a character at the very end, cut by our own limit, is
        # forgiven ("unexpected end of data"); a stray byte there is an invalid start byte.
        cut_at_limit = truncated and error.reason == "unexpected end of data"
        if not cut_at_limit:
            return None, False
        return head[: error.start].decode("utf-8") + head[error.start :].decode("utf-8", errors="replace"), True
