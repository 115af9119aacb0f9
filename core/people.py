"""How a person is named on pages and documents: the one place that formats a user's name."""

from django.contrib.auth.base_user import AbstractBaseUser


def display_name(user: AbstractBaseUser) -> str:
    """A user's name as Vietnamese write it, family name first ('Nguyễn Thị Lan': Django's
    `last_name` holds the family and middle names, `first_name` the given name), else their
    login. Django's own `get_full_name()` puts the given name first, so it is not used."""
    name = f"{user.last_name} {user.first_name}".strip()
    return name or user.get_username()
