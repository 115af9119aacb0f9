"""Walking successor chains: one walk per direction, used by provinces, agencies, the plan copy
and the dashboards' province roll-up."""

from types import SimpleNamespace

from core.succession import last_successor, with_predecessors


def _chain(*links: tuple[int, int | None]) -> dict[int, SimpleNamespace]:
    """Rows with `pk`, `successor_id` and a `successor` attribute, like model instances."""
    rows = {pk: SimpleNamespace(pk=pk, successor_id=successor) for pk, successor in links}
    for row in rows.values():
        row.successor = rows.get(row.successor_id)
    return rows


def test_last_successor_follows_the_chain_to_its_end():
    rows = _chain((1, 2), (2, 3), (3, None))
    assert last_successor(rows[1]) is rows[3]
    assert last_successor(rows[3]) is rows[3]


def test_last_successor_walks_a_look_up_instead_of_the_foreign_key():
    rows = _chain((1, 2), (2, 3), (3, None))
    for row in rows.values():
        row.successor = None  # not fetched: only the look-up may be used
    assert last_successor(rows[1], successor_of=lambda row: rows[row.successor_id]) is rows[3]


def test_a_chain_that_loops_stops_where_it_would_repeat():
    rows = _chain((1, 2), (2, 1))
    assert last_successor(rows[1]) is rows[1]


def test_with_predecessors_finds_every_generation_before():
    links = {3: [2], 2: [1], 5: [4]}
    assert with_predecessors(links, [3]) == {1, 2, 3}
    assert with_predecessors(links, [5, 9]) == {4, 5, 9}
