"""Small builders for core tests: an office, units, directives and tasks made through the services."""

from __future__ import annotations

from datetime import date
from itertools import count

from ntm_desktop.services import settings, units
from ntm_desktop.services.directives import DirectiveInput, create_directive, next_arrival_number
from ntm_desktop.services.tasks import TaskInput, create_task

_codes = count(1)


def make_unit(session, name: str, level: str = "xa", **extra) -> str:
    return units.create_unit(session, code=f"U{next(_codes):04d}", name=name, level_code=level, **extra)


def make_office(session) -> str:
    office = make_unit(session, "Văn phòng Điều phối nông thôn mới huyện Hàm Yên", level="phong",
                       short_name="VPĐP NTM huyện")
    settings.put(session, settings.OFFICE_UNIT, office)
    return office


def directive_input(arrival: date, number: int, subject: str = "V/v triển khai xây dựng nông thôn mới",
                    issuer: str = "Ủy ban nhân dân tỉnh Tuyên Quang", **extra) -> DirectiveInput:
    values = dict(arrival_date=arrival, arrival_number=number, subject=subject, issuer_name=issuer)
    values.update(extra)
    return DirectiveInput(**values)


def make_directive(session, office: str, arrival: date, number: int | None = None, **extra) -> str:
    if number is None:
        number = next_arrival_number(session, office, arrival.year)
    return create_directive(session, office, directive_input(arrival, number, **extra))


def make_task(session, directive_id: str, lead: str, summary: str = "Rà soát tiêu chí nông thôn mới",
              **extra) -> str:
    return create_task(session, TaskInput(directive_id=directive_id, summary=summary, lead_unit_id=lead, **extra))
