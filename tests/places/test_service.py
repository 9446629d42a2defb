"""The places every intake, report and notice asks about: one check of a code, one way to
write a place as a line."""

from __future__ import annotations

import pytest

from dispatch.database import Database
from dispatch.errors import InvalidInput
from dispatch.places.service import area_name, place_line, require_community, require_compound


def test_a_known_code_gives_its_place_and_an_unknown_one_is_refused_on_the_field_named(
    db: Database,
) -> None:
    with db.session() as session:
        assert require_compound(session, "jindi-garden").community_code == "jindi"
        assert require_community(session, "jindi").name == "金地社区"
        with pytest.raises(InvalidInput) as community:
            require_community(session, "atlantis", field="communities[2]", value="atlantis")
        with pytest.raises(InvalidInput) as compound:
            require_compound(session, "atlantis", field="address.compound")

    assert community.value.to_body() == {
        "error": {
            "code": "invalid",
            "message": "unknown community 'atlantis'",
            "field": "communities[2]",
            "value": "atlantis",
        }
    }
    assert compound.value.message == "unknown compound 'atlantis'"
    assert compound.value.field == "address.compound"


def test_the_area_is_the_compound_else_the_community_and_a_code_off_file_stays_a_clue(
    db: Database,
) -> None:
    with db.session() as session:
        assert area_name(session, "jindi-garden", "jindi") == "金地花园"
        assert area_name(session, None, "jindi") == "金地社区"
        assert area_name(session, "jindi-garden-west") == "jindi-garden-west"
        assert area_name(session, None) == ""


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (place_line("金地花园", building="D区8号楼", said="东门"), "金地花园D区8号楼 东门"),
        (place_line("金地花园", building="D区8号楼", said=None, glue=" "), "金地花园 D区8号楼"),
        (
            place_line("金地社区", "金地花园", building="D区8号楼", said="东门", sep=" · "),
            "金地社区 · 金地花园D区8号楼 · 东门",
        ),
        (
            place_line("金地社区", "", building="D区8号楼", said=None, sep=" · "),
            "金地社区 · D区8号楼",
        ),
        (place_line("", building=None, said="东门"), "东门"),
        (place_line(building=None, said=None), ""),
    ],
)
def test_a_place_reads_as_one_line_without_gaps_for_what_is_not_known(
    line: str, expected: str
) -> None:
    assert line == expected
