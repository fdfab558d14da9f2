"""Vendor the part of MathJax 3 the site needs into _vendor/mathjax (served as _static/mathjax).

    python scripts/vendor_mathjax.py        # needs npm; re-run only to change the version

The site must render offline, so MathJax comes from the build rather than a CDN. The npm
package is 24 MB; the book needs only the TeX-to-CommonHTML bundle, its web fonts and the
TeX extensions that the bundle's autoloader may fetch (e.g. ``\\boldsymbol``, ``\\cancel``):
about 2 MB. ``_config.yml`` adds ``_vendor`` to ``html_static_path`` and sets
``mathjax_path: mathjax/tex-chtml.js``.
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

VERSION = "3.2.2"
ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "_vendor" / "mathjax"
#: Paths inside the package's es5/ folder (a folder means everything under it).
KEEP = ("tex-chtml.js", "output/chtml/fonts/woff-v2", "input/tex/extensions")
#: all-packages.js duplicates every extension in one file; the autoloader never asks for it.
DROP = ("input/tex/extensions/all-packages.js",)


def wanted(rel: str) -> bool:
    return rel not in DROP and any(rel == k or rel.startswith(k + "/") for k in KEEP)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["npm", "pack", f"mathjax@{VERSION}", "--silent"],
            cwd=tmp,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        (tarball,) = Path(tmp).glob("mathjax-*.tgz")
        shutil.rmtree(TARGET, ignore_errors=True)
        with tarfile.open(tarball) as tar:
            for member in tar.getmembers():
                name = member.name.removeprefix("package/")
                if name == "LICENSE":
                    rel = "LICENSE"
                elif name.startswith("es5/") and wanted(name.removeprefix("es5/")):
                    rel = name.removeprefix("es5/")
                else:
                    continue
                if not member.isfile():
                    continue
                out = TARGET / rel
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(tar.extractfile(member).read())
    (TARGET / "VERSION").write_text(
        f"mathjax@{VERSION} from npm (es5/), a subset; see scripts/vendor_mathjax.py\n"
    )
    size = sum(p.stat().st_size for p in TARGET.rglob("*") if p.is_file())
    print(f"vendored mathjax@{VERSION} into {TARGET.relative_to(ROOT)}: {size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
