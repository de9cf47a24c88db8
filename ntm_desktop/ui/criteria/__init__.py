"""The NTM criteria screens: matrix page, assessment grid, commune profile, criteria sets."""

from ntm_desktop.ui.criteria.page import CriteriaPage

__all__ = ["CriteriaPage"]
