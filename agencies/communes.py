"""Finding the commune a written address means (issue 15): 'xã Lộc Thái, huyện Lộc Ninh, tỉnh
Bình Phước' written before 1 July 2025, or 'xã Lộc Ninh, tỉnh Đồng Nai' after, both land on
today's commune. Nothing is guessed: a split old commune or a name found in several districts
comes back with its candidates for a person to choose."""

import dataclasses
import enum
from collections import defaultdict

from django.db.models import Prefetch

from .models import Commune, CommuneName, CommuneSuccession, Province
from .querysets import commune_key, district_key, words_of


class Outcome(enum.StrEnum):
    FOUND = "found"  # one current commune
    SPLIT = "split"  # an old commune divided between several current ones
    AMBIGUOUS = "ambiguous"  # the name fits units that lead to different current communes
    NOT_FOUND = "not_found"


@dataclasses.dataclass(frozen=True)
class CommuneMatch:
    outcome: Outcome
    commune: Commune | None = None  # today's commune, when there is exactly one
    candidates: tuple[Commune, ...] = ()  # today's communes to choose from otherwise
    matched: tuple[Commune, ...] = ()  # the units whose name matched, old or new

    @property
    def found(self) -> bool:
        return self.outcome == Outcome.FOUND


def find_commune(name: str, province: Province, district: str = "") -> CommuneMatch:
    """Today's commune for a commune `name` written in `province` (old or new), with the old
    `district` when the address gives one. Written with a district, the address is read under
    the old units first; without one, under today's units first, then the old ones. For many
    names of one province, `CommuneIndex` answers the same without a query per name."""
    units = list(
        Commune.objects.in_province(province)
        .matching_name(name)
        .prefetch_related(
            Prefetch("successions", queryset=CommuneSuccession.objects.select_related("successor")),
            "former_names",
        )
    )
    links = _Links(
        {u.pk: [(link.successor, link.partial) for link in u.successions.all()] for u in units},
        {u.pk: {former.kind for former in u.former_names.all()} for u in units},
    )
    return _match(units, name, district, links)


@dataclasses.dataclass(frozen=True)
class _Links:
    successors: dict[int, list[tuple[Commune, bool]]]  # old unit → (today's commune, partial)
    former_kinds: dict[int, set[str]]  # unit → kinds it had before (CommuneName)


class CommuneIndex:
    """Every commune, old and new, of one province (its current unit and every unit rolling up
    into it) with their successions and former names, loaded once (three queries, plain
    rows) and looked up by name in memory: an import naming thousands of communes asks the
    database once per province, not once per commune."""

    def __init__(self, province: Province):
        communes = Commune.objects.in_province(province)
        units = list(communes.only(*_FIELDS))
        self.current_by_code = {u.code: u for u in units if u.is_current}
        by_id = {u.pk: u for u in units}
        self.by_key: dict[str, list[Commune]] = defaultdict(list)
        for unit in units:
            self.by_key[unit.search_key].append(unit)
        successors: dict[int, list[tuple[Commune, bool]]] = defaultdict(list)
        old = CommuneSuccession.objects.filter(predecessor__in=communes.former().values("pk"))
        for before, after, partial in old.values_list("predecessor", "successor", "partial"):
            successors[before].append((by_id[after], partial))
        kinds: dict[int, set[str]] = defaultdict(set)
        formerly = CommuneName.objects.filter(commune__in=communes.values("pk"))
        for unit_id, key, kind in formerly.values_list("commune", "search_key", "kind"):
            kinds[unit_id].add(kind)
            if key != by_id[unit_id].search_key:
                self.by_key[key].append(by_id[unit_id])
        self._links = _Links(successors, kinds)

    def find(self, name: str, district: str = "") -> CommuneMatch:
        """`find_commune(name, province, district)`, from memory."""
        return _match(self.by_key.get(commune_key(name), []), name, district, self._links)


class CommuneIndexes:
    """A `CommuneIndex` per current unit, each built the first time a province of it is asked
    for: Bình Phước's records and Đồng Nai's share Đồng Nai's, so a list or a file naming
    communes of a few provinces costs a few queries per province, whatever its length."""

    def __init__(self):
        self._by_province: dict[int, CommuneIndex] = {}

    def of(self, province: Province) -> CommuneIndex:
        """The index of `province`'s current unit (with `successor` selected, no query to
        find it)."""
        if province.pk not in self._by_province:
            unit = province.current_unit()
            if unit.pk not in self._by_province:
                self._by_province[unit.pk] = CommuneIndex(unit)
            self._by_province[province.pk] = self._by_province[unit.pk]
        return self._by_province[province.pk]


_FIELDS = ("code", "name", "kind", "district", "district_key", "search_key", "valid_to")


def _match(units: list[Commune], name: str, district: str, links: _Links) -> CommuneMatch:
    kind = written_kind(name)

    def was_of_kind(unit: Commune) -> bool:
        return unit.kind == kind or kind in links.former_kinds.get(unit.pk, ())

    if kind and any(was_of_kind(u) for u in units):
        # 'Thị trấn Lộc Ninh' is not 'xã Lộc Ninh' of the same district; but 'xã Lộc Ninh'
        # written before 30/4/2026 is today's phường Lộc Ninh.
        units = [u for u in units if was_of_kind(u)]
    if not units:
        return CommuneMatch(Outcome.NOT_FOUND)
    current = [u for u in units if u.is_current]
    old = [u for u in units if not u.is_current]
    if district:
        key = district_key(district)
        in_district = [u for u in old if u.district_key == key]
        order = (in_district, current) if in_district else (current, old)
    else:
        order = (current, old)
    for matched in order:
        if matched:
            return _resolve(matched, links)
    return CommuneMatch(Outcome.NOT_FOUND)


_WRITTEN_KINDS = {
    "xa": Commune.Kind.COMMUNE,
    "phuong": Commune.Kind.WARD,
    "p": Commune.Kind.WARD,
    "thi tran": Commune.Kind.TOWNSHIP,
    "tt": Commune.Kind.TOWNSHIP,
    "dac khu": Commune.Kind.SPECIAL_ZONE,
}


def written_kind(name: str) -> str:
    """The kind a written name starts with ('TT. Lộc Ninh' → thị trấn), or ''."""
    words = words_of(name)
    for prefix, kind in _WRITTEN_KINDS.items():
        if words.startswith(prefix + " "):
            return kind
    return ""


def _resolve(matched: list[Commune], links: _Links) -> CommuneMatch:
    today: dict[int, Commune] = {}
    split = False
    for unit in matched:
        if unit.is_current:
            today[unit.pk] = unit
            continue
        for successor, partial in links.successors.get(unit.pk, ()):
            today[successor.pk] = successor
            split = split or partial
    candidates = tuple(sorted(today.values(), key=lambda c: c.code))
    if len(candidates) == 1:
        return CommuneMatch(Outcome.FOUND, candidates[0], candidates, tuple(matched))
    outcome = Outcome.SPLIT if split and len(matched) == 1 else Outcome.AMBIGUOUS
    return CommuneMatch(outcome, None, candidates, tuple(matched))
