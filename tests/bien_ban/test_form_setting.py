"""One setting, ``the_thuc``, chooses the minutes form for any convener and the whole page follows it; bodies
that only take part are listed, not asked to sign; every document setting takes effect or is refused where
it is written."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

import quyche
from quyche.errors import DiagnosticError
from quyche.model import Para, Table
from quyche.pipeline import build
from quyche.profile import load_profile

from conftest import DATA
from outline import docx_outline, iter_paragraphs, model_texts
from support import quyche as run_cli

CEREMONY = DATA / "bien-ban-ky-ket-quang-tri-2024.yaml"

# A Party body convenes; a State body and a Front body take part. Tests add the form and change lines.
CONVENED_BY_PARTY = """\
loai: bien_ban
co_quan:
  - ma: BTGTU
    he_thong: dang
    ten: Ban Tuyên giáo Tỉnh ủy Quảng Trị
    cap_tren: Tỉnh ủy Quảng Trị
    ten_dau_trang: Ban Tuyên giáo
    viet_tat: BTGTU
    chu_tri: true
  - ma: STP
    he_thong: nha_nuoc
    ten: Sở Tư pháp tỉnh Quảng Trị
    viet_tat: STP
  - ma: MTTQ
    he_thong: mat_tran
    ten: Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Quảng Trị
    viet_tat: MTTQ
so: 7
dia_danh: Quảng Trị
trich_yeu: Hội nghị ký kết Chương trình phối hợp
bat_dau: 2024-05-10 08:00
ket_thuc: 2024-05-10 10:30
dia_diem: Hội trường Tỉnh ủy
dai_bieu_chinh_thuc: {tong_so: 5}
dien_bien:
  - tieu_de: Ký kết
    doan: Các bên ký Chương trình phối hợp.
ky:
  - vai_tro: thu_ky
    ho_ten: Nguyễn Thị An
  - vai_tro: chu_toa
    ho_ten: Hoàng Văn Bình
    thay_mat: T/M Ban Thường vụ
    chuc_vu: Phó Bí thư
noi_nhan: [Thường trực Tỉnh ủy]
"""
STATE_FORM = (
    CONVENED_BY_PARTY.replace("loai: bien_ban\n", "loai: bien_ban\nthe_thuc: nd30-2020\n")
    .replace("dai_bieu_chinh_thuc: {tong_so: 5}\n", "")
    .replace("T/M Ban Thường vụ", "TM. Ban Thường vụ")
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bb.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def at(text: str, needle: str) -> tuple[int, int]:
    """(line, column) of the first occurrence of ``needle`` in ``text``, 1-based."""
    for n, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return n, line.index(needle) + 1
    raise AssertionError(needle)


def codes_at(diags) -> set[tuple[str, int, int]]:
    return {(d.code, d.location.line, d.location.column) for d in diags if d.location}


def header_texts(document) -> tuple[list[str], list[str], list[str]]:
    header = document.sections[0].blocks[0]
    assert isinstance(header, Table) and header.role == "dau_trang"
    (agency, right), (_, date) = (row.cells for row in header.rows)
    return model_texts(agency.blocks), model_texts(right.blocks), model_texts(date.blocks)


# ---- the example: a Party-convened ceremony kept under Mẫu 1.9 ----------------------------------------


@pytest.fixture(scope="module")
def ceremony():
    result = quyche.render(CEREMONY, formats=("docx", "pdf"))
    return result.document, docx_outline(result.outputs["docx"]), result.outputs["pdf"]


def test_ceremony_is_state_form_throughout(ceremony) -> None:
    document, outline, _ = ceremony
    assert document.profile_id == "nd30-2020"
    agency, right, date = header_texts(document)
    assert agency == ["TỈNH ỦY QUẢNG TRỊ", "BAN TUYÊN GIÁO"], "the convener alone, no participating body"
    assert right == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert date == [], "Mẫu 1.9 has no địa danh, ngày line"
    assert document.so_ky_hieu == "Số: 05/BB-BTGTU"
    header = document.sections[0].blocks[0]
    roles = [b.role for b in header.rows[0].cells[0].blocks]  # type: ignore[union-attr]
    assert "dau_sao" not in roles and roles[-1] == "duong_ke_co_quan", "State mark under the agency (II.2.b)"
    paras = [p["text"] for p in iter_paragraphs(outline) if p.get("text")]
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in paras and "*" not in paras
    assert not any(t.startswith(("- Thời gian:", "- Người chủ trì:", "1. Thành phần")) for t in paras)
    closing = next(p for p in iter_paragraphs(outline) if p.get("role") == "bien_ban_ket_thuc")
    assert closing["text"].endswith("./.")


def test_ceremony_lists_every_participating_body_and_only_two_sign(ceremony) -> None:
    document, outline, _ = ceremony
    paras = [p["text"] for p in iter_paragraphs(outline) if p.get("text")]
    start = paras.index("Thành phần tham dự:")
    listed = paras[start + 1 : start + 6]
    assert listed == [
        "- Đại diện lãnh đạo Ban Tuyên giáo Tỉnh ủy Quảng Trị;",
        "- Đại diện lãnh đạo Sở Tư pháp tỉnh Quảng Trị;",
        "- Đại diện lãnh đạo Sở Thông tin và Truyền thông tỉnh Quảng Trị;",
        "- Đại diện lãnh đạo Báo Quảng Trị;",
        "- Đại diện lãnh đạo Đài Phát thanh - Truyền hình Quảng Trị;",
    ]
    assert paras[start + 7] == "- Phóng viên các cơ quan báo chí trên địa bàn tỉnh.", "then the user's own items"
    assert [s.id for s in document.signers] == ["chu-ky-thu-ky", "chu-ky-chu-toa"]


def test_ceremony_pdf_says_the_same(ceremony) -> None:
    _, _, data = ceremony
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    first, text = pages[0], "\n".join(pages)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first and "Số: 05/BB-BTGTU" in first
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in text and not re.search(r"^\s*\*\s*$", text, re.M)
    assert "Thành phần tham dự:" in first and "Đại diện lãnh đạo Báo Quảng Trị;" in first
    assert "THƯ KÝ" in pages[-1] and "CHỦ TỌA" in pages[-1]
    assert not re.search(r"\bT/M\b", text)


# ---- the setting, for any convener -------------------------------------------------------------------


def test_party_convener_state_form_signs_with_state_prefixes(tmp_path: Path) -> None:
    document = build(write(tmp_path, STATE_FORM)).document
    chair = next(s for s in document.signers if s.id == "chu-ky-chu-toa")
    assert chair.lines == ["TM. BAN THƯỜNG VỤ", "PHÓ BÍ THƯ"]
    agency, right, _ = header_texts(document)
    assert right[0] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and "*" not in agency
    # the Party prefix is now the wrong system, located where it is written
    text = STATE_FORM.replace("TM. Ban Thường vụ", "T/M Ban Thường vụ")
    diags = quyche.validate(write(tmp_path, text))
    assert ("tien-to-sai-he-thong", *at(text, "T/M Ban Thường vụ")) in codes_at(diags)


def test_a_chair_from_a_participating_body_signs_in_the_form_of_the_minutes(tmp_path: Path) -> None:
    """The chair of a Party-form minutes may come from a State body: the prefix is still the form's "T/M"."""
    text = CONVENED_BY_PARTY.replace("    ho_ten: Hoàng Văn Bình\n", "    ho_ten: Hoàng Văn Bình\n    co_quan: STP\n")
    document = build(write(tmp_path, text)).document
    assert next(s for s in document.signers if s.id == "chu-ky-chu-toa").lines[0] == "T/M BAN THƯỜNG VỤ"
    text = text.replace("T/M Ban Thường vụ", "TM. Ban Thường vụ")
    diags = quyche.validate(write(tmp_path, text))
    assert ("tien-to-sai-he-thong", *at(text, "TM. Ban Thường vụ")) in codes_at(diags)


def test_state_convener_party_form_is_party_throughout(tmp_path: Path) -> None:
    text = (
        CONVENED_BY_PARTY.replace("loai: bien_ban\n", "loai: bien_ban\nthe_thuc: hd16-2023\n")
        .replace("    he_thong: dang\n", "    he_thong: nha_nuoc\n")
        .replace("    cap_tren: Tỉnh ủy Quảng Trị\n", "")
    )
    document = build(write(tmp_path, text)).document
    assert document.profile_id == "hd16-2023" and document.so_ky_hieu == "Số 07-BB/BTGTU"
    agency, right, date = header_texts(document)
    assert right == ["ĐẢNG CỘNG SẢN VIỆT NAM"] and agency[-1] == "*"
    assert date == ["Quảng Trị, ngày 10 tháng 5 năm 2024"]
    lines = model_texts(document.sections[0].blocks)
    assert "1.2. Đại biểu mời dự" in lines
    invited = lines[lines.index("1.2. Đại biểu mời dự") + 1 :][:2]
    assert invited == [
        "- Đại diện lãnh đạo Sở Tư pháp tỉnh Quảng Trị;",
        "- Đại diện lãnh đạo Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Quảng Trị.",
    ], "participants are invited delegates; the convener's own members are counted in 1.1"
    chair = next(s for s in document.signers if s.id == "chu-ky-chu-toa")
    assert chair.lines[0] == "T/M BAN THƯỜNG VỤ"


def test_participating_bodies_need_no_signature(tmp_path: Path) -> None:
    path = write(tmp_path, CONVENED_BY_PARTY)
    assert [d.code for d in quyche.validate(path)] == []
    assert len(build(path).document.signers) == 2


def test_several_bodies_still_need_a_convener(tmp_path: Path) -> None:
    text = CONVENED_BY_PARTY.replace("    chu_tri: true\n", "")
    diags = quyche.validate(write(tmp_path, text))
    assert "chu-tri" in [d.code for d in diags]


def test_state_form_without_attendees_or_participants_is_located(tmp_path: Path) -> None:
    text = STATE_FORM.replace(
        CONVENED_BY_PARTY[CONVENED_BY_PARTY.index("  - ma: STP") : CONVENED_BY_PARTY.index("so: 7")], ""
    )
    diags = quyche.validate(write(tmp_path, text))
    assert [d.code for d in diags if d.is_error] == ["thieu-truong"]
    assert '"thanh_phan"' in diags[0].message


# ---- settings: take effect or be refused ------------------------------------------------------------


def test_switching_the_form_alone_is_refused_through_the_cli(tmp_path: Path) -> None:
    text = CONVENED_BY_PARTY + "the_thuc_tuy_chinh:\n  bien_ban.mau: nd30\n"
    path = write(tmp_path, text)
    r = run_cli("render", str(path), "-o", str(tmp_path / "out"), "-f", "docx")
    line, col = at(text, "bien_ban.mau")
    assert r.returncode == 1
    assert f"bb.yaml:{line}:{col}: lỗi [thiet-lap-mau-bien-ban]" in r.stderr
    assert "the_thuc: nd30-2020" in r.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize("key", ["page_number.align", "sign.prefix", "number.reset", "joint.signatures_per_row"])
def test_settings_minutes_ignore_are_refused_where_written(tmp_path: Path, key: str) -> None:
    value = load_profile("hd16-2023").get(key)
    setting = f"  {key}: {value!r}\n" if not isinstance(value, dict) else f"  {key}: {dict(value)}\n"
    text = CONVENED_BY_PARTY + "the_thuc_tuy_chinh:\n" + setting.replace("'", '"')
    diags = quyche.validate(write(tmp_path, text))
    assert ("thiet-lap-khong-tac-dung", *at(text, key)) in codes_at(diags)


MARK = "Ⓧ"


def alternatives(value, rule) -> list:
    """Other valid-looking values of the same shape: the other choices, both ends of the range, a flipped bool,
    a number moved up and down (bounds only act past the text they bound), a reversed list, a string with a
    visible mark; [] when there is none."""
    if rule.choices:
        return [c for c in rule.choices if c != value]
    if rule.range:
        return [v for v in rule.range if v != value]
    if isinstance(value, bool):
        return [not value]
    if isinstance(value, int | float):
        return [value + 1, value * 2, value / 4]
    if isinstance(value, str):
        return [value + MARK]
    if isinstance(value, list):
        return [list(reversed(value))] if len(set(map(repr, value))) > 1 else []
    if isinstance(value, dict):
        out = {k: alternatives(v, type(rule)(rule.key, v)) for k, v in value.items()}
        return [{k: v[0] for k, v in out.items()}] if all(out.values()) else []
    return []


# Every optional part present, and the 2025 name of the convener (a header line long enough for the header
# bounds to act), so that every rule has something to act on.
LONG_NAME = ("    ten_dau_trang: Ban Tuyên giáo\n", "    ten_dau_trang: Ban Tuyên giáo và Dân vận\n")
FULL_STATE = (
    STATE_FORM.replace(*LONG_NAME)
    + """\
thanh_phan: [Phóng viên Báo Quảng Trị]
danh_sach_dai_bieu:
  - {ho_ten: Hoàng Văn Bình, chuc_danh: Trưởng ban, co_quan: Ban Tuyên giáo Tỉnh ủy}
ket_luan: Thống nhất triển khai.
nhiem_vu:
  - {noi_dung: Gửi Chương trình, chu_tri: Ban Tuyên giáo, phoi_hop: Sở Tư pháp, thoi_han: 2024-05-20}
loi_ket: Biên bản đã được thông qua.
"""
)
FULL_PARTY = (
    CONVENED_BY_PARTY.replace(*LONG_NAME)
    + """\
dai_bieu_moi: [Đại diện Văn phòng Tỉnh ủy]
bao_chi: [Báo Quảng Trị]
tai_lieu: [Dự thảo Chương trình]
thong_tin_khac: Không có.
ket_luan: Thống nhất triển khai.
nhiem_vu:
  - {noi_dung: Gửi Chương trình, chu_tri: Ban Tuyên giáo, thoi_han: 2024-05-20}
loi_ket: Biên bản đã được thông qua.
"""
)


@pytest.mark.parametrize(("form", "text"), [("nd30-2020", FULL_STATE), ("hd16-2023", FULL_PARTY)])
def test_every_setting_takes_effect_or_is_refused(tmp_path: Path, form: str, text: str) -> None:
    """Generated over every rule of the form's profile: a changed value changes the composed minutes, or the
    setting is refused with a located error — never accepted and ignored."""
    import yaml

    baseline = repr(build(write(tmp_path, text)).document)
    ignored, tried = [], 0
    for key, rule in sorted(load_profile(form).rules.items()):
        if key.startswith("header.") and key.endswith("_mm"):
            continue  # header bounds act only on names past them: the header's layout tests cover them
        values = alternatives(rule.value, rule)
        tried += bool(values)
        for value in values:
            setting = yaml.safe_dump({"the_thuc_tuy_chinh": {key: value}}, allow_unicode=True)
            try:
                document = build(write(tmp_path, text + setting)).document
            except DiagnosticError as exc:
                codes = {d.code for d in exc.diagnostics}
                assert codes <= {"thiet-lap-khong-tac-dung", "thiet-lap-mau-bien-ban"}, (key, codes)
                where = {(d.location.line, d.location.column) for d in exc.diagnostics if d.location}
                assert where == {at(text + setting, key)}, key
                break
            if repr(document) != baseline:
                break
        else:
            if values:
                ignored.append(key)
    assert ignored == [], "accepted and ignored"
    assert tried > 60


def test_a_setting_that_takes_effect_is_kept(tmp_path: Path) -> None:
    text = STATE_FORM + "the_thuc_tuy_chinh:\n  bien_ban.co_quan_tham_du: 'Lãnh đạo {ten}'\n"
    lines = model_texts(build(write(tmp_path, text)).document.sections[0].blocks)
    assert "- Lãnh đạo Sở Tư pháp tỉnh Quảng Trị;" in lines
    text = STATE_FORM + "thanh_phan: Các đại biểu\nthe_thuc_tuy_chinh:\n  bien_ban.co_quan_tham_du: ''\n"
    blocks = build(write(tmp_path, text)).document.sections[0].blocks
    assert "Thành phần tham dự: Các đại biểu." in model_texts(blocks), '"" lists no body'
    assert not any(isinstance(b, Para) and "Sở Tư pháp" in b.text for b in blocks)
