"""The app's models, for Django (the app registry, migrations, the admin): the sơ kết / tổng kết
reports and the commendations are defined in `reporting.reports.models`. Dashboards have no
models."""

from .reports.models import (
    NARRATIVE_FIELDS,
    NARRATIVE_SECTIONS,
    AnnualReview,
    Commendation,
    KindManager,
    PhaseSummary,
    Report,
    ReportSignatory,
)

__all__ = [
    "NARRATIVE_FIELDS",
    "NARRATIVE_SECTIONS",
    "AnnualReview",
    "Commendation",
    "KindManager",
    "PhaseSummary",
    "Report",
    "ReportSignatory",
]
