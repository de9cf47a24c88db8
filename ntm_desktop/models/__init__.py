"""SQLAlchemy models. Rules (status, numbering) live in services, not here."""

from ntm_desktop.models.base import Base, Revised, Synced, new_id, utcnow
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
    "Base", "Revised", "Synced", "new_id", "utcnow", "Unit", "UnitLevel", "DOC_TYPES", "SECRECY_LABELS",
    "URGENCY_LABELS", "Attachment", "Directive", "Secrecy", "Urgency", "ProgressUpdate", "Task",
    "task_cooperators", "AuditEntry", "Setting",
]
from ntm_desktop.models.criteria import (  # noqa: E402
    Assessment,
    CommuneProfile,
    CriteriaSet,
    Criterion,
    Indicator,
    IndicatorAssessment,
    Recognition,
    TaskCriterionLink,
    natural_id,
)

__all__ += [
    "Assessment", "CommuneProfile", "CriteriaSet", "Criterion", "Indicator", "IndicatorAssessment",
    "Recognition", "TaskCriterionLink", "natural_id",
]
from ntm_desktop.models.sync import ExportLog, ImportLedger, Receipt, SyncConflict, SyncSnapshot  # noqa: E402

__all__ += ["ExportLog", "ImportLedger", "Receipt", "SyncConflict", "SyncSnapshot"]
from ntm_desktop.models.sync_keys import SyncKey  # noqa: E402

__all__ += ["SyncKey"]
from ntm_desktop.models.users import User  # noqa: E402

__all__ += ["User"]
from ntm_desktop.models.stored_files import StoredFile  # noqa: E402

__all__ += ["StoredFile"]
