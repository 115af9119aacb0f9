"""Writes and files of the cooperative registry: import (with its dry-run preview), export and the
blank template. The rules of a row live in `resources.CooperativeResource`.

The web import's uploads, which start the background jobs (`tasks`) that call
`cooperatives_import`, are in `uploads.py`: views → uploads → tasks → services, one way."""

import contextlib
import datetime
import gc
from collections.abc import Callable, Iterator

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from agencies.models import Commune, Province

from .importer import ImportFileError, read_file
from .importer.formats import write_xlsx
from .models import Cooperative
from .resources import CooperativeResource, ImportReport


def cooperatives_import(
    *,
    data: bytes,
    name: str,
    user=None,
    dry_run: bool = False,
    default_province: Province | None = None,
    engine: str = "calamine",
    progress: Callable[[int, int], None] | None = None,
    check_first: bool = False,
    before_write: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import a provincial list, all or nothing: with any error nothing is written, and a dry
    run writes nothing at all (every row is checked first, then the rows are written in one
    transaction, see `CooperativeResource.import_rows`), so the preview's counts are exactly
    what confirming will do.

    `user` limits the rows to the provinces they may import for (None: every province, for
    the command line); `default_province` is used for rows that name none; `progress(done,
    total)` is called every 1,000 rows.

    The command line runs the whole import in one transaction (nobody writes the same rows
    between the check and the write). With `check_first` (the background jobs) the rows are
    checked outside any transaction, so `progress` may write what it reports, and only the
    write takes one (`before_write(n)` is called just before)."""
    with _without_cycle_collection():
        try:
            dataset = read_file(data, name=name, engine=engine)
        except ImportFileError as error:
            return ImportReport.failed(str(error))
        resource = CooperativeResource(
            user=user,
            default_province=default_province,
            progress=progress,
            before_write=before_write,
        )
        if check_first:
            return resource.import_rows(dataset, dry_run=dry_run, user=user)
        with transaction.atomic(using=resource.get_db_connection_name()):
            return resource.import_rows(dataset, dry_run=dry_run, user=user)


@contextlib.contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused while a file is imported. The import allocates millions
    of containers (rows, cells, each row's values) that live until the end, and the collector
    walks the growing heap again and again for cycles it never finds: 12 % of the import's CPU
    for 50,000 rows, a quarter on a second import in the same worker (issue 18, fifth pass).
    Reference counting still frees everything as before; any cycle left is collected once the
    collector runs again after the import."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def cooperatives_export(*, queryset: QuerySet[Cooperative]) -> bytes:
    """The cooperatives of `queryset` as .xlsx with the import headers: importing the file
    again changes nothing."""
    dataset = CooperativeResource().export(
        queryset.select_related("province__successor", "current_commune").order_by("pk")
    )
    return write_xlsx(dataset.headers, dataset)


def cooperatives_template(*, province: Province | None = None) -> bytes:
    """An .xlsx with the headers and one example row to fill in."""
    province = province or Province.objects.current().filter(code="75").first()
    example = Cooperative(
        registration_code="0100000001",
        name="HTX Nông nghiệp Bù Gia Mập",
        province=province,
        province_as_written="Bình Phước" if province and province.code == "75" else "",
        district="Bù Gia Mập",
        commune="Phú Nghĩa",
        address="Thôn Bù Tam",
        established_on=datetime.date(2017, 6, 12),
        representative="Điểu Thị Nhung",
        phone="0912345678",
        members=52,
        ethnic_minority_members=31,
        sector="Nông nghiệp",
        charter_capital=1_250_000_000,
        revenue=3_400_000_000,
        rating=Cooperative.Rating.FAIR,
        ocop_stars=3,
        ocop_products="Hạt điều rang muối",
        vietgap=True,
        in_ethnic_minority_area=True,
    )
    resource = CooperativeResource()
    return write_xlsx(
        resource.get_export_headers(), [resource.export_resource(example)], title="Mẫu"
    )


def choose_commune(coop: Cooperative, commune_id: int) -> Cooperative:
    """Set `coop`'s current commune to the one a person chose on /htx/can-kiem-tra/ (who may
    is the view's business: `Cooperative.objects.importable_by`). The commune must be one of
    today's, in the cooperative's province; otherwise ValidationError and nothing changes."""
    commune = Commune.objects.current().in_province(coop.province).filter(pk=commune_id).first()
    if commune is None:
        raise ValidationError(
            _("Hãy chọn một xã, phường hiện nay của %(province)s.")
            % {"province": coop.province.current_unit().label}
        )
    coop.current_commune = commune
    coop.save(update_fields=["current_commune", "updated_at"])
    return coop
