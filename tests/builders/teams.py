"""A team the demo world does not have: 西苑物业, for the 西苑宿舍 compound nobody covers yet."""

from __future__ import annotations

from typing import Any

XIYUAN_PROPERTY: dict[str, Any] = {
    "code": "xiyuan-property",
    "name": "西苑物业",
    "kind": "property",
    "compounds": ["xiyuan-dorms"],
}
