"""Issue 16, point 1: Markdown rendering must be linear in its input, and keep its features."""

import sys

import pytest

from jobs.employer.forms import description_to_html
from jobs.sanitize import MAX_DEPTH, clean_html
from tracking.applications.services import render_markdown as render_note

PATHOLOGICAL = ["[", "![", "*[", "[^", "> ", "*a", "`", "[a](", "<a ", "+ "]


def python_lines(func) -> int:
    """How many lines of Python `func` runs: a measure of work that does not depend on the
    machine's load (no timing in tests; bench/markdown.py has the times)."""
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        func()
    finally:
        sys.settrace(None)
    return count


@pytest.mark.parametrize("render", [render_note, description_to_html], ids=["note", "description"])
@pytest.mark.parametrize("unit", PATHOLOGICAL)
def test_rendering_work_grows_linearly_with_the_input(render, unit):
    # Python-Markdown ran 11-16 times the lines for 4 times the brackets (quadratic).
    small = python_lines(lambda: render(unit * 250))
    large = python_lines(lambda: render(unit * 1000))
    assert large <= 6 * small + 200, (small, large)


def test_deeply_nested_quotes_and_lists_are_flattened_before_sanitizing():
    # nh3's parser is quadratic in the nesting depth; deeper tags are dropped, the text stays.
    html = render_note("> " * 1000 + "deep")
    assert html.count("<blockquote>") == MAX_DEPTH and "deep" in html
    assert clean_html("<ul>" * 500 + "x").count("<ul>") == MAX_DEPTH
    assert clean_html("<div>" + "<li>a" * 200 + "</div>").count("<li>") == 200  # siblings stay


def test_notes_keep_their_features():
    html = render_note(
        "## Call\n\nWent **well**, *really*.\nNext line\n\n- one\n- two\n\n1. first\n\n"
        "[site](https://example.com)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n> quoted\n\n`code`"
    )
    assert "<h2>Call</h2>" in html
    assert "<strong>well</strong>, <em>really</em>.<br>\nNext line" in html
    assert "<li>one</li>" in html and "<ol>\n<li>first</li>" in html
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">site</a>' in html
    assert "<th>a</th>" in html and "<td>2</td>" in html
    assert "<blockquote>\n<p>quoted</p>" in html and "<code>code</code>" in html


def test_descriptions_join_wrapped_lines_and_keep_html_input():
    assert description_to_html("Build things\nwith us.") == "<p>Build things\nwith us.</p>"
    assert description_to_html("<p>Hi <script>x</script></p>") == "<p>Hi </p>"
    assert "<h2>Role</h2>" in description_to_html("## Role\n\n- Django")


def test_raw_html_in_markdown_is_sanitized():
    html = render_note('<img src=x onerror=alert(1)> <b onclick="x">b</b> [x](javascript:alert(1))')
    assert "onerror" not in html and "onclick" not in html and "javascript:" not in html
    assert "<b>b</b>" in html
