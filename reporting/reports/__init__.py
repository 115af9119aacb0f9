"""The sơ kết / tổng kết reports and the commendations they list.

- `models` (Report, AnnualReview, PhaseSummary, ReportSignatory, Commendation) and `querysets`
  (who reads and writes), `permissions` (the pages' one check), `services` (every write);
- `snapshot`: a program and a period in, the JSON snapshot of every figure out (read through
  `reporting.figures`, as the dashboards read them);
- `outline`: the snapshot and the staff's narrative laid out as headings, paragraphs and tables;
  `wording` and `formatting` write facts, numbers and dates the same way everywhere;
- one writer per output of that outline: `word` (the .docx) and the template
  `reporting/reports/report_detail.html` (HTML); `appendix` writes the .xlsx appendix from the
  snapshot, run by `tasks` in the background; `narrative` prefills the sections from the facts;
- `forms`, `views`, `urls` (names `report_*`, included by `reporting.urls`)."""
