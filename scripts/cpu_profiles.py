"""The CPU profiles under which the notebooks are tested: this machine's arithmetic and
other machines' arithmetic, imitated here.

numpy picks SIMD kernels (AVX-512, AVX2, SSE; on ARM, SVE or ASIMD) by the CPU it runs
on, and OpenBLAS picks its kernels the same way; the last bits of a result change with
them. Two environment variables make this machine compute as another would:

* ``NPY_DISABLE_CPU_FEATURES`` switches off numpy's highest dispatched kernels, so numpy
  falls back to the next level down (what an older CPU runs);
* ``OPENBLAS_CORETYPE`` makes OpenBLAS use another CPU family's kernels.

    python scripts/cpu_profiles.py           # print the profiles for this CPU, as JSON
    python scripts/cpu_profiles.py --check   # and prove each one changes what it claims

Run with the project's Python (it imports numpy and threadpoolctl).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys

THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")

_PROBE = """
import json, numpy, threadpoolctl
from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__
blas = [i for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"]
print(json.dumps({
    "numpy_kernels": [f for f in __cpu_dispatch__ if __cpu_features__.get(f)],
    "blas_core": blas[0].get("architecture") if blas else None,
    "blas_threads": blas[0]["num_threads"] if blas else None,
}))
"""


def probe(env: dict[str, str] | None = None) -> dict:
    """numpy's active kernels and OpenBLAS's core and threads, in a fresh interpreter."""
    full = {**os.environ, **(env or {})}
    out = subprocess.run(
        [sys.executable, "-c", _PROBE], env=full, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def _threads(n: int) -> dict[str, str]:
    return {var: str(n) for var in THREAD_VARS}


def _other_blas_core(native: str | None) -> str | None:
    machine = platform.machine().lower()
    if machine in ("x86_64", "amd64"):
        return "Sandybridge" if (native or "").lower() == "haswell" else "Haswell"
    if machine in ("aarch64", "arm64"):
        return "CORTEXA57" if (native or "").upper() == "ARMV8" else "ARMV8"
    return None


def profiles() -> list[dict]:
    """Each profile: a name, the environment it sets, and what it should change."""
    native = probe(_threads(1))
    found = [{"name": "this CPU, 1 BLAS thread", "env": _threads(1), "expect": {}}]
    kernels = native["numpy_kernels"]
    if kernels:
        # Keep only the lowest dispatched level: numpy then runs what an older CPU runs.
        disabled = kernels[1:] if len(kernels) > 1 else kernels
        found.append(
            {
                "name": f"numpy without {' '.join(disabled)}, 1 BLAS thread",
                "env": {**_threads(1), "NPY_DISABLE_CPU_FEATURES": " ".join(disabled)},
                "expect": {"numpy_kernels": [k for k in kernels if k not in disabled]},
            }
        )
    core = _other_blas_core(native["blas_core"])
    if core:
        found.append(
            {
                "name": f"OpenBLAS {core} kernels (not {native['blas_core']}), 1 BLAS thread",
                "env": {**_threads(1), "OPENBLAS_CORETYPE": core},
                "expect": {"blas_core": core},
            }
        )
    found.append(
        {"name": "this CPU, 2 BLAS threads", "env": _threads(2), "expect": {"blas_threads": 2}}
    )
    return found


def check(found: list[dict]) -> list[str]:
    """The profiles whose environment did not change what it should: empty when all did."""
    failures = []
    for prof in found:
        got = probe(prof["env"])
        for key, want in prof["expect"].items():
            value = got[key]
            if key == "blas_core":
                value, want = (value or "").lower(), want.lower()
            if value != want:
                failures.append(f"{prof['name']}: {key} is {got[key]!r}, expected {want!r}")
    return failures


if __name__ == "__main__":
    found = profiles()
    if "--check" in sys.argv:
        failures = check(found)
        if failures:
            sys.exit("CPU profiles not in effect:\n" + "\n".join(failures))
    print(json.dumps(found, indent=1))
