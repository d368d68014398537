import pytest

from assembly.addresses import split_address


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 rue des Tisserands, 59000 Lille", ("12 rue des Tisserands", "59000", "Lille")),
        ("12 rue des Tisserands\n59000 Lille", ("12 rue des Tisserands", "59000", "Lille")),
        ("Maison Folie, 12 rue X 59000 Lille", ("Maison Folie, 12 rue X", "59000", "Lille")),
        ("5 place du Marché, Lille", ("5 place du Marché", "", "Lille")),
        ("Le jardin du bout", ("Le jardin du bout", "", "")),
        ("", ("", "", "")),
        ("1 rue Y, 75011, Paris", ("1 rue Y", "75011", "Paris")),
        ("Zone 123456, Lille", ("Zone 123456", "", "Lille")),
    ],
)
def test_split_address_parts(text, expected):
    parts = split_address(text)

    assert (parts["streetAddress"], parts["postalCode"], parts["addressLocality"]) == expected
