"""The import's fast roads give exactly what the careful ones give: a data line parsed in C is the value json
gives (or refused with the same message), a column of texts normalized at once is each text normalized alone."""

from __future__ import annotations

import json
import zipfile

import pytest
from hypothesis import given, settings, strategies as st

from ntm_desktop.sync.bulk import nfc_column, vector_texts
from ntm_desktop.models.base import vector_json
from ntm_desktop.sync.package_zip import PackageRefused, load_json, load_lines
from ntm_desktop.text import nfc

# Letters, combining marks (tone marks, Hangul jamo), whitespace, NUL and compatibility characters.
_PIECES = st.sampled_from(["a", "e", "o", "Đ", "ệ", "\u0301", "\u0323", "\u0300", "\u0302", " ", "\n", "\t",
                           "\x00", "\u1100", "\u1161", "\u11a8", "ﬁ", "Å", "\u212b", "x"])
_TEXTS = st.one_of(st.none(), st.lists(_PIECES, max_size=8).map("".join))


@settings(max_examples=400, deadline=None)
@given(st.lists(_TEXTS, max_size=8))
def test_a_column_of_texts_is_stored_as_each_text_alone(values):
    assert nfc_column(values) == [nfc(v) for v in values]


def test_a_text_split_by_a_nul_is_joined_as_when_stored_alone():
    # "e", NUL, acute accent: nfc drops the NUL and composes "é"; the column must not keep them apart
    assert nfc_column(["Tiêu chí ", "e\x00\u0301", None, "  Nông thôn mới\u0300  "]) == [
        "Tiêu chí", "é", None, nfc("  Nông thôn mới\u0300  ")]


def test_version_texts_are_those_of_each_vector():
    vectors = [{"a-1": 1}, {"a-1": True}, {"a-1": 1}, {"b": 2, "a": 1}, {}, {"x y": 3}, {"a-1": 2}]
    assert vector_texts(vectors) == [vector_json(v) for v in vectors]


@pytest.mark.parametrize("line", [
    '{"id":"x","n":1,"n":2}', '{"n":' + "1" * 40 + "}", '{"t":"\\ud83d\\ude00 Việt"}', ' {"a":[1,2.5,null]} ',
    '{"a":-0,"b":1E2,"c":"\\u0000"}',
])
def test_a_line_that_passes_is_the_value_json_gives(line):
    assert load_lines([line], lambda i: "dòng 1") == [json.loads(line)]


@pytest.mark.parametrize("line", [
    '{"n":NaN}', '{"n":Infinity}', '{"t":"\\ud800"}', '{"n":' + "1" * 5000 + "}", '{"a":1}x', '{"t":"a\x01"}',
    "[" * 70 + "]" * 70,
])
def test_a_line_refused_is_refused_with_the_careful_message(line):
    with pytest.raises(PackageRefused) as fast:
        load_lines(['{"ok":1}', line], lambda i: f"data/tasks.ndjson, dòng {i + 1}")
    with pytest.raises(PackageRefused) as careful:
        load_json(line, "data/tasks.ndjson, dòng 2")
    assert str(fast.value) == str(careful.value)
    assert "dòng 2" in str(fast.value)


def test_the_cycle_collector_runs_again_after_an_import_an_export_and_a_refusal(tmp_path):
    """Held while a package is made or applied, for speed; a PC that works on for days needs it back."""
    import gc

    from test_sync_bad_input import rebuild
    from test_sync_world import build_district, join_commune, send

    from ntm_desktop.models import Task
    from ntm_desktop.sync.apply import apply_file
    from sqlalchemy import select

    district = build_district(tmp_path)
    commune = join_commune(tmp_path, district, "XA-A", tmp_path / "boot")
    assert gc.isenabled()
    with district.db.transaction() as s:
        s.scalars(select(Task)).first().notes = "Ưu tiên hoàn thành trước mùa mưa"
    package = send(district, "XA-A", tmp_path / "out")
    assert gc.isenabled()
    with zipfile.ZipFile(package) as zf:
        tasks = zf.read("data/tasks.ndjson")
    bad = rebuild(package, tmp_path / "sua.ntmsync", replace={"data/tasks.ndjson": tasks.replace(
        "mùa mưa".encode(), "mùa khô".encode())})
    with pytest.raises(PackageRefused, match="Mã kiểm tra"):
        apply_file(commune, bad, user="cán bộ xã")
    assert gc.isenabled()
    assert apply_file(commune, package, user="cán bộ xã").status == "applied"
    assert gc.isenabled()
    gc.disable()  # held by someone else: left as it was found
    try:
        send(district, "XA-A", tmp_path / "out2")
        assert not gc.isenabled()
    finally:
        gc.enable()
