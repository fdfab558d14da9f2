"""Vendor Vega, Vega-Lite and vega-embed into _vendor/vega (served as _static/vega).

    python scripts/vendor_vega.py        # needs npm; re-run only to change the versions

The explorables (optlib.explore) are Vega-Lite specs drawn in the page. The site must work
offline, so the three libraries come from the build, at the versions pinned here, which are
the ones Altair's spec version asks for (altair.VEGALITE_VERSION). Only the minified UMD
bundles and the licences are kept: about 0.8 MB.
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "_vendor" / "vega"
#: npm package and version -> the bundle it provides (loaded in this order).
PACKAGES = {
    "vega": ("6.2.0", "build/vega.min.js"),  # 6.3.0's bundle reports version 5.33.1
    "vega-lite": ("6.4.1", "build/vega-lite.min.js"),
    "vega-embed": ("7.3.0", "build/vega-embed.min.js"),
}


def main() -> None:
    shutil.rmtree(TARGET, ignore_errors=True)
    TARGET.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, (version, bundle) in PACKAGES.items():
            subprocess.run(
                ["npm", "pack", f"{name}@{version}", "--silent"],
                cwd=tmp,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            with tarfile.open(Path(tmp) / f"{name}-{version}.tgz") as tar:
                for member, out in ((bundle, Path(bundle).name), ("LICENSE", f"{name}.LICENSE")):
                    data = tar.extractfile(f"package/{member}").read()
                    (TARGET / out).write_bytes(data)
    versions = "\n".join(f"{name}@{version}" for name, (version, _) in PACKAGES.items())
    (TARGET / "VERSIONS").write_text(versions + "\n")
    print(f"vendored into {TARGET.relative_to(ROOT)}:\n{versions}")


if __name__ == "__main__":
    main()
