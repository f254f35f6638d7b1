"""Signing and verification (quyche.sign): PAdES, the NĐ 30 appearance, tampering, and the refusals."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from quyche.sign import SignError, format_vn_time, sign_pdf, verify_pdf

MM = 72 / 25.4


def _sign(kit, pki, src: Path, dst: Path, **kw):
    cred = kw.pop("cred", pki["valid"])
    return sign_pdf(src, dst, cred.p12, kw.pop("password", kit.PASSWORD), **kw)


def _appearance(path: Path, field: str) -> generic.StreamObject:
    reader = PdfFileReader(io.BytesIO(path.read_bytes()))
    sig = next(s for s in reader.embedded_signatures if s.field_name == field)
    annot = sig.sig_field if "/AP" in sig.sig_field else sig.sig_field["/Kids"][0].get_object()
    return annot["/AP"]["/N"]


def _images(stream: bytes) -> list[tuple[float, float, float, float]]:
    """(x, y, w, h) of each image drawn by the appearance, in drawing order."""
    pattern = rb"q ([\d.]+) 0 0 ([\d.]+) ([-\d.]+) ([-\d.]+) cm /Img\d+ Do Q"
    return [(float(x), float(y), float(w), float(h)) for w, h, x, y in re.findall(pattern, stream)]


# -- signing and verifying -------------------------------------------------------------------------------
def test_sign_named_field_then_verify_intact(kit, pki, images, pdf_one: Path, tmp_path: Path) -> None:
    before = pdf_one.read_bytes()
    out = tmp_path / "da-ky.pdf"
    result = _sign(kit, pki, pdf_one, out, field=kit.FIELD_1, image=images["signer"], seal=images["seal"],
                   reason="Ban hành", location="Hà Nội")  # fmt: skip
    assert pdf_one.read_bytes() == before  # the input is never modified
    signed = out.read_bytes()
    assert signed.startswith(before)  # an incremental update: the original bytes stay as they were
    assert result.field == kit.FIELD_1 and result.signer == kit.SIGNER
    assert not result.created_field and not result.timestamped and result.warnings == ()
    assert result.signing_time.utcoffset() == timedelta(hours=7)

    [status] = verify_pdf(out)
    assert status.field == kit.FIELD_1 and status.signer == kit.SIGNER
    assert status.intact and status.valid and status.covers_whole_document and status.modification == "none"
    assert not status.trusted  # self-signed, and no trust root given
    assert status.signing_time is not None and status.signing_time.utcoffset() == timedelta(hours=7)
    assert abs((status.signing_time - result.signing_time).total_seconds()) < 1
    assert status.timestamp_time is None and status.problem is None

    [trusted] = verify_pdf(out, trust_roots=[pki["valid"].cert_pem])
    assert trusted.trusted and trusted.intact


def test_signature_is_pades(kit, pki, pdf_one: Path, tmp_path: Path) -> None:
    out = tmp_path / "da-ky.pdf"
    _sign(kit, pki, pdf_one, out)  # the only empty field is chosen
    reader = PdfFileReader(io.BytesIO(out.read_bytes()))
    [sig] = reader.embedded_signatures
    assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES baseline (ETSI EN 319 142-1)
    assert sig.field_name == kit.FIELD_1
    assert sig.md_algorithm == "sha256"
    signed_attrs = {a["type"].native for a in sig.signer_info["signed_attrs"]}
    assert "signing_certificate_v2" in signed_attrs  # B-B: the signer's certificate is bound to the signature


def test_appearance_follows_nd30(kit, pki, images, pdf_one: Path, tmp_path: Path) -> None:
    out = tmp_path / "da-ky.pdf"
    result = _sign(kit, pki, pdf_one, out, image=images["signer"], seal=images["seal"])
    ap = _appearance(out, kit.FIELD_1)
    x1, y1, x2, y2 = (float(v) for v in ap["/BBox"])
    box_w, box_h = abs(x2 - x1), abs(y2 - y1)
    data = ap.data
    (sx, sy, sw, sh), (dx, dy, dw, dh) = _images(data)[:2]  # signer's image first, the seal drawn over it
    assert abs(sx + sw / 2 - box_w / 2) < 0.5  # the signer's image is centred (Phụ lục I, II.7.d)
    assert abs(dw - 36 * MM) < 0.5 and abs(dh - 36 * MM) < 0.5  # the seal at its actual size: 425 px at 300 dpi
    assert abs(dx + dw - (sx + sw / 3)) < 0.5  # … covering the left third of the signature (II.8.a)
    # level with the signature, unless that would push the seal out of the field
    assert abs(dy - min(max(sy + sh / 2 - dh / 2, 0), box_h - dh)) < 0.5
    assert 0 <= dx and dx + dw <= box_w and 0 <= dy and dy + dh <= box_h
    # the information line, as real text (ActualText) in Vietnam time
    pytest.importorskip("uharfbuzz")
    line = f"{kit.SIGNER} — Ký ngày {format_vn_time(result.signing_time)}"
    [actual] = re.findall(rb"/ActualText (\((?:\\.|[^\\)])*\))", data)
    assert generic.read_string_from_stream(io.BytesIO(actual)) == line
    assert "+07:00" in line


def test_text_uses_embedded_vietnamese_font(kit, pki, pdf_one: Path, tmp_path: Path) -> None:
    pytest.importorskip("uharfbuzz")
    out = tmp_path / "da-ky.pdf"
    _sign(kit, pki, pdf_one, out)
    ap = _appearance(out, kit.FIELD_1)
    font = ap["/Resources"]["/Font"]["/FQuyche"]
    cid_font = font["/DescendantFonts"][0]
    assert "LiberationSerif" in str(font["/BaseFont"]) or "Times" in str(font["/BaseFont"])
    assert "/FontFile2" in cid_font["/FontDescriptor"]  # embedded (a subset)
    # widths in thousandths of an em (ISO 32000-1, 9.7.4.3): Times-metric "N" is 722, not 1479 font units
    widths = [int(w) for entry in cid_font["/W"] if isinstance(entry, generic.ArrayObject) for w in entry]
    assert widths and max(widths) <= 1000
    to_unicode = font["/ToUnicode"].data.decode("ascii")
    for ch in "ễăýà":  # Vietnamese letters are mapped back for copying and search
        assert f"<{ord(ch):04x}>" in to_unicode.lower()


def test_raster_text_when_harfbuzz_is_missing(kit, pki, pdf_one: Path, tmp_path: Path, monkeypatch, caplog) -> None:
    import quyche.sign.stamp as sign

    def no_harfbuzz(*args, **kwargs):
        raise ImportError("uharfbuzz")

    monkeypatch.setattr(sign, "_GlyphText", no_harfbuzz)
    out = tmp_path / "da-ky.pdf"
    with caplog.at_level("WARNING", logger="quyche.sign"):
        _sign(kit, pki, pdf_one, out)
    assert "uharfbuzz" in caplog.text
    assert len(_images(_appearance(out, kit.FIELD_1).data)) == 1  # the line, as an image
    assert verify_pdf(out)[0].intact


def test_image_warnings(kit, pki, images, pdf_one: Path, tmp_path: Path) -> None:
    out = tmp_path / "da-ky.pdf"
    result = _sign(kit, pki, pdf_one, out, image=images["seal"], seal=images["seal_blue"])
    text = " ".join(result.warnings)
    assert "không phải màu xanh" in text and "không phải màu đỏ" in text
    result = _sign(kit, pki, pdf_one, tmp_path / "b.pdf", seal=images["seal_no_dpi"])
    assert any("DPI" in w for w in result.warnings)
    # a 42 mm seal is taller than the 39.5 mm field: the field grows, the seal keeps its actual size
    result = _sign(kit, pki, pdf_one, tmp_path / "c.pdf", seal=images["seal_no_dpi"], seal_size_mm=42)
    assert not result.warnings
    (_, _, w, h) = _images(_appearance(tmp_path / "c.pdf", kit.FIELD_1).data)[0]
    assert abs(w - 42 * MM) < 0.5 and abs(h - 42 * MM) < 0.5
    reader = PdfFileReader(io.BytesIO((tmp_path / "c.pdf").read_bytes()))
    rect = [float(v) for v in reader.embedded_signatures[0].sig_field["/Rect"]]
    assert rect[3] - rect[1] >= 42 * MM and abs((rect[1] + rect[3]) / 2 - (211.42 + 323.32) / 2) < 0.01


def test_two_signers_one_after_the_other(kit, pki, images, pdf_two: Path, tmp_path: Path) -> None:
    with pytest.raises(SignError) as exc:  # two empty fields, neither is the signer's: the field must be named
        _sign(kit, pki, pdf_two, tmp_path / "x.pdf", cred=pki["stranger"])
    assert exc.value.code == "o-ky-chua-chon"
    assert kit.FIELD_1 in exc.value.message and kit.FIELD_2 in exc.value.message
    assert "Phạm Văn Lạ" in exc.value.message and not (tmp_path / "x.pdf").exists()

    first, second = tmp_path / "ky-1.pdf", tmp_path / "ky-2.pdf"
    # no --field: the certificate names Nguyễn Văn Yên, whose field is chu-ky-ubnd-nguyen-van-yen
    r1 = _sign(kit, pki, pdf_two, first, image=images["signer"], seal=images["seal"])
    assert r1.field == kit.FIELD_1
    result = _sign(kit, pki, first, second, cred=pki["second"], image=images["signer"])  # the one empty field left
    assert result.field == kit.FIELD_2 and result.signer == "Trần Thị Bình"
    s1, s2 = verify_pdf(second)
    assert (s1.field, s2.field) == (kit.FIELD_1, kit.FIELD_2)
    assert s1.valid and s2.valid and s1.intact and s2.intact
    assert s1.modification == "signatures" and not s1.covers_whole_document  # signed again afterwards: fine
    assert s2.modification == "none" and s2.covers_whole_document

    with pytest.raises(SignError) as exc:
        _sign(kit, pki, second, tmp_path / "ky-3.pdf", field=kit.FIELD_1)
    assert exc.value.code == "o-ky-da-ky"


def test_new_field_on_last_page_when_none_exists(kit, pki, images, tmp_path: Path, case) -> None:
    case("ký số", "PDF không do quyche tạo (không có ô chữ ký)", "tạo ô chu-ky-so ở trang cuối, ký được")
    src = tmp_path / "hai-trang.pdf"
    src.write_bytes(kit.make_pdf((), pages=2))
    out = tmp_path / "da-ky.pdf"
    result = _sign(kit, pki, src, out, image=images["signer"], seal=images["seal"])
    assert result.created_field and result.field == "chu-ky-so"
    reader = PdfFileReader(io.BytesIO(out.read_bytes()))
    [sig] = reader.embedded_signatures
    annot = sig.sig_field
    x1, y1, x2, y2 = (float(v) for v in annot["/Rect"])
    assert annot["/P"].get_object() is reader.root["/Pages"]["/Kids"][1].get_object()  # the last page
    assert 0 < x1 < x2 <= 595.28 - 15 * MM and 15 * MM <= y1 < y2 < 841.89 / 2  # bottom right, inside the margins
    assert verify_pdf(out)[0].valid


def test_timestamped_signature_is_b_t(kit, pki, pdf_one: Path, tmp_path: Path) -> None:
    from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1, translate_pyca_cryptography_key_to_asn1
    from pyhanko.sign.timestamps import DummyTimeStamper

    tsa = pki["tsa"]
    stamper = DummyTimeStamper(
        tsa_cert=translate_pyca_cryptography_cert_to_asn1(tsa.cert),
        tsa_key=translate_pyca_cryptography_key_to_asn1(tsa.key),
    )
    out = tmp_path / "da-ky.pdf"
    result = _sign(kit, pki, pdf_one, out, timestamper=stamper)
    assert result.timestamped
    [status] = verify_pdf(out, trust_roots=[pki["valid"].cert_pem, tsa.cert_pem])
    assert status.intact and status.valid and status.timestamp_time is not None
    assert status.timestamp_time.utcoffset() == timedelta(hours=7)
    assert status.time == status.timestamp_time


def test_timestamp_server_unreachable(kit, pki, pdf_one: Path, tmp_path: Path) -> None:
    out = tmp_path / "da-ky.pdf"
    with pytest.raises(SignError) as exc:  # port 9 (discard) on the loopback: refused at once, no network used
        _sign(kit, pki, pdf_one, out, timestamp_url="http://127.0.0.1:9/tsa")
    assert exc.value.code == "dau-thoi-gian"
    assert not out.exists()


# -- tampering ------------------------------------------------------------------------------------------
def test_flipped_byte_is_detected(kit, pki, images, pdf_one: Path, tmp_path: Path, case) -> None:
    case("ký số", "đổi một byte trong phần đã ký", "verify: ĐÃ BỊ SỬA ĐỔI (không nguyên vẹn)")
    out = tmp_path / "da-ky.pdf"
    _sign(kit, pki, pdf_one, out, image=images["signer"], seal=images["seal"])
    data = bytearray(out.read_bytes())
    at = data.index(kit.BODY_TEXT)  # the page's text, well inside the signed byte range
    data[at] ^= 0x01  # "Noi dung" → "Ooi dung"
    tampered = tmp_path / "bi-sua.pdf"
    tampered.write_bytes(bytes(data))
    [status] = verify_pdf(tampered)
    assert not status.intact and not status.valid
    assert status.problem and "không còn khớp" in status.problem
    assert status.signer == kit.SIGNER


def test_content_changed_after_signing_is_detected(kit, pki, pdf_one: Path, tmp_path: Path, case) -> None:
    case("ký số", "sửa nội dung trang bằng cập nhật nối thêm sau khi ký", "verify: ĐÃ BỊ SỬA ĐỔI")
    out = tmp_path / "da-ky.pdf"
    _sign(kit, pki, pdf_one, out)
    writer = IncrementalPdfFileWriter(io.BytesIO(out.read_bytes()))
    fake = generic.StreamObject(stream_data=b"BT /F1 13 Tf 100 650 Td (Noi dung gia mao) Tj ET")
    writer.add_stream_to_page(0, writer.add_object(fake))
    buf = io.BytesIO()
    writer.write(buf)
    changed = tmp_path / "sua-sau-khi-ky.pdf"
    changed.write_bytes(buf.getvalue())
    [status] = verify_pdf(changed)
    assert status.intact  # the signed revision itself is untouched …
    assert status.modification == "other" and not status.valid  # … but what is displayed is not what was signed
    assert not status.covers_whole_document


# -- refusals -------------------------------------------------------------------------------------------
def test_wrong_password(kit, pki, pdf_one: Path, tmp_path: Path, case) -> None:
    case("ký số", "mật khẩu tệp .p12 sai", "SignError p12-sai-mat-khau, không tạo tệp")
    out = tmp_path / "da-ky.pdf"
    with pytest.raises(SignError) as exc:
        _sign(kit, pki, pdf_one, out, password=b"sai-mat-khau")
    assert exc.value.code == "p12-sai-mat-khau"
    assert "yen.p12" in exc.value.message and "không đúng" in exc.value.message
    with pytest.raises(SignError) as exc:
        _sign(kit, pki, pdf_one, out, password=None)
    assert exc.value.code == "p12-sai-mat-khau" and "chưa nhập" in exc.value.message
    assert not out.exists()


def test_not_a_pkcs12_file(kit, pki, pdf_one: Path, tmp_path: Path) -> None:
    with pytest.raises(SignError) as exc:
        sign_pdf(pdf_one, tmp_path / "o.pdf", pki["valid"].cert_pem, kit.PASSWORD)  # a PEM certificate
    assert exc.value.code == "p12-khong-hop-le"


def test_expired_certificate_is_refused(kit, pki, pdf_one: Path, tmp_path: Path, case) -> None:
    case("ký số", "chứng thư số đã hết hạn", "từ chối ký, báo ngày hết hạn (+07:00)")
    out = tmp_path / "da-ky.pdf"
    with pytest.raises(SignError) as exc:
        _sign(kit, pki, pdf_one, out, cred=pki["expired"])
    assert exc.value.code == "chung-thu-het-han"
    assert "05/03/2024 17:00:00 +07:00" in exc.value.message  # when it expired, in Vietnam time
    assert "Lê Văn Cũ" in exc.value.message
    assert not out.exists()


def test_not_a_pdf(kit, pki, tmp_path: Path, case) -> None:
    case("ký số", "tệp không phải PDF", "SignError khong-phai-pdf")
    fake = tmp_path / "van-ban.pdf"
    fake.write_text("Đây là văn bản, không phải PDF", encoding="utf-8")
    with pytest.raises(SignError) as exc:
        _sign(kit, pki, fake, tmp_path / "o.pdf")
    assert exc.value.code == "khong-phai-pdf"
    with pytest.raises(SignError) as exc:
        verify_pdf(fake)
    assert exc.value.code == "khong-phai-pdf"

    broken = tmp_path / "hong.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    with pytest.raises(SignError) as exc:
        _sign(kit, pki, broken, tmp_path / "o.pdf")
    assert exc.value.code == "pdf-hong"

    with pytest.raises(SignError) as exc:
        _sign(kit, pki, tmp_path / "khong-co.pdf", tmp_path / "o.pdf")
    assert exc.value.code == "tep-khong-doc-duoc"


def test_unknown_field_lists_the_fields(kit, pki, pdf_two: Path, tmp_path: Path) -> None:
    with pytest.raises(SignError) as exc:
        _sign(kit, pki, pdf_two, tmp_path / "o.pdf", field="chu-ky-giam-doc")
    assert exc.value.code == "o-ky-khong-co"
    assert '"chu-ky-giam-doc"' in exc.value.message
    assert f'"{kit.FIELD_1}"' in exc.value.message and f'"{kit.FIELD_2}"' in exc.value.message


def test_output_must_differ_from_input(kit, pki, pdf_one: Path) -> None:
    before = pdf_one.read_bytes()
    with pytest.raises(SignError) as exc:
        _sign(kit, pki, pdf_one, pdf_one)
    assert exc.value.code == "trung-tep-goc"
    assert pdf_one.read_bytes() == before


def test_unreadable_image(kit, pki, pdf_one: Path, tmp_path: Path) -> None:
    bad = tmp_path / "chu-ky.png"
    bad.write_bytes(b"not a png")
    with pytest.raises(SignError) as exc:
        _sign(kit, pki, pdf_one, tmp_path / "o.pdf", image=bad)
    assert exc.value.code == "anh-khong-hop-le"


def test_pkcs11_is_reported_clearly(kit, pdf_one: Path, tmp_path: Path) -> None:
    with pytest.raises(SignError) as exc:  # python-pkcs11 absent, or the module does not exist
        sign_pdf(pdf_one, tmp_path / "o.pdf", pkcs11_lib=tmp_path / "khong-co.so", pkcs11_key_label="k", pin="1")
    assert exc.value.code in ("pkcs11-chua-cai", "pkcs11-loi")


def test_no_key_at_all(pdf_one: Path, tmp_path: Path) -> None:
    with pytest.raises(SignError) as exc:
        sign_pdf(pdf_one, tmp_path / "o.pdf")
    assert exc.value.code == "thieu-khoa"


def test_unsigned_pdf_has_no_signatures(pdf_one: Path) -> None:
    assert verify_pdf(pdf_one) == []


# -- with the PDF renderer ------------------------------------------------------------------------------
def test_sign_a_rendered_document(kit, pki, images, tmp_path: Path) -> None:
    """A document rendered by quyche: its signer's field is found and signed, and the PDF stays intact."""
    pytest.importorskip("weasyprint")
    from quyche.pipeline import render_to

    source = Path(__file__).resolve().parents[2] / "data" / "giay-moi-tien-lu-2019.yaml"
    written = render_to(source, tmp_path, ("pdf",), None).written
    [pdf] = [p for p in written if str(p).endswith(".pdf")]
    out = tmp_path / "da-ky.pdf"
    result = _sign(kit, pki, Path(pdf), out, image=images["signer"], seal=images["seal"])
    assert not result.created_field and result.field.startswith("chu-ky")
    [status] = verify_pdf(out)
    assert status.valid and status.field == result.field


def test_every_signer_of_a_joint_document_signs_in_turn(kit, pki, images, tmp_path: Path) -> None:
    """Bắc Ninh 2025: the two bodies sign one after the other into their own fields; both signatures stay
    intact, no field is added, and the file keeps its PDF/A identity with /Info and XMP in agreement
    (ISO 19005-2, 6.6.2.3.1)."""
    pytest.importorskip("weasyprint")
    from quyche.pipeline import render_to

    source = Path(__file__).resolve().parents[2] / "data" / "quy-che-bac-ninh-2025.yaml"
    result = render_to(source, tmp_path, ("pdf",), None)
    [pdf] = [Path(p) for p in result.written if str(p).endswith(".pdf")]
    fields = [f for f, _ in _sig_fields(pdf)]
    assert len(fields) == len(result.document.signers) == 2
    current = pdf
    for i, name in enumerate(fields):
        out = tmp_path / f"ky-{i + 1}.pdf"
        done = _sign(kit, pki, current, out, field=name, image=images["signer"], seal=images["seal"])
        assert done.field == name and not done.created_field
        current = out
    statuses = verify_pdf(current)
    assert [s.field for s in statuses] == fields and all(s.valid for s in statuses), statuses
    assert [f for f, _ in _sig_fields(current)] == fields  # signed in place, nothing added
    reader = PdfFileReader(io.BytesIO(current.read_bytes()))
    xmp = reader.root["/Metadata"].get_object().data.decode("utf-8")
    assert 'pdfaid:part="2"' in xmp
    producer = re.search(r'pdf:Producer="([^"]*)"', xmp) or re.search(r"<pdf:Producer>([^<]*)<", xmp)
    assert producer and str(reader.trailer["/Info"]["/Producer"]) == producer.group(1)


def _sig_fields(path: Path) -> list[tuple[str, generic.DictionaryObject]]:
    reader = PdfFileReader(io.BytesIO(path.read_bytes()))
    out = []
    for ref in reader.root["/AcroForm"]["/Fields"]:
        field = ref.get_object()
        if field.get("/FT") == "/Sig":
            out.append((str(field["/T"]), field))
    return out
