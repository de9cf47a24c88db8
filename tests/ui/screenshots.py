"""Where UI tests save the pictures of the windows they drive, to be looked at: build/screenshots (not committed)."""

from __future__ import annotations

from pathlib import Path

SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
SHOTS.mkdir(parents=True, exist_ok=True)
