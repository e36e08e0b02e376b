"""A candidate's report and files shown to reviewers: nothing runs, nothing tracks the
reader, and text in any language comes through intact."""

from __future__ import annotations

from assessments.takehome.untrusted import MAX_REPORT_CHARACTERS, decode_text, render_markdown


def test_script_in_report_is_shown_as_text_not_run() -> None:
    # given a report with a script element
    # when it is rendered
    html = render_markdown("Hi <script>alert(1)</script>")

    # then the script is escaped text
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_javascript_link_yields_no_javascript_href() -> None:
    # given a markdown link to a javascript: URL, also disguised in case
    # when it is rendered
    html = render_markdown("[x](javascript:alert(1)) [y](JaVaScRiPt:alert(2))")

    # then no link carries it
    assert "href" not in html
    assert "<a" not in html


def test_images_are_dropped() -> None:
    # given a report with a remote image in markdown and in raw HTML
    # when it is rendered
    html = render_markdown("![pixel](https://tracker.example/p.png)\n\n<img src=https://tracker.example/q.png>")

    # then no image element is left to load
    assert "<img" not in html
    assert 'src="' not in html


def test_links_open_without_referrer_or_opener() -> None:
    # given a markdown link and an autolink to http URLs
    # when it is rendered
    html = render_markdown("[docs](http://example.com/a?b=1&c=2) <https://example.org>")

    # then both links carry rel noopener noreferrer nofollow
    assert '<a href="http://example.com/a?b=1&amp;c=2" rel="noopener noreferrer nofollow">docs</a>' in html
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">https://example.org</a>' in html


def test_raw_html_link_and_attributes_are_shown_as_text() -> None:
    # given raw HTML with a link and an event handler
    # when it is rendered
    html = render_markdown('<a href=http://evil.example onclick="steal()">click</a>')

    # then it is text, not an element
    assert "<a" not in html
    assert "&lt;a href=http://evil.example" in html


def test_relative_and_data_links_lose_their_target() -> None:
    # given links that would resolve against our own site or carry a document
    # when they are rendered
    html = render_markdown("[admin](/admin/) [data](data:text/html,hi) [mail](mailto:hr@example.com)")

    # then only the mailto link keeps an href
    assert html.count("href=") == 1
    assert 'href="mailto:hr@example.com"' in html


def test_headings_code_blocks_tables_and_lists_survive() -> None:
    # given a report using the usual markdown structure
    report = (
        "# Отчёт\n\n## Approach\n\n```python\nprint('<b>')\n```\n\n"
        "| metric | value |\n|---|--:|\n| MRR | 0.71 |\n\n- one\n- two\n\n> quoted\n\n---\n"
    )

    # when it is rendered
    html = render_markdown(report)

    # then the structure stays, without the renderer's classes and styles
    assert "<h1>Отчёт</h1>" in html
    assert "<h2>Approach</h2>" in html
    assert "<pre><code>print('&lt;b&gt;')\n</code></pre>" in html
    assert "<th>metric</th>" in html
    assert "<td>0.71</td>" in html
    assert "<ul>\n<li>one</li>" in html
    assert "<blockquote>" in html
    assert "<hr>" in html
    assert "class=" not in html
    assert "style=" not in html


def test_cyrillic_text_survives_unescaped() -> None:
    # given a report in Russian with emphasis
    # when it is rendered
    html = render_markdown("Поиск по **ключевым словам**, затем *эмбеддинги*.")

    # then the text reads as written
    assert html == "<p>Поиск по <strong>ключевым словам</strong>, затем <em>эмбеддинги</em>.</p>\n"


def test_long_report_is_cut_with_a_note() -> None:
    # given a report longer than the cap, in a code block that is never closed
    report = "```\n" + "x" * MAX_REPORT_CHARACTERS

    # when it is rendered
    html = render_markdown(report)

    # then only the capped text is rendered and the note follows the code block
    assert html.count("x") == MAX_REPORT_CHARACTERS - len("```\n")
    assert html.endswith("</code></pre>\n<p>… (truncated)</p>")


def test_report_at_the_cap_has_no_note() -> None:
    html = render_markdown("y" * MAX_REPORT_CHARACTERS)

    assert "truncated" not in html
    assert html.count("y") == MAX_REPORT_CHARACTERS


def test_decode_text_rejects_binary_with_nul_byte() -> None:
    # given a PNG header, which has NUL bytes early
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"

    # when it is decoded
    # then it is binary
    assert decode_text(data) == (None, False)


def test_decode_text_rejects_bytes_that_are_not_utf8() -> None:
    # given text in a legacy Cyrillic encoding
    data = "Привет, мир".encode("cp1251")

    # when it is decoded
    # then it is treated as binary
    assert decode_text(data) == (None, False)


def test_decode_text_reads_russian_utf8() -> None:
    # given Russian text in UTF-8
    text = "# Поиск ответа\nprint('готово')\n"

    # when it is decoded
    # then it comes back whole, not truncated
    assert decode_text(text.encode()) == (text, False)


def test_decode_text_cut_inside_a_cyrillic_character_ends_with_replacement() -> None:
    # given Cyrillic text whose limit falls between the two bytes of "и"
    data = "привет".encode()
    limit = len("пр".encode()) + 1

    # when it is decoded
    # then the whole characters before the cut stay and the half character is replaced
    assert decode_text(data, limit=limit) == ("пр\ufffd", True)


def test_decode_text_cut_on_a_character_boundary_is_clean() -> None:
    data = "привет".encode()

    assert decode_text(data, limit=len("при".encode())) == ("при", True)


def test_decode_text_invalid_byte_at_the_limit_is_still_binary() -> None:
    # given a stray continuation byte right before the limit, which no cut can explain
    data = b"abc\x80def"

    # when it is decoded with the limit just after it
    # then it is binary
    assert decode_text(data, limit=4) == (None, False)


def test_decode_text_nul_after_the_sniffed_prefix_is_not_binary() -> None:
    # given text with a NUL byte only after the first 8 kB
    data = b"a" * 8192 + b"\x00"

    # when it is decoded
    text, truncated = decode_text(data)

    # then it is text: only the start is sniffed
    assert text == "a" * 8192 + "\x00"
    assert truncated is False
