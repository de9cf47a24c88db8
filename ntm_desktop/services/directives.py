"""Registering directives: arrival numbering, duplicate warning, validation, tombstones."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from datetime import date
from difflib import SequenceMatcher

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ntm_desktop.errors import ValidationError
from ntm_desktop.models import DOC_TYPES, Directive, Secrecy, Task, Unit, Urgency
from ntm_desktop.parsing.units import canonical
from ntm_desktop.services import access, arrival_numbers, concurrency
from ntm_desktop.services.field_limits import INT_MAX, check_fields
from ntm_desktop.text import fold, nfc

# Two subjects from the same issuer at least this alike (difflib ratio on the folded,
# abbreviation-expanded text, the same numbers in both) are the same letter.
SUBJECT_SIMILARITY = 0.85


@dataclass(frozen=True)
class DirectiveInput:
    """What the register form holds. `arrival_number` None on a new directive: the register's next number,
    taken when it is saved (services.arrival_numbers)."""

    arrival_date: date | None
    arrival_number: int | None
    subject: str
    issuer_unit_id: str | None = None
    issuer_name: str = ""
    number_symbol: str = ""
    doc_date: date | None = None
    doc_type: str = "CV"
    signer: str = ""
    urgency: str = Urgency.NONE.value
    secrecy: str = Secrecy.NONE.value
    recipients: str = ""
    transfer_date: date | None = None
    notes: str = ""
    full_text: str = ""


@dataclass(frozen=True)
class DuplicateHint:
    id: str
    arrival_year: int
    arrival_number: int
    arrival_date: date
    number_symbol: str
    issuer_name: str
    subject: str
    same_number: bool = True  # False: found by its subject (a copy without a number)


def input_from(directive: Directive) -> DirectiveInput:
    return DirectiveInput(**{f.name: getattr(directive, f.name) for f in fields(DirectiveInput)})


def next_arrival_number(session: Session, office_unit_id: str, year: int) -> int:
    """Next number in this office's running sequence for the year (tombstoned numbers stay used): what the
    form proposes; the number a new directive gets is taken when it is saved."""
    return arrival_numbers.highest(session, office_unit_id, year) + 1


def _issuer_key(session: Session, data: DirectiveInput) -> str:
    """The issuer compared on its expanded form: "UBND tỉnh Lào Cai" is "Ủy ban nhân dân tỉnh Lào Cai"."""
    if data.issuer_unit_id:
        unit = session.get(Unit, data.issuer_unit_id)
        if unit is not None:
            return canonical(unit.name)
    return canonical(data.issuer_name)


def _unnumbered(number: str) -> bool:
    """"/UBND-KT", "-TB/TU" or nothing: a draft or copy whose number was left blank."""
    return not number or not number[0].isdigit()


def _symbol(number: str) -> str:
    """What follows the number: "5973/ubnd-kt" and "/ubnd-kt" -> "ubnd-kt"."""
    return re.sub(r"^\d*[/-]?", "", number)


def subject_key(subject: str | None) -> str:
    """Folded, abbreviation-expanded subject without "V/v", "Về việc" or punctuation."""
    key = re.sub(r"[^\w ]+", " ", canonical(subject))
    key = " ".join(key.split())
    return re.sub(r"^(?:v v|ve viec)\s+", "", key)


def similar_subjects(first: str | None, second: str | None) -> bool:
    """The same letter's subject, written twice: alike enough and naming the same numbers (years, decisions)."""
    a, b = subject_key(first), subject_key(second)
    if not a or not b or sorted(re.findall(r"\d+", a)) != sorted(re.findall(r"\d+", b)):
        return False
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= SUBJECT_SIMILARITY


def _hint(other: Directive, same_number: bool) -> DuplicateHint:
    return DuplicateHint(
        id=other.id, arrival_year=other.arrival_year, arrival_number=other.arrival_number,
        arrival_date=other.arrival_date, number_symbol=other.number_symbol,
        issuer_name=other.issuer_name, subject=other.subject, same_number=same_number,
    )


def find_duplicates(
    session: Session, office_unit_id: str, data: DirectiveInput, exclude_id: str | None = None
) -> list[DuplicateHint]:
    """Directives already registered that are likely the same letter.

    Same number/symbol from the same issuer, the issuer compared after expanding
    its abbreviations ("UBND", "Uỷ"/"Ủy", case, diacritics); and a copy without a
    number ("Số: /UBND-KT") from the same issuer with nearly the same subject.
    """
    number = fold(data.number_symbol).replace(" ", "")
    issuer = _issuer_key(session, data)
    alive = (Directive.office_unit_id == office_unit_id, Directive.deleted.is_(False))
    hints: list[DuplicateHint] = []
    if not _unnumbered(number):
        query = select(Directive).where(*alive, func.replace(Directive.number_folded, " ", "") == number)
        for other in session.scalars(query):
            if other.id != exclude_id and (not issuer or canonical(other.issuer_name) == issuer):
                hints.append(_hint(other, True))
    if not issuer or not subject_key(data.subject):
        return hints
    names = [n for n in session.scalars(select(Directive.issuer_name).where(*alive).distinct())
             if canonical(n) == issuer]
    same_issuer = [Directive.issuer_name.in_(names)]
    if data.issuer_unit_id:
        same_issuer.append(Directive.issuer_unit_id == data.issuer_unit_id)
    symbol = _symbol(number)
    seen = {h.id for h in hints} | {exclude_id}
    for other in session.scalars(select(Directive).where(*alive, or_(*same_issuer))):
        theirs = fold(other.number_symbol).replace(" ", "")
        if other.id in seen or not (_unnumbered(number) or _unnumbered(theirs)):
            continue  # two numbered letters differ by their numbers
        if symbol and _symbol(theirs) and _symbol(theirs) != symbol:
            continue
        if similar_subjects(data.subject, other.subject):
            hints.append(_hint(other, False))
    return hints


# Texts of the form, as stored: the form's field each one is shown in.
_TEXT_FIELDS = {"subject": "subject", "issuer_name": "issuer", "number_symbol": "number_symbol",
                "signer": "signer", "recipients": "recipients", "notes": "notes", "full_text": "full_text"}


def require_register(session: Session, office_unit_id: str | None) -> Unit:
    """The register a directive is entered in: this office's own (the same rule as sync: a register holds only
    its office's directives, and every directive has an owner)."""
    from ntm_desktop.services import settings

    office = session.get(Unit, office_unit_id) if office_unit_id else None
    if office is None:
        raise ValidationError("Chưa chọn cơ quan đang dùng phần mềm, nên chưa biết vào sổ văn bản đến của đơn vị "
                              "nào. Hãy hoàn tất bước khởi động lần đầu.", "office")
    here = settings.office_unit_id(session)
    if here and office.id != here:
        own = session.get(Unit, here)
        raise ValidationError(
            f"Sổ văn bản đến trên máy này là sổ của {own.name if own else 'đơn vị đang dùng phần mềm'}; không vào "
            f"sổ thay cho {office.name}. Mỗi đơn vị chỉ vào sổ văn bản đến của chính mình.", "office")
    return office


def require_owned(session: Session, directive: Directive) -> None:
    """A directive is changed only by the office that owns it (or one above it), as sync accepts it."""
    from ntm_desktop.services.units import within_office

    if not within_office(session, directive.owner_unit_id):
        owner = session.get(Unit, directive.owner_unit_id) if directive.owner_unit_id else None
        raise ValidationError(
            f"Văn bản này thuộc sổ văn bản đến của {owner.name if owner else 'một đơn vị khác'}, nên chỉ đơn vị đó "
            "sửa hoặc xóa được. Ý kiến của đơn vị mình hãy ghi ở tiến độ nhiệm vụ.", "office")


def check_secrecy(secrecy: str) -> None:
    """A secret document (Mật, Tối mật, Tuyệt mật) is refused: it goes in the office's separate register of secret
    documents, which this software does not keep."""
    if secrecy not in {s.value for s in Secrecy}:
        raise ValidationError("Độ mật không hợp lệ.", "secrecy")
    if secrecy != Secrecy.NONE.value:
        raise ValidationError(
            "Văn bản mật phải vào sổ đăng ký văn bản mật riêng theo quy định; "
            "NTM Desktop không lưu văn bản mật.", "secrecy"
        )


def _validate(session: Session, office_unit_id: str, data: DirectiveInput, directive_id: str | None) -> DirectiveInput:
    if data.arrival_date is None:
        raise ValidationError("Hãy nhập ngày đến.", "arrival_date")
    subject = nfc(data.subject) or ""
    if not subject:
        raise ValidationError("Trích yếu nội dung không được để trống.", "subject")
    texts = {name: nfc(getattr(data, name)) or "" for name in _TEXT_FIELDS}
    texts["subject"] = subject
    check_fields(Directive, {**texts, "arrival_date": data.arrival_date, "doc_date": data.doc_date,
                             "transfer_date": data.transfer_date}, _TEXT_FIELDS)
    if data.arrival_number is None or not 1 <= data.arrival_number <= INT_MAX:
        raise ValidationError("Số đến phải là số nguyên dương.", "arrival_number")
    issuer_name = nfc(data.issuer_name) or ""
    if data.issuer_unit_id:
        unit = session.get(Unit, data.issuer_unit_id)
        if unit is None:
            raise ValidationError("Cơ quan ban hành đã chọn không còn trong danh sách đơn vị.", "issuer")
        issuer_name = unit.name
    if not issuer_name:
        raise ValidationError("Hãy chọn hoặc nhập cơ quan ban hành (tác giả).", "issuer")
    if data.doc_date and data.doc_date > data.arrival_date:
        raise ValidationError(
            "Ngày văn bản không thể sau ngày đến. Hãy kiểm tra lại hai ngày này.", "doc_date"
        )
    if data.transfer_date and data.transfer_date < data.arrival_date:
        raise ValidationError("Ngày chuyển không thể trước ngày đến.", "transfer_date")
    if data.doc_type not in DOC_TYPES:
        raise ValidationError("Loại văn bản không có trong danh mục.", "doc_type")
    if data.urgency not in {u.value for u in Urgency}:
        raise ValidationError("Độ khẩn không hợp lệ.", "urgency")
    check_secrecy(data.secrecy)
    year = data.arrival_date.year
    clash = session.scalar(
        select(Directive).where(
            Directive.office_unit_id == office_unit_id,
            Directive.arrival_year == year,
            Directive.arrival_number == data.arrival_number,
        )
    )
    if clash is not None and clash.id != directive_id:
        raise ValidationError(
            f"Số đến {data.arrival_number}/{year} đã được dùng cho văn bản “{clash.subject[:60]}”. "
            f"Số đến tiếp theo còn trống là {next_arrival_number(session, office_unit_id, year)}.",
            "arrival_number",
        )
    return replace(data, **{**texts, "issuer_name": issuer_name})


def create_directive(session: Session, office_unit_id: str, data: DirectiveInput) -> str:
    access.require(session, access.Permission.REGISTER)
    office_unit_id = require_register(session, office_unit_id).id
    if data.arrival_date is not None:  # the register's turn: numbers taken and checked one save at a time
        year = data.arrival_date.year
        if data.arrival_number is None:
            data = replace(data, arrival_number=arrival_numbers.take_next(session, office_unit_id, year))
        else:
            arrival_numbers.take_turn(session, office_unit_id, year)
    data = _validate(session, office_unit_id, data, None)
    directive = Directive(
        office_unit_id=office_unit_id, owner_unit_id=office_unit_id,
        arrival_year=data.arrival_date.year, **{f.name: getattr(data, f.name) for f in fields(data)},
    )
    session.add(directive)
    session.flush()
    return directive.id


def update_directive(session: Session, directive_id: str, data: DirectiveInput, revision: int | None = None) -> None:
    """`revision`: the directive's revision when the form loaded it; a save made since (on another PC) refuses
    this one, saying what changed (services.concurrency)."""
    access.require(session, access.Permission.REGISTER)
    directive = session.get(Directive, directive_id)
    if directive is not None:
        concurrency.require_revision(session, directive, revision)
    directive = load(session, directive_id)
    require_owned(session, directive)
    if data.arrival_date is not None:
        arrival_numbers.take_turn(session, directive.office_unit_id, data.arrival_date.year)
    with concurrency.saving(session, directive, revision):
        data = _validate(session, directive.office_unit_id, data, directive_id)
        for f in fields(data):
            setattr(directive, f.name, getattr(data, f.name))
        directive.arrival_year = data.arrival_date.year


def load(session: Session, directive_id: str) -> Directive:
    directive = session.get(Directive, directive_id)
    if directive is None or directive.deleted:
        raise ValidationError("Không tìm thấy văn bản (có thể đã bị xóa).")
    return directive


def delete_directive(session: Session, directive_id: str) -> None:
    """Tombstone the directive and its tasks; its arrival number stays used."""
    access.require(session, access.Permission.REGISTER)
    directive = load(session, directive_id)
    require_owned(session, directive)
    directive.deleted = True
    for task in session.scalars(select(Task).where(Task.directive_id == directive_id)):
        task.deleted = True


def doc_type_label(code: str) -> str:
    return DOC_TYPES.get(code, code)
