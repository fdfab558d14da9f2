"""Render every explorable's default state to a PNG, for print and the PDF.

    python scripts/explorable_pngs.py           # (re)write chapters/figures/explorable_*.png
    python scripts/explorable_pngs.py --check   # exit 1 if a PNG is missing or stale

Each PNG is drawn from the explorable's own Vega-Lite spec by vl-convert (Vega in Rust,
no browser), so it is exactly the view the site opens on. chapters/figures/explorables.json
records the hash of the spec each PNG was drawn from; a changed spec makes it stale.
"""

from __future__ import annotations

import json
import sys

import vl_convert

from optlib.explore import ALL
from optlib.explore._embed import FIGURES

INDEX = FIGURES / "explorables.json"


def main() -> None:
    recorded = json.loads(INDEX.read_text()) if INDEX.exists() else {}
    explorables = [make() for make in ALL.values()]
    stale = [e.name for e in explorables if recorded.get(e.name) != e.spec_hash()]
    stale += [e.name for e in explorables if not e.png_path().exists() and e.name not in stale]
    if "--check" in sys.argv:
        if stale:
            sys.exit(f"stale explorable PNGs (run scripts/explorable_pngs.py): {stale}")
        return
    FIGURES.mkdir(parents=True, exist_ok=True)
    for explorable in explorables:
        png = vl_convert.vegalite_to_png(explorable.spec_json(), scale=1.0)
        explorable.png_path().write_bytes(png)
        recorded[explorable.name] = explorable.spec_hash()
        print(f"wrote {explorable.png_path().name} ({len(png) // 1024} kB)")
    INDEX.write_text(json.dumps(dict(sorted(recorded.items())), indent=1) + "\n")


if __name__ == "__main__":
    main()
