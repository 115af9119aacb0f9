"""Existing task areas get the standard area their wording names (the rule of
`StandardArea.for_title`, copied here so later changes to it do not rewrite history): its key
words decide (the five standard titles name their own area); otherwise 'other'. The number is
not used: An Giang's seven tasks of Kết luận 70 are numbered 1–7 in their own order."""

from django.db import migrations

from core.text import search_key

WORDS = [
    (4, ("mtqg", "muc tieu quoc gia", "chuong trinh 120", "1719")),
    (5, ("kiem tra", "giam sat", "so ket", "tong ket", "khen thuong")),
    (1, ("chinh sach",)),
    (3, ("dao tao", "boi duong")),
    (2, ("tuyen truyen", "thong tin")),
]


def standard_area(title: str) -> int:
    key = search_key(title)
    for number, words in WORDS:
        if any(word in key for word in words):
            return number
    return 0


def forwards(apps, schema_editor):
    TaskArea = apps.get_model("coordination", "TaskArea")
    changed = []
    for area in TaskArea.objects.only("pk", "title"):
        area.standard_area = standard_area(area.title)
        changed.append(area)
    TaskArea.objects.bulk_update(changed, ["standard_area"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("coordination", "0015_task_area_standard_area")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
