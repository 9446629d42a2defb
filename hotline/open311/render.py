"""GeoReport v2 documents in JSON or XML, and its error format, from plain dicts and lists."""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree

from fastapi import Response

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# In XML a list is an element of elements: <attributes><attribute>...</attribute></attributes>
LIST_ITEMS = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


class Open311Error(Exception):
    """Answered as `[{"code": 400, "description": ...}]` or `<errors><error>...`."""

    def __init__(self, status: int, description: str, fmt: str = "json") -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.fmt = fmt if fmt in FORMATS else "json"


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(parent: ElementTree.Element, key: str, value: Any) -> None:
    node = ElementTree.SubElement(parent, key)
    if isinstance(value, dict):
        for k, v in value.items():
            _fill(node, k, v)
    elif isinstance(value, list):
        child = LIST_ITEMS.get(key, "item")
        for item in value:
            _fill(node, child, item)
    else:
        node.text = _text(value)


def to_xml(root: str, item: str | None, document: Any) -> bytes:
    top = ElementTree.Element(root)
    if item is None:
        for key, value in document.items():
            _fill(top, key, value)
    else:
        for entry in document:
            node = ElementTree.SubElement(top, item)
            for key, value in entry.items():
                _fill(node, key, value)
    body: bytes = ElementTree.tostring(top, encoding="utf-8", xml_declaration=True)
    return body


def render(fmt: str, document: Any, *, root: str, item: str | None, status: int = 200) -> Response:
    if fmt == "xml":
        body = to_xml(root, item, document)
    else:
        body = json.dumps(document, ensure_ascii=False).encode()
    return Response(content=body, status_code=status, media_type=FORMATS[fmt])


def render_error(error: Open311Error) -> Response:
    errors = [{"code": error.status, "description": error.description}]
    return render(error.fmt, errors, root="errors", item="error", status=error.status)
