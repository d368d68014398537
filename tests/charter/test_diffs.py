from charter.diffs import (
    DELETE,
    EQUAL,
    INSERT,
    diff_stats,
    render_inline,
    side_by_side,
    three_way_merge,
    word_diff,
)

BASE = """## 1. Se réunir

Nous nous réunissons chaque mois.

## 2. Les ateliers

Tout le monde peut proposer un atelier.

## 3. Être membre

Deux participations suffisent.
"""


def test_word_diff_marks_whole_words():
    diffs = word_diff(
        "Nous nous réunissons chaque mois.", "Nous nous réunissons le dernier jeudi du mois."
    )

    assert diffs == [
        (EQUAL, "Nous nous réunissons "),
        (DELETE, "chaque"),
        (INSERT, "le dernier jeudi du"),
        (EQUAL, " mois."),
    ]


def test_render_inline_wraps_changes_in_ins_and_del():
    html = render_inline(word_diff("un deux trois", "un quatre trois cinq"))

    assert html == "un <del>deux</del><ins>quatre</ins> trois<ins> cinq</ins>"


def test_render_inline_escapes_html_in_text():
    html = render_inline(
        word_diff('Texte <b>gras</b> & "cité"', 'Texte <script>alert(1)</script> & "cité"')
    )

    assert html == (
        "Texte &lt;<del>b&gt;gras</del><ins>script&gt;alert(1)</ins>&lt;/<del>b</del>"
        "<ins>script</ins>&gt; &amp; &quot;cité&quot;"
    )


def test_render_inline_escapes_an_inserted_tag():
    html = render_inline(word_diff("Texte.", "Texte. <img src=x onerror=alert(1)>"))

    assert html == "Texte.<ins> &lt;img src=x onerror=alert(1)&gt;</ins>"


def test_diff_stats_count_words_added_and_removed():
    stats = diff_stats(word_diff("un deux trois", "un quatre cinq trois"))

    assert (stats.words_added, stats.words_removed) == (2, 1)


def test_side_by_side_pairs_changed_paragraphs_and_escapes():
    rows = side_by_side("Titre\n\nun <i>deux</i>\n", "Titre\n\nun <i>trois</i>\n")

    assert [(row.old, row.new, row.changed) for row in rows] == [
        ("Titre", "Titre", False),
        ("un &lt;i&gt;<del>deux</del>&lt;/i&gt;", "un &lt;i&gt;<ins>trois</ins>&lt;/i&gt;", True),
    ]


def test_three_way_merge_applies_a_change_elsewhere_in_the_text():
    current = BASE.replace("chaque mois", "le dernier jeudi du mois")
    proposed = BASE.replace("Deux participations", "Trois participations")

    merged = three_way_merge(BASE, proposed, current)

    assert merged == BASE.replace("chaque mois", "le dernier jeudi du mois").replace(
        "Deux participations", "Trois participations"
    )


def test_three_way_merge_refuses_overlapping_changes():
    current = BASE.replace("chaque mois", "le dernier jeudi du mois")
    proposed = BASE.replace("chaque mois", "chaque semaine")

    assert three_way_merge(BASE, proposed, current) is None


def test_three_way_merge_refuses_a_change_to_a_removed_section():
    current = BASE.replace("## 3. Être membre\n\nDeux participations suffisent.\n", "")
    proposed = BASE.replace("Deux participations", "Trois participations")

    assert three_way_merge(BASE, proposed, current) is None


def test_three_way_merge_follows_text_that_moved_far():
    current = "Préambule. " * 500 + "\n\n" + BASE
    proposed = BASE.replace("Deux participations", "Trois participations")

    assert three_way_merge(BASE, proposed, current) == "Préambule. " * 500 + "\n\n" + proposed
