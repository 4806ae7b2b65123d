"""A practice's search column reads its unit's name: renaming the unit refreshes it (it kept the old name)."""

from __future__ import annotations

from chithi.core.search import search
from chithi.orgs import services as org_services
from chithi.practices.models import Practice

from .factories import PracticeFactory


def test_renaming_a_unit_refreshes_its_practices_search_text(world):
    practice = PracticeFactory(organisation=world.cell_a1, name="Hũ gạo tình thương")
    assert search(Practice.objects.all(), "khu pho 1").filter(pk=practice.pk).exists()
    org_services.update_organisation(actor=world.user("admin"), org=world.cell_a1, name="Chi bộ Tổ dân phố Bảy")
    assert search(Practice.objects.all(), "to dan pho bay").filter(pk=practice.pk).exists()
    assert not search(Practice.objects.all(), "khu pho 1").filter(pk=practice.pk).exists()
