"""The sơ kết / tổng kết reports: permissions (`querysets`, `permissions`), the data builder
(`builder`: program and period → plain data), the document composer (`document`: data and
narrative → headings, paragraphs and tables), and one writer per output (`docx`, `xlsx`; the
HTML one is the template `reporting/reports/report_detail.html`). Services, forms, views and
urls of the report pages live here too, apart from the dashboards of `reporting`."""
