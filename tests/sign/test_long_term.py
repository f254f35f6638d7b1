"""Long-term signatures (PAdES B-LT): the revocation status fetched from a local OCSP responder — a real HTTP
server on 127.0.0.1 answering for the test CA, whose certificates name it — and embedded in /DSS; offline."""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp

from quyche.sign import SignError, sign_pdf, verify_pdf

UTC = dt.timezone.utc


@pytest.fixture(scope="module")
def responder(kit, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    """A test CA and its OCSP responder: every certificate it issued is "good"; requests are counted."""
    asked: list[int] = []
    issued: dict[int, object] = {}
    ca: list = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            request = ocsp.load_der_ocsp_request(self.rfile.read(int(self.headers["Content-Length"])))
            asked.append(request.serial_number)
            now = dt.datetime.now(UTC)
            built = ocsp.OCSPResponseBuilder().add_response(
                cert=issued[request.serial_number], issuer=ca[0].cert, algorithm=hashes.SHA1(),
                cert_status=ocsp.OCSPCertStatus.GOOD, this_update=now - dt.timedelta(minutes=1),
                next_update=now + dt.timedelta(days=1), revocation_time=None, revocation_reason=None,
            ).responder_id(ocsp.OCSPResponderEncoding.HASH, ca[0].cert)  # fmt: skip
            body = built.sign(ca[0].key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
            self.send_response(200)
            self.send_header("Content-Type", "application/ocsp-response")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/ocsp"
    folder = tmp_path_factory.mktemp("ocsp")
    now = dt.datetime.now(UTC)
    year = (now - dt.timedelta(days=1), now + dt.timedelta(days=365))
    ca.append(kit.make_credential(folder, "root-ocsp", "Root CA có OCSP", *year, usage="ca", ca=True))
    signer = kit.make_credential(folder, "yen-ocsp", kit.SIGNER, *year, issuer=ca[0], ocsp_url=url)
    tsa = kit.make_credential(folder, "tsa-ocsp", "TSA thử nghiệm", *year, issuer=ca[0], ocsp_url=url, tsa=True)
    issued.update({c.cert.serial_number: c.cert for c in (signer, tsa)})
    yield SimpleNamespace(root=ca[0], signer=signer, tsa=tsa, asked=asked, server=server)
    server.shutdown()


def _timestamper(tsa, root):
    from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1, translate_pyca_cryptography_key_to_asn1
    from pyhanko.sign.timestamps import DummyTimeStamper
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    store = SimpleCertificateStore()
    store.register(translate_pyca_cryptography_cert_to_asn1(root.cert))
    return DummyTimeStamper(
        tsa_cert=translate_pyca_cryptography_cert_to_asn1(tsa.cert),
        tsa_key=translate_pyca_cryptography_key_to_asn1(tsa.key),
        certs_to_embed=store,
    )


def test_long_term_embeds_the_ocsp_responses(kit, responder, pdf_one: Path, tmp_path: Path) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader

    out = tmp_path / "dai-han.pdf"
    before = len(responder.asked)
    result = sign_pdf(
        pdf_one, out, responder.signer.p12, kit.PASSWORD, long_term=True,
        trust_roots=[responder.root.cert_pem], timestamper=_timestamper(responder.tsa, responder.root),
    )  # fmt: skip
    assert result.timestamped
    assert set(responder.asked[before:]) >= {responder.signer.cert.serial_number}  # asked over HTTP
    dss = PdfFileReader(io.BytesIO(out.read_bytes())).root["/DSS"]
    embedded = [ocsp.load_der_ocsp_response(o.get_object().data) for o in dss["/OCSPs"]]
    serials = {r.serial_number for r in embedded}
    assert responder.signer.cert.serial_number in serials
    assert all(r.certificate_status == ocsp.OCSPCertStatus.GOOD for r in embedded)
    [status] = verify_pdf(out, trust_roots=[responder.root.cert_pem], configured_trust=False)
    assert status.valid and status.trusted and status.revocation_embedded


def test_long_term_without_responder_refused_nothing_written(kit, pki, responder, pdf_one: Path, tmp_path) -> None:
    out = tmp_path / "o.pdf"
    with pytest.raises(SignError) as exc:  # the CA's trust root is not given: no chain, no revocation data
        sign_pdf(pdf_one, out, responder.signer.p12, kit.PASSWORD, long_term=True)
    assert exc.value.code == "chung-thu-goc-chua-co" and not out.exists()
    with pytest.raises(SignError) as exc:  # a root that did not issue the certificate
        sign_pdf(pdf_one, out, responder.signer.p12, kit.PASSWORD, long_term=True, trust_roots=[pki["root"].cert_pem])
    assert exc.value.code == "thu-hoi-khong-lay-duoc" and not out.exists(), exc.value.format()


def test_long_term_responder_unreachable(kit, responder, pdf_one: Path, tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    now = dt.datetime.now(UTC)
    lost = kit.make_credential(tmp_path, "yen-mat", kit.SIGNER, now - dt.timedelta(days=1), now + dt.timedelta(days=9),
                               issuer=responder.root, ocsp_url=f"http://127.0.0.1:{port}/ocsp")  # fmt: skip
    out = tmp_path / "o.pdf"
    with pytest.raises(SignError) as exc:
        sign_pdf(pdf_one, out, lost.p12, kit.PASSWORD, long_term=True, trust_roots=[responder.root.cert_pem])
    assert exc.value.code == "thu-hoi-khong-lay-duoc" and not out.exists(), exc.value.format()


def test_long_term_on_the_command_line(kit, responder, pdf_one: Path, tmp_path: Path) -> None:
    import typer
    from typer.testing import CliRunner

    from quyche.cli.sign import sign_command, verify_command

    app = typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)
    app.command("sign")(sign_command)
    app.command("verify")(verify_command)
    out, root = tmp_path / "dai-han.pdf", str(responder.root.cert_pem)
    args = ["sign", str(pdf_one), "--p12", str(responder.signer.p12), "--dai-han", "--tin-cay", root, "-o", str(out)]
    r = CliRunner().invoke(app, args, env={"QUYCHE_P12_PASSWORD": kit.PASSWORD.decode()})
    assert r.exit_code == 0, r.output
    assert "PAdES B-B, có dữ liệu thu hồi" in r.stdout
    r = CliRunner().invoke(app, ["verify", str(out), "--tin-cay", root])
    assert r.exit_code == 0, r.output
    assert "chứng thư được tin cậy; có dữ liệu thu hồi nhúng (dài hạn)" in r.stdout
