"""Attachments: scans and PDFs copied into the data folder under their SHA-256.

An attachment is opened from a copy: a private folder made for the occasion, a generated file name, and only an
extension from the allowed document and image types. Nothing of the stored file name (which may have come in a
package) becomes part of a path, and an executable or a script is never handed to the system.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy.orm import Session

from ntm_desktop.errors import DiskFullError, ValidationError
from ntm_desktop.models import Attachment
from ntm_desktop.server import files
from ntm_desktop.services import access
from ntm_desktop.services.directives import load
from ntm_desktop.services.file_types import extension, is_allowed_attachment, refusal_reason, safe_display_name

VIEW_PREFIX = "xem-"  # private folders for opened copies, one per opening
VIEW_KEEP_SECONDS = 24 * 3600  # older viewing folders are removed at the next opening
_SHA = re.compile(r"^[0-9a-f]{64}$")


def stored_path(files_dir: Path, sha256: str) -> Path:
    """Where the copy with this SHA-256 is kept; a value that is not a hex digest is refused, never made a path."""
    if not isinstance(sha256, str) or not _SHA.fullmatch(sha256):
        raise ValidationError("Mã tệp đính kèm không hợp lệ (không phải mã SHA-256), nên không tìm tệp theo mã này. "
                              "Hãy đính kèm lại tệp.", "attachments")
    return files_dir / sha256[:2] / sha256


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def store_file(files_dir: Path, source: Path) -> tuple[str, int]:
    """Copy `source` into the store (once per content); returns (sha256, size)."""
    source = Path(source)
    if not source.is_file():
        raise ValidationError(
            f"Không tìm thấy tệp “{source}”. Có thể tệp đã bị di chuyển hoặc USB đã được rút ra; "
            "hãy chọn lại tệp.", "attachments"
        )
    sha = _sha256(source)
    target = stored_path(files_dir, sha)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        try:
            shutil.copyfile(source, tmp)
            os.replace(tmp, target)
        except OSError as error:
            tmp.unlink(missing_ok=True)
            if error.errno == 28:  # ENOSPC
                raise DiskFullError(
                    "Ổ đĩa đã đầy nên không chép được tệp đính kèm. Hãy giải phóng dung lượng rồi thử lại."
                ) from error
            raise ValidationError(f"Không chép được tệp “{source.name}”: {error.strerror}.") from error
    return sha, source.stat().st_size


def attach(session: Session, files_dir: Path, directive_id: str, source: Path) -> str:
    """Store `source` and record it on the directive; only document and image types are accepted."""
    access.require(session, access.Permission.ATTACHMENTS)
    name = Path(source).name
    if not is_allowed_attachment(name):
        raise ValidationError(refusal_reason(name) + " Tệp chưa được đính kèm; văn bản chưa được lưu.", "attachments")
    directive = load(session, directive_id)
    sha, size = store_file(files_dir, source)
    files.share(session, files_dir, sha)  # server mode: the bytes go to the database, for every PC of the office
    attachment = Attachment(
        directive_id=directive.id, file_name=safe_display_name(name), sha256=sha, size=size,
        owner_unit_id=directive.owner_unit_id,
    )
    session.add(attachment)
    session.flush()
    return attachment.id


def open_path(session: Session, files_dir: Path, attachment_id: str) -> Path:
    """Path of the stored copy, checked against its hash, for opening in the system viewer."""
    attachment = session.get(Attachment, attachment_id)
    files.ensure_local(session, files_dir, attachment.sha256)  # server mode: fetched when this PC has no copy
    path = stored_path(files_dir, attachment.sha256)
    if not path.exists():
        raise ValidationError(
            f"Tệp đính kèm “{attachment.file_name}” không còn trong thư mục dữ liệu. "
            "Hãy khôi phục từ bản sao lưu hoặc đính kèm lại."
        )
    return path


def display_name(session: Session, attachment_id: str) -> str:
    """The attachment's name as it may be shown (no folders, control characters or reserved names)."""
    attachment = session.get(Attachment, attachment_id)
    return safe_display_name(attachment.file_name) if attachment else ""


def prepare_for_viewing(session: Session, files_dir: Path, attachment_id: str, view_root: Path) -> Path:
    """A fresh copy of the attachment to hand to the system viewer; its path is made here, never from the record.

    The copy is `view_root/xem-<random>/<uuid><ext>`: a folder only this user can read, made by mkdtemp, a
    generated name, and `ext` one of the allowed document and image extensions. Refused (ValidationError, in
    Vietnamese) when the type may run on the office's PC, the stored hash is not a hash, or the stored copy is gone.
    """
    attachment = session.get(Attachment, attachment_id)
    if attachment is None:
        raise ValidationError("Tệp đính kèm này không còn trong dữ liệu (có thể vừa bị xóa). Hãy tải lại danh sách.")
    name = attachment.file_name or ""
    shown = safe_display_name(name)
    if not is_allowed_attachment(name):
        raise ValidationError(
            f"Không mở tệp “{shown}”: kiểu tệp {extension(name) or '(không có đuôi)'} có thể tự chạy trên máy "
            "(chương trình, tệp lệnh, lối tắt…) hoặc không phải tài liệu, ảnh mà văn phòng dùng. "
            "Tệp không được mở để bảo vệ máy tính; hãy đề nghị nơi gửi gửi lại ở dạng PDF hoặc ảnh."
        )
    sha = attachment.sha256 or ""
    if not _SHA.match(sha):
        raise ValidationError(
            f"Không mở được tệp “{shown}”: dữ liệu của tệp đính kèm không hợp lệ (mã băm không đúng dạng). "
            "Hãy đính kèm lại tệp."
        )
    files.ensure_local(session, files_dir, sha)  # server mode: fetched when this PC has no copy
    source = stored_path(Path(files_dir), sha)
    if not source.is_file():
        raise ValidationError(
            f"Tệp đính kèm “{shown}” không còn trong thư mục dữ liệu. Hãy khôi phục từ bản sao lưu hoặc đính kèm lại."
        )
    view_root = Path(view_root)
    try:
        view_root.mkdir(mode=0o700, parents=True, exist_ok=True)
        _remove_old_views(view_root)
        folder = Path(tempfile.mkdtemp(prefix=VIEW_PREFIX, dir=view_root))  # 0o700, a name nobody chose
        target = folder / f"{uuid.uuid4().hex}{extension(shown)}"
        with source.open("rb") as src, open(target, "xb") as dst:  # "x": never follows or replaces a file
            shutil.copyfileobj(src, dst)
    except OSError as error:
        if error.errno == 28:  # ENOSPC
            raise DiskFullError(
                "Ổ đĩa đã đầy nên không mở được tệp đính kèm. Hãy giải phóng dung lượng rồi thử lại."
            ) from error
        raise ValidationError(f"Không chuẩn bị được tệp “{shown}” để xem: {error.strerror or error}.") from error
    return target


def _remove_old_views(view_root: Path) -> None:
    """Remove viewing folders from earlier days (a viewer may still hold today's open)."""
    limit = time.time() - VIEW_KEEP_SECONDS
    for old in view_root.glob(f"{VIEW_PREFIX}*"):
        try:
            if old.is_dir() and not old.is_symlink() and old.stat().st_mtime < limit:
                shutil.rmtree(old)
        except OSError:
            pass


def remove(session: Session, attachment_id: str) -> None:
    access.require(session, access.Permission.ATTACHMENTS)
    session.get(Attachment, attachment_id).deleted = True
