"""Realistic Vietnamese names for demo and scale data (family names weighted as in the population)."""

from __future__ import annotations

import random

FAMILY = [
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Huỳnh", 4), ("Phan", 4), ("Võ", 4),
    ("Vũ", 3), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 2), ("Ngô", 2), ("Dương", 1), ("Lý", 1),
    ("Đường", 1), ("Trương", 1), ("Đinh", 1), ("Lương", 1), ("Mai", 1), ("Cao", 1), ("Tôn", 1),
]
MIDDLE_MALE = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Công", "Xuân", "Ngọc", "Đình", "Anh"]
MIDDLE_FEMALE = ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Mỹ", "Hồng", "Kim", "Phương", "Bích"]
GIVEN_MALE = ["An", "Anh", "Bình", "Cường", "Dũng", "Đạt", "Đức", "Hải", "Hiếu", "Hùng", "Huy", "Khánh",
              "Khoa", "Lâm", "Long", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tài",
              "Thắng", "Thành", "Tiến", "Toàn", "Trung", "Tuấn", "Việt", "Vinh", "Ân", "Ẩn", "Ý"]
GIVEN_FEMALE = ["An", "Anh", "Ánh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Huyền",
                "Lan", "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Nhung", "Oanh", "Phượng",
                "Quỳnh", "Tâm", "Thảo", "Thủy", "Trang", "Tuyền", "Uyên", "Vân", "Yến", "Ấn", "Ẩm"]


def random_name(rng: random.Random, gender: str) -> str:
    family = rng.choices([f for f, _w in FAMILY], weights=[w for _f, w in FAMILY])[0]
    if gender == "female":
        return f"{family} {rng.choice(MIDDLE_FEMALE)} {rng.choice(GIVEN_FEMALE)}"
    return f"{family} {rng.choice(MIDDLE_MALE)} {rng.choice(GIVEN_MALE)}"
