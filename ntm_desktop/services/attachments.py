"""Attachments: scans and PDFs copied into the data folder under their SHA-256."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from sqlalchemy.orm import Session

from ntm_desktop.errors import DiskFullError, ValidationError
from ntm_desktop.models import Attachment
from ntm_desktop.services.directives import load


def stored_path(files_dir: Path, sha256: str) -> Path:
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
    directive = load(session, directive_id)
    sha, size = store_file(files_dir, source)
    attachment = Attachment(
        directive_id=directive.id, file_name=Path(source).name, sha256=sha, size=size,
        owner_unit_id=directive.owner_unit_id,
    )
    session.add(attachment)
    session.flush()
    return attachment.id


def open_path(session: Session, files_dir: Path, attachment_id: str) -> Path:
    """Path of the stored copy, checked against its hash, for opening in the system viewer."""
    attachment = session.get(Attachment, attachment_id)
    path = stored_path(files_dir, attachment.sha256)
    if not path.exists():
        raise ValidationError(
            f"Tệp đính kèm “{attachment.file_name}” không còn trong thư mục dữ liệu. "
            "Hãy khôi phục từ bản sao lưu hoặc đính kèm lại."
        )
    return path


def remove(session: Session, attachment_id: str) -> None:
    session.get(Attachment, attachment_id).deleted = True
