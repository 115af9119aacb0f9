"""What an import did: `ImportReport` (counts and `RowError`s with the Excel row and column),
read by the preview, the admin, the command and, as JSON, the background jobs' pages."""

from dataclasses import dataclass, field

from ..importer.layout import Layout

# Rows of the preview kept in a job's summary (the counts cover the whole file).
PREVIEW_ROWS = 2000


@dataclass
class RowError:
    row: int | None  # Excel row number; None for the file as a whole
    column: str  # 'C “Mã HTX”' or ''
    message: str


@dataclass
class ImportReport:
    """What an import did or would do (in a dry run), for the preview, the admin and the
    command's summary line."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    # Rows that import but need a person: a commune the import could not place (issue 15).
    warnings: list[RowError] = field(default_factory=list)
    layout: Layout | None = None
    dry_run: bool = True
    # What each row would do, for the preview: {"row", "action": "new" | "updated", "code",
    # "name", "changes": [[label, old, new], …]}; at most PREVIEW_ROWS of them.
    rows: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total(self) -> int:
        return self.new + self.updated + self.unchanged

    @property
    def error_count(self) -> int:
        return len(self.errors)

    @property
    def summary(self) -> str:
        return (
            f"new={self.new} updated={self.updated} unchanged={self.unchanged} "
            f"skipped={self.skipped} errors={len(self.errors)}"
        )

    @classmethod
    def failed(cls, message: str) -> "ImportReport":
        return cls(errors=[RowError(None, "", message)])

    def as_json(self, *, max_errors: int = 200) -> dict:
        """The report as plain JSON (a background job's summary): the counts, the first
        `max_errors` errors with `error_count` telling how many there were, and the layout
        as the preview shows it. The template reads it as it reads the report itself."""
        layout = self.layout
        return {
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "ok": self.ok,
            "dry_run": self.dry_run,
            "error_count": self.error_count,
            "errors": [
                {"row": e.row, "column": e.column, "message": str(e.message)}
                for e in self.errors[:max_errors]
            ],
            "warnings": [
                {"row": w.row, "column": w.column, "message": str(w.message)}
                for w in self.warnings[:max_errors]
            ],
            "warning_count": len(self.warnings),
            "rows": self.rows,
            "row_count": self.new + self.updated,
            "skipped_rows": [
                {"row": number, "reason": str(reason)}
                for number, reason in (layout.skipped_rows[:PREVIEW_ROWS] if layout else [])
            ],
            "layout": layout
            and {
                "sheet": layout.sheet,
                "header_rows": list(layout.header_rows),
                "ignored": [
                    {"letter": c.letter, "header": c.header, "note": str(c.note)}
                    for c in layout.ignored
                ],
            },
        }
