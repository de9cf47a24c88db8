"""SQLAlchemy models. Rules (status, numbering) live in services, not here."""

from ntm_desktop.models.base import Base, Synced, new_id, utcnow
from ntm_desktop.models.units import Unit, UnitLevel
from ntm_desktop.models.directives import (
    DOC_TYPES,
    SECRECY_LABELS,
    URGENCY_LABELS,
    Attachment,
    Directive,
    Secrecy,
    Urgency,
)
from ntm_desktop.models.tasks import ProgressUpdate, Task, task_cooperators
from ntm_desktop.models.audit import AuditEntry, Setting

__all__ = [
    "Base", "Synced", "new_id", "utcnow", "Unit", "UnitLevel", "DOC_TYPES", "SECRECY_LABELS",
    "URGENCY_LABELS", "Attachment", "Directive", "Secrecy", "Urgency", "ProgressUpdate", "Task",
    "task_cooperators", "AuditEntry", "Setting",
]
