"""Digital signatures: sign a PDF (PAdES) and check the signatures it carries.

Signing follows the electronic form of NĐ 30/2020, Điều 13.7 and Phụ lục I:
- the signer's signature image: blue, transparent PNG, centred between the chức vụ line and the name line
  (Phụ lục I, II.7.d; the-thuc §1.7);
- the agency's signature image: the seal, red, at its actual size, transparent PNG, overlapping about the left
  third of the signer's image (Phụ lục I, II.8.a; the-thuc §1.7);
- the signing time in Vietnam time, UTC+07:00 (Phụ lục I, II.8.a–b; the-thuc §1.9).

The signature is PAdES baseline B-B (ETSI EN 319 142-1, /SubFilter /ETSI.CAdES.detached), B-T when a
timestamp server is configured. It goes into the empty signature field the PDF renderer put over each
signer's block (one per signer, named after the signer), or into a new field on the last page.

Verification reports "intact" (the signed bytes still hash to the signed digest and the signature math
holds) separately from "trusted" (the certificate chains to a root the user trusts): Vietnamese CA roots are
not in the usual trust stores, and a self-signed certificate still yields a checkable signature.

Every input is untrusted and bounded before pyHanko sees it (budget.py): the PDF's size, nesting, stream
expansion, signature /Contents and page tree (pdfcheck.py); images' pixels before decoding and PKCS#12
KDF iterations before decrypting (inputs.py, keys.py).

One job per module, imports pointing one way:
    model   the error, the results, Vietnam time
    layout  geometry of the appearance          stamp   fonts and the pyHanko stamp
    inputs  the PDF and the images, bounded     pdfcheck  the PDF's structure, bounded
    certs   validity, key usage before signing  keys    PKCS#12 / PKCS#11    drivers  PKCS#11 library by name
    fields  which field to sign (by the signer's name)    trust  the trusted roots (given, configured)
    signing sign_pdf, prepare_signing           remote  two-step signing for remote services
    verify  verify_pdf                          changes  what changed after a signature (pages, content)
pyHanko is the engine; the optional parts (HarfBuzz shaping, PKCS#11) are imported only when used.
"""

from __future__ import annotations

import logging

# pyHanko logs expected outcomes (a self-signed certificate during verification) with tracebacks; without a
# handler anywhere Python prints them through its last-resort handler. A NullHandler keeps API users' stderr
# clean and still lets records propagate to any logging the application configures.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

from .model import VN_TZ, SignatureStatus, SignError, SignResult, format_vn_time  # noqa: E402
from .remote import RemoteSigner, finish_remote, prepare_remote, sign_remote  # noqa: E402
from .signing import sign_pdf  # noqa: E402
from .stamp import VIETNAMESE, find_font  # noqa: E402
from .verify import verify_pdf  # noqa: E402

__all__ = [
    "VIETNAMESE",
    "VN_TZ",
    "RemoteSigner",
    "SignError",
    "SignResult",
    "SignatureStatus",
    "find_font",
    "finish_remote",
    "format_vn_time",
    "prepare_remote",
    "sign_pdf",
    "sign_remote",
    "verify_pdf",
]
