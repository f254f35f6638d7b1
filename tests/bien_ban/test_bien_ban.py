"""Kind ``bien_ban``: the State form (NĐ 30/2020, Phụ lục III, Mẫu 1.9) and the Party form (Hướng dẫn
16-HD/VPTW), checked on the composed model, on the .docx and on invalid inputs (located diagnostics)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

import quyche
from quyche.errors import DiagnosticError
from quyche.model import Para, Rule, Table
from quyche.normalize import weekday_vi
from quyche.pipeline import build

from conftest import DATA
from outline import docx_outline, iter_paragraphs, model_texts

STATE = DATA / "bien-ban-hoi-nghi-trien-khai-2021.yaml"
SIGNING = DATA / "bien-ban-ky-ket-nga-bay-2021.yaml"
REVIEW = DATA / "bien-ban-so-ket-dang.yaml"

STATE_FIELDS = [  # ND30-PL3 Mẫu 1.9, in this order ("chủ toạ" written in the default tone style "tọa")
    "Thời gian bắt đầu: ",
    "Địa điểm: ",
    "Thành phần tham dự:",
    "Chủ trì (chủ tọa): ",
    "Thư ký (người ghi biên bản): ",
    "Nội dung (theo diễn biến cuộc họp/hội nghị/hội thảo):",
]
PARTY_FIELDS = ["- Thời gian: ", "- Địa điểm: ", "- Nội dung: ", "- Người chủ trì: ", "- Người ghi biên bản: "]

# A small State minutes file and a small Party one; tests change one line of them.
MINI_STATE = """\
loai: bien_ban
co_quan:
  - ma: UBND
    he_thong: nha_nuoc
    ten: Ủy ban nhân dân huyện Tiên Lữ
    ten_dau_trang: [Ủy ban nhân dân, huyện Tiên Lữ]
    viet_tat: UBND
so: 4
trich_yeu: Họp giao ban tháng 01 năm 2021
bat_dau: 2021-01-05 14:00
ket_thuc: 2021-01-05 16:15
dia_diem: Phòng họp số 2
thanh_phan: Lãnh đạo các phòng chuyên môn
dien_bien:
  - tieu_de: Kết quả tháng 12
    doan: Các phòng báo cáo kết quả.
ky:
  - vai_tro: thu_ky
    ho_ten: Nguyễn Văn An
  - vai_tro: chu_toa
    ho_ten: Trần Văn Bình
    chuc_danh: Phó Chủ tịch UBND huyện
"""

MINI_PARTY = """\
loai: bien_ban
co_quan:
  - ma: BTGHU
    he_thong: dang
    ten: Ban Tuyên giáo Huyện ủy Tiên Lữ
    cap_tren: Huyện ủy Tiên Lữ
    ten_dau_trang: Ban Tuyên giáo
    viet_tat: BTGHU
so: 3
dia_danh: Tiên Lữ
trich_yeu: Hội nghị sơ kết công tác tuyên giáo 6 tháng đầu năm 2019
bat_dau: 2019-07-12 08:00
ket_thuc: 2019-07-12 11:00
dia_diem: Hội trường Huyện ủy
dai_bieu_chinh_thuc:
  tong_so: 9
  vang_mat:
    - {ho_ten: Lê Văn Cường, ly_do: đi học}
dien_bien:
  - tieu_de: Báo cáo sơ kết
    doan: Trình bày báo cáo.
ky:
  - vai_tro: thu_ky
    ho_ten: Phạm Thị Dung
  - vai_tro: chu_toa
    ho_ten: Vũ Quang Vinh
    chuc_danh: Trưởng Ban Tuyên giáo Huyện ủy
"""


def write(tmp_path: Path, text: str, name: str = "bb.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def body(document) -> list:
    return document.sections[0].blocks


def signature_table(document) -> Table:
    return next(b for b in body(document) if isinstance(b, Table) and b.role == "chu_ky")


def located(diags, code: str, text: str, needle: str, at: str | None = None) -> None:
    """One error ``code`` located on the first line holding ``needle``, at ``at`` (default: ``needle``)."""
    line_no = next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)
    line = text.splitlines()[line_no - 1]
    col = line.index(needle) + (needle.index(at) if at else 0) + 1
    found = [(d.location.line, d.location.column) for d in diags if d.code == code and d.location]
    assert (line_no, col) in found, (code, line_no, col, [(d.code, d.location, d.message) for d in diags])


# ---- State form: NĐ 30/2020, Phụ lục III, Mẫu 1.9 ----------------------------------------------------


@pytest.fixture(scope="module")
def state():
    result = quyche.render(STATE)
    return result.document, docx_outline(result.outputs["docx"])


def test_state_profile_number_and_no_date_line(state) -> None:
    document, outline = state
    assert document.profile_id == "nd30-2020"
    assert document.so_ky_hieu == "Số: 02/BB-UBND"
    header = outline["body"][0]["table"]
    assert all(not p.get("text") for p in header["rows"][1][1]), "Mẫu 1.9 has no địa danh, ngày line"
    assert not any(re.search(r"ngày \d+ tháng \d+ năm \d{4}$", t) for t in model_texts([body(document)[0]]))


def test_state_title_meeting_name_and_short_rule(state) -> None:
    document, _ = state
    blocks = body(document)
    assert isinstance(blocks[1], Para) and blocks[1].text == "BIÊN BẢN" and blocks[1].runs[0].bold
    name = blocks[2]
    assert isinstance(name, Para) and name.text.startswith("Hội nghị tổng kết") and all(r.bold for r in name.runs)
    assert isinstance(blocks[3], Rule) and 0 < blocks[3].length_mm < 80


def test_state_six_fields_in_order(state) -> None:
    _, outline = state
    paras = [p["text"] for p in iter_paragraphs(outline) if p.get("text")]
    where = [next(i for i, t in enumerate(paras) if t.startswith(label)) for label in STATE_FIELDS]
    assert where == sorted(where)
    start = paras[where[0]]
    assert start == "Thời gian bắt đầu: 8 giờ 00, thứ Hai, ngày 11 tháng 01 năm 2021."
    assert weekday_vi(dt.date(2021, 1, 11)) in start  # computed, never typed
    assert paras[where[3]] == "Chủ trì (chủ tọa): đồng chí Nguyễn Huy Khánh, Chủ tịch Ủy ban nhân dân thị xã."
    assert paras[where[5]] == STATE_FIELDS[5]
    assert "- Chủ tịch Ủy ban nhân dân các xã, phường;" in paras  # the Thành phần list, "- …;" / "."


def test_state_content_numbered_and_closing_sentence(state) -> None:
    _, outline = state
    paras = [p for p in iter_paragraphs(outline) if p.get("text")]
    heads = [p["text"] for p in paras if p.get("role") == "bien_ban_muc"]
    assert [h.split(". ")[0] for h in heads] == ["1", "2", "3", "4", "5", "6"]
    assert heads[-2:] == ["5. Kết luận", "6. Phân công thực hiện"]
    closing = [p for p in paras if p.get("role") == "bien_ban_ket_thuc"]
    assert [p["text"] for p in closing] == ["Hội nghị kết thúc vào 10 giờ 45, ngày 11 tháng 01 năm 2021./."]
    assert "(hội nghị, hội thảo)" not in closing[0]["text"]
    # the closing sentence is the last body paragraph, right before the signatures
    top = outline["body"]
    i = next(k for k, b in enumerate(top) if b.get("role") == "bien_ban_ket_thuc")
    assert "table" in top[i + 1] and "THƯ KÝ" in str(top[i + 1])


def test_state_tasks_table(state) -> None:
    document, _ = state
    tables = [b for b in body(document) if isinstance(b, Table) and b.role == "bang"]
    tasks = tables[-1]
    head = [c.blocks[0].text for c in tasks.rows[0].cells]  # type: ignore[union-attr]
    assert head == ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn"]
    first = [c.blocks[0].text for c in tasks.rows[1].cells]  # type: ignore[union-attr]
    assert first[0] == "1" and first[-1] == "29/01/2021"
    assert tasks.rows[1].cells[0].blocks[0].align == "center"  # type: ignore[union-attr]
    assert sum(tasks.widths_mm) == pytest.approx(160, abs=0.1)


def test_state_signatures_secretary_left_chair_right_names_on_one_row(state) -> None:
    document, outline = state
    table = signature_table(document)
    titles, names = table.rows
    assert model_texts(titles.cells[0].blocks) == ["THƯ KÝ"] and model_texts(titles.cells[-1].blocks) == ["CHỦ TỌA"]
    assert model_texts(names.cells[0].blocks) == ["Nguyễn Thị Mai"]
    assert model_texts(names.cells[-1].blocks) == ["Nguyễn Huy Khánh"]
    assert [s.id for s in document.signers] == ["chu-ky-thu-ky", "chu-ky-chu-toa"]
    # in the .docx: one table, labels on row 1 and both names on row 2 (they stand on one line)
    docx_table = next(b["table"] for b in outline["body"] if "table" in b and "THƯ KÝ" in str(b))
    row1, row2 = docx_table["rows"]
    assert row1[0][0]["text"] == "THƯ KÝ" and row1[-1][0]["text"] == "CHỦ TỌA"
    assert row2[0][0]["text"] == "Nguyễn Thị Mai" and row2[-1][0]["text"] == "Nguyễn Huy Khánh"
    assert all(row[0][0]["bold"] and row[-1][0]["bold"] for row in (row1, row2))
    assert docx_table["widths_mm"][0] < docx_table["widths_mm"][-1]  # Mẫu 1.9: 3402 | 426 | 5528 twips


def test_state_noi_nhan_under_the_left_column(state) -> None:
    _, outline = state
    top = outline["body"]
    i = next(k for k, b in enumerate(top) if "table" in b and "THƯ KÝ" in str(b))
    signatures, receivers = top[i]["table"], next(b["table"] for b in top[i + 1 :] if "table" in b)
    left = receivers["rows"][0][0]
    assert left[0]["text"] == "Nơi nhận:" and left[-1]["text"] == "- Lưu: VT, Hồ sơ."
    assert left[0]["italic"] and left[0]["bold"] and left[0]["size"] == 12  # ND30-PL1 §II.9.d
    assert receivers["widths_mm"][0] == signatures["widths_mm"][0], "under the secretary's column"
    assert not any(p.get("text") for p in receivers["rows"][0][1])


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({}, "Cuộc họp kết thúc vào 16 giờ 15, ngày 05 tháng 01 năm 2021./."),  # "Họp …": cuộc họp
        ({"hinh_thuc": "hoi_thao"}, "Hội thảo kết thúc vào 16 giờ 15, ngày 05 tháng 01 năm 2021./."),
        ({"trich_yeu": "Hội nghị cán bộ"}, "Hội nghị kết thúc vào 16 giờ 15, ngày 05 tháng 01 năm 2021./."),
        ({"ket_thuc": '"15:40"'}, "Cuộc họp kết thúc vào 15 giờ 40, ngày 05 tháng 01 năm 2021./."),
    ],
)
def test_one_noun_and_the_real_end_time(tmp_path: Path, change: dict[str, str], expected: str) -> None:
    text = MINI_STATE
    for key, value in change.items():
        if re.search(rf"^{key}:", text, re.M):
            text = re.sub(rf"^{key}:.*$", f"{key}: {value}", text, flags=re.M)
        else:
            text += f"{key}: {value}\n"
    document = build(write(tmp_path, text)).document
    assert model_texts(body(document)).count(expected) == 1


def test_luu_line_is_a_setting(tmp_path: Path) -> None:
    text = MINI_STATE + "the_thuc_tuy_chinh:\n  bien_ban.luu_text: VT, hồ sơ\n"
    document = build(write(tmp_path, text)).document
    assert model_texts(body(document))[-1] == "- Lưu: VT, hồ sơ."
    document = build(write(tmp_path, MINI_STATE + "luu: VT, VP\n")).document
    assert model_texts(body(document))[-1] == "- Lưu: VT, VP."


def test_chair_government_title_under_chu_toa(tmp_path: Path) -> None:
    """Mẫu 1.9 footnote 5: the chair's government title may follow "CHỦ TỌA"."""
    text = MINI_STATE.replace("    chuc_danh: Phó Chủ tịch UBND huyện\n", "    chuc_vu: Phó Chủ tịch\n")
    document = build(write(tmp_path, text)).document
    titles = signature_table(document).rows[0]
    assert model_texts(titles.cells[-1].blocks) == ["CHỦ TỌA", "PHÓ CHỦ TỊCH"]


# ---- Party form: Hướng dẫn 16-HD/VPTW ---------------------------------------------------------------


@pytest.fixture(scope="module", params=[SIGNING, REVIEW], ids=lambda p: p.stem)
def party(request):
    result = quyche.render(request.param)
    return request.param, result.document, docx_outline(result.outputs["docx"])


def test_party_profile_header_and_date_line(party) -> None:
    _, document, outline = party
    assert document.profile_id == "hd16-2023"
    assert re.fullmatch(r"Số \d{2}-BB/BTGTU", document.so_ky_hieu)
    header = outline["body"][0]["table"]
    assert header["rows"][0][1][0]["text"] == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert any(p.get("text") == "*" for p in header["rows"][0][0])
    date = header["rows"][1][1][0]
    assert date["italic"] and re.fullmatch(r"\w[\w ]+, ngày \d{2} tháng \d{1,2} năm \d{4}", date["text"])


def test_party_lead_fields_and_sections(party) -> None:
    _, _, outline = party
    paras = [p["text"] for p in iter_paragraphs(outline) if p.get("text")]
    where = [next(i for i, t in enumerate(paras) if t.startswith(label)) for label in PARTY_FIELDS]
    assert where == sorted(where)
    assert re.fullmatch(r"- Thời gian: bắt đầu vào hồi \d+ giờ \d{2}, thứ \w+, ngày .+\.", paras[where[0]])
    heads = [p["text"] for p in iter_paragraphs(outline) if p.get("role") == "bien_ban_muc"]
    assert heads[:2] == ["1. Thành phần hội nghị", "1.1. Đại biểu chính thức"]
    assert "2. Diễn biến hội nghị" in heads and heads[heads.index("2. Diễn biến hội nghị") + 1].startswith("2.1. ")


def test_party_attendance_counts_are_computed(party) -> None:
    path, document, _ = party
    all_text = model_texts(body(document))
    if path == SIGNING:  # 7 names present, nobody absent
        assert "Có mặt: 7 đồng chí." in all_text and "Vắng mặt: không." in all_text
    else:  # 15 in total, 2 named absentees with reasons
        assert "Có mặt: 13 đồng chí." in all_text
        absent = next(t for t in all_text if t.startswith("Vắng mặt:"))
        assert absent.startswith("Vắng mặt: 2 đồng chí (đồng chí Nguyễn Văn Tâm, Phó Viện trưởng")
        assert "lý do: đi công tác" in absent and "đồng chí Phạm Thị Ngọc Ánh" in absent and absent.endswith(").")


def test_party_closing_and_signatures(party) -> None:
    _, document, outline = party
    closing = [p["text"] for p in iter_paragraphs(outline) if p.get("role") == "bien_ban_ket_thuc"]
    assert len(closing) == 1
    assert re.fullmatch(r"Hội nghị kết thúc vào hồi \d+ giờ \d{2}, ngày .+ năm \d{4}\.", closing[0])
    assert not closing[0].endswith("./.")
    titles, names = signature_table(document).rows
    assert model_texts(titles.cells[0].blocks) == ["NGƯỜI GHI BIÊN BẢN"]
    assert model_texts(titles.cells[-1].blocks) == ["CHỦ TRÌ HỘI NGHỊ"]
    assert len(model_texts(names.cells[0].blocks)) == len(model_texts(names.cells[-1].blocks)) == 1


def test_signing_ceremony_lists_the_documents_signed() -> None:
    all_text = model_texts(body(build(SIGNING).document))
    signed = [t for t in all_text if t.startswith("- Chương trình phối hợp giữa Ban Tuyên giáo Thành ủy và")]
    assert len(signed) == 4 and signed[-1].endswith(").") and all(t.endswith(");") for t in signed[:-1])
    assert "đại diện ký: đồng chí Nguyễn Thị Kim Xuyên và đồng chí Võ Hoàng Khải" in signed[-1]
    # tasks as a list (setting bien_ban.nhiem_vu.hien_thi: danh_sach), deadline date with the ND30 zeros
    assert any(t.endswith("(chủ trì: Ban Tuyên giáo Thành ủy; thời hạn: 07/01/2022);") for t in all_text)


def test_party_chair_signing_for_a_collective(tmp_path: Path) -> None:
    """HD16: "T/M …" replaces "CHỦ TRÌ HỘI NGHỊ" (HD36 1.7.1 prefix for a committee)."""
    text = MINI_PARTY.replace(
        "    chuc_danh: Trưởng Ban Tuyên giáo Huyện ủy\n", "    thay_mat: Ban Thường vụ\n    chuc_vu: Phó Bí thư\n"
    )
    document = build(write(tmp_path, text)).document
    titles = signature_table(document).rows[0]
    assert model_texts(titles.cells[-1].blocks) == ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ"]


def test_party_date_defaults_to_the_meeting_day(tmp_path: Path) -> None:
    document = build(write(tmp_path, MINI_PARTY)).document
    assert model_texts([body(document)[0]])[-1] == "Tiên Lữ, ngày 12 tháng 7 năm 2019"
    assert "Có mặt: 8 đồng chí." in model_texts(body(document))


def test_only_minutes_of_party_bodies_default_to_hd16() -> None:
    assert build(DATA / "quy-che-quang-tri-2023.yaml").document.profile_id == "hd36-2018"
    assert build(DATA / "giay-moi-tien-lu-2019.yaml").document.profile_id == "hd36-2018"


@pytest.mark.parametrize("where", ["document", "body"])
def test_naming_the_general_party_rules_keeps_the_party_minutes_form(tmp_path: Path, where: str) -> None:
    """ "the_thuc: hd36-2018" on Party minutes means the Party rules, and HD16 (which extends them) is
    the Party form of minutes: never Mẫu 1.9 fields under a Party header."""
    if where == "document":
        text = MINI_PARTY.replace("so: 3\n", "so: 3\nthe_thuc: hd36-2018\n")
    else:
        text = MINI_PARTY.replace("    viet_tat: BTGHU\n", "    viet_tat: BTGHU\n    the_thuc: hd36-2018\n")
    assert text != MINI_PARTY
    document = build(write(tmp_path, text)).document
    assert document.profile_id == "hd16-2023"
    lines = model_texts(body(document))
    assert any(line.startswith("- Người chủ trì: ") for line in lines)
    assert "Có mặt: 8 đồng chí." in lines


def test_naming_the_state_rules_for_party_minutes_is_kept(tmp_path: Path) -> None:
    """An explicit profile off the HD16 chain is the user's choice and stays: the Party-form fields are
    then located as fields the Mẫu 1.9 form does not have."""
    path = write(tmp_path, MINI_PARTY.replace("so: 3\n", "so: 3\nthe_thuc: nd30-2020\n"))
    with pytest.raises(DiagnosticError) as caught:
        build(path)
    located(caught.value.diagnostics, "truong-khong-dung-mau", path.read_text(), "dai_bieu_chinh_thuc:")


# ---- invalid input: located diagnostics -----------------------------------------------------------


def test_end_before_start_is_located(tmp_path: Path) -> None:
    text = MINI_STATE.replace("ket_thuc: 2021-01-05 16:15", "ket_thuc: 2021-01-05 13:30")
    diags = quyche.validate(write(tmp_path, text))
    located(diags, "sai-kieu", text, "2021-01-05 13:30")
    assert "phải sau giờ bắt đầu" in next(d.message for d in diags if d.code == "sai-kieu")


def test_unquoted_clock_time_is_explained(tmp_path: Path) -> None:
    text = MINI_STATE.replace("ket_thuc: 2021-01-05 16:15", "ket_thuc: 16:15")  # YAML 1.1 reads 975
    diags = quyche.validate(write(tmp_path, text))
    located(diags, "sai-kieu", text, "16:15")
    assert "ngoặc kép" in next(d.message for d in diags if d.code == "sai-kieu")


def test_start_needs_a_time(tmp_path: Path) -> None:
    text = MINI_STATE.replace("bat_dau: 2021-01-05 14:00", "bat_dau: 2021-01-05")
    located(quyche.validate(write(tmp_path, text)), "sai-kieu", text, "2021-01-05\n".rstrip())


def test_attendance_total_mismatch_is_located(tmp_path: Path) -> None:
    text = MINI_PARTY.replace(
        "  tong_so: 9\n", "  tong_so: 9\n  co_mat: [Vũ Quang Vinh, Phạm Thị Dung, Nguyễn Văn Hòa]\n"
    )
    diags = quyche.validate(write(tmp_path, text))
    located(diags, "sai-kieu", text, "tong_so: 9", at="9")
    assert "không khớp" in next(d.message for d in diags if d.code == "sai-kieu")


def test_roles_exactly_one_secretary_and_one_chair(tmp_path: Path) -> None:
    text = MINI_STATE.replace("vai_tro: chu_toa", "vai_tro: thu_ky")
    located(quyche.validate(write(tmp_path, text)), "sai-kieu", text, "- vai_tro: thu_ky")


def test_field_of_the_other_form_is_located(tmp_path: Path) -> None:
    text = MINI_STATE + "tai_lieu: Báo cáo tháng 12\n"
    diags = quyche.validate(write(tmp_path, text))
    located(diags, "truong-khong-dung-mau", text, "tai_lieu:")
    text = MINI_PARTY + "thanh_phan: Cán bộ Ban\n"
    located(quyche.validate(write(tmp_path, text)), "truong-khong-dung-mau", text, "thanh_phan:")


def test_party_form_needs_attendance_and_place(tmp_path: Path) -> None:
    text = MINI_PARTY.replace("dia_danh: Tiên Lữ\n", "").replace(
        "dai_bieu_chinh_thuc:\n  tong_so: 9\n  vang_mat:\n    - {ho_ten: Lê Văn Cường, ly_do: đi học}\n", ""
    )
    diags = quyche.validate(write(tmp_path, text))
    missing = sorted(d.message for d in diags if d.code == "thieu-truong")
    assert len(missing) == 2 and '"dai_bieu_chinh_thuc"' in missing[0] and '"dia_danh"' in missing[1]


def test_signer_checks_still_apply(tmp_path: Path) -> None:
    text = MINI_STATE.replace("ho_ten: Trần Văn Bình", "ho_ten: TS. Trần Văn Bình")
    located(quyche.validate(write(tmp_path, text)), "hoc-ham-truoc-ten", text, "TS. Trần Văn Bình")
    text = MINI_PARTY.replace("    chuc_danh: Trưởng Ban Tuyên giáo Huyện ủy\n", "    thay_mat: TM. Ban Thường vụ\n")
    located(quyche.validate(write(tmp_path, text)), "tien-to-sai-he-thong", text, "TM. Ban Thường vụ")


def test_examples_are_clean() -> None:
    for path in (STATE, SIGNING, REVIEW):
        assert quyche.validate(path) == [], path.name
