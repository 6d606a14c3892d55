"""Words and product templates the demo data is drawn from: realistic, Vietnamese, fictional people.

Province numbers are the 2025 codes of `vietnam_provinces` (34 provinces): 1 Hà Nội, 4 Cao Bằng,
8 Tuyên Quang (with Hà Giang), 11 Điện Biên, 12 Lai Châu, 14 Sơn La, 15 Lào Cai (with Yên Bái),
19 Thái Nguyên (with Bắc Kạn), 20 Lạng Sơn, 22 Quảng Ninh, 24 Bắc Ninh (with Bắc Giang), 25 Phú Thọ
(with Hòa Bình, Vĩnh Phúc), 31 Hải Phòng (with Hải Dương), 33 Hưng Yên (with Thái Bình), 37 Ninh Bình
(with Nam Định, Hà Nam), 38 Thanh Hóa, 40 Nghệ An, 42 Hà Tĩnh, 44 Quảng Trị (with Quảng Bình), 46 Huế,
48 Đà Nẵng (with Quảng Nam), 51 Quảng Ngãi (with Kon Tum), 52 Gia Lai (with Bình Định), 56 Khánh Hòa
(with Ninh Thuận), 66 Đắk Lắk (with Phú Yên), 68 Lâm Đồng (with Đắk Nông, Bình Thuận), 75 Đồng Nai,
79 TP Hồ Chí Minh, 80 Tây Ninh (with Long An), 82 Đồng Tháp (with Tiền Giang), 86 Vĩnh Long (with Bến
Tre, Trà Vinh), 91 An Giang (with Kiên Giang), 92 Cần Thơ (with Sóc Trăng, Hậu Giang), 96 Cà Mau.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache

import vietnam_provinces as vp

from matchmaking.enums import BuyerKind, ProducerKind, ProductGroup, QualityMark
from matchmaking.taxonomy import group_of


@dataclass(frozen=True, slots=True)
class NameForm:
    """A product name; `{place}` takes the producer's locality. Fixed-origin names list provinces."""

    text: str
    provinces: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Packing:
    """A sales unit with its VND price range, minimum order and monthly capacity ranges."""

    unit: str
    price: tuple[int, int]
    min_order: tuple[int, int]
    capacity: tuple[int, int]


@dataclass(frozen=True, slots=True)
class ProductTemplate:
    """A kind of OCOP product; the first packing is the one buyers' demands use."""

    key: str
    subgroup: str
    trade: str
    demand_noun: str
    names: tuple[NameForm, ...]
    variants: tuple[str, ...]
    packings: tuple[Packing, ...]
    shelf_life: tuple[int, int] | None
    marks: tuple[tuple[QualityMark, float], ...]
    blurb: str
    weight: float
    group: ProductGroup = field(init=False)

    def __post_init__(self) -> None:
        group = group_of(self.subgroup)
        if group is None:
            raise ValueError(f"unknown sub-group {self.subgroup!r}")
        object.__setattr__(self, "group", group)

    @property
    def home_provinces(self) -> tuple[int, ...]:
        """Provinces where a fixed-origin name of this product is made."""
        return tuple(sorted({p for n in self.names for p in n.provinces}))


def _n(text: str, *provinces: int) -> NameForm:
    return NameForm(text, provinces)


def _p(unit: str, price: tuple[int, int], mo: tuple[int, int], cap: tuple[int, int]) -> Packing:
    return Packing(unit, price, mo, cap)


M = QualityMark
_FARM = ((M.VIETGAP, 0.35), (M.GLOBALGAP, 0.06), (M.ORGANIC, 0.08), (M.GI, 0.3))
_PLANT = ((M.HACCP, 0.2), (M.ISO22000, 0.12))
_CRAFT: tuple[tuple[QualityMark, float], ...] = ((M.GI, 0.05),)
_NONE: tuple[tuple[QualityMark, float], ...] = ()

TEMPLATES: tuple[ProductTemplate, ...] = (
    # --- food: fresh produce ---
    ProductTemplate(
        "CAM", "fresh_produce", "Cây ăn quả", "cam",
        (_n("Cam Cao Phong", 25), _n("Cam Vinh", 40), _n("Cam sành Hàm Yên", 8),
         _n("Cam Bố Hạ", 24), _n("Cam đường canh {place}")),
        ("", "", "loại 1", "quà tặng", "hộp quà 5 kg"),
        (_p("kg", (25_000, 60_000), (50, 500), (3_000, 60_000)),),
        (20, 40), _FARM, "Quả mọng nước, vị ngọt thanh, vỏ mỏng, thu hái đúng độ chín.", 3.0,
    ),
    ProductTemplate(
        "BUOI", "fresh_produce", "Bưởi", "bưởi",
        (_n("Bưởi Diễn", 1), _n("Bưởi da xanh", 86, 82), _n("Bưởi Đoan Hùng", 25),
         _n("Bưởi Phúc Trạch", 42), _n("Bưởi Tân Triều", 75), _n("Bưởi {place}")),
        ("", "loại 1", "quà tặng"),
        (_p("kg", (30_000, 80_000), (50, 300), (2_000, 40_000)),),
        (20, 45), _FARM, "Múi mọng, tép giòn, ngọt mát, được trồng theo quy trình an toàn.", 2.5,
    ),
    ProductTemplate(
        "VAI", "fresh_produce", "Vải thiều", "vải thiều",
        (_n("Vải thiều Lục Ngạn", 24), _n("Vải thiều Thanh Hà", 31), _n("Vải thiều {place}")),
        ("", "loại 1", "xuất khẩu"),
        (_p("kg", (25_000, 60_000), (100, 1_000), (5_000, 80_000)),),
        (5, 12), _FARM, "Cùi dày, hạt nhỏ, vị ngọt đậm, thu hái và sơ chế trong ngày.", 2.0,
    ),
    ProductTemplate(
        "NHAN", "fresh_produce", "Nhãn", "nhãn lồng",
        (_n("Nhãn lồng Hưng Yên", 33), _n("Nhãn Sông Mã", 14), _n("Nhãn {place}")),
        ("", "loại 1", "hộp quà"),
        (_p("kg", (30_000, 70_000), (50, 500), (2_000, 30_000)),),
        (5, 10), _FARM, "Cùi dày, ráo nước, vị ngọt sắc, hương thơm đặc trưng.", 1.5,
    ),
    ProductTemplate(
        "QUA", "fresh_produce", "Nông sản", "trái cây",
        (_n("Na Chi Lăng", 20), _n("Xoài cát Hòa Lộc", 82), _n("Thanh long ruột đỏ", 68, 80),
         _n("Sầu riêng Ri6", 66, 86), _n("Dứa Đồng Giao", 37), _n("Mận hậu Mộc Châu", 14),
         _n("Chuối tiêu hồng {place}"), _n("Ổi lê {place}")),
        ("", "loại 1", "VietGAP"),
        (_p("kg", (20_000, 120_000), (50, 500), (2_000, 50_000)),),
        (7, 20), _FARM, "Trái cây đặc sản được chọn lọc, đóng thùng và dán tem truy xuất.", 3.0,
    ),
    ProductTemplate(
        "GAO", "fresh_produce", "Lúa gạo", "gạo",
        (_n("Gạo ST25", 92, 96), _n("Gạo ST24", 92, 96), _n("Gạo nếp cái hoa vàng", 33, 37, 31),
         _n("Gạo Séng Cù", 15, 11), _n("Gạo tám Điện Biên", 11), _n("Gạo hữu cơ {place}"),
         _n("Gạo nếp {place}"), _n("Gạo thơm {place}")),
        ("", "túi 5 kg", "túi 2 kg", "hút chân không", "hữu cơ"),
        (_p("kg", (22_000, 45_000), (200, 2_000), (10_000, 200_000)),
         _p("túi", (110_000, 250_000), (50, 500), (2_000, 20_000))),
        (180, 365), _FARM, "Hạt gạo dài, trong, cơm dẻo thơm, xay xát và đóng gói tại vùng trồng.", 4.0,
    ),
    ProductTemplate(
        "MO", "processed_food", "Mật ong", "mật ong",
        (_n("Mật ong bạc hà", 8), _n("Mật ong hoa nhãn", 33, 14), _n("Mật ong rừng {place}"),
         _n("Mật ong hoa cà phê", 66, 68), _n("Mật ong {place}")),
        ("chai 500 ml", "chai 1 lít", "hũ 250 g", "nguyên chất"),
        (_p("lít", (250_000, 650_000), (10, 100), (200, 5_000)),
         _p("chai", (150_000, 420_000), (20, 200), (300, 8_000))),
        (540, 730), (*_PLANT, (M.ORGANIC, 0.08), (M.GI, 0.1)),
        "Mật ong nguyên chất, độ ẩm thấp, không pha tạp, khai thác theo mùa hoa.", 3.0,
    ),
    # --- food: processed ---
    ProductTemplate(
        "SAY", "processed_food", "Nông sản sấy", "hoa quả sấy",
        (_n("Vải thiều sấy khô", 24, 31), _n("Hồng sấy Đà Lạt", 68), _n("Mít sấy giòn {place}"),
         _n("Chuối sấy dẻo {place}"), _n("Xoài sấy dẻo", 82, 56), _n("Mận sấy Mộc Châu", 14)),
        ("túi 250 g", "hộp 500 g", "túi 500 g", "gói 200 g"),
        (_p("gói", (35_000, 120_000), (50, 500), (1_000, 20_000)),
         _p("kg", (150_000, 450_000), (20, 200), (300, 5_000))),
        (180, 365), _PLANT, "Sấy lạnh giữ màu và vị tự nhiên, không chất bảo quản.", 3.0,
    ),
    ProductTemplate(
        "THIT", "processed_food", "Thực phẩm", "thịt gác bếp",
        (_n("Thịt trâu gác bếp", 15, 12, 11, 14, 8), _n("Lạp xưởng {place}"),
         _n("Chả mực Hạ Long", 22), _n("Giò bê {place}"), _n("Nem chua Thanh Hóa", 38),
         _n("Chả cá Lã Vọng", 1), _n("Ruốc thịt {place}")),
        ("túi 500 g", "hút chân không", "hộp 300 g", ""),
        (_p("kg", (250_000, 1_200_000), (10, 100), (200, 5_000)),),
        (7, 180), (*_PLANT, (M.TRACEABILITY, 0.2)),
        "Chế biến theo công thức truyền thống, đóng gói hút chân không, bảo quản lạnh.", 2.5,
    ),
    ProductTemplate(
        "BANH", "processed_food", "Bánh kẹo", "bánh kẹo đặc sản",
        (_n("Bánh gai Tứ Trụ", 38), _n("Bánh cáy", 33), _n("Cốm làng Vòng", 1),
         _n("Bánh pía", 92), _n("Kẹo dừa", 86), _n("Kẹo lạc {place}"), _n("Bánh đa Kế", 24),
         _n("Bánh khảo {place}"), _n("Chè lam {place}")),
        ("hộp 500 g", "hộp quà", "gói 250 g", "đặc biệt"),
        (_p("hộp", (30_000, 150_000), (50, 500), (1_000, 30_000)),),
        (30, 180), _PLANT, "Làm thủ công từ nguyên liệu địa phương, hương vị truyền thống.", 2.5,
    ),
    ProductTemplate(
        "MIEN", "processed_food", "Miến dong", "miến dong",
        (_n("Miến dong Bình Liêu", 22), _n("Miến dong Na Rì", 19), _n("Phở khô", 37),
         _n("Bún khô {place}"), _n("Hủ tiếu Mỹ Tho", 82), _n("Bánh tráng Trảng Bàng", 80),
         _n("Miến dong {place}")),
        ("gói 500 g", "gói 1 kg", "túi 300 g"),
        (_p("kg", (60_000, 140_000), (50, 500), (2_000, 30_000)),
         _p("gói", (30_000, 75_000), (100, 1_000), (2_000, 40_000))),
        (180, 365), _PLANT, "Sợi dai, không hóa chất tẩy trắng, phơi khô tự nhiên.", 2.0,
    ),
    # --- food: condiments ---
    ProductTemplate(
        "MAM", "condiments", "Nước mắm", "nước mắm",
        (_n("Nước mắm Phú Quốc", 91), _n("Nước mắm Cát Hải", 31), _n("Nước mắm Nha Trang", 56),
         _n("Nước mắm Cái Rồng", 22), _n("Nước mắm Nam Ô", 48), _n("Nước mắm Sa Huỳnh", 51),
         _n("Nước mắm truyền thống {place}")),
        ("chai 500 ml", "chai 750 ml", "40 độ đạm", "30 độ đạm", "can 2 lít"),
        (_p("chai", (45_000, 180_000), (100, 1_000), (2_000, 50_000)),
         _p("lít", (60_000, 250_000), (100, 1_000), (2_000, 40_000))),
        (540, 730), (*_PLANT, (M.GI, 0.15)),
        "Ủ chượp cá cơm với muối theo phương pháp truyền thống từ 12 đến 18 tháng.", 3.0,
    ),
    ProductTemplate(
        "GIAVI", "condiments", "Gia vị", "gia vị",
        (_n("Tương Bần", 33), _n("Tỏi Lý Sơn", 51), _n("Hồ tiêu Phú Quốc", 91),
         _n("Hồ tiêu Chư Sê", 52), _n("Mắc khén", 14, 15), _n("Muối tôm Tây Ninh", 80),
         _n("Tương ớt {place}"), _n("Mắm tôm {place}"), _n("Muối vừng {place}")),
        ("hũ 200 g", "chai 500 ml", "gói 100 g", "túi 500 g"),
        (_p("hộp", (25_000, 90_000), (100, 1_000), (2_000, 30_000)),
         _p("kg", (80_000, 450_000), (20, 300), (500, 10_000))),
        (180, 540), (*_PLANT, (M.VIETGAP, 0.1), (M.GI, 0.1)),
        "Nguyên liệu tuyển chọn, chế biến và đóng gói tại cơ sở đạt điều kiện an toàn thực phẩm.",
        2.5,
    ),
    # --- beverages ---
    ProductTemplate(
        "CHE", "tea", "Chè", "chè Shan tuyết",
        (_n("Chè Shan tuyết {place}"), _n("Trà Shan tuyết cổ thụ", 8, 15, 14, 11),
         _n("Bạch trà Shan tuyết", 8, 15), _n("Hồng trà Shan tuyết", 8, 15, 12),
         _n("Chè Shan tuyết Mộc Châu", 14), _n("Chè Shan tuyết Suối Giàng", 15)),
        ("hộp 100 g", "hộp 200 g", "túi 500 g", "đặc biệt", "búp non"),
        (_p("kg", (300_000, 2_500_000), (5, 50), (100, 3_000)),
         _p("hộp", (120_000, 600_000), (20, 200), (300, 6_000))),
        (365, 730), ((M.ORGANIC, 0.2), (M.VIETGAP, 0.25), (M.GI, 0.1), (M.HACCP, 0.1)),
        "Búp chè từ cây chè cổ thụ trên núi cao, sao thủ công, nước xanh vàng, hậu ngọt.", 3.5,
    ),
    ProductTemplate(
        "TRA", "tea", "Chè", "chè xanh",
        (_n("Chè xanh Thái Nguyên", 19), _n("Trà Tân Cương", 19), _n("Chè búp {place}"),
         _n("Trà móc câu {place}"), _n("Trà sen Tây Hồ", 1), _n("Trà ô long", 68),
         _n("Chè xanh Phú Thọ", 25), _n("Chè Bát Tiên", 4, 8)),
        ("hộp 200 g", "túi 500 g", "gói 100 g", "đặc biệt", "tôm nõn"),
        (_p("kg", (200_000, 1_200_000), (10, 200), (300, 8_000)),
         _p("hộp", (80_000, 450_000), (20, 300), (500, 10_000))),
        (365, 540), ((M.VIETGAP, 0.35), (M.ORGANIC, 0.08), (M.GI, 0.15), (M.HACCP, 0.12)),
        "Chè búp sao sấy theo kinh nghiệm làng nghề, cánh nhỏ xoăn, nước xanh, vị chát dịu.", 4.0,
    ),
    ProductTemplate(
        "CF", "coffee", "Cà phê", "cà phê",
        (_n("Cà phê Robusta Buôn Ma Thuột", 66), _n("Cà phê Arabica Cầu Đất", 68),
         _n("Cà phê Arabica Sơn La", 14), _n("Cà phê Khe Sanh", 44), _n("Cà phê rang xay {place}"),
         _n("Cà phê hạt Gia Lai", 52), _n("Cà phê Culi {place}")),
        ("túi 500 g", "hộp 250 g", "rang mộc", "pha phin", "hạt rang"),
        (_p("kg", (180_000, 600_000), (20, 300), (500, 20_000)),
         _p("túi", (90_000, 320_000), (50, 500), (500, 15_000))),
        (180, 365), ((M.ORGANIC, 0.1), (M.HACCP, 0.15), (M.GI, 0.15), (M.VIETGAP, 0.1)),
        "Hạt chín chọn lọc, sơ chế ướt, rang mộc không tẩm hương liệu.", 3.0,
    ),
    ProductTemplate(
        "RUOU", "alcoholic", "Rượu", "rượu đặc sản",
        (_n("Rượu Bàu Đá", 52), _n("Rượu Làng Vân", 24), _n("Rượu ngô men lá Bắc Hà", 15),
         _n("Rượu Kim Sơn", 37), _n("Rượu táo mèo", 15, 12), _n("Rượu sim", 91),
         _n("Vang nho", 56), _n("Rượu nếp cái hoa vàng {place}")),
        ("chai 500 ml", "chai 750 ml", "bình 2 lít", "hộp quà"),
        (_p("chai", (80_000, 450_000), (50, 500), (500, 10_000)),
         _p("lít", (60_000, 220_000), (50, 500), (500, 8_000))),
        (1095, 3650), _PLANT, "Chưng cất thủ công bằng men lá, hạ độ và tàng trữ trong chum sành.",
        2.5,
    ),
    ProductTemplate(
        "NUOC", "non_alcoholic", "Đồ uống", "nước giải khát",
        (_n("Nước cốt chanh leo {place}"), _n("Nước yến sào", 56), _n("Nước dừa", 86),
         _n("Siro dâu tằm {place}"), _n("Nước ép cam {place}"), _n("Sữa tươi Ba Vì", 1),
         _n("Nước cốt gừng {place}")),
        ("chai 330 ml", "hộp 6 chai", "chai 1 lít", "thùng 24 chai"),
        (_p("chai", (12_000, 60_000), (200, 2_000), (5_000, 100_000)),
         _p("hộp", (70_000, 250_000), (50, 500), (1_000, 20_000))),
        (90, 365), (*_PLANT, (M.ORGANIC, 0.05)),
        "Đóng chai trên dây chuyền khép kín, không phẩm màu, giữ vị tự nhiên.", 1.5,
    ),
    # --- herbal ---
    ProductTemplate(
        "DL", "herbal_food", "Dược liệu", "trà dược liệu",
        (_n("Trà giảo cổ lam", 25, 37), _n("Trà hoa vàng Ba Chẽ", 22), _n("Trà atiso Đà Lạt", 68),
         _n("Tinh bột nghệ {place}"), _n("Trà túi lọc {place}"), _n("Nấm linh chi {place}"),
         _n("Trà hoa cúc {place}"), _n("Đông trùng hạ thảo sấy {place}")),
        ("hộp 20 túi lọc", "túi 500 g", "hộp 200 g", "hộp quà"),
        (_p("hộp", (50_000, 350_000), (50, 500), (500, 15_000)),
         _p("kg", (200_000, 1_500_000), (5, 100), (100, 3_000))),
        (365, 730), ((M.ORGANIC, 0.1), (M.HACCP, 0.15), (M.ISO22000, 0.08), (M.VIETGAP, 0.1)),
        "Dược liệu trồng và thu hái tại vùng nguyên liệu, sấy lạnh, đóng gói túi lọc.", 3.5,
    ),
    ProductTemplate(
        "SAM", "herbal_food", "Sâm", "sâm",
        (_n("Sâm Ngọc Linh", 51, 48), _n("Sâm dây Ngọc Linh", 51), _n("Sâm Lai Châu", 12),
         _n("Đinh lăng {place}"), _n("Rượu sâm {place}")),
        ("củ tươi", "sấy khô", "hộp quà", "loại 1"),
        (_p("kg", (1_000_000, 90_000_000), (1, 5), (5, 200)),),
        (180, 730), ((M.ORGANIC, 0.1), (M.GI, 0.2), (M.TRACEABILITY, 0.4)),
        "Trồng dưới tán rừng tự nhiên, có tem truy xuất từng củ.", 1.0,
    ),
    ProductTemplate(
        "TD", "herbal_cosmetics", "Tinh dầu", "tinh dầu",
        (_n("Tinh dầu quế", 15, 51), _n("Tinh dầu hồi Lạng Sơn", 20), _n("Tinh dầu tràm Huế", 46),
         _n("Tinh dầu sả chanh {place}"), _n("Tinh dầu bưởi {place}"),
         _n("Xà bông thảo dược {place}"), _n("Dầu gội bồ kết {place}")),
        ("chai 10 ml", "chai 50 ml", "chai 100 ml", "hộp quà"),
        (_p("chai", (45_000, 280_000), (50, 500), (500, 15_000)),),
        (540, 1095), ((M.ORGANIC, 0.08), (M.ISO22000, 0.05), (M.GI, 0.1)),
        "Chưng cất hơi nước từ nguyên liệu tự nhiên, không pha hương liệu tổng hợp.", 2.0,
    ),
    ProductTemplate(
        "CAO", "herbal_medicine", "Dược liệu", "cao dược liệu",
        (_n("Cao atiso Đà Lạt", 68), _n("Cao giảo cổ lam", 25), _n("Cao chè vằng {place}"),
         _n("Thuốc tắm người Dao đỏ", 15, 8), _n("Cao dược liệu {place}"),
         _n("Viên nghệ mật ong {place}")),
        ("lọ 100 g", "hộp 200 g", "hộp 10 gói", "chai 250 ml"),
        (_p("hộp", (90_000, 650_000), (20, 300), (300, 8_000)),),
        (365, 730), _PLANT, "Bào chế từ dược liệu bản địa theo bài thuốc gia truyền.", 1.5,
    ),
    # --- textiles (handicrafts since Decision 148) ---
    ProductTemplate(
        "TC", "brocade", "Dệt thổ cẩm", "thổ cẩm",
        (_n("Khăn thổ cẩm Thái", 14, 40), _n("Túi thổ cẩm H'Mông", 8, 15), _n("Thổ cẩm Mường", 25),
         _n("Vải lanh H'Mông", 8, 15), _n("Khăn thổ cẩm Ê Đê", 66), _n("Thổ cẩm {place}")),
        ("khổ lớn", "dệt tay", "họa tiết truyền thống", "quà tặng"),
        (_p("cái", (80_000, 1_200_000), (10, 100), (50, 1_500)),),
        None, _CRAFT, "Dệt tay trên khung cửi, nhuộm chàm và màu tự nhiên, họa tiết của dân tộc.",
        1.0,
    ),
    ProductTemplate(
        "LUA", "garments", "Dệt lụa", "lụa tơ tằm",
        (_n("Lụa Vạn Phúc", 1), _n("Lụa tơ tằm Bảo Lộc", 68), _n("Lụa Nha Xá", 37),
         _n("Khăn lụa tơ tằm {place}"), _n("Áo dài lụa {place}")),
        ("khăn choàng", "khổ 90 cm", "in hoa", "hộp quà"),
        (_p("cái", (150_000, 900_000), (10, 100), (50, 2_000)),
         _p("bộ", (1_200_000, 4_000_000), (5, 30), (20, 300))),
        None, _CRAFT, "Dệt từ tơ tằm nguyên chất, mềm mát, bền màu.", 1.0,
    ),
    # --- handicrafts ---
    ProductTemplate(
        "MAY", "bamboo_rattan", "Mây tre đan", "mây tre đan",
        (_n("Mây tre đan Phú Vinh", 1), _n("Chiếu cói Kim Sơn", 37), _n("Chiếu cói Nga Sơn", 38),
         _n("Giỏ cói {place}"), _n("Mây tre đan {place}"), _n("Đèn tre {place}")),
        ("cỡ lớn", "cỡ nhỏ", "bộ 3 chiếc", "xuất khẩu"),
        (_p("cái", (40_000, 1_500_000), (20, 300), (200, 10_000)),
         _p("bộ", (200_000, 2_500_000), (10, 100), (50, 2_000))),
        None, _CRAFT, "Đan thủ công từ nguyên liệu tự nhiên đã xử lý chống mốc.", 2.0,
    ),
    ProductTemplate(
        "GOM", "ceramics", "Gốm", "gốm",
        (_n("Gốm Bát Tràng", 1), _n("Gốm Chu Đậu", 31), _n("Gốm Phù Lãng", 24),
         _n("Gốm Bàu Trúc", 56), _n("Gốm Thanh Hà", 48), _n("Gốm {place}")),
        ("bình hoa", "bộ ấm chén", "men lam", "men rạn", "đĩa trang trí"),
        (_p("cái", (60_000, 3_000_000), (10, 200), (100, 5_000)),
         _p("bộ", (300_000, 2_500_000), (5, 100), (50, 1_500))),
        None, _CRAFT, "Tạo hình thủ công, nung lò ga ở nhiệt độ cao, men bền màu.", 1.5,
    ),
    ProductTemplate(
        "GO", "wood", "Đồ gỗ", "đồ gỗ mỹ nghệ",
        (_n("Tượng gỗ Sơn Đồng", 1), _n("Đồ gỗ Đồng Kỵ", 24), _n("Gỗ mỹ nghệ Kim Bồng", 48),
         _n("Thớt gỗ nghiến {place}"), _n("Đũa gỗ {place}")),
        ("cỡ nhỏ", "cỡ lớn", "bộ quà tặng", "chạm khắc tay"),
        (_p("cái", (30_000, 5_000_000), (10, 200), (100, 5_000)),),
        None, _CRAFT, "Chế tác từ gỗ rừng trồng hợp pháp, chạm khắc thủ công.", 1.0,
    ),
    ProductTemplate(
        "SM", "lacquer", "Sơn mài", "sơn mài",
        (_n("Tranh sơn mài Hạ Thái", 1), _n("Sơn mài Tương Bình Hiệp", 79),
         _n("Hộp sơn mài {place}"), _n("Bình sơn mài {place}")),
        ("khổ 40x60", "khổ 60x90", "khảm trứng", "dát vàng"),
        (_p("cái", (200_000, 8_000_000), (5, 50), (20, 800)),),
        None, _CRAFT, "Nhiều lớp sơn ta mài thủ công, khảm trứng và dát vàng bạc.", 0.6,
    ),
    ProductTemplate(
        "TCN", "other_crafts", "Thủ công mỹ nghệ", "hàng thủ công",
        (_n("Nón lá Huế", 46), _n("Tranh Đông Hồ", 24), _n("Đèn lồng Hội An", 48),
         _n("Dao Phúc Sen", 4), _n("Hương trầm {place}"), _n("Chổi đót {place}")),
        ("quà tặng", "cỡ lớn", "bộ 5 chiếc", "truyền thống"),
        (_p("cái", (30_000, 1_500_000), (20, 300), (200, 8_000)),),
        None, _CRAFT, "Sản phẩm làng nghề truyền thống, làm thủ công từng chiếc.", 1.2,
    ),
    # --- community tourism ---
    ProductTemplate(
        "HS", "homestay", "Du lịch cộng đồng", "homestay",
        (_n("Homestay Bản Lác", 25), _n("Homestay Tả Van", 15), _n("Homestay Pù Luông", 38),
         _n("Homestay Hoàng Su Phì", 8), _n("Homestay {place}"), _n("Nhà sàn cộng đồng {place}")),
        ("phòng đôi", "nhà sàn tập thể", "trọn gói 2 ngày 1 đêm", "phòng gia đình"),
        (_p("đêm", (250_000, 1_500_000), (1, 5), (30, 400)),),
        None, _NONE, "Nhà sàn truyền thống, ẩm thực bản địa, trải nghiệm đời sống của người dân.",
        0.8,
    ),
    ProductTemplate(
        "DL_CD", "community_tourism", "Du lịch cộng đồng", "tour du lịch cộng đồng",
        (_n("Điểm du lịch cộng đồng {place}"), _n("Du lịch sinh thái miệt vườn {place}"),
         _n("Làng nghề truyền thống {place}"), _n("Trải nghiệm làng gốm Bát Tràng", 1),
         _n("Du lịch cộng đồng Sin Suối Hồ", 12)),
        ("vé tham quan", "tour nửa ngày", "trọn gói 1 ngày", "trải nghiệm làm nghề"),
        (_p("vé", (30_000, 450_000), (1, 20), (300, 10_000)),),
        None, _NONE, "Tham quan, trải nghiệm sản xuất cùng người dân và thưởng thức đặc sản.", 0.6,
    ),
)

MARK_LABELS: dict[QualityMark, str] = {
    M.VIETGAP: "VietGAP",
    M.GLOBALGAP: "GlobalGAP",
    M.ORGANIC: "hữu cơ",
    M.HACCP: "HACCP",
    M.ISO22000: "ISO 22000",
    M.GI: "chỉ dẫn địa lý",
    M.TRACEABILITY: "tem truy xuất nguồn gốc",
}

# Share of products carrying a traceability stamp (tem truy xuất), by group.
TRACEABILITY_RATE: dict[ProductGroup, float] = {
    ProductGroup.FOOD: 0.5,
    ProductGroup.BEVERAGES: 0.5,
    ProductGroup.HERBAL: 0.45,
    ProductGroup.ORNAMENTAL: 0.1,
    ProductGroup.HANDICRAFTS: 0.15,
    ProductGroup.TOURISM: 0.0,
}

# --- people, brands and places (fictional) ---

FAMILY_NAMES = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương",
    "Lý", "Đinh", "Hà", "Lò", "Lương", "Sùng", "Giàng", "Triệu", "Nông", "Mai", "Cao",
)
# Added to a product name when name and variant alone would repeat one of the producer's products.
GRADES = (
    "cao cấp", "thượng hạng", "loại đặc biệt", "truyền thống", "gia truyền", "quà biếu",
    "mẫu mới", "phiên bản Tết", "dòng phổ thông", "dòng hữu cơ",
)
MIDDLE_NAMES = ("Văn", "Thị", "Đức", "Minh", "Thu", "Ngọc", "Quang", "Hữu", "Thanh", "Xuân", "Mai")
GIVEN_NAMES = (
    "An", "Bình", "Cường", "Dung", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Hương", "Lan", "Linh",
    "Long", "Mai", "Nam", "Nga", "Phương", "Quân", "Sơn", "Thảo", "Thắng", "Trang", "Tuấn", "Yến",
    "Chiến", "Dũng", "Giang", "Khánh", "Lợi", "Nhung", "Phúc", "Sinh", "Tâm", "Vinh", "Xuyến",
)
BRANDS = (
    "Phúc Lộc", "Hưng Thịnh", "An Phát", "Minh Long", "Tâm Việt", "Sao Việt", "Hoa Ban",
    "Tây Bắc Xanh", "Đất Mẹ", "Hương Rừng", "Thiên Phú", "Kim Ngân", "Bảo Nguyên", "Hồng Hà",
    "Trường Xuân", "Gia Bảo", "Thảo Nguyên", "Đại Ngàn", "Xanh Việt", "Mộc Nhiên", "Nông Phát",
    "Tín Nghĩa", "Hợp Thành", "Quê Hương", "Lộc Trời Xanh", "Mây Ngàn", "Phù Sa", "Sông Hồng",
    "Cửu Long", "Trường Sơn", "Ngọc Sương", "Hoàng Lâm", "Việt Đức", "Thuận Phát", "Nam Bộ",
)
VILLAGE_WORDS = (
    "Đông", "Tây", "Nam", "Bắc", "Trung", "Thượng", "Hạ", "Tân Lập", "Đồng Tâm", "Quyết Tiến",
    "Hòa Bình", "Tân Thành", "Phú Thịnh", "Đoàn Kết", "Thống Nhất", "Tiền Phong", "Liên Hợp",
)
MOUNTAIN_VILLAGES = (
    "Lác", "Liền", "Pác Ngòi", "Nà Tấu", "Hua Tát", "Sín Chải", "Cát Cát", "Phiêng Luông",
    "Nà Ca", "Tả Phìn", "Bó Mạ", "Khuổi My", "Lũng Cẩm", "Suối Giàng", "Mường Lống",
)
# Provinces where villages are "bản" (mountains) or "ấp" (the south); elsewhere "thôn"/"xóm".
MOUNTAIN_PROVINCES = frozenset({4, 8, 11, 12, 14, 15, 19, 20})
SOUTHERN_PROVINCES = frozenset({75, 79, 80, 82, 86, 91, 92, 96})
PHONE_PREFIXES = (
    "091", "094", "088", "098", "097", "096", "086", "032", "033", "034", "035", "036", "037",
    "038", "039", "090", "093", "089", "070", "077", "078", "079", "081", "082", "083", "084",
)

# Where buyers sit and deliver: the big markets weigh most.
MARKET_PROVINCES: tuple[tuple[int, float], ...] = (
    (1, 30.0), (79, 30.0), (48, 8.0), (31, 6.0), (92, 5.0), (22, 4.0), (56, 4.0), (68, 3.0),
    (24, 3.0), (75, 3.0), (46, 2.0), (40, 2.0),
)

BUYER_KINDS: tuple[tuple[BuyerKind, float], ...] = (
    (BuyerKind.DISTRIBUTOR, 0.30), (BuyerKind.WHOLESALER, 0.15), (BuyerKind.SUPERMARKET, 0.15),
    (BuyerKind.EXPORTER, 0.12), (BuyerKind.HORECA, 0.15), (BuyerKind.SOUVENIR_SHOP, 0.13),
)
BUYER_NAMES: dict[BuyerKind, tuple[str, ...]] = {
    BuyerKind.DISTRIBUTOR: (
        "Công ty CP Phân phối {brand}", "Công ty TNHH Phân phối Nông sản {brand}",
        "Công ty CP Phân phối Đặc sản {brand}",
    ),
    BuyerKind.WHOLESALER: (
        "Công ty TNHH Thương mại {brand}", "Công ty TNHH Bán buôn Nông sản {brand}",
    ),
    BuyerKind.SUPERMARKET: ("Siêu thị {brand} Mart", "Chuỗi cửa hàng thực phẩm sạch {brand}"),
    BuyerKind.EXPORTER: (
        "Công ty CP Xuất nhập khẩu {brand}", "Công ty TNHH Xuất khẩu Nông sản {brand}",
    ),
    BuyerKind.HORECA: ("Nhà hàng {brand}", "Khách sạn {brand}", "Chuỗi nhà hàng {brand}"),
    BuyerKind.SOUVENIR_SHOP: ("Cửa hàng đặc sản {brand}", "Cửa hàng quà tặng OCOP {brand}"),
}
BUYER_BLURBS: dict[BuyerKind, str] = {
    BuyerKind.DISTRIBUTOR: "Phân phối sản phẩm OCOP tới hơn 300 điểm bán lẻ và cửa hàng tiện lợi.",
    BuyerKind.WHOLESALER: "Bán buôn nông sản tại các chợ đầu mối và cho các bếp ăn tập thể.",
    BuyerKind.SUPERMARKET: "Chuỗi siêu thị thực phẩm sạch, ưu tiên hàng có truy xuất nguồn gốc.",
    BuyerKind.EXPORTER: "Xuất khẩu nông sản và thủ công mỹ nghệ sang Nhật Bản, Hàn Quốc, EU.",
    BuyerKind.HORECA: "Nhà hàng, khách sạn dùng nguyên liệu đặc sản vùng miền.",
    BuyerKind.SOUVENIR_SHOP: "Cửa hàng quà tặng và đặc sản tại các điểm du lịch.",
}
# The sub-groups each kind of buyer asks for.
BUYER_SUBGROUPS: dict[BuyerKind, tuple[str, ...]] = {
    BuyerKind.DISTRIBUTOR: (
        "fresh_produce", "processed_food", "condiments", "tea", "coffee", "non_alcoholic",
        "herbal_food",
    ),
    BuyerKind.WHOLESALER: ("fresh_produce", "processed_food", "condiments"),
    BuyerKind.SUPERMARKET: (
        "fresh_produce", "processed_food", "condiments", "tea", "coffee", "non_alcoholic",
    ),
    BuyerKind.EXPORTER: ("fresh_produce", "coffee", "condiments", "bamboo_rattan", "ceramics"),
    BuyerKind.HORECA: ("fresh_produce", "processed_food", "condiments", "alcoholic", "coffee"),
    BuyerKind.SOUVENIR_SHOP: (
        "tea", "herbal_food", "herbal_cosmetics", "brocade", "garments", "ceramics", "lacquer",
        "other_crafts", "alcoholic",
    ),
}

# --- the national mix (domain.md: 2024 figures) and amounts ---

PRODUCER_KINDS: tuple[tuple[ProducerKind, float], ...] = (
    (ProducerKind.COOPERATIVE, 0.38),
    (ProducerKind.ENTERPRISE, 0.24),
    (ProducerKind.HOUSEHOLD, 0.35),
    (ProducerKind.COOPERATIVE_GROUP, 0.03),
)
STAR_MIX: tuple[tuple[int, float], ...] = ((3, 0.675), (4, 0.30), (5, 0.025))
DEMAND_STARS: tuple[tuple[int | None, float], ...] = ((None, 0.2), (3, 0.47), (4, 0.3), (5, 0.03))
DEMAND_QUANTITIES: dict[str, tuple[int, ...]] = {
    "kg": (100, 200, 300, 500, 1_000, 2_000, 3_000, 5_000),
    "lít": (100, 200, 500, 1_000, 2_000),
    "chai": (200, 500, 1_000, 2_000, 5_000),
    "hộp": (100, 200, 500, 1_000, 2_000),
    "gói": (200, 500, 1_000, 3_000),
    "túi": (100, 200, 500, 1_000),
    "cái": (50, 100, 200, 500, 1_000),
    "bộ": (20, 50, 100, 200),
    "đêm": (20, 50, 100),
    "vé": (100, 200, 500, 1_000),
}


# The demo fair's halls, as the organiser's grid form would describe them (fairs_grid).
HALLS: tuple[tuple[str, dict[str, object]], ...] = (
    ("Nhà A", {
        "rows": 12, "columns": 10, "booth_w": 3, "booth_h": 3, "aisle_every_columns": 5,
        "aisle_every_rows": 2, "aisle_width": 3, "zones": ["food", "beverages"],
        "price_standard": 3_000_000, "price_corner": 3_900_000, "price_island": 4_500_000,
        "code_prefix": "A",
    }),
    ("Nhà B", {
        "rows": 6, "columns": 8, "booth_w": 3, "booth_h": 3, "aisle_every_columns": 4,
        "aisle_every_rows": 2, "aisle_width": 3,
        "zones": ["herbal", "ornamental", "handicrafts", "tourism"],
        "price_standard": 3_000_000, "price_corner": 3_900_000, "price_island": 4_500_000,
        "code_prefix": "B",
    }),
)
FAIR_BOOTH_FEE = 3_000_000
FAIR_VENUE = "Trung tâm Triển lãm Giảng Võ, phường Giảng Võ, Hà Nội"
FAIR_NAME = "Hội chợ sản phẩm OCOP và kết nối cung cầu năm {year}"
MEETING_SESSION_NAME = "Phiên kết nối giao thương B2B giữa nhà phân phối và chủ thể OCOP"


# --- places and how numbers are written ---


@dataclass(frozen=True, slots=True)
class Province:
    """A 2025 province with its wards (code, name); `communes` excludes urban wards."""

    code: int
    name: str
    wards: tuple[tuple[int, str], ...]
    communes: tuple[tuple[int, str], ...]

    @property
    def short(self) -> str:
        short = self.name.removeprefix("Thành phố ")
        return "TP Hồ Chí Minh" if short == "Hồ Chí Minh" else short

    @property
    def authority(self) -> str:
        """The provincial People's Committee, which rates 3- and 4-star products."""
        if self.name.startswith("Thành phố "):
            return "UBND thành phố " + self.name.removeprefix("Thành phố ")
        return f"UBND tỉnh {self.name}"


@cache
def provinces() -> dict[int, Province]:
    """The 34 provinces by code, wards sorted by code."""
    out: dict[int, Province] = {}
    for p in sorted(vp.Province.iter_all(), key=lambda p: int(p.code)):
        wards = sorted(
            (int(w.code), " ".join(w.name.split()), w.division_type.value)
            for w in vp.Ward.iter_by_province(p.code)
        )
        out[int(p.code)] = Province(
            int(p.code),
            p.name,
            tuple((c, n) for c, n, _ in wards),
            tuple((c, n) for c, n, kind in wards if kind != "phường"),
        )
    return out


def short_ward(name: str) -> str:
    """ "Xã Thanh Hối" -> "Thanh Hối"."""
    for prefix in ("Phường ", "Xã ", "Đặc khu "):
        if name.startswith(prefix):
            return name.removeprefix(prefix)
    return name


def nice_price(value: float) -> int:
    """A price as a seller writes it: in steps of 1.000, 5.000, 50.000 or 500.000 ₫."""
    step = 1_000 if value < 100_000 else 5_000 if value < 1_000_000 else 50_000
    if value >= 10_000_000:
        step = 500_000
    return max(step, round(value / step) * step)


def round_count(value: int) -> int:
    """A quantity in steps of 1, 10, 50 or 500."""
    step = 1 if value < 20 else 10 if value < 1_000 else 50 if value < 10_000 else 500
    return max(1, round(value / step) * step)


CONTAINERS = frozenset({"hộp", "túi", "chai", "gói", "lọ", "hũ", "bình", "can", "thùng"})
BULK_UNITS = frozenset({"kg", "lít"})


def fits(variant: str, unit: str) -> bool:
    """Whether a name variant suits the sales unit: "túi 500 g" is not sold by the "hộp"."""
    container = variant.split(" ", 1)[0]
    return container not in CONTAINERS or container == unit or unit in BULK_UNITS


def vn_int(value: int) -> str:
    """12000 -> "12.000" (Vietnamese thousands separator)."""
    return f"{value:,}".replace(",", ".")


# --- phrasing ---


def producer_names(
    kind: ProducerKind, *, trade: str, brand: str, locality: str, village: str, person: str,
    province: str,
) -> tuple[str, ...]:
    """The ways a producer of this kind is named ("HTX Chè Shan tuyết Thanh Hối" ...)."""
    return {
        ProducerKind.COOPERATIVE: (
            f"HTX {trade} {locality}", f"HTX Nông nghiệp {locality}",
            f"HTX Dịch vụ tổng hợp {locality}", f"HTX {trade} {brand}",
        ),
        ProducerKind.ENTERPRISE: (
            f"Công ty TNHH {trade} {brand}", f"Công ty TNHH {brand}",
            f"Công ty TNHH {brand} {province}", f"Công ty CP {trade} {brand}",
        ),
        ProducerKind.HOUSEHOLD: (f"Hộ kinh doanh {person}", f"Hộ kinh doanh {trade} {brand}"),
        ProducerKind.COOPERATIVE_GROUP: (f"THT {trade} {village}", f"THT {trade} {locality}"),
    }[kind]


def marks_text(marks: list[QualityMark]) -> str:
    return ", ".join(MARK_LABELS[m] for m in marks)


def product_description(
    name: str, producer: str, locality: str, province: str, blurb: str,
    stars: int | None, year: int | None, marks: list[QualityMark],
) -> str:
    text = f"{name} của {producer}, sản xuất tại {locality}, {province}. {blurb}"
    if stars is not None:
        text += f" Sản phẩm đạt OCOP {stars} sao năm {year}."
    return text + (f" Chứng nhận: {marks_text(marks)}." if marks else "")


def amount_text(quantity: int, unit: str) -> str:
    """2000 kg -> "2 tấn"; 1500 chai -> "1.500 chai"."""
    if unit == "kg" and quantity % 1_000 == 0:
        return f"{quantity // 1_000} tấn"
    return f"{vn_int(quantity)} {unit}"


def demand_title(amount: str, noun: str, stars: int | None, monthly: bool, province: str) -> str:
    """ "Cần 2 tấn chè xanh 4 sao giao Hà Nội"."""
    each = " mỗi tháng" if monthly else ""
    star_text = f" {stars} sao" if stars else ""
    return f"Cần {amount} {noun}{star_text}{each} giao {province}"


def demand_description(
    buyer: str, amount: str, noun: str, *, monthly: bool, province: str, needed_by: date,
    stars: int | None, marks: list[QualityMark], max_price: int | None, unit: str,
) -> str:
    needs = [f"sản phẩm OCOP từ {stars} sao"] if stars else []
    needs += [MARK_LABELS[m] for m in marks]
    return (
        f"{buyer} cần mua {amount} {noun}{' mỗi tháng' if monthly else ''}, giao tại {province} "
        f"trước ngày {needed_by:%d/%m/%Y}."
        + (f" Yêu cầu: {', '.join(needs)}." if needs else "")
        + (f" Giá mua tối đa {vn_int(max_price)} ₫/{unit}." if max_price else "")
    )
