"""Errors whose message is written for the user, in Vietnamese."""


class UserError(Exception):
    """An error the user can act on; str(error) is the Vietnamese message to show."""


class ValidationError(UserError):
    """Input that cannot be saved as it is; `field` names the offending field when known."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class DatabaseError(UserError):
    """The database cannot be opened or written."""


class NotADatabaseError(DatabaseError):
    pass


class NewerDatabaseError(DatabaseError):
    pass


class DatabaseLockedError(DatabaseError):
    pass


class DiskFullError(DatabaseError):
    pass
