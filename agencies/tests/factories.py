import factory
from django.contrib.auth import get_user_model

from agencies.models import Agency, Membership, Province

PASSWORD = "Mat-khau-thu-2026"


def province(code: str, *, current: bool = True) -> Province:
    """A unit from the reference data loaded by the migrations."""
    units = Province.objects.filter(code=code)
    return units.get(valid_to__isnull=True) if current else units.get(valid_to__isnull=False)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.vn")
    first_name = "Lan"
    last_name = "Nguyễn"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Sở Dân tộc và Tôn giáo số {n}")
    short_name = "SDTTG"
    kind = Agency.Kind.ETHNIC_AFFAIRS
    level = "provincial"
    province = factory.LazyFunction(lambda: province("75"))
    # A provincial board or department sits under its People's Committee (DOMAIN.md §5).
    under_peoples_committee = factory.LazyAttribute(
        lambda o: (
            o.level == "provincial"
            and o.kind in (Agency.Kind.ETHNIC_AFFAIRS, Agency.Kind.DEPARTMENT)
        )
    )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Membership.Role.STAFF
