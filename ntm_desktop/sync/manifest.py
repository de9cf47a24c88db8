"""The package manifest: who sent what to whom, and each file's size and SHA-256."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from functools import lru_cache

from ntm_desktop import __version__

FORMAT_NAME = "ntm-sync"
FORMAT_VERSION = 1
EXTENSION = ".ntmsync"
KINDS = ("delta", "full", "catalogue", "receipt")


@lru_cache(maxsize=1)
def schema_head() -> str:
    """The Alembic head this app's code knows: the schema version a package is written in."""
    from alembic.script import ScriptDirectory

    from ntm_desktop.db import _alembic_config

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


@lru_cache(maxsize=1)
def known_schemas() -> frozenset[str]:
    from alembic.script import ScriptDirectory

    from ntm_desktop.db import _alembic_config

    return frozenset(rev.revision for rev in ScriptDirectory.from_config(_alembic_config()).walk_revisions())


@dataclass
class FileEntry:
    path: str
    entity: str
    count: int
    bytes: int
    sha256: str


@dataclass
class Manifest:
    package_id: str
    kind: str
    origin_unit_id: str
    origin_code: str
    origin_installation: str
    origin_user: str
    destination_unit_id: str
    destination_code: str
    created_utc: str
    sequence: int
    files: list[FileEntry] = field(default_factory=list)
    format: str = FORMAT_NAME
    format_version: int = FORMAT_VERSION
    app_version: str = __version__
    schema_version: str = ""
    catalogue_version: str = ""

    def to_json(self) -> bytes:
        data = asdict(self)
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")

    @classmethod
    def from_dict(cls, data: dict) -> "Manifest":
        files = [FileEntry(**f) for f in data.get("files", [])]
        fields = {k: v for k, v in data.items() if k in cls.__dataclass_fields__ and k != "files"}
        return cls(files=files, **fields)

    def counts(self) -> dict[str, int]:
        return {f.entity: f.count for f in self.files if f.entity}
