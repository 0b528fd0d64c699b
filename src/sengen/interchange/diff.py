"""What changed between two versions of a declaration, as readable paths.

Paths name items by their natural keys, so a change reads the way a department would say it::

    indicators[17-101 くらし安心メール登録者数].observations[2019 estimate].value: 13217 → 13300
    policies[3].title: … → …
    sections[市民協働課].units[交通防犯対策担当]: None → 交通防犯対策担当

Keys: indicators by "project-number indicator-name", observations by "year kind", targets by year,
policies by number, sections by name, owners by "section unit", a section's units by name.
Lists without a key (message, roles, notes) are compared by 1-based position. An added item is a
change with ``old=None``, a removed one has ``new=None``; when the items are the same but their
published order differs, the change is ``<path>.order`` with the lists of keys. Comparing with no
previous declaration gives a single change with the empty path (the whole declaration was added).

Pure Python: no Django, no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sengen.interchange.models import (
    Declaration,
    Indicator,
    Observation,
    Owner,
    Policy,
    Record,
    Section,
    SelfEvaluation,
    Target,
)


@dataclass(frozen=True)
class Change:
    path: str
    old: object
    new: object


def _owner_key(owner: Owner) -> str:
    return f"{owner.section} {owner.unit}" if owner.unit else owner.section


_KEYS: dict[type, Callable[[Any], str]] = {
    Indicator: lambda item: f"{item.project.number} {item.name}",
    Observation: lambda item: f"{item.fiscal_year} {item.kind}",
    Target: lambda item: str(item.fiscal_year),
    Policy: lambda item: str(item.number),
    Section: lambda item: item.name,
    Owner: _owner_key,
    SelfEvaluation: lambda item: item.stage,
}

# Lists of plain strings whose items are themselves keys (rather than numbered paragraphs).
_KEYED_STRINGS = {"units"}


def diff_declarations(old: Declaration | None, new: Declaration) -> list[Change]:
    """Every difference from ``old`` to ``new``, in the order of the record's fields."""
    if old is None:
        return [Change("", None, new)]
    changes: list[Change] = []
    _diff_record(old, new, "", changes)
    return changes


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _diff_record(old: Record, new: Record, path: str, out: list[Change]) -> None:
    for name in type(new).model_fields:
        _diff_value(getattr(old, name), getattr(new, name), _join(path, name), name, out)


def _diff_value(old: Any, new: Any, path: str, name: str, out: list[Change]) -> None:
    if old == new:
        return
    if isinstance(old, Record) and isinstance(new, Record) and type(old) is type(new):
        _diff_record(old, new, path, out)
    elif isinstance(old, list) and isinstance(new, list):
        _diff_list(old, new, path, name, out)
    else:
        out.append(Change(path, old, new))


def _keys(items: Sequence[Any], key: Callable[[Any], str]) -> list[str]:
    """Keys of the items; a repeated key gets a ``#n`` suffix so no item is lost."""
    seen: dict[str, int] = {}
    result = []
    for item in items:
        k = key(item)
        seen[k] = seen.get(k, 0) + 1
        result.append(k if seen[k] == 1 else f"{k}#{seen[k]}")
    return result


def _key_function(items: Sequence[Any], name: str) -> Callable[[Any], str] | None:
    sample = items[0]
    if isinstance(sample, Record):
        return _KEYS.get(type(sample))
    if isinstance(sample, str) and name in _KEYED_STRINGS:
        return str
    return None


def _diff_list(old: list[Any], new: list[Any], path: str, name: str, out: list[Change]) -> None:
    key = _key_function(old or new, name)
    if key is None:
        for index in range(max(len(old), len(new))):
            before = old[index] if index < len(old) else None
            after = new[index] if index < len(new) else None
            _diff_value(before, after, f"{path}[{index + 1}]", name, out)
        return
    old_keys, new_keys = _keys(old, key), _keys(new, key)
    old_items = dict(zip(old_keys, old, strict=True))
    new_items = dict(zip(new_keys, new, strict=True))
    for k in old_keys:
        if k not in new_items:
            out.append(Change(f"{path}[{k}]", old_items[k], None))
    for k in new_keys:
        if k not in old_items:
            out.append(Change(f"{path}[{k}]", None, new_items[k]))
        else:
            _diff_value(old_items[k], new_items[k], f"{path}[{k}]", name, out)
    common_old = [k for k in old_keys if k in new_items]
    common_new = [k for k in new_keys if k in old_items]
    if common_old != common_new:
        out.append(Change(f"{path}.order", common_old, common_new))
