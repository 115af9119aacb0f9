"""URL space of the cooperative registry (/htx/)."""

app_name = "cooperatives"

urlpatterns: list = []
