"""/tai-khoan/api-token/: the user's API tokens (pages of the api app, beside the profile)."""

from django.urls import path

from . import pages

app_name = "api_tokens"

urlpatterns = [
    path("", pages.token_list, name="token_list"),
    path("<int:pk>/thu-hoi/", pages.token_revoke, name="token_revoke"),
]
