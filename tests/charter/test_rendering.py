from charter.rendering import render_text, render_with_toc


def outline(entries):
    return [(e.level, e.anchor, e.title, outline(e.children)) for e in entries]


def test_render_text_demotes_headings_under_the_page_title():
    html = render_text("# Charte\n\n## Se réunir\n\nTexte.")

    assert "<h1" not in html
    assert '<h2 id="charte">Charte</h2>' in html
    assert '<h3 id="se-reunir">Se réunir</h3>' in html


def test_table_of_contents_nests_headings():
    html, toc = render_with_toc("## Se réunir\n\n### Le rythme\n\n## Décider\n\nTexte.")

    assert outline(toc) == [
        (2, "se-reunir", "Se réunir", [(3, "le-rythme", "Le rythme", [])]),
        (2, "decider", "Décider", []),
    ]
    assert '<h2 id="se-reunir">Se réunir</h2>' in html


def test_table_of_contents_follows_demoted_headings_down_to_the_fifth_level():
    html, toc = render_with_toc("# Charte\n\n## Article\n\n### Détail\n\n#### Note\n\n##### Menu")

    assert outline(toc) == [
        (2, "charte", "Charte", [
            (3, "article", "Article", [(4, "detail", "Détail", [(5, "note", "Note", [])])]),
        ]),
    ]  # fmt: skip
    assert '<h5 id="note">Note</h5>' in html
    assert '<h6 id="menu">Menu</h6>' in html


def test_table_of_contents_titles_are_plain_text_escaped_once_on_the_page():
    html, toc = render_with_toc('## Se réunir & *décider* "ensemble"')

    assert toc[0].title == 'Se réunir & décider "ensemble"'
    assert toc[0].anchor == "se-reunir-decider-ensemble"
    assert '<h2 id="se-reunir-decider-ensemble">' in html


def test_headings_keep_their_anchor_through_sanitising_but_nothing_else():
    html, toc = render_with_toc('<h2 id="x" onclick="alert(1)">Raw</h2>\n\n## Écrit\n\nTexte.')

    assert "onclick" not in html
    assert '<h2 id="ecrit">Écrit</h2>' in html
    assert [entry.anchor for entry in toc] == ["ecrit"]
