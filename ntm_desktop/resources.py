"""Where the shipped resources (fonts, demo data, icons, translations) are."""

from __future__ import annotations

import sys
from pathlib import Path


def resource_dir() -> Path:
    bundled = getattr(sys, "_MEIPASS", None)  # a PyInstaller build
    if bundled:
        return Path(bundled) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resource_dir().joinpath(*parts)
