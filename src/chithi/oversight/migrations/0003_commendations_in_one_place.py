"""Commendations in one place (issue 12): the award levels take the practices room's levels in, an award may
name a person together with the practice they are commended for, and the practices' commendations are copied
here; practices 0003 then drops its own table. A practice's "ministry" level is `central` here."""

from typing import Any

from django.db import migrations, models

_LEVEL_IN = {"ministry": "central"}
_LEVEL_OUT = {"central": "ministry"}


def copy_in(apps: Any, schema_editor: Any) -> None:
    Commendation = apps.get_model("practices", "Commendation")
    Award = apps.get_model("oversight", "Award")
    rows = Commendation.objects.select_related("practice").order_by("id")
    made = Award.objects.bulk_create([
        Award(organisation_id=c.practice.organisation_id, practice_id=c.practice_id, person_id=c.person_id,
              form=c.title, level=_LEVEL_IN.get(c.level, c.level), decision_number=c.decision_number,
              awarded_on=c.awarded_on, issuer=c.issuer) for c in rows])
    for award, c in zip(made, rows, strict=True):  # keep when each was recorded
        Award.objects.filter(pk=award.pk).update(created_at=c.created_at, updated_at=c.updated_at)


def copy_out(apps: Any, schema_editor: Any) -> None:
    Commendation = apps.get_model("practices", "Commendation")
    Award = apps.get_model("oversight", "Award")
    for a in Award.objects.filter(practice__isnull=False).order_by("id"):
        Commendation.objects.create(practice_id=a.practice_id, person_id=a.person_id, title=a.form,
                                    level=_LEVEL_OUT.get(a.level, a.level), decision_number=a.decision_number,
                                    awarded_on=a.awarded_on, issuer=a.issuer)
    Award.objects.filter(practice__isnull=False).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('oversight', '0002_selfreportfile'),
        ('practices', '0002_search_indexes'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='award',
            name='oversight_award_one_recipient',
        ),
        migrations.AlterField(
            model_name='award',
            name='decision_number',
            field=models.CharField(max_length=100, verbose_name='decision number'),
        ),
        migrations.AlterField(
            model_name='award',
            name='level',
            field=models.CharField(choices=[('unit', 'Grassroots'), ('ward', 'Ward'), ('city', 'City'), ('province', 'Province'), ('central', 'Ministry or central body'), ('prime_minister', 'Prime Minister'), ('state', 'State')], max_length=20, verbose_name='level'),
        ),
        migrations.RunPython(copy_in, copy_out),
    ]
