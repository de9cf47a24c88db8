#!/usr/bin/env bash
# Prove the Windows build on Linux: freeze with PyInstaller, run the frozen selfcheck offscreen,
# compile the NSIS installer against the frozen folder; print sizes and the cold start time.
# Usage: installer/freeze_and_check.sh        (from anywhere; uses .venv when present)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
[ -x "$PY" ] || PY=python3
OUT="$ROOT/build/installer"
DIST="$OUT/dist"
VERSION="$("$PY" -c 'import tomllib;print(tomllib.load(open("pyproject.toml","rb"))["project"]["version"])')"

step() { printf '\n== %s\n' "$*"; }

step "OCR model"
# The Vietnamese model for OCR of scans (Apache-2.0): the same pinned, SHA-256-checked model as the Windows build,
# into build/tessdata (the spec ships it from there); without npm, the build machine's own tessdata.
if ! "$PY" installer/fetch_ocr_model.py --out "$ROOT/build/tessdata"; then
  if ! "$PY" -c 'from ntm_desktop.intake.ocr import _tessdata; raise SystemExit(_tessdata() is None)' 2>/dev/null; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
      (apt-get update -qq && apt-get install -y -qq tesseract-ocr-vie) >/dev/null || echo "tesseract-ocr-vie not installed"
    fi
  fi
fi

step "PyInstaller"
"$PY" -m PyInstaller --version >/dev/null 2>&1 || "$PY" -m pip install --quiet "pyinstaller>=6.10"
t0=$(date +%s)
"$PY" -m PyInstaller --noconfirm --log-level WARN --distpath "$DIST" --workpath "$OUT/work" installer/ntm-desktop.spec
echo "frozen in $(( $(date +%s) - t0 )) s"
APP="$DIST/ntm-desktop"
CLI="$APP/ntm-desktop-cli"
[ -x "$CLI" ] || CLI="$APP/ntm-desktop-cli.exe"

step "Frozen selfcheck (cold start)"
export QT_QPA_PLATFORM=offscreen
sync
[ -w /proc/sys/vm/drop_caches ] && echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
t0=$(date +%s.%N)
"$CLI" selfcheck --window-only
t1=$(date +%s.%N)
"$CLI" selfcheck --keep "$OUT/selfcheck"
t2=$(date +%s.%N)
"$CLI" selfcheck --window-only >/dev/null
t3=$(date +%s.%N)
COLD=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}')
WARM=$(awk -v a="$t2" -v b="$t3" 'BEGIN{printf "%.2f", b-a}')
SELFCHECK=$(awk -v a="$t1" -v b="$t2" 'BEGIN{printf "%.2f", b-a}')

step "NSIS"
if ! command -v makensis >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && apt-get install -y -qq nsis) >/dev/null
  else
    echo "makensis missing: install the nsis package" >&2; exit 1
  fi
fi
makensis -V2 -INPUTCHARSET UTF8 -DVERSION="$VERSION" -DSOURCE_DIR="$APP" -DOUT_FILE="$OUT/ntm-desktop-$VERSION-setup.exe" \
  installer/ntm-desktop.nsi

step "Figures"
echo "frozen folder:   $(du -sh "$APP" | cut -f1) ($(find "$APP" -type f | wc -l) files)"
echo "installer:       $(du -h "$OUT/ntm-desktop-$VERSION-setup.exe" | cut -f1)"
echo "cold start:      ${COLD} s (process start to main window rendered on a fresh database; page cache dropped when allowed)"
echo "warm start:      ${WARM} s (the same, run again)"
echo "frozen selfcheck: ${SELFCHECK} s (database, backup, PDF, PDFium, OCR, main window)"
echo "OK"
