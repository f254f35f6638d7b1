"""Writes src/quyche/schemas/<kind>.json from the pydantic models (run after changing a model).

.venv/bin/python scripts/make_schemas.py          # write
.venv/bin/python scripts/make_schemas.py --check  # exit 1 when a shipped file is out of date
"""

from __future__ import annotations

import sys

from quyche.json_schema import KINDS, SCHEMAS, dumps, schema_for


def main() -> int:
    check = "--check" in sys.argv[1:]
    stale = []
    for kind in KINDS:
        text = dumps(schema_for(kind))
        path = SCHEMAS / f"{kind}.json"
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path.name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print("lược đồ cũ, chạy lại scripts/make_schemas.py: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
