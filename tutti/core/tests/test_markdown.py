from tutti.core.markdown import render_markdown


def test_headings_links_lists_and_emphasis_come_through():
    html = render_markdown("# News\n\nSee [the hub](https://example.org/) **now**.\n\n- one\n- two")
    assert "<h2>News</h2>" in html
    assert '<a href="https://example.org/" rel="noopener noreferrer nofollow">the hub</a>' in html
    assert "<strong>now</strong>" in html
    assert "<li>one</li>" in html


def test_typed_html_and_script_come_out_inert():
    html = render_markdown('<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">')
    assert "<script" not in html
    assert "<img" not in html
    # Shown as the text that was typed, not dropped silently.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_javascript_links_lose_their_target():
    html = render_markdown("[click](javascript:alert(1)) ![x](javascript:alert(2))")
    assert 'href="javascript' not in html
    assert 'src="javascript' not in html
    assert "<a" not in html


def test_images_keep_their_source_and_alt_text():
    html = render_markdown("![A violin](https://example.org/v.png)")
    assert '<img src="https://example.org/v.png" alt="A violin">' in html


def test_empty_text_is_empty():
    assert render_markdown("") == ""
