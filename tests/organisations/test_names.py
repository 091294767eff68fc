"""Comparing organisation names: invisible differences do not make another name."""

import pytest

from organisations.names import name_key


@pytest.mark.parametrize(
    "typed",
    [
        "Lisbon Cluster",
        "Lisbon\u200b  Cluster",  # zero-width space and a doubled blank
        "  lisbon\tCLUSTER ",
        "\ufeffLisbon\u00a0Cluster\u200d",  # byte-order mark, no-break space, zero-width joiner
        "Ｌｉｓｂｏｎ Cluster",  # full-width letters
        "Lisbon \u2060Cluster\u200e",  # word joiner, left-to-right mark
    ],
)
def test_the_same_name_typed_differently_has_one_key(typed):
    assert name_key(typed) == name_key("Lisbon Cluster") == "lisbon cluster"


def test_different_names_keep_different_keys():
    assert name_key("Lisbon Cluster") != name_key("Lisbon Clusters")
    assert name_key("Lisbon Cluster") != name_key("LisbonCluster")
    assert name_key("Straße Cluster") == name_key("STRASSE cluster")  # casefold, not lower
