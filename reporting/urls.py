"""URL space of managers' dashboards and the annual review / phase summary reports (/bao-cao/)."""

app_name = "reporting"

urlpatterns: list = []
