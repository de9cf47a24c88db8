"""The sync screen: send, receive, conflicts, history, inbox."""

from ntm_desktop.ui.sync.page import SyncPage

__all__ = ["SyncPage"]
