"""Build resources/units/catalogue.json, the official map of Vietnam's administrative units, from the
`vietnamadminunits` package (MIT licence, github.com/tranngocminhhieu/vietnamadminunits).

    python tools/build_unit_catalogue.py [--wheel DIR_OR_WHL] [--out resources/units]

The package's wheel is downloaded with `pip download vietnamadminunits==1.0.4 --no-deps` unless --wheel
names an unpacked wheel or a .whl file. Read from it: data/dataset.db (table admin_units: the 34 provinces
and 3,321 communes, wards and special zones since 01/7/2025 with their statistics-office codes; table
admin_units_legacy: the 63 provinces, 696 districts and 10,035 communes before) and
data/converter_2025.json (which old communes make up each new one, whole or in part). The app reads only
the file written here; the package is not needed at run time.

Written: catalogue.json (one unit per line, so a later edition diffs line by line) and NOTICE.txt (the
source and its licence). The counts are checked before anything is written.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

PACKAGE, VERSION = "vietnamadminunits", "1.0.4"
SOURCE_URL = "https://github.com/tranngocminhhieu/vietnamadminunits"
SOURCE_RELEASED = "2025-08-23"  # the date of the package's data files in the 1.0.4 wheel
CATALOGUE_VERSION = "2025.1"
IN_FORCE = "2025-07-01"
FORMER_UNTIL = "2025-06-30"
LEGAL_BASIS = ("Nghị quyết số 202/2025/QH15 ngày 12/6/2025 của Quốc hội về sắp xếp đơn vị hành chính cấp tỉnh và "
               "các nghị quyết của Ủy ban Thường vụ Quốc hội năm 2025 về sắp xếp đơn vị hành chính cấp xã; mã đơn "
               "vị hành chính theo danh mục của Tổng cục Thống kê (Cục Thống kê)")
EXPECTED = {"provinces": 34, "communes": 3321, "xa": 2621, "phuong": 687, "dac_khu": 13,
            "former_provinces": 63, "former_districts": 696, "former_communes": 10035}

NEW_TYPES = {"Xã": "xa", "Phường": "phuong", "Đặc khu": "dac_khu"}
OLD_TYPES = {"Xã": "xa", "Phường": "phuong", "Thị trấn": "thi_tran"}
DISTRICT_TYPES = {"Huyện": "huyen", "Quận": "quan", "Thị xã": "thi_xa", "Thành phố": "thanh_pho"}


def data_dir(wheel: str | None, work: Path) -> Path:
    """The package's data folder: in an unpacked wheel, a .whl file, or a freshly downloaded wheel."""
    if wheel is None:
        subprocess.run([sys.executable, "-m", "pip", "download", f"{PACKAGE}=={VERSION}", "--no-deps",
                        "--dest", str(work)], check=True)
        wheel = str(next(work.glob(f"{PACKAGE}-{VERSION}-*.whl")))
    path = Path(wheel)
    if path.is_file():
        with zipfile.ZipFile(path) as zf:
            zf.extractall(work / "unpacked")
        path = work / "unpacked"
    found = path / PACKAGE / "data"
    if not (found / "dataset.db").is_file():
        raise SystemExit(f"{found} has no dataset.db: not a {PACKAGE} wheel")
    return found


def licence_text(data: Path) -> str:
    for candidate in data.parent.parent.glob(f"{PACKAGE}-*.dist-info/licenses/LICENSE"):
        return candidate.read_text(encoding="utf-8")
    raise SystemExit("the wheel carries no LICENSE file")


def build(data: Path) -> dict:
    db = sqlite3.connect(data / "dataset.db")
    converter = json.loads((data / "converter_2025.json").read_text(encoding="utf-8"))

    provinces, communes, new_by_key = {}, [], {}
    for p_code, p_name, p_key, w_code, w_name, w_type, w_key in db.execute(
            "SELECT provinceCode, province, provinceKey, wardCode, ward, wardType, wardKey FROM admin_units "
            "ORDER BY provinceCode, wardCode"):
        provinces[p_code] = (p_name, p_key)
        communes.append([w_code, w_name, NEW_TYPES[w_type], p_code])
        new_by_key[(p_key, w_key)] = w_code
    province_by_key = {key: code for code, (_, key) in provinces.items()}

    old_provinces, old_districts, old_communes, old_by_key = {}, {}, {}, {}
    for (p_code, p_name, p_key, d_code, d_name, d_type, d_key, w_code, w_name, w_type, w_key) in db.execute(
            "SELECT provinceCode, province, provinceKey, districtCode, district, districtType, districtKey, "
            "wardCode, ward, wardType, coalesce(wardKey, '') FROM admin_units_legacy"):
        old_provinces[p_code] = (p_name, p_key)
        old_districts[d_code] = [d_code, d_name, DISTRICT_TYPES[d_type], p_code]
        key = f"{p_key}_{d_key}_{w_key}"
        if w_code is None:  # an island district without communes: it became a special zone whole
            old_by_key[key] = ("district", d_code)
        else:
            old_communes[w_code] = [w_code, w_name, OLD_TYPES[w_type], d_code]
            old_by_key[key] = ("commune", w_code)

    old_province_key_to_new = {}
    for new_key, old_keys in converter["DICT_PROVINCE"].items():
        for old_key in old_keys:
            old_province_key_to_new[old_key] = province_by_key[new_key]

    successors: dict[tuple[str, str], list[str]] = defaultdict(list)  # (kind, old code) -> new codes, default first
    for p_key, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for w_key, old_keys in wards.items():
            for old_key in old_keys:
                successors[old_by_key[old_key]].append(new_by_key[(p_key, w_key)])
    for p_key, divided in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, parts in divided.items():
            codes = [new_by_key[(p_key, part["newWardKey"])] for part in parts]
            default = [new_by_key[(p_key, part["newWardKey"])] for part in parts if part["isDefaultNewWard"]]
            assert len(default) == 1, old_key
            successors[old_by_key[old_key]].extend([default[0], *sorted(set(codes) - set(default))])
    for key, kind_code in old_by_key.items():
        assert successors.get(kind_code), f"no successor for {key}"

    district_successors: dict[str, Counter] = defaultdict(Counter)
    for code, row in old_communes.items():
        for new_code in successors[("commune", code)]:
            district_successors[row[3]][new_code] += 1
    former_districts = []
    for code in sorted(old_districts):
        row = old_districts[code]
        whole = successors.get(("district", code))
        # the new communes its communes went to, those taking most of them first
        after = whole or [c for c, _ in sorted(district_successors[code].items(), key=lambda kv: (-kv[1], kv[0]))]
        former_districts.append([*row, after])

    catalogue = {
        "format": 1,
        "version": CATALOGUE_VERSION,
        "in_force": IN_FORCE,
        "legal_basis": LEGAL_BASIS,
        "source": {"name": PACKAGE, "version": VERSION, "released": SOURCE_RELEASED, "url": SOURCE_URL,
                   "licence": "MIT", "notice": "NOTICE.txt"},
        "provinces": [[code, provinces[code][0]] for code in sorted(provinces)],
        "communes": communes,
        "former": [{
            "valid_to": FORMER_UNTIL,
            "provinces": [[code, old_provinces[code][0], old_province_key_to_new[old_provinces[code][1]]]
                          for code in sorted(old_provinces)],
            "districts": former_districts,
            "communes": [[*old_communes[code], successors[("commune", code)]] for code in sorted(old_communes)],
        }],
    }
    check(catalogue)
    return catalogue


def check(catalogue: dict) -> None:
    types = Counter(row[2] for row in catalogue["communes"])
    former = catalogue["former"][0]
    found = {"provinces": len(catalogue["provinces"]), "communes": len(catalogue["communes"]), **types,
             "former_provinces": len(former["provinces"]), "former_districts": len(former["districts"]),
             "former_communes": len(former["communes"])}
    for name, want in EXPECTED.items():
        if found.get(name) != want:
            raise SystemExit(f"{name}: {found.get(name)} in the data, {want} expected")
    print(", ".join(f"{name} {count}" for name, count in found.items()))


def write(catalogue: dict, out: Path) -> Path:
    """JSON with one unit per line."""
    def line(value) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def rows(name: str, items: list, indent: str) -> str:
        body = f",\n{indent} ".join(line(item) for item in items)
        return f'{indent}"{name}":[\n{indent} {body}\n{indent}]'

    head = {k: v for k, v in catalogue.items() if k not in ("provinces", "communes", "former")}
    parts = [f'{line(k)}:{line(v)}' for k, v in head.items()]
    parts += [rows("provinces", catalogue["provinces"], ""), rows("communes", catalogue["communes"], "")]
    eras = []
    for era in catalogue["former"]:
        inner = [f'  "valid_to":{line(era["valid_to"])}']
        inner += [rows(name, era[name], "  ") for name in ("provinces", "districts", "communes")]
        eras.append(" {\n" + ",\n".join(inner) + "\n }")
    parts.append('"former":[\n' + ",\n".join(eras) + "\n]")
    text = "{\n" + ",\n".join(parts) + "\n}\n"
    assert json.loads(text) == catalogue
    target = out / "catalogue.json"
    target.write_text(text, encoding="utf-8")
    return target


NOTICE = """Danh mục đơn vị hành chính (resources/units/catalogue.json)

The official map of Vietnam's administrative units after the reform of 01/7/2025 (34 provinces and
3,321 communes, wards and special zones with the statistics office's codes) and the units before it,
with the conversion from the old communes to the new ones. Built by tools/build_unit_catalogue.py from
the data files of the Python package {package} {version} ({url}),
published under the MIT licence reproduced below.

---

{licence}"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", help=f"an unpacked {PACKAGE} wheel or a .whl file (default: download it)")
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "resources" / "units"))
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        data = data_dir(args.wheel, Path(work))
        catalogue = build(data)
        licence = licence_text(data)
    target = write(catalogue, out)
    (out / "NOTICE.txt").write_text(NOTICE.format(package=PACKAGE, version=VERSION, url=SOURCE_URL,
                                                  licence=licence), encoding="utf-8")
    print(f"wrote {target} ({target.stat().st_size:,} bytes) and {out / 'NOTICE.txt'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
