"""Managers' dashboards: the figures of `reporting.figures` as tables, charts and key figures,
with the list behind every number. `forms` reads the filters from the query string, `build`
makes whole dashboards from `figure_tables` (each figure as a `tables.Table`, its `links` and
its `charts`), `cache` keeps built dashboards for a bounded age, `views` and `urls` serve them
under `/bao-cao/`. Dashboards have no models of their own."""
