import factory

from agencies.tests.factories import province
from cooperatives.models import Cooperative


class CooperativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cooperative

    registration_code = factory.Sequence(lambda n: f"{3800000000 + n:010d}")
    name = factory.Sequence(lambda n: f"HTX Nông nghiệp số {n}")
    kind = Cooperative.Kind.COOPERATIVE
    province = factory.LazyFunction(lambda: province("75"))
    members = 20
    ethnic_minority_members = 10
    sector = "Nông nghiệp"
