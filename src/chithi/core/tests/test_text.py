import datetime as dt

import pytest

from chithi.core.text import differing_start, fold, person_sort_key, vi_sort_key
from chithi.core.workdays import add_working_days, is_working_day, working_days_between


@pytest.mark.parametrize(("text", "folded"), [
    ("ĐÔNG HÀ", "dong ha"), ("Đường", "duong"), ("  Hũ   gạo  ", "hu gao"), ("Nghị quyết", "nghi quyet"),
    (None, ""), ("Ưu tiên", "uu tien"),
])
def test_fold(text, folded):
    assert fold(text) == folded


def test_sort_key_orders_letters_then_tones():
    words = ["ba", "bà", "bả", "bã", "bá", "bạ", "bă", "bâ", "c", "d", "đ", "e"]
    keys = [vi_sort_key(w) for w in words]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)


def test_person_sort_key_uses_given_name_first():
    assert person_sort_key("Trần Văn An") < person_sort_key("Nguyễn Văn Bình")
    assert person_sort_key("Lê An") < person_sort_key("Trần An")


def test_tet_and_weekends_are_not_working_days():
    assert not is_working_day(dt.date(2026, 2, 17))  # Tết Nguyên Đán
    assert not is_working_day(dt.date(2026, 11, 28))  # Saturday
    assert not is_working_day(dt.date(2026, 11, 24))  # Ngày Văn hóa Việt Nam, a holiday from 2026
    assert is_working_day(dt.date(2026, 11, 25))
    assert not is_working_day(dt.date(2026, 9, 2))  # National Day


def test_add_working_days_skips_tet():
    # Friday 13/02/2026, then Tết from 16 to 20/02: the next working day is Monday 23/02.
    assert add_working_days(dt.date(2026, 2, 13), 1) == dt.date(2026, 2, 23)
    assert add_working_days(dt.date(2026, 11, 27), 1) == dt.date(2026, 11, 30)
    assert add_working_days(dt.date(2026, 11, 28), 0) == dt.date(2026, 11, 30)


def test_working_days_between_is_signed():
    assert working_days_between(dt.date(2026, 11, 16), dt.date(2026, 11, 23)) == 5
    assert working_days_between(dt.date(2026, 11, 23), dt.date(2026, 11, 16)) == -5
    assert working_days_between(dt.date(2026, 11, 23), dt.date(2026, 11, 30)) == 4  # 24/11 is off


@pytest.mark.parametrize(("names", "tails"), [
    (["Chi bộ Khu phố 1, phường 1", "Chi bộ Khu phố 1, phường 3"], ["phường 1", "phường 3"]),
    (["Chi bộ Cơ quan UBND phường Đông Giang", "Chi bộ Cơ quan UBND phường Đông Thanh"], ["Đông Giang", "Đông Thanh"]),
    (["Chi bộ Cơ quan UBND phường 4", "Chi bộ Cơ quan UBND phường Đông Lễ"], ["phường 4", "phường Đông Lễ"]),
    (["Chi bộ KP1", "Chi bộ KP2"], ["KP1", "KP2"]),
    (["Trường THPT A", "Trường THPT B"], ["Trường THPT A", "Trường THPT B"]),  # one proper name: all of it
    (["Chi bộ KP1"], ["Chi bộ KP1"]),
])
def test_differing_start_keeps_what_tells_names_apart(names: list[str], tails: list[str]) -> None:
    start = differing_start(names)
    assert [n[start:] for n in names] == tails
