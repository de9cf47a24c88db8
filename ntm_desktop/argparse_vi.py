"""argparse in Vietnamese: its own words (usage, section titles, help of -h, error messages) and the
placeholders it makes from argument names (FILE, OUT, DATA_DIR).

argparse looks its messages up through the module-level `_` and `ngettext` (gettext) each time it shows
one, so replacing those two names is enough; nothing else of argparse changes.
"""

from __future__ import annotations

import argparse

MESSAGES = {
    "usage: ": "cách dùng: ",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "optional arguments": "tùy chọn",
    "subcommands": "lệnh",
    "show this help message and exit": "in hướng dẫn này rồi thoát",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n"
                                      "Gõ “%(prog)s --help” để xem hướng dẫn.\n",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "one of the arguments %s is required": "cần một trong các tham số %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "%(value)r không phải lựa chọn hợp lệ (chọn một trong: "
                                                           "%(choices)s)",
    "invalid %(type)s value: %(value)r": "giá trị không hợp lệ: %(value)r",
    "unrecognized arguments: %s": "không hiểu các tham số: %s",
    "expected one argument": "cần một giá trị",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "ignored explicit argument %r": "không nhận giá trị %r",
    "not allowed with argument %s": "không dùng được cùng tham số %s",
    "ambiguous option: %(option)s could match %(matches)s": "tùy chọn %(option)s chưa rõ: có thể là %(matches)s",
    "unexpected option string: %s": "tùy chọn không mong đợi: %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "không có lệnh %(parser_name)r (các lệnh: %(choices)s)",
    "can't open '%(filename)s': %(error)s": "không mở được “%(filename)s”: %(error)s",
}

PLURALS = {
    ("expected %s argument", "expected %s arguments"): "cần %s giá trị",
}

# Placeholders for arguments declared without a metavar, by destination name.
METAVARS = {
    "data_dir": "THƯ_MỤC",
    "file": "TỆP",
    "folder": "THƯ_MỤC",
    "out": "TỆP",
    "to": "MÃ_ĐƠN_VỊ",
    "unit": "MÃ_ĐƠN_VỊ",
    "year": "NĂM",
    "start": "NGÀY",
    "end": "NGÀY",
    "number": "SỐ",
    "from_number": "SỐ",
    "to_number": "SỐ",
    "page": "TRANG",
    "size": "RỘNGxCAO",
    "keep": "THƯ_MỤC",
}


def gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return PLURALS.get((singular, plural), singular if n == 1 else plural)


def install() -> None:
    """Make argparse speak Vietnamese (idempotent)."""
    argparse._ = gettext
    argparse.ngettext = ngettext


def name_placeholders(parser: argparse.ArgumentParser) -> None:
    """Give every argument of `parser` and of its sub-commands a Vietnamese placeholder when it has none."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in set(action.choices.values()):
                name_placeholders(sub)
            continue
        if action.metavar is None and action.nargs != 0 and action.choices is None and action.dest in METAVARS:
            action.metavar = METAVARS[action.dest]
