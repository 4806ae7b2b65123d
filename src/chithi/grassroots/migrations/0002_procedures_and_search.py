"""The configurable list of procedures helped with at home (edited later in the admin), and trigram indexes on the
search columns (PostgreSQL only)."""

from django.db import migrations

from chithi.core.search import trigram_index_operation

PROCEDURES = [
    ("cccd-chip", "Cấp, đổi thẻ căn cước (gắn chip)"),
    ("vneid", "Kích hoạt tài khoản định danh điện tử (VNeID) mức 2"),
    ("cu-tru", "Đăng ký thường trú, tạm trú"),
    ("xac-nhan-cu-tru", "Xác nhận thông tin cư trú"),
    ("khai-tu", "Đăng ký khai tử"),
    ("tro-cap", "Hồ sơ trợ cấp xã hội"),
]


def add_procedures(apps, schema_editor):
    Procedure = apps.get_model("grassroots", "Procedure")
    for position, (code, name) in enumerate(PROCEDURES, start=1):
        Procedure.objects.get_or_create(code=code, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("grassroots", "0001_initial")]

    operations = [
        migrations.RunPython(add_procedures, migrations.RunPython.noop),
        trigram_index_operation("grassroots_meeting"),
        trigram_index_operation("grassroots_workinggroup"),
        trigram_index_operation("grassroots_household"),
    ]
