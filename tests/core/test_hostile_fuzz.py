"""Any value in any manifest or record field: the package is applied, or refused with a Vietnamese message.

Never another exception, and nothing outside the receiving data folder is created or changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from ntm_desktop.errors import UserError
from ntm_desktop.sync.apply import apply_file

from hostile_packages import build_world, disk_state, fresh, members, write_zip

VIETNAMESE = re.compile(r"[À-ỹ]")  # letters with diacritics: the message is written in Vietnamese
PATHS = ["../../../../victim", "/etc/hostname", "..\\..\\victim", "C:\\Windows\\x", "./../ntm.sqlite3",
         "files/../../x", "con", "LPT1.pdf", "a\x00b", "Bao cao.pdf.bat", "x" * 400, "", " ", "\u202e.pdf"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-2 ** 70, max_value=2 ** 70),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=30), st.sampled_from(PATHS),
    st.builds(lambda: str(uuid.uuid4())), st.sampled_from(["2099-12-31", "1900-01-01", "2025-02-30", "0001-01-01",
                                                           "2025-06-30T10:00:00", "9999-12-31T23:59:59"]),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.text(max_size=8), inner, max_size=4), max_leaves=8)
# A value as JSON text: ordinary values, or nesting deeper than any parser or check expects.
as_json = values.map(lambda v: json.dumps(v, ensure_ascii=False))
raw_values = st.one_of(
    as_json, as_json, as_json, as_json,
    st.integers(min_value=50, max_value=100_000).map(lambda n: "[" * n + "]" * n),
    st.integers(min_value=50, max_value=5_000).map(lambda n: '{"a":' * n + "1" + "}" * n),
    st.sampled_from(["NaN", "Infinity", "1e999", "9" * 5000, '"\\ud800"']),
)

# Text of the right type for most columns, so the record passes the type checks and meets the field rules.
texts = st.one_of(st.text(max_size=40), st.sampled_from(PATHS), st.sampled_from(
    ["2099-12-31", "1944-12-31", "2037-01-01", "2025-06-30", "XA A", "..", "a" * 11_000]),
    st.integers(min_value=0, max_value=23).map(lambda n: "x" * (1 << n))).map(json.dumps)
MOSTLY_FIXED = st.sampled_from([True, True, True, False])  # sizes and hashes made to match, as an editor would
FUZZ = settings(max_examples=int(os.environ.get("NTM_FUZZ_EXAMPLES", 60)), deadline=None,
                derandomize="NTM_FUZZ_EXAMPLES" not in os.environ,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return build_world(tmp_path_factory.mktemp("world"))


def _write(content: dict[str, bytes], manifest_text: str, target: Path, fix: bool) -> Path:
    if fix:
        try:
            manifest = json.loads(manifest_text)
        except (ValueError, RecursionError):
            manifest = None
        if isinstance(manifest, dict) and isinstance(manifest.get("files"), list):
            for file in manifest["files"]:
                if isinstance(file, dict) and isinstance(file.get("path"), str) and file["path"] in content:
                    data = content[file["path"]]
                    file["bytes"], file["sha256"] = len(data), hashlib.sha256(data).hexdigest()
            manifest_text = json.dumps(manifest, ensure_ascii=False)
    return write_zip(target, {**content, "manifest.json": manifest_text.encode("utf-8", "surrogatepass")})


def _check(ws, package: Path, root: Path) -> None:
    before = {k: v for k, v in disk_state(root, skip=ws.folder.root).items() if not k.endswith(".ntmsync")}
    try:
        result = apply_file(ws, package, user="cán bộ", backup=False)
    except UserError as error:
        assert VIETNAMESE.search(str(error)), str(error)
    else:
        assert result.status in ("applied", "already", "receipt")
    after = {k: v for k, v in disk_state(root, skip=ws.folder.root).items() if not k.endswith(".ntmsync")}
    assert after == before


def _placeholder(data: dict, key: str) -> str:
    """`data` as JSON with `key`'s value replaced by a marker (the raw value goes in its place)."""
    return json.dumps({**data, key: "\u0000FUZZ\u0000"}, ensure_ascii=False)


def test_any_manifest_value(world, tmp_path):
    district = fresh(world.district_folder, tmp_path / "huyen")
    content = members(world.up)
    manifest = json.loads(content.pop("manifest.json"))
    keys = sorted(manifest) + ["files.0", "extra"]
    file_keys = sorted(manifest["files"][0])

    @FUZZ
    @given(key=st.sampled_from(keys), file_key=st.sampled_from(file_keys), raw=raw_values, fix=MOSTLY_FIXED)
    def run(key, file_key, raw, fix):
        m = dict(manifest, package_id=str(uuid.uuid4()))  # each example its own package
        if key == "files.0":
            entry = _placeholder(m["files"][0], file_key).replace('"\\u0000FUZZ\\u0000"', raw)
            text = json.dumps(dict(m, files="\u0000FILES\u0000")).replace('"\\u0000FILES\\u0000"', f"[{entry}]")
        else:
            text = _placeholder(m, key).replace('"\\u0000FUZZ\\u0000"', raw)
        _check(district, _write(content, text, tmp_path / "goi.ntmsync", fix), tmp_path)

    try:
        run()
    finally:
        district.close()


def test_any_record_value(world, tmp_path):
    district = fresh(world.district_folder, tmp_path / "huyen")
    content = members(world.up)
    manifest = json.loads(content["manifest.json"])
    entities = sorted(f["entity"] for f in manifest["files"] if f["entity"])

    @FUZZ
    @given(entity=st.sampled_from(entities), pick=st.integers(min_value=0, max_value=50), data=st.data(),
           raw=st.one_of(raw_values, texts, texts), fix=MOSTLY_FIXED)
    def run(entity, pick, data, raw, fix):
        path = f"data/{entity}.ndjson"
        lines = content[path].decode().splitlines()
        row = json.loads(lines[pick % len(lines)])
        key = data.draw(st.sampled_from(sorted(row) + ["extra"]))
        lines[pick % len(lines)] = _placeholder(row, key).replace('"\\u0000FUZZ\\u0000"', raw)
        changed = dict(content, **{path: ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")})
        m = dict(manifest, package_id=str(uuid.uuid4()))
        _check(district, _write(changed, json.dumps(m), tmp_path / "goi.ntmsync", fix), tmp_path)

    try:
        run()
    finally:
        district.close()
