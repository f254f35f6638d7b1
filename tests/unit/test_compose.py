"""Compose decisions driven by settings: draft numbers, joint symbol/signature order, right header,
size set, Party vs State conventions, the ending mark."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from quyche.model import Para
from quyche.pipeline import build

from conftest import ROOT
from outline import model_texts

BASE = ROOT / "tests" / "fixtures" / "base.yaml"
PARTNER = {
    "ma": "BTGTU",
    "he_thong": "dang",
    "ten": "Ban Tuyên giáo Tỉnh ủy Lâm Đồng",
    "cap_tren": "Tỉnh ủy Lâm Đồng",
    "ten_dau_trang": "Ban Tuyên giáo",
    "viet_tat": "BTGTU",
}


def doc_from(tmp_path: Path, **changes):
    data = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    data.update(changes)
    path = tmp_path / "vb.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return build(path).document


def joint(tmp_path: Path, lead: str, **settings):
    data = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    bodies = [dict(data["co_quan"][0]), dict(PARTNER)]
    for b in bodies:
        b["chu_tri"] = b["ma"] == lead
    ky = data["ky"] + [{"co_quan": "BTGTU", "chuc_vu": "Trưởng ban", "ho_ten": "Trần Văn Hiệp"}]
    return doc_from(tmp_path, co_quan=bodies, ky=ky, the_thuc_tuy_chinh=settings)


def test_draft_number_is_blank(tmp_path: Path) -> None:
    doc = doc_from(tmp_path, so=None)
    assert doc.so_ky_hieu.startswith("Số: ") and doc.so_ky_hieu.endswith("/QC-UBND")
    assert doc.so_ky_hieu.replace(" ", "") == "Số:/QC-UBND"


def test_number_padding_and_no_year(tmp_path: Path) -> None:
    assert doc_from(tmp_path, so=7).so_ky_hieu == "Số: 07/QC-UBND"
    assert doc_from(tmp_path, so=123).so_ky_hieu == "Số: 123/QC-UBND"


def test_joint_number_follows_the_lead(tmp_path: Path) -> None:
    assert joint(tmp_path, "BTGTU").so_ky_hieu == "Số 05-QC/BTGTU-UBND"
    assert joint(tmp_path, "UBND").so_ky_hieu == "Số: 05/QC-UBND-BTGTU"
    assert joint(tmp_path, "UBND", **{"joint.symbol_order": "header"}).so_ky_hieu == "Số: 05/QC-UBND-BTGTU"
    assert joint(tmp_path, "BTGTU", **{"joint.symbol_order": "header"}).so_ky_hieu == "Số 05-QC/UBND-BTGTU"


def test_signature_order_setting(tmp_path: Path) -> None:
    right = joint(tmp_path, "BTGTU")
    assert [s.co_quan for s in right.signers] == ["UBND", "BTGTU"]  # lead on the right (default)
    left = joint(tmp_path, "BTGTU", **{"joint.signature_order": "lead_left"})
    assert [s.co_quan for s in left.signers] == ["BTGTU", "UBND"]


def test_each_block_keeps_its_system(tmp_path: Path) -> None:
    doc = joint(tmp_path, "BTGTU")
    by = {s.co_quan: s.lines for s in doc.signers}
    assert by["UBND"] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    assert by["BTGTU"] == ["TRƯỞNG BAN"]


def test_right_header_lead_or_both(tmp_path: Path) -> None:
    header = joint(tmp_path, "BTGTU").sections[0].blocks[0]
    right = model_texts([header.rows[0].cells[1]] and header.rows[0].cells[1].blocks)
    assert right == ["ĐẢNG CỘNG SẢN VIỆT NAM"]
    both = joint(tmp_path, "BTGTU", **{"joint.right_header": "both"}).sections[0].blocks[0]
    right = model_texts(both.rows[0].cells[1].blocks)
    assert right == ["ĐẢNG CỘNG SẢN VIỆT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]


def test_party_header_has_asterisk_state_has_rule(tmp_path: Path) -> None:
    header = joint(tmp_path, "UBND").sections[0].blocks[0]
    left = header.rows[0].cells[0].blocks
    kinds = [b.text if isinstance(b, Para) else "<rule>" for b in left]
    assert kinds == ["ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG", "<rule>", "TỈNH ỦY LÂM ĐỒNG", "BAN TUYÊN GIÁO", "*"]


def test_size_set_12_13(tmp_path: Path) -> None:
    doc = doc_from(tmp_path, the_thuc_tuy_chinh={"size_set": "12/13"})
    paras = {p.role: p for p in doc.iter_paras()}
    assert paras["quoc_hieu"].size_pt == 12 and paras["tieu_ngu"].size_pt == 13
    assert paras["so_ky_hieu"].size_pt == 13 and paras["noi_nhan_muc"].size_pt == 11


def test_unknown_setting_is_located(tmp_path: Path) -> None:
    from quyche.errors import DiagnosticError

    with pytest.raises(DiagnosticError) as exc:
        doc_from(tmp_path, the_thuc_tuy_chinh={"size_sett": "12/13"})
    d = exc.value.diagnostics[0]
    assert d.code == "thiet-lap-la" and d.hint == 'Có phải ý bạn là "size_set"?' and d.location.line > 1


def test_tone_style_setting(tmp_path: Path) -> None:
    moi = doc_from(tmp_path, the_thuc_tuy_chinh={"text.tone_style": "moi"})
    assert "Uỷ ban" in " ".join(p.text for p in moi.iter_paras() if p.role == "doan") or any(
        "UỶ" in p.text for p in moi.iter_paras()
    )
    assert any(p.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" for p in moi.iter_paras())  # fixed string kept


def test_ending_mark_and_keep_with_signature(tmp_path: Path) -> None:
    doc = doc_from(tmp_path)
    body = [p for p in doc.iter_paras() if p.role == "doan"]
    assert body[-1].text.endswith("phối hợp./.") and body[-1].keep_with_next
