"""Signing inputs as an attacker sends them: PKCS#12 files that ask for absurd KDF work, images whose header
claims billions of pixels, PDFs with huge /Contents, deep nesting, stream bombs, page-tree loops, device
files. Each is refused before the expensive work (exit 1, located code, nothing written), in seconds; and
the change report after signing names what changed (metadata is not "a signature added")."""

from __future__ import annotations

import datetime as dt
import io
import os
import struct
import zlib
from pathlib import Path

import pytest

from support import assert_refused, bounded

PASSWORD = "mat-khau-thu"


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF whose objects are given raw (1 is the catalogue), with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


_PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"
_CONTENT = b"<< /Length 0 >>\nstream\n\nendstream"


def _simple(extra: bytes = b"null") -> bytes:
    return _pdf(
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", _PAGE, _CONTENT, extra]
    )


def _flate_bomb(mib: int) -> bytes:
    comp = zlib.compressobj(9)
    chunk = b"\0" * (1 << 20)
    data = b"".join(comp.compress(chunk) for _ in range(mib)) + comp.flush()
    return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"


def _pdf_cases() -> list[tuple[str, object, str, dict]]:
    cases: list[tuple[str, object, str, dict]] = []
    for mib in (1, 16):
        sig = b"<< /Type /Sig /Contents <" + b"00" * (mib << 20) + b"> >>"
        cases.append((f"/Contents chữ ký {mib} MiB", lambda s=sig: _simple(s), "vuot-gioi-han", {}))
    for depth in (500, 20_000, 1_000_000):
        cases.append((f"mảng lồng {depth} mức", lambda d=depth: _simple(b"[" * d + b"]" * d), "vuot-gioi-han", {}))
        cases.append(
            (f"từ điển lồng {depth} mức", lambda d=depth: _simple(b"<< /A " * d + b">>" * d), "vuot-gioi-han", {})
        )
    cases.append(
        ("chuỗi lồng ngoặc 100 000 mức", lambda: _simple(b"(" * 100_000 + b")" * 100_000), "vuot-gioi-han", {})
    )
    for mib, env in ((8, {"QUYCHE_MAX_PDF_STREAM_BYTES": "4000000"}), (64, {"QUYCHE_MAX_PDF_STREAM_BYTES": "4000000"})):
        cases.append(
            (
                f"bom luồng Flate {mib} MiB (giới hạn hạ 4 MB)",
                lambda m=mib: _simple(_flate_bomb(m)),
                "vuot-gioi-han",
                env,
            )
        )
    cases.append(("bom luồng Flate 300 MiB", lambda: _simple(_flate_bomb(300)), "vuot-gioi-han", {}))
    cases.append(
        (
            "cây trang vòng lặp (/Kids trỏ lại chính nó)",
            lambda: _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]),
            "pdf-hong",
            {},
        )
    )
    cases.append(
        (
            "cây trang vòng lặp qua hai nút",
            lambda: _pdf(
                [
                    b"<< /Type /Catalog /Pages 2 0 R >>",
                    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                    b"<< /Type /Pages /Kids [2 0 R] /Parent 2 0 R /Count 1 >>",
                ]
            ),
            "pdf-hong",
            {},
        )
    )
    many = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", _PAGE, _CONTENT]
    many += [b"<< /N %d >>" % i for i in range(3_000)]
    cases.append(
        ("3 000 đối tượng (giới hạn hạ 1 000)", lambda: _pdf(many), "vuot-gioi-han", {"QUYCHE_MAX_PDF_OBJECTS": "1000"})
    )
    cases.append(("rác sau %PDF-", lambda: b"%PDF-1.7\n" + os.urandom(5000), "pdf-hong", {}))
    return cases


_PDF_CASES = _pdf_cases()


@pytest.mark.parametrize("command", ["verify", "sign"])
@pytest.mark.parametrize(("tried", "make", "code", "env"), _PDF_CASES, ids=[c[0] for c in _PDF_CASES])
def test_hostile_pdf_refused(
    tmp_path: Path, case, command: str, tried: str, make, code: str, env: dict, p12: Path
) -> None:
    case("ký số", f"{command}: {tried}", f"lỗi {code}, thoát 1, không treo, không ghi tệp")
    pdf = tmp_path / "vao.pdf"
    pdf.write_bytes(make())
    out = tmp_path / "ra"
    out.mkdir()
    if command == "verify":
        r = bounded("verify", str(pdf), env=env)
    else:
        r = bounded("sign", str(pdf), "-o", str(out / "da-ky.pdf"), "--p12", str(p12), "--mat-khau", PASSWORD, env=env)
    assert_refused(r, code, located=False, folder=out)


@pytest.mark.parametrize("kind", ["fifo", "device", "sparse-300MB"])
def test_pdf_not_regular_or_too_big(tmp_path: Path, case, kind: str) -> None:
    case("ký số", f"verify: tệp PDF là {kind}", "lỗi, không treo, không đọc cả tệp")
    if kind == "fifo":
        pdf = tmp_path / "vao.pdf"
        os.mkfifo(pdf)
        code = "tep-khong-thuong"
    elif kind == "device":
        pdf, code = Path("/dev/zero"), "tep-khong-thuong"
    else:
        pdf = tmp_path / "vao.pdf"
        with pdf.open("wb") as fh:
            fh.write(b"%PDF-1.7\n")
            fh.truncate(300 << 20)
        code = "vuot-gioi-han"
    r = bounded("verify", str(pdf), timeout=30)
    assert_refused(r, code, located=False)


@pytest.fixture(scope="module")
def p12(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Nguyễn Văn Thử")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    path = tmp_path_factory.mktemp("p12") / "thu.p12"
    enc = serialization.BestAvailableEncryption(PASSWORD.encode())
    path.write_bytes(pkcs12.serialize_key_and_certificates(b"thu", key, cert, None, enc))
    path.with_suffix(".pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))  # to trust it (verify)
    return path


def _with_mac_iterations(p12: Path, n: int, out: Path) -> Path:
    from asn1crypto import pkcs12 as asn1_pkcs12

    pfx = asn1_pkcs12.Pfx.load(p12.read_bytes())
    pfx["mac_data"]["iterations"] = n
    out.write_bytes(pfx.dump(force=True))
    return out


def _with_key_iterations(p12: Path, n: int, out: Path) -> Path:
    """The shrouded key bag's PBKDF2 count raised (the MAC is left as is: the count is read first)."""
    from asn1crypto import pkcs12 as asn1_pkcs12

    pfx = asn1_pkcs12.Pfx.load(p12.read_bytes())
    safes = pfx.authenticated_safe
    for info in safes:
        if info["content_type"].native != "data":
            continue
        bags = asn1_pkcs12.SafeContents.load(info["content"].native)
        for bag in bags:
            if bag["bag_id"].native == "pkcs8_shrouded_key_bag":
                params = bag["bag_value"]["encryption_algorithm"]["parameters"]
                params["key_derivation_func"]["parameters"]["iteration_count"] = n
        info["content"] = bags.dump(force=True)
    pfx["auth_safe"]["content"] = safes.dump(force=True)
    out.write_bytes(pfx.dump(force=True))
    return out


@pytest.mark.parametrize("where", ["mac", "key"])
@pytest.mark.parametrize("iterations", [2_000_001, 10**9, 2**31 - 1])
def test_p12_kdf_iterations_capped(tmp_path: Path, case, p12: Path, where: str, iterations: int) -> None:
    case("ký số", f"tệp .p12 đòi {iterations} vòng dẫn xuất khóa ({where})", "lỗi vuot-gioi-han trước khi giải mã")
    pdf = tmp_path / "vao.pdf"
    pdf.write_bytes(_simple())
    make = _with_mac_iterations if where == "mac" else _with_key_iterations
    bad = make(p12, iterations, tmp_path / "xau.p12")
    r = bounded("sign", str(pdf), "-o", str(tmp_path / "ra.pdf"), "--p12", str(bad), "--mat-khau", PASSWORD, timeout=20)
    assert_refused(r, "vuot-gioi-han", located=False)
    assert not (tmp_path / "ra.pdf").exists()


def _png_header(w: int, h: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk)) + b"\0" * 64


def _jpeg_header(w: int, h: int) -> bytes:
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, h, w, 1) + b"\x01\x11\x00"
    return b"\xff\xd8\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0" + sof + b"\0" * 64


@pytest.mark.parametrize("fmt", ["png", "jpeg"])
@pytest.mark.parametrize(("w", "h"), [(6_000, 5_000), (65_000, 65_000), (1, 40_000_000)])
def test_image_pixels_checked_before_decoding(tmp_path: Path, case, p12: Path, fmt: str, w: int, h: int) -> None:
    if fmt == "jpeg" and h > 65_535:  # JPEG dimensions are 16-bit: the same pixel count, other shape
        w, h = 65_535, 400
    case("ký số", f"ảnh chữ ký {fmt.upper()} khai {w} × {h} điểm ảnh", "lỗi vuot-gioi-han trước khi giải mã")
    image = tmp_path / f"chu-ky.{fmt}"
    image.write_bytes(_png_header(w, h) if fmt == "png" else _jpeg_header(w, h))
    pdf = tmp_path / "vao.pdf"
    pdf.write_bytes(_simple())
    r = bounded(
        "sign", str(pdf), "-o", str(tmp_path / "ra.pdf"), "--p12", str(p12), "--mat-khau", PASSWORD,
        "--image", str(image), timeout=30, memory=1 << 30,
    )  # fmt: skip
    assert_refused(r, "vuot-gioi-han", located=False)
    assert not (tmp_path / "ra.pdf").exists()


def test_metadata_change_after_signing_is_named(tmp_path: Path, case, p12: Path) -> None:
    case(
        "ký số",
        "sau khi ký chỉ sửa siêu dữ liệu (/Info)",
        "verify: 'chỉ cập nhật siêu dữ liệu', không phải 'thêm chữ ký'",
    )
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    pdf = tmp_path / "vao.pdf"
    pdf.write_bytes(_simple())
    signed = tmp_path / "da-ky.pdf"
    r = bounded("sign", str(pdf), "-o", str(signed), "--p12", str(p12), "--mat-khau", PASSWORD)
    assert r.returncode == 0, r.stderr
    writer = IncrementalPdfFileWriter(io.BytesIO(signed.read_bytes()))
    info = generic.DictionaryObject({generic.pdf_name("/Title"): generic.TextStringObject("Sửa sau khi ký")})
    writer.trailer["/Info"] = writer.add_object(info)
    changed = tmp_path / "sua-metadata.pdf"
    buf = io.BytesIO()
    writer.write(buf)
    changed.write_bytes(buf.getvalue())
    r = bounded("verify", str(changed), "--tin-cay", str(p12.with_suffix(".pem")))
    assert "Traceback" not in r.stderr
    assert r.returncode == 0 and "sau đó có thêm chữ ký" not in r.stdout, r.stdout
    assert "chỉ cập nhật siêu dữ liệu" in r.stdout, r.stdout
