"""Fixtures for signing: self-signed certificates in PKCS#12, small PDFs with empty signature fields named the
way the PDF renderer names them, and signature / seal PNGs — all made here, nothing fetched."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

PASSWORD = b"mat-khau-123"
SIGNER = "Nguyễn Văn Yên"
# As the renderer names them: ascii_fold(signer.id) + "-" + ascii_fold(ho_ten) (quyche.render.pdf.field_name)
FIELD_1 = "chu-ky-ubnd-nguyen-van-yen"
FIELD_2 = "chu-ky-sgd-tran-thi-binh"
BODY_TEXT = b"Noi dung van ban da ky"  # a string in the page content, to tamper with
UTC = dt.timezone.utc
EXPIRED_AT = dt.datetime(2024, 3, 5, 10, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Credential:
    p12: Path
    cert_pem: Path
    not_after: dt.datetime
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
    cert: x509.Certificate
    key_pem: Path  # the private key, unencrypted PKCS#8 PEM (for openssl as a remote signer, pkcs11-tool)


def make_credential(
    folder: Path, stem: str, common_name: str, not_before: dt.datetime, not_after: dt.datetime,
    password: bytes | None = PASSWORD, *, tsa: bool = False, usage: str = "sign",
    eku: tuple[x509.ObjectIdentifier, ...] | None = None, issuer: Credential | None = None, ca: bool = False,
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | None = None, ocsp_url: str | None = None,
) -> Credential:  # fmt: skip
    """A certificate and its key: self-signed unless ``issuer`` (a CA credential) signs it. ``usage`` is the
    key usage: "sign" (digitalSignature + nonRepudiation), "encrypt" (keyEncipherment + dataEncipherment
    only) or "ca" (keyCertSign + cRLSign); ``eku`` an extended key usage list."""
    key = key or rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Ủy ban nhân dân tỉnh Thử Nghiệm"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer.cert.subject if issuer else name)  # self-signed without an issuer
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if ocsp_url:  # where the revocation status is asked (RFC 5280, 4.2.2.1)
        access = x509.AccessDescription(AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(ocsp_url))
        builder = builder.add_extension(x509.AuthorityInformationAccess([access]), critical=False)
    if tsa:
        eku = (ExtendedKeyUsageOID.TIME_STAMPING,)
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(list(eku)), critical=tsa)
    flags = dict.fromkeys(
        ("digital_signature", "content_commitment", "key_encipherment", "data_encipherment", "key_agreement",
         "key_cert_sign", "crl_sign", "encipher_only", "decipher_only"), False,
    )  # fmt: skip
    on = {"sign": ("digital_signature", "content_commitment"), "encrypt": ("key_encipherment", "data_encipherment"),
          "ca": ("key_cert_sign", "crl_sign")}[usage]  # fmt: skip
    flags.update(dict.fromkeys(on, True))
    builder = builder.add_extension(x509.KeyUsage(**flags), critical=True)
    cert = builder.sign(issuer.key if issuer else key, hashes.SHA256())
    encryption = serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    p12 = folder / f"{stem}.p12"
    chain = [issuer.cert] if issuer else None
    p12.write_bytes(pkcs12.serialize_key_and_certificates(stem.encode(), key, cert, chain, encryption))
    pem = folder / f"{stem}.pem"
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_pem = folder / f"{stem}.key.pem"
    key_pem.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return Credential(p12, pem, not_after, key, cert, key_pem)


@pytest.fixture(autouse=True)
def no_configured_trust(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The trust list is what each test gives: never the machine's ~/.config/quyche/tin-cay or QUYCHE_TRUST."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("cau-hinh-trong")))
    monkeypatch.delenv("QUYCHE_TRUST", raising=False)


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Credential]:
    folder = tmp_path_factory.mktemp("pki")
    now = dt.datetime.now(UTC)
    year = (now - dt.timedelta(days=1), now + dt.timedelta(days=365))
    root = make_credential(folder, "root-ca", "Root CA thử nghiệm", *year, usage="ca", ca=True)
    other_root = make_credential(folder, "root-khac", "Root CA không tin cậy", *year, usage="ca", ca=True)
    return {
        "root": root,
        "other_root": other_root,
        # issued by the test root (trusted when --tin-cay root-ca.pem), with the usual EKU of Vietnamese CAs
        "issued": make_credential(
            folder,
            "yen-ca",
            SIGNER,
            *year,
            issuer=root,
            eku=(ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.EMAIL_PROTECTION),
        ),
        "issued_ec": make_credential(
            folder, "yen-ec", SIGNER, *year, issuer=root, key=ec.generate_private_key(ec.SECP256R1())
        ),
        "untrusted": make_credential(folder, "yen-la", SIGNER, *year, issuer=other_root),
        "encrypt_only": make_credential(folder, "ma-hoa", SIGNER, *year, usage="encrypt"),
        "server": make_credential(
            folder, "may-chu", "quyche.example.vn", *year, eku=(ExtendedKeyUsageOID.SERVER_AUTH,)
        ),
        "ca_only": make_credential(folder, "ca-ky", SIGNER, *year, usage="ca", ca=True),
        "upper": make_credential(folder, "yen-hoa", unicodedata.normalize("NFD", "NGUYỄN VĂN YÊN"), *year),
        "stranger": make_credential(folder, "la", "Phạm Văn Lạ", *year),
        "valid": make_credential(folder, "yen", SIGNER, now - dt.timedelta(days=1), now + dt.timedelta(days=365)),
        "second": make_credential(
            folder, "binh", "Trần Thị Bình", now - dt.timedelta(days=1), now + dt.timedelta(days=365)
        ),
        # expired on 05/03/2024 at 17:00 Vietnam time
        "expired": make_credential(folder, "het-han", "Lê Văn Cũ", dt.datetime(2020, 1, 1, tzinfo=UTC), EXPIRED_AT),
        "tsa": make_credential(
            folder, "tsa", "TSA thử nghiệm", now - dt.timedelta(days=1), now + dt.timedelta(days=365), tsa=True
        ),
    }


def make_pdf(field_names: tuple[str, ...], pages: int = 1, labels: tuple[str, ...] = ()) -> bytes:
    """An A4 PDF whose last page has one empty signature field per name, side by side like a joint signature
    table; the page content stream is left uncompressed so that a test can change one byte of it."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.generic import pdf_name
    from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field

    writer = PdfFileWriter(stream_xrefs=False)
    font = generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/Font"),
            pdf_name("/Subtype"): pdf_name("/Type1"),
            pdf_name("/BaseFont"): pdf_name("/Times-Roman"),
        }
    )
    font_ref = writer.add_object(font)
    for n in range(pages):
        content = b"BT /F1 13 Tf 100 700 Td (" + BODY_TEXT + b" trang %d) Tj ET" % (n + 1)
        stream = writer.add_object(generic.StreamObject(stream_data=content))
        resources = generic.DictionaryObject({pdf_name("/Font"): generic.DictionaryObject({pdf_name("/F1"): font_ref})})
        writer.insert_page(PageObject(contents=stream, media_box=(0, 0, 595.28, 841.89), resources=resources))
    width = (547.37 - 79.65) / max(len(field_names), 1)
    for i, name in enumerate(field_names):
        # about the size of one signer's block in a rendered document: ~100 x 40 mm
        x1 = 79.65 + i * width if len(field_names) > 1 else 255.4
        x2 = x1 + width if len(field_names) > 1 else 547.37
        append_signature_field(
            writer,
            SigFieldSpec(
                sig_field_name=name,
                on_page=pages - 1,
                box=(x1, 211.42, x2, 323.32),  # type: ignore[arg-type]
                readable_field_name=labels[i] if i < len(labels) else None,  # /TU, as the renderer writes it
            ),
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def pdf_one(tmp_path: Path) -> Path:
    path = tmp_path / "giay-moi.pdf"
    path.write_bytes(make_pdf((FIELD_1,)))
    return path


@pytest.fixture
def pdf_two(tmp_path: Path) -> Path:
    path = tmp_path / "chuong-trinh.pdf"
    path.write_bytes(make_pdf((FIELD_1, FIELD_2), pages=2))
    return path


@pytest.fixture
def pdf_none(tmp_path: Path) -> Path:
    path = tmp_path / "khong-co-o-ky.pdf"
    path.write_bytes(make_pdf(()))
    return path


def signature_png(path: Path, dpi: int | None = 300) -> Path:
    """A blue scribble on a transparent background, 50 x 20 mm at 300 dpi."""
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (590, 236), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    points = [(20 + i * 9, 118 + int(70 * ((i % 7) - 3) / 3)) for i in range(62)]
    draw.line(points, fill=(20, 40, 200, 255), width=8)
    img.save(path, dpi=(dpi, dpi)) if dpi else img.save(path)
    return path


def seal_png(path: Path, dpi: int | None = 300, colour: tuple[int, int, int] = (220, 20, 30)) -> Path:
    """A red round seal, 36 mm across at 300 dpi (425 px), on a transparent background."""
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (425, 425), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((6, 6, 418, 418), outline=(*colour, 255), width=14)
    draw.ellipse((60, 60, 364, 364), outline=(*colour, 255), width=6)
    draw.regular_polygon((212, 212, 70), 5, fill=(*colour, 255))
    img.save(path, dpi=(dpi, dpi)) if dpi else img.save(path)
    return path


@pytest.fixture(scope="session")
def images(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("images")
    return {
        "signer": signature_png(folder / "chu-ky.png"),
        "seal": seal_png(folder / "dau.png"),
        "seal_no_dpi": seal_png(folder / "dau-khong-dpi.png", dpi=None),
        "seal_blue": seal_png(folder / "dau-xanh.png", colour=(20, 40, 200)),
    }


@pytest.fixture(scope="session")
def kit() -> SimpleNamespace:
    """The constants and builders above, for the tests (``import conftest`` would find tests/conftest.py)."""
    return SimpleNamespace(
        PASSWORD=PASSWORD, SIGNER=SIGNER, FIELD_1=FIELD_1, FIELD_2=FIELD_2, BODY_TEXT=BODY_TEXT,
        EXPIRED_AT=EXPIRED_AT, make_pdf=make_pdf, make_credential=make_credential,
        signature_png=signature_png, seal_png=seal_png,
    )  # fmt: skip
