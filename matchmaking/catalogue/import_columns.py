"""The product spreadsheet's columns, and the names a user may write for each code.

Read by the import (catalogue.imports) and the downloadable template (catalogue.import_template).
"""

from __future__ import annotations

from functools import cache

from config import i18n
from config.i18n import gettext as _
from matchmaking import units
from matchmaking.enums import ProductGroup, ProductStatus, QualityMark
from matchmaking.sheets import Columns, name_index, name_key

# The template's header row, in column order; any of these names (or an alias) is accepted.
COLUMNS: dict[str, str] = {
    "code": "Mã sản phẩm",
    "name": "Tên sản phẩm",
    "group": "Nhóm",
    "subgroup": "Phân nhóm",
    "stars": "Hạng sao",
    "certificate_number": "Số GCN",
    "certificate_authority": "Cơ quan cấp",
    "decision_date": "Ngày quyết định",
    "certificate_expiry": "Ngày hết hạn",
    "price_vnd": "Giá (VND)",
    "unit": "Đơn vị",
    "min_order": "Đơn hàng tối thiểu",
    "monthly_capacity": "Công suất/tháng",
    "shelf_life_days": "Hạn sử dụng (ngày)",
    "net_quantity": "Khối lượng tịnh",
    "net_unit": "Đơn vị khối lượng tịnh",
    "quality_marks": "Chứng nhận chất lượng",
    "description": "Mô tả",
    "status": "Trạng thái",
}
REQUIRED_COLUMNS = ("code", "name", "subgroup", "price_vnd", "unit", "monthly_capacity")


_HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("Mã", "Mã SP", "Product code", "SKU"),
    "name": ("Tên", "Tên SP", "Product name", "Product"),
    "group": ("Nhóm sản phẩm", "Nhóm SP", "Product group"),
    "subgroup": ("Phân nhóm sản phẩm", "Sub-group", "Subgroup name"),
    "stars": ("Số sao", "Sao", "Hạng", "Stars", "Star rating", "Rating"),
    "certificate_number": ("Số giấy chứng nhận", "Số quyết định", "Certificate number",
                           "Certificate no", "Certificate"),
    "certificate_authority": ("Cơ quan cấp GCN", "Nơi cấp", "Certificate authority",
                              "Issuing authority", "Authority"),
    "decision_date": ("Ngày cấp", "Ngày QĐ", "Decision date"),
    "certificate_expiry": ("Ngày hết hạn GCN", "Hạn GCN", "Certificate expiry", "Expiry",
                           "Expiry date"),
    "price_vnd": ("Giá", "Giá bán", "Đơn giá", "Giá (đồng)", "Price", "Price (VND)"),
    "unit": ("Đơn vị tính", "ĐVT", "Unit"),
    "min_order": ("Đặt hàng tối thiểu", "Số lượng tối thiểu", "Min order", "Minimum order"),
    "monthly_capacity": ("Công suất", "Công suất tháng", "Sản lượng/tháng", "Monthly capacity",
                         "Capacity"),
    "shelf_life_days": ("Hạn sử dụng", "HSD", "HSD (ngày)", "Shelf life", "Shelf life (days)"),
    "net_quantity": ("Khối lượng tịnh/thể tích", "Định lượng", "Net content", "Net quantity"),
    "net_unit": ("Đơn vị tịnh", "Net unit"),
    "quality_marks": ("Chứng nhận", "Tiêu chuẩn chất lượng", "Quality marks", "Quality mark",
                      "Certifications"),
    "description": ("Mô tả sản phẩm", "Description"),
    "status": ("Status",),
}


# Names a user may write for each code: the Vietnamese name the template uses comes first, then the
# English label of web/labels.py (whose Vietnamese translation is accepted too), then synonyms.
GROUP_NAMES: dict[str, tuple[str, ...]] = {
    ProductGroup.FOOD: ("Thực phẩm", "Food"),
    ProductGroup.BEVERAGES: ("Đồ uống", "Beverages", "Drinks"),
    ProductGroup.HERBAL: ("Thảo dược", "Herbal products", "Sản phẩm thảo dược", "Herbal"),
    ProductGroup.HANDICRAFTS: ("Lưu niệm - nội thất - trang trí", "Souvenirs, furniture and decoration",
                               "Thủ công mỹ nghệ", "Hàng thủ công mỹ nghệ", "Handicrafts",
                               # the 2019 list's textiles group is part of handicrafts now
                               "textiles", "Vải và may mặc", "Textiles and garments",
                               "Vải, may mặc", "Textiles"),
    ProductGroup.ORNAMENTAL: ("Sinh vật cảnh", "Ornamental plants and animals", "Hoa, cây cảnh",
                              "Ornamental"),
    ProductGroup.TOURISM: ("Dịch vụ du lịch cộng đồng và điểm du lịch", "Community tourism services",
                           "Dịch vụ du lịch cộng đồng", "Du lịch cộng đồng", "Tourism"),
}


SUBGROUP_NAMES: dict[str, tuple[str, ...]] = {
    "fresh_produce": ("Nông sản tươi sống", "Fresh produce", "Tươi sống", "Nông sản tươi"),
    "processed_food": ("Thực phẩm chế biến", "Processed food", "Chế biến", "Nông sản sơ chế"),
    "condiments": ("Gia vị", "Condiments and spices", "Gia vị và nước chấm", "Condiments"),
    "tea": ("Chè", "Tea", "Trà", "Chè - trà", "Trà - chè"),
    "coffee": ("Cà phê", "Coffee"),
    "alcoholic": ("Đồ uống có cồn", "Alcoholic drinks", "Rượu", "Rượu, bia"),
    "non_alcoholic": ("Đồ uống không cồn", "Non-alcoholic drinks", "Nước giải khát"),
    "herbal_food": ("Thực phẩm - đồ uống thảo dược", "Herbal food and drinks",
                    "Thực phẩm thảo dược"),
    "herbal_cosmetics": ("Mỹ phẩm thảo dược", "Herbal cosmetics", "Mỹ phẩm"),
    "herbal_medicine": ("Thuốc từ dược liệu", "Herbal medicine", "Thuốc dược liệu",
                        "Thuốc y học cổ truyền"),
    "brocade": ("Thổ cẩm", "Brocade and weaving", "Dệt thổ cẩm", "Brocade"),
    "garments": ("May mặc", "Garments"),
    "bamboo_rattan": ("Mây tre đan", "Bamboo and rattan", "Mây tre"),
    "ceramics": ("Gốm sứ", "Ceramics", "Gốm"),
    "wood": ("Đồ gỗ", "Wood", "Gỗ", "Đồ gỗ mỹ nghệ"),
    "lacquer": ("Sơn mài", "Lacquer"),
    "other_crafts": ("Thủ công mỹ nghệ khác", "Other crafts"),
    "flowers": ("Hoa", "Flowers", "Hoa tươi"),
    "bonsai": ("Cây cảnh", "Bonsai and ornamental plants", "Bonsai", "Cây thế"),
    "ornamental_animals": ("Động vật cảnh", "Ornamental animals", "Cá cảnh", "Chim cảnh"),
    "homestay": ("Homestay", "Homestays", "Lưu trú cộng đồng"),
    "community_tourism": ("Điểm du lịch cộng đồng", "Community tourism sites", "Du lịch cộng đồng"),
}


UNIT_NAMES: dict[str, tuple[str, ...]] = units.ALIASES


MARK_NAMES: dict[str, tuple[str, ...]] = {
    QualityMark.VIETGAP: ("VietGAP",), QualityMark.GLOBALGAP: ("GlobalGAP",),
    QualityMark.ORGANIC: ("Hữu cơ", "Organic"), QualityMark.HACCP: ("HACCP",),
    QualityMark.ISO22000: ("ISO 22000",),
    QualityMark.GI: ("Chỉ dẫn địa lý", "Geographical indication", "CDĐL", "GI"),
    QualityMark.TRACEABILITY: ("Tem truy xuất nguồn gốc", "Traceability stamp", "Truy xuất nguồn gốc",
                               "Traceability", "QR"),
}


STATUS_NAMES: dict[str, tuple[str, ...]] = {
    ProductStatus.DRAFT: ("Nháp", "Draft", "Bản nháp"),
    ProductStatus.PUBLISHED: ("Công khai", "Published", "Đã đăng", "Đăng", "Publish"),
}


@cache
def _indexes() -> dict[str, dict[str, str]]:
    headers = {f: (COLUMNS[f], *_HEADER_ALIASES.get(f, ())) for f in COLUMNS}
    return {
        "header": name_index(headers), "group": name_index(GROUP_NAMES),
        "subgroup": name_index(SUBGROUP_NAMES), "unit": name_index(UNIT_NAMES),
        "mark": name_index(MARK_NAMES), "status": name_index(STATUS_NAMES),
    }


def resolve(kind: str, text: str) -> str | None:
    """The code a name stands for ('Chè' -> 'tea' for kind 'subgroup'), or None if unknown."""
    return _indexes()[kind].get(name_key(text)) if text.strip() else None


PRODUCT_COLUMNS = Columns(
    headers=COLUMNS, required=REQUIRED_COLUMNS, field_of=lambda text: resolve("header", text),
    too_many=lambda limit: _("The file has more than %(limit)s products: split it into several "
                             "files.") % {"limit": i18n.format_number(limit)},
    no_rows=lambda: _("The file has a header row but no products below it."),
)
