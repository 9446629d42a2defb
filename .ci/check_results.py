"""Fail CI when the PostgreSQL or browser tests were skipped or absent, in any run's file."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET


def main(paths: list[str]) -> int:
    cases = [case for path in paths for case in ET.parse(path).getroot().iter("testcase")]
    ran = {"postgres": 0, "browser": 0}
    skipped = {"postgres": 0, "browser": 0}
    for case in cases:
        name = case.get("name", "")
        module = case.get("classname", "")
        kinds = []
        if "[postgres" in name or "postgres]" in name or "-postgres" in name:
            kinds.append("postgres")
        if ".web." in f".{module}." or "tests.web" in module:
            kinds.append("browser")
        was_skipped = case.find("skipped") is not None
        for kind in kinds:
            (skipped if was_skipped else ran)[kind] += 1
    print(f"postgres tests run: {ran['postgres']}, skipped: {skipped['postgres']}")
    print(f"browser tests run: {ran['browser']}, skipped: {skipped['browser']}")
    failed = False
    for kind in ("postgres", "browser"):
        if ran[kind] == 0 or skipped[kind] > 0:
            print(f"FATAL: {kind} tests did not all run", file=sys.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
