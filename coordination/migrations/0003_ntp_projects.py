"""Load the ten projects of the National Target Program for socio-economic development of ethnic
minority and mountainous areas (Quyết định 1719/QĐ-TTg of 14/10/2021; DOMAIN.md §3). Rows are
matched on their number, so running it again changes nothing."""

from django.db import migrations

PROJECTS = [
    (1, "Giải quyết tình trạng thiếu đất ở, nhà ở, đất sản xuất, nước sinh hoạt"),
    (2, "Quy hoạch, sắp xếp, bố trí, ổn định dân cư ở những nơi cần thiết"),
    (
        3,
        "Phát triển sản xuất nông, lâm nghiệp bền vững, phát huy tiềm năng, thế mạnh của các vùng "
        "miền để sản xuất hàng hóa theo chuỗi giá trị",
    ),
    (
        4,
        "Đầu tư cơ sở hạ tầng thiết yếu, phục vụ sản xuất, đời sống trong vùng đồng bào dân tộc "
        "thiểu số và miền núi",
    ),
    (5, "Phát triển giáo dục đào tạo, nâng cao chất lượng nguồn nhân lực"),
    (
        6,
        "Bảo tồn, phát huy giá trị văn hóa truyền thống tốt đẹp của các dân tộc thiểu số gắn với "
        "phát triển du lịch",
    ),
    (
        7,
        "Chăm sóc sức khỏe Nhân dân, nâng cao thể trạng, tầm vóc người dân tộc thiểu số; phòng "
        "chống suy dinh dưỡng trẻ em",
    ),
    (
        8,
        "Thực hiện bình đẳng giới và giải quyết những vấn đề cấp thiết đối với phụ nữ và trẻ em",
    ),
    (
        9,
        "Đầu tư phát triển nhóm dân tộc thiểu số rất ít người và nhóm dân tộc còn nhiều khó khăn; "
        "giảm thiểu tình trạng tảo hôn và hôn nhân cận huyết thống",
    ),
    (
        10,
        "Truyền thông, tuyên truyền, vận động trong vùng đồng bào dân tộc thiểu số và miền núi; "
        "ứng dụng công nghệ thông tin; kiểm tra, giám sát đánh giá việc tổ chức thực hiện "
        "Chương trình",
    ),
]


def load(apps, schema_editor):
    NtpProject = apps.get_model("coordination", "NtpProject")
    for number, name in PROJECTS:
        NtpProject.objects.update_or_create(number=number, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("coordination", "0002_plans_approval_budget_source")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
