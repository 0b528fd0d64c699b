"""Reading and writing sengen/1 JSON with exact numbers.

``json`` cannot write a ``Decimal`` as a number, and going through ``float`` would round
figures with many digits; so figures are written from their decimal text and read back with
``parse_float=Decimal``. Output is deterministic (fixed key order, UTF-8, two-space indent,
trailing newline), which is what makes export → import → export byte-identical.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from sengen.core.figures import canonical
from sengen.interchange.models import Document

_MARK = "\x00sengen-number:"
_MARKED = re.compile(r'"\\u0000sengen-number:([-0-9.]+)"')


def number_text(value: Decimal) -> str:
    """Canonical text of a figure: no exponent, no trailing zeros, integers without a point."""
    return format(canonical(value), "f")


def _mark_numbers(obj: Any) -> Any:
    if isinstance(obj, Decimal):
        return _MARK + number_text(obj)
    if isinstance(obj, dict):
        return {key: _mark_numbers(value) for key, value in obj.items()}
    if isinstance(obj, list):
        return [_mark_numbers(item) for item in obj]
    return obj


def dumps(document: Document) -> str:
    return dumps_data(document.model_dump(mode="python"))


def dumps_data(data: Any) -> str:
    """Any JSON-able data whose figures are ``Decimal``, written exactly and deterministically."""
    text = json.dumps(_mark_numbers(data), ensure_ascii=False, indent=2)
    return _MARKED.sub(lambda m: m.group(1), text) + "\n"


def loads_raw(text: str) -> Any:
    """Parse JSON text keeping every non-integer number as an exact ``Decimal``."""
    return json.loads(text, parse_float=Decimal)


def schema() -> dict[str, Any]:
    """The JSON Schema of sengen/1, as shipped by ``sengen export --schema``."""
    result = Document.model_json_schema(mode="serialization")
    result["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    result["title"] = "sengen/1"
    return result
