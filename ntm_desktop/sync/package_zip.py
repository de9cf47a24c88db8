"""The zip of a package, read with bounded memory: member checks, streamed hashes and lines, safe JSON.

Nothing here trusts a size the zip declares: members are read in chunks up to the declared size plus one byte,
lines up to a cap, and JSON values up to a nesting depth. Whatever goes wrong is a `PackageRefused` with a
Vietnamese message; no other exception leaves this module for a damaged or hostile file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

try:
    import msgspec
except ImportError:  # pragma: no cover - a venv not yet given it: json's own scanner
    msgspec = None

from ntm_desktop.backup.space import size_text
from ntm_desktop.errors import UserError

ASK_AGAIN = "Hãy đề nghị đơn vị gửi lập và gửi lại gói."
_CHUNK = 1 << 20


class PackageRefused(UserError):
    """The package is refused whole; nothing was read into the database."""


@dataclass(frozen=True)
class Limits:
    """What a package may hold. The attachment caps are this installation's settings (`from_settings`); the
    member count and the total size follow from them, so each cap is stated once."""

    max_attachments: int = 2_000  # files/* in one package
    max_attachment_bytes: int = 2 * 1024 ** 3  # all files/* together, uncompressed
    max_member_bytes: int = 512 * 1024 ** 2  # one attachment
    max_data_bytes: int = 256 * 1024 ** 2  # all data/*.ndjson together (records are held in memory)
    max_manifest_bytes: int = 8 * 1024 ** 2
    max_line_bytes: int = 8 * 1024 ** 2  # one record: more than the largest record the field limits allow
    max_ratio: int = 200  # uncompressed / compressed, per member over 1 MiB and over the whole archive
    max_json_depth: int = 8  # a record is an object of scalars, short lists and small objects
    max_members: int | None = None  # default: the attachments, one file per entity, manifest, signature, README
    max_total_bytes: int | None = None  # default: attachments + data + manifest

    def __post_init__(self):
        if self.max_members is None:
            object.__setattr__(self, "max_members", self.max_attachments + 64)
        if self.max_total_bytes is None:
            object.__setattr__(self, "max_total_bytes",
                               self.max_attachment_bytes + self.max_data_bytes + self.max_manifest_bytes)

    @classmethod
    def from_settings(cls, session) -> "Limits":
        """The caps set for this installation (settings `sync_max_attachments`, `sync_max_attachment_bytes`)."""
        from ntm_desktop.services import settings

        def number(key: str, default: int) -> int:
            try:
                value = int(settings.get(session, key, ""))
            except ValueError:
                return default
            return value if value > 0 else default

        return cls(max_attachments=number(MAX_ATTACHMENTS_SETTING, cls.max_attachments),
                   max_attachment_bytes=number(MAX_ATTACHMENT_BYTES_SETTING, cls.max_attachment_bytes))


MAX_ATTACHMENTS_SETTING = "sync_max_attachments"
MAX_ATTACHMENT_BYTES_SETTING = "sync_max_attachment_bytes"
DEFAULT_LIMITS = Limits()
MEMBER = re.compile(r"^(manifest\.json|signature\.json|README\.txt|data/[a-z_]+\.ndjson|files/[0-9a-f]{64})\Z")
_SPLIT = ("Nếu gói đúng là của đơn vị gửi và cần nhận, có thể tăng giới hạn ở máy này (lệnh: ntm-desktop sync "
          "limits --files SỐ_TỆP --mb SỐ_MB), hoặc đề nghị đơn vị gửi gửi bớt tệp đính kèm qua nhiều lần.")
_BOMB = "Gói có tỉ lệ nén bất thường (có thể là “bom nén” độc hại). Không mở gói này."
_TOO_BIG = "Gói quá lớn khi giải nén, có thể là tệp độc hại. Không mở gói này."


def check_members(zf: zipfile.ZipFile, limits: Limits) -> dict[str, zipfile.ZipInfo]:
    """Names, counts, declared sizes and compression ratios; returns the members by name."""
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        raise PackageRefused(f"Gói có quá nhiều tệp bên trong ({len(infos)}), không phải gói của NTM Desktop. "
                             "Không mở gói này.")
    names: dict[str, zipfile.ZipInfo] = {}
    total = compressed = data = attached = count = 0
    for info in infos:
        name = info.filename
        if name.startswith(("/", "\\")) or ".." in name.split("/") or "\\" in name or ":" in name:
            raise PackageRefused(
                f"Gói chứa tên tệp không an toàn (“{name[:200]}”), có thể bị sửa có chủ ý. Không mở gói này; {ASK_AGAIN}"
            )
        if not MEMBER.match(name):
            raise PackageRefused(f"Gói chứa tệp lạ “{name[:200]}”, không phải gói của NTM Desktop. {ASK_AGAIN}")
        if name in names:
            raise PackageRefused(f"Gói chứa hai tệp cùng tên “{name}”: gói bị sửa. Không mở gói này; {ASK_AGAIN}")
        names[name] = info
        total += info.file_size
        compressed += info.compress_size
        if name.startswith("data/"):
            data += info.file_size
        elif name.startswith("files/"):
            attached += info.file_size
            count += 1
            if count > limits.max_attachments:
                raise PackageRefused(
                    f"Gói có quá nhiều tệp đính kèm (hơn {limits.max_attachments} tệp; máy này nhận tối đa "
                    f"{limits.max_attachments} tệp một gói). Không mở gói này. {_SPLIT}")
            if attached > limits.max_attachment_bytes:
                raise PackageRefused(
                    f"Tệp đính kèm trong gói lớn hơn giới hạn {size_text(limits.max_attachment_bytes)} một gói của "
                    f"máy này. Không mở gói này. {_SPLIT}")
        if info.file_size > limits.max_member_bytes or total > limits.max_total_bytes \
                or data > limits.max_data_bytes:
            raise PackageRefused(_TOO_BIG)
        if info.file_size > 1024 ** 2 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise PackageRefused(_BOMB)
    # Many small members can hide what one large member cannot: the whole archive has the same bound.
    if total > 1024 ** 2 and total > limits.max_ratio * max(compressed, 1):
        raise PackageRefused(_BOMB)
    return names


def _chunks(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's bytes in chunks; refused when it holds more or less than declared."""
    seen = 0
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(min(_CHUNK, info.file_size - seen + 1))
            if not chunk:
                break
            seen += len(chunk)
            if seen > info.file_size:
                break
            yield chunk
    if seen != info.file_size:
        raise PackageRefused("Gói có kích thước bên trong không khớp khai báo (gói bị sửa hoặc hỏng). " + ASK_AGAIN)


def read_small(zf: zipfile.ZipFile, info: zipfile.ZipInfo, most: int, what: str) -> bytes:
    if info.file_size > most:
        raise PackageRefused(f"{what} của gói quá lớn ({info.file_size} byte), không phải gói của NTM Desktop. "
                             f"{ASK_AGAIN}")
    return b"".join(_chunks(zf, info))


def hash_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    digest = hashlib.sha256()
    for chunk in _chunks(zf, info):
        digest.update(chunk)
    return digest.hexdigest()


def line_batches(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, path: str, digest=None,
                 size: int = 2000) -> Iterator[list[tuple[int, str]]]:
    """The lines of a UTF-8 member split on "\\n" only, `size` at a time as (line number, text), blank lines
    left out; each line at most `max_line_bytes`. The member is read in chunks (never whole); `digest` (a
    hashlib object), when given, takes every byte read."""
    if info.file_size > limits.max_data_bytes:
        raise PackageRefused(_TOO_BIG)
    most = limits.max_line_bytes
    number, seen, rest, batch = 0, 0, b"", []
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            if chunk:
                seen += len(chunk)
                if seen > info.file_size:
                    raise PackageRefused("Gói có kích thước bên trong không khớp khai báo (gói bị sửa hoặc hỏng). "
                                         + ASK_AGAIN)
                if digest is not None:
                    digest.update(chunk)
                data = rest + chunk if rest else chunk
                cut = data.rfind(b"\n") + 1
                block, rest = data[:cut], data[cut:]
                if len(rest) > most:  # a line with no end in sight
                    _too_long(path, number + block.count(b"\n") + 1, most)
                if not block:
                    continue
                raws = block.split(b"\n")
                raws.pop()  # after the last "\n"
                if max(map(len, raws)) >= most:  # with its "\n", longer than a line may be
                    _too_long(path, number + next(i for i, r in enumerate(raws, 1) if len(r) >= most), most)
            elif rest:
                raws, rest = [rest], b""  # the last line, without "\n"
            else:
                break
            try:
                texts = b"\n".join(raws).decode("utf-8").split("\n")
            except UnicodeDecodeError:
                for i, raw in enumerate(raws, number + 1):
                    try:
                        raw.decode("utf-8")
                    except UnicodeDecodeError:
                        raise PackageRefused(f"Tệp {path} trong gói không phải văn bản UTF-8 (dòng {i}). "
                                             f"{ASK_AGAIN}") from None
                raise
            carriage = any("\r" in t for t in texts)
            for i, text in enumerate(texts, number + 1):
                if carriage:
                    text = text.rstrip("\r")
                if text and not text.isspace():
                    batch.append((i, text))
                    if len(batch) >= size:
                        yield batch
                        batch = []
            number += len(texts)
    if batch:
        yield batch


def _too_long(path: str, number: int, most: int):
    raise PackageRefused(f"{path}, dòng {number}: bản ghi dài hơn {most // 1024 ** 2} MB, lớn hơn mọi bản ghi "
                         f"NTM Desktop lập ra. Gói bị từ chối toàn bộ. {ASK_AGAIN}")


def lines(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, path: str) -> Iterator[tuple[int, str]]:
    """(line number, text) of a UTF-8 member split on "\\n" only (blank lines left out)."""
    for batch in line_batches(zf, info, limits, path):
        yield from batch


def _no_constant(name: str):
    raise ValueError(name)


_DECODER = json.JSONDecoder(parse_constant=_no_constant)
_SCAN = _DECODER.scan_once
# A data line's fast road: msgspec's decoder (C, about twice json's scanner on these lines). Where it accepts a
# line it gives what json gives (big integers as int, the last of two equal keys); it refuses NaN, Infinity,
# numbers beyond a float, lone surrogates and control characters, which then take `load_json` for its message.
_FAST = msgspec.json.Decoder().decode if msgspec is not None else None


def load_json(text: str | bytes, where: str, limits: Limits = DEFAULT_LIMITS):
    """Parse one JSON value; NaN/Infinity, over-long integers and nesting past `max_json_depth` are refused."""
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8")  # strictly: json.loads would let invalid sequences through
        value = _DECODER.decode(text)
    except RecursionError:
        value = None
        depth = limits.max_json_depth + 1
    except ValueError:  # JSONDecodeError, an integer of thousands of digits, NaN
        raise PackageRefused(f"{where}: không phải JSON hợp lệ. Gói bị hỏng; {ASK_AGAIN}") from None
    else:
        depth = _depth(value, limits.max_json_depth)
        if _may_hold_surrogates(text) and not _encodable(value):
            raise PackageRefused(f"{where}: có ký tự không hợp lệ (nửa cặp UTF-16), không phải văn bản NTM Desktop "
                                 f"lập ra. Gói bị hỏng. {ASK_AGAIN}")
    if depth > limits.max_json_depth:
        raise PackageRefused(f"{where}: dữ liệu lồng nhau quá sâu (hơn {limits.max_json_depth} tầng), không phải "
                             f"dữ liệu NTM Desktop lập ra. Gói bị từ chối toàn bộ. {ASK_AGAIN}")
    return value


def load_line(text: str, where, limits: Limits = DEFAULT_LIMITS):
    """`load_json` for one line of a data file, by a shorter road when the line plainly passes: a value that
    spans the whole line, fewer brackets than the depth allowed, no escaped surrogate. `where()`: the place
    to name, asked only when the line is refused."""
    return load_lines([text], lambda _: where(), limits)[0]


def load_lines(texts: list[str], where, limits: Limits = DEFAULT_LIMITS) -> list:
    """`load_line` of each of `texts`, in one loop; `where(i)` names line i, asked only when it is refused."""
    fast, scan, most, values = _FAST, _SCAN, limits.max_json_depth, []
    if fast is not None:  # msgspec refuses a lone surrogate itself: no line needs looking at for them
        surrogates = False
    else:
        try:  # the escapes looked for in all the lines at once; only where some are, line by line
            surrogates = _may_hold_surrogates("\n".join(texts))
        except TypeError:  # not all text: told line by line
            surrogates = True
    for i, text in enumerate(texts):
        try:
            if fast is not None:
                value = fast(text)
            else:
                value, end = scan(text, 0)
                if end != len(text):
                    raise ValueError
            if text.count("{") + text.count("[") <= most and not (surrogates and _may_hold_surrogates(text)):
                values.append(value)
                continue
        except Exception:  # noqa: BLE001 - any refusal is told by the full check below
            pass
        values.append(load_json(text, where(i), limits))
    return values


def _may_hold_surrogates(text: str) -> bool:
    """A JSON escape of a UTF-16 surrogate ("\\ud800"): alone it is no character and cannot be stored."""
    return "\\ud" in text or "\\uD" in text


def _encodable(value) -> bool:
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _depth(value, limit: int) -> int:
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
            stack.extend((v, depth) for v in (item.values() if isinstance(item, dict) else item))
    return deepest


def copy_member(package_path: Path, sha256: str, target: Path) -> None:
    """Stream the attachment files/<sha256> of the package to `target` (written under a temporary name, checked
    against its hash, then renamed). OSError is left to the caller (a full disk)."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    digest = hashlib.sha256()
    try:
        with zipfile.ZipFile(package_path) as zf:
            info = zf.getinfo(f"files/{sha256}")
            with open(tmp, "xb") as out:
                for chunk in _chunks(zf, info):
                    digest.update(chunk)
                    out.write(chunk)
        if digest.hexdigest() != sha256:
            raise PackageRefused("Tệp gói đã thay đổi từ lúc xem trước. Hãy mở lại gói.")
        os.replace(tmp, target)
    except BaseException:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        raise
