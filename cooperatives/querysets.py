from django.db import models
from django.db.models import Q

from agencies.access import access_for
from agencies.models import Province
from core.text import search_key


class CooperativeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The registry is shared reference data: every signed-in user may read it."""
        return self.all() if access_for(user).authenticated else self.none()

    def in_province(self, province):
        """Cooperatives of `province`; a current unit includes those recorded under its old ones."""
        return self.filter(province__in=Province.objects.rolling_up_into(province))

    def search(self, query: str):
        """Tone-insensitive search on name, code, commune and representative."""
        if not query:
            return self
        key = search_key(query)
        return self.filter(
            Q(search_key__contains=key) | Q(registration_code__startswith=query.strip())
        )

    def active(self):
        return self.filter(status="active")
