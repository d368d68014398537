from charter.rendering import render_text, table_of_contents


def test_render_text_demotes_headings_under_the_page_title():
    html = render_text("# Charte\n\n## Se réunir\n\nTexte.")

    assert "<h1" not in html
    assert '<h2 id="charte">Charte</h2>' in html
    assert '<h3 id="se-reunir">Se réunir</h3>' in html


def test_table_of_contents_nests_headings():
    html = render_text("## Se réunir\n\n### Le rythme\n\n## Décider\n\nTexte.")

    toc = table_of_contents(html)

    assert [(e.anchor, e.title, [c.title for c in e.children]) for e in toc] == [
        ("se-reunir", "Se réunir", ["Le rythme"]),
        ("decider", "Décider", []),
    ]
