"""The kinds of official document: each one's name, shipped DOCX template, PDF template,
file name and the placeholders its templates may use (docxtpl/Jinja2 names). A replaced
template is checked against these lists (:mod:`smartcommune.documents.templates`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SHIPPED_DIR = Path(__file__).resolve().parent / "shipped"

# Every document's heading and closing (Nghị định 30/2020/NĐ-CP).
COMMON = (
    "quoc_hieu", "tieu_ngu", "co_quan_chu_quan", "co_quan_1", "co_quan_2", "co_quan_ten", "so_ky_hieu",
    "dia_danh_ngay", "ten_loai", "trich_yeu", "noi_nhan", "ky_thay", "nguoi_ky", "ket_thuc", "nam", "bo_tieu_chi",
    "du_lieu_mo_phong", "danh_hieu",
)


@dataclass(frozen=True)
class Kind:
    code: str
    name: str
    """Vietnamese name, as lists and messages show it."""
    symbol: str
    """The symbol after the number: ``BC-UBND``, ``TTr-UBND``…"""
    placeholders: frozenset[str]
    rows: dict[str, frozenset[str]]
    """Lists of rows (table rows in the templates), and the names of each row's cells."""

    @property
    def shipped(self) -> Path:
        return SHIPPED_DIR / f"{self.code}.docx"

    @property
    def pdf_template(self) -> str:
        return f"documents/pdf/{self.code}.html"


def _kind(code: str, name: str, symbol: str, extra: tuple[str, ...], rows: dict[str, tuple[str, ...]]) -> Kind:
    return Kind(code, name, symbol, frozenset(COMMON + extra + tuple(rows)),
                {k: frozenset(v) for k, v in rows.items()})


SELF_ASSESSMENT = _kind(
    "bao-cao-tu-danh-gia", "Báo cáo tự đánh giá của xã", "BC-UBND",
    ("can_cu", "don_vi", "huyen", "so_linh_vuc_dat", "ket_qua", "kien_nghi"),
    {"linh_vuc": ("ma", "ten", "ket_qua"),
     "tieu_chi": ("ma", "linh_vuc", "noi_dung", "chi_tieu", "so_lieu", "ty_le", "ket_qua", "con_thieu",
                  "minh_chung")},
)
DISTRICT_PROPOSAL = _kind(
    "to-trinh-huyen", "Tờ trình của huyện", "TTr-UBND",
    ("can_cu", "kinh_gui", "so_xa", "so_xa_dat", "so_can_dat", "muc_dat", "de_nghi"),
    {"xa": ("stt", "ma", "ten", "so_linh_vuc_dat", "ket_qua", "trang_thai")},
)
APPRAISAL_MINUTES = _kind(
    "bien-ban-tham-dinh", "Biên bản thẩm định", "BB-HĐTĐ",
    ("ngay_hop", "thanh_phan", "noi_dung", "so_xa", "so_de_nghi"),
    {"xa": ("stt", "ma", "ten", "huyen", "so_linh_vuc_dat", "ket_luan", "y_kien")},
)
DRAFT_DECISION = _kind(
    "du-thao-quyet-dinh", "Dự thảo quyết định công nhận", "QĐ-UBND",
    ("tham_quyen", "can_cu_list", "dieu_1", "dieu_2", "dieu_3", "tieu_de_phu_luc", "ghi_chu_phu_luc", "so_xa"),
    {"cong_nhan": ("stt", "ma", "ten", "huyen", "so_linh_vuc_dat", "ghi_chu"),
     "khong_cong_nhan": ("stt", "ma", "ten", "huyen", "so_linh_vuc_dat", "ghi_chu")},
)
PROVINCE_REPORT = _kind(
    "bao-cao-tinh", "Báo cáo tổng hợp của tỉnh", "BC-UBND",
    ("tinh", "so_don_vi", "so_dat", "so_can_dat", "muc_dat", "so_cong_nhan", "so_gan_dat", "muc_gan_dat",
     "ghi_chu_phu_luc"),
    {"theo_huyen": ("huyen", "so_don_vi", "so_dat", "so_cong_nhan", "binh_quan"),
     "chua_dat": ("ma", "noi_dung", "linh_vuc", "so_chua_dat", "thieu_du_lieu"),
     "phu_luc": ("stt", "ma", "ten", "huyen", "linh_vuc_dat", "so_linh_vuc_dat", "ket_qua", "trang_thai")},
)

KINDS: dict[str, Kind] = {k.code: k for k in (SELF_ASSESSMENT, DISTRICT_PROPOSAL, APPRAISAL_MINUTES, DRAFT_DECISION,
                                               PROVINCE_REPORT)}
