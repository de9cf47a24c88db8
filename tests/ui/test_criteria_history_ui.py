"""Hồ sơ xã: the results of the old communes a commune of the catalogue was made of, in its history."""

from __future__ import annotations

from pathlib import Path

from ntm_desktop.catalogue import OfficeChoice, set_up_office, unit_id
from ntm_desktop.services import units
from ntm_desktop.services.criteria import catalogue as criteria_sets
from ntm_desktop.services.criteria.assessments import set_status
from ntm_desktop.services.criteria.statuses import DAT
from ntm_desktop.ui.criteria.profile_dialog import ProfileDialog
from screenshots import SHOTS


def test_the_history_shows_the_old_communes_results(qtbot, workspace):
    with workspace.db.transaction() as s:
        criteria_sets.install_shipped_sets(s)
        set_up_office(s, OfficeChoice("vpdp", "01"))
        cong_vi = units.create_unit(s, code="HN-CONGVI", name="Ủy ban nhân dân phường Cống Vị", level_code="phuong",
                                    parent_id=unit_id("01"))  # typed by hand before the reform, never linked
        for code in ("1", "2", "3"):
            set_status(s, cong_vi, 2024, code, DAT)
    dialog = ProfileDialog(workspace, unit_id("00025"), 2025)  # Phường Giảng Võ got a part of Cống Vị
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.history.text() == "2024: Ủy ban nhân dân phường Cống Vị đạt 3/19 (một phần, nay thuộc đơn vị này)"
    dialog.grab().save(str(SHOTS / "criteria_history_former.png"))
