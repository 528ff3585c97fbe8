"""A layout kept as a version: JSON and back restores it exactly, and a damaged or newer version
fails with one sentence instead of restoring half a layout."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pse_desk.layout.snapshot import VERSION, SnapshotError, layout_from_json, layout_to_json
from pse_desk.layout.values import LINKS, PICKED, Item, Layout, Panel, Source

PREFIX = "This saved layout version cannot be read:"

LAYOUT = Layout("L1", "Home – spring “edition”", panels=(
    Panel("p1", "latest_news", "Latest news", "main", "a0", item_count=5,
          source=Source(sections=("Health", "Policy"), tags=("nhs",), author="Ann Smith"),
          more_label="more news >", more_url="/news",
          items=(Item("i1", "a0", article_id="art1", pinned=True,
                      pinned_from=datetime(2024, 5, 1, 9, 30),
                      pinned_until=datetime(2024, 5, 3, 18, 0, 15, 123456)),
                 Item("i2", "a1", article_id="art2", pinned=True,
                      pinned_from=datetime(2024, 5, 2, 0, 0)))),
    Panel("p2", "tv", "TV", "sidebar", "a0V", enabled=False, item_count=1,
          source=Source(kind=LINKS), dedupe=False,
          items=(Item("i3", "a0", title="Interview", url="https://tv.example/1",
                      item_date=date(2024, 4, 30), summary="Ten minutes\nwith the minister"),
                 Item("i4", "Zz", title="", url="javascript:alert(1)", pinned=True,
                      pinned_until=datetime(2024, 6, 1, 0, 0, tzinfo=UTC)))),
    Panel("p3", "picked", "Editor’s picks 🗞", "left_rail", "a1", item_count=10_000,
          source=Source(kind=PICKED)),
    Panel("p4", "future", "From a newer desk", "main", "a2", item_count=0,
          source=Source(kind="podcast_feed")),
))


def round_trip(layout: Layout) -> Layout:
    return layout_from_json(json.loads(json.dumps(layout_to_json(layout))))


def test_a_layout_restores_exactly_through_json() -> None:
    restored = round_trip(LAYOUT)
    assert restored == LAYOUT
    assert restored.panels[0].items[0].pinned_until == datetime(2024, 5, 3, 18, 0, 15, 123456)
    assert restored.panels[1].items[0].item_date == date(2024, 4, 30)
    assert restored.panels[1].items[1].pinned_until == datetime(2024, 6, 1, tzinfo=UTC)
    assert restored.panels[0].source.sections == ("Health", "Policy")  # tuples, not lists


def test_the_json_is_plain_and_versioned() -> None:
    data = layout_to_json(LAYOUT)
    assert data["v"] == VERSION == 1
    assert data["name"] == LAYOUT.name
    assert [p["key"] for p in data["panels"]] == ["latest_news", "tv", "picked", "future"]
    assert data["panels"][0]["items"][0]["pinned_from"] == "2024-05-01T09:30:00"
    assert json.loads(json.dumps(data)) == data


def test_an_empty_layout_round_trips() -> None:
    assert round_trip(Layout("L0", "")) == Layout("L0", "")


def test_the_active_flag_is_not_part_of_a_version() -> None:
    restored = round_trip(Layout("L1", "Live", active=True, panels=LAYOUT.panels))
    assert restored.active is False
    assert restored.panels == LAYOUT.panels


names = st.text(max_size=20)
moments = st.one_of(st.none(), st.datetimes(min_value=datetime(1, 1, 2),
                                            max_value=datetime(9999, 12, 30)))
items = st.builds(Item, id=names, rank=names, article_id=st.one_of(st.none(), names),
                  title=names, url=names, item_date=st.one_of(st.none(), st.dates()),
                  summary=names, pinned=st.booleans(), pinned_from=moments, pinned_until=moments)
panels = st.builds(Panel, id=names, key=names, title=names, region=names, rank=names,
                   enabled=st.booleans(), item_count=st.integers(-10**6, 10**6),
                   source=st.builds(Source, kind=names, sections=st.tuples(names),
                                    tags=st.lists(names, max_size=3).map(tuple), author=names),
                   more_label=names, more_url=names, dedupe=st.booleans(),
                   items=st.lists(items, max_size=3).map(tuple))


@settings(max_examples=100, deadline=None)
@given(layout=st.builds(Layout, id=names, name=names, panels=st.lists(panels, max_size=3)
                        .map(tuple)))
def test_any_layout_round_trips(layout: Layout) -> None:
    assert round_trip(layout) == layout


# --- damaged versions ---------------------------------------------------------------------------

def damaged(change: Any) -> object:
    data = copy.deepcopy(layout_to_json(LAYOUT))
    change(data)
    return data


def set_in(path: tuple[object, ...], value: object) -> Any:
    def change(data: Any) -> None:
        for step in path[:-1]:
            data = data[step]
        data[path[-1]] = value
    return change


def drop(path: tuple[object, ...]) -> Any:
    def change(data: Any) -> None:
        for step in path[:-1]:
            data = data[step]
        del data[path[-1]]
    return change


ITEM = ("panels", 0, "items", 0)


@pytest.mark.parametrize("data", [None, [], "layout", 1, 1.5, True, b"{}"])
def test_something_that_is_not_a_dict_is_refused(data: object) -> None:
    with pytest.raises(SnapshotError) as caught:
        layout_from_json(data)
    assert str(caught.value) == f"{PREFIX} it is not a saved layout."


@pytest.mark.parametrize("v", [2, 0, "1", None, "999999999999999999999999999999"])
def test_a_version_in_another_format_is_refused(v: object) -> None:
    data = damaged(set_in(("v",), v))
    with pytest.raises(SnapshotError) as caught:
        layout_from_json(data)
    message = str(caught.value)
    assert message.startswith(PREFIX)
    assert "newer desk" in message
    assert len(message) < 200


def test_a_version_without_v_is_refused() -> None:
    with pytest.raises(SnapshotError, match=f"^{PREFIX}"):
        layout_from_json(damaged(drop(("v",))))


@pytest.mark.parametrize(("change", "names"), [
    (drop(("panels",)), "“panels”"),
    (set_in(("panels",), {"0": {}}), "“panels”"),
    (set_in(("panels",), None), "“panels”"),
    (drop(("name",)), "“name”"),
    (set_in(("id",), 7), "“id”"),
    (set_in(("panels", 1), "a panel"), "panel 2 is not a panel"),
    (set_in(("panels", 0, "item_count"), "3"), "panel 1 has no valid “item_count”"),
    (set_in(("panels", 0, "item_count"), 3.0), "“item_count”"),
    (set_in(("panels", 0, "item_count"), True), "“item_count”"),
    (set_in(("panels", 0, "item_count"), None), "“item_count”"),
    (drop(("panels", 0, "item_count")), "“item_count”"),
    (set_in(("panels", 0, "enabled"), 1), "“enabled”"),
    (set_in(("panels", 0, "dedupe"), "yes"), "“dedupe”"),
    (drop(("panels", 2, "rank")), "panel 3 has no valid “rank”"),
    (set_in(("panels", 0, "source"), "latest"), "“source”"),
    (set_in(("panels", 0, "source", "sections"), "Health"), "names are not text"),
    (set_in(("panels", 0, "source", "tags"), [1, 2]), "names are not text"),
    (drop(("panels", 0, "source", "kind")), "“kind”"),
    (set_in(("panels", 0, "items"), {}), "“items”"),
    (set_in(ITEM, ["an", "item"]), "item 1 of panel 1 is not an item"),
    (set_in((*ITEM, "article_id"), 12), "names its article wrongly"),
    (set_in((*ITEM, "pinned"), "true"), "“pinned”"),
    (set_in((*ITEM, "pinned_from"), "yesterday"), "a date that is not a date ('yesterday')"),
    (set_in((*ITEM, "pinned_until"), "2024-13-01T00:00:00"), "a date that is not a date"),
    (set_in((*ITEM, "pinned_until"), 1714550400), "a date that is not a date ('1714550400')"),
    (set_in(("panels", 1, "items", 0, "item_date"), "30/04/2024"), "a date that is not a date"),
    (set_in(("panels", 1, "items", 0, "item_date"), "2024-04-30T10:00:00"),
     "a date that is not a date"),
    (set_in(("panels", 1, "items", 0, "item_date"), "x" * 5000), "a date that is not a date"),
])
def test_a_damaged_version_fails_with_one_sentence(change: Any, names: str) -> None:
    with pytest.raises(SnapshotError) as caught:
        layout_from_json(damaged(change))
    message = str(caught.value)
    assert message.startswith(PREFIX)
    assert names in message
    assert message.endswith(".")
    assert len(message) < 200  # a long bad value is not repeated whole
    assert isinstance(caught.value, ValueError)


def test_nothing_of_a_damaged_version_is_half_restored() -> None:
    data = damaged(set_in(("panels", 3, "item_count"), "many"))  # the last panel is damaged
    with pytest.raises(SnapshotError, match="panel 4"):
        layout_from_json(data)


def test_a_naive_and_an_aware_moment_keep_their_kind() -> None:
    aware = datetime(2024, 5, 1, 12, tzinfo=UTC) + timedelta(microseconds=1)
    layout = Layout("L", "x", panels=(Panel("p", "k", "t", "main", "a0", items=(
        Item("i", "a0", pinned=True, pinned_from=datetime(2024, 5, 1), pinned_until=aware),)),))
    item = round_trip(layout).panels[0].items[0]
    assert item.pinned_from is not None and item.pinned_from.tzinfo is None
    assert item.pinned_until == aware and item.pinned_until.tzinfo is not None
