"""Helpers for the criteria tests: a province with communes and a set's criteria codes."""

from __future__ import annotations

from ntm_desktop.services import units
from ntm_desktop.services.criteria import catalogue


def province_with_communes(session, names: list[str]) -> tuple[str, list[str]]:
    catalogue.install_shipped_sets(session)
    province = units.create_unit(session, code="T-LC", name="Ủy ban nhân dân tỉnh Lào Cai", level_code="tinh")
    communes = [
        units.create_unit(session, code=f"T-X{n}", name=name, level_code="xa", parent_id=province)
        for n, name in enumerate(names)
    ]
    return province, communes
