"""The document's identity inside the PDF: NĐ 30/2020, Phụ lục VI, Phần II ("chuẩn thông tin đầu vào" of an
outgoing document) in the XMP metadata, under quyche's own namespace, declared as PDF/A requires.

PDF/A-2 allows in XMP only the predefined schemas and those described by an extension schema in the same
packet (ISO 19005-2, 6.6.2.3; the pdfaExtension, pdfaSchema, pdfaProperty, pdfaType and pdfaField schemas of
ISO 19005-1, 6.7.2.2 and its Technical Corrigendum 2). So the packet WeasyPrint writes gets two more
descriptions: the extension schema (every property with its value type; SignerInfo as a structured type of
Position and FullName) and the values themselves. The same names as the .docx custom properties and the
sidecar JSON: CodeNumber, CodeNotation, IssuedDate, OrganName, TypeName, Subject, Language, PageAmount,
SignerInfo, To, Priority, IssuedAmount, DueDate.
"""

from __future__ import annotations

import hashlib
from xml.sax.saxutils import escape

from ..model import Metadata

NS = "urn:quyche:nd30-2020:phu-luc-vi:1.0#"  # a URN: no web address is implied
PREFIX = "vbdi"
SIGNER_NS = "urn:quyche:nd30-2020:phu-luc-vi:signer:1.0#"
SIGNER_PREFIX = "vbky"
SCHEMA_NAME = "Thông tin đầu vào của văn bản đi (NĐ 30/2020/NĐ-CP, Phụ lục VI, Phần II)"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

# name → (XMP value type, description)
PROPERTIES: dict[str, tuple[str, str]] = {
    "CodeNumber": ("Text", "Số của văn bản"),
    "CodeNotation": ("Text", "Ký hiệu của văn bản"),
    "IssuedDate": ("Date", "Ngày, tháng, năm ban hành"),
    "OrganName": ("Text", "Tên cơ quan, tổ chức ban hành"),
    "TypeName": ("Text", "Tên loại văn bản"),
    "Subject": ("Text", "Trích yếu nội dung"),
    "Language": ("Text", "Ngôn ngữ"),
    "PageAmount": ("Integer", "Số trang"),
    "SignerInfo": ("Seq SignerInfo", "Người ký: chức vụ, họ tên"),
    "To": ("Seq Text", "Nơi nhận"),
    "Priority": ("Text", "Độ khẩn"),
    "IssuedAmount": ("Integer", "Số lượng bản phát hành"),
    "DueDate": ("Date", "Hạn trả lời"),
}


def _x(text: object) -> str:
    return escape(str(text))


def _extension_schema() -> str:
    props = "".join(
        '<rdf:li rdf:parseType="Resource">'
        f"<pdfaProperty:name>{name}</pdfaProperty:name><pdfaProperty:valueType>{vtype}</pdfaProperty:valueType>"
        f"<pdfaProperty:category>external</pdfaProperty:category>"
        f"<pdfaProperty:description>{_x(desc)}</pdfaProperty:description></rdf:li>"
        for name, (vtype, desc) in PROPERTIES.items()
    )
    fields = "".join(
        '<rdf:li rdf:parseType="Resource">'
        f"<pdfaField:name>{name}</pdfaField:name><pdfaField:valueType>Text</pdfaField:valueType>"
        f"<pdfaField:description>{_x(desc)}</pdfaField:description></rdf:li>"
        for name, desc in (("Position", "Chức vụ người ký"), ("FullName", "Họ và tên người ký"))
    )
    signer_type = (
        '<rdf:li rdf:parseType="Resource"><pdfaType:type>SignerInfo</pdfaType:type>'
        f"<pdfaType:namespaceURI>{SIGNER_NS}</pdfaType:namespaceURI><pdfaType:prefix>{SIGNER_PREFIX}</pdfaType:prefix>"
        "<pdfaType:description>Thông tin người ký</pdfaType:description>"
        f"<pdfaType:field><rdf:Seq>{fields}</rdf:Seq></pdfaType:field></rdf:li>"
    )
    return (
        f'<rdf:Description rdf:about="" xmlns:rdf="{_RDF}" '
        'xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" '
        'xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" '
        'xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#" '
        'xmlns:pdfaType="http://www.aiim.org/pdfa/ns/type#" '
        'xmlns:pdfaField="http://www.aiim.org/pdfa/ns/field#">'
        '<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">'
        f"<pdfaSchema:schema>{SCHEMA_NAME}</pdfaSchema:schema>"
        f"<pdfaSchema:namespaceURI>{NS}</pdfaSchema:namespaceURI><pdfaSchema:prefix>{PREFIX}</pdfaSchema:prefix>"
        f"<pdfaSchema:property><rdf:Seq>{props}</rdf:Seq></pdfaSchema:property>"
        f"<pdfaSchema:valueType><rdf:Seq>{signer_type}</rdf:Seq></pdfaSchema:valueType>"
        "</rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>"
    )


def _values(meta: Metadata, pages: int) -> str:
    fields = meta.fields()
    fields["PageAmount"] = pages
    out = []
    for name, value in fields.items():
        if name == "SignerInfo":
            items = "".join(
                '<rdf:li rdf:parseType="Resource">'
                f"<{SIGNER_PREFIX}:Position>{_x(s['Position'])}</{SIGNER_PREFIX}:Position>"
                f"<{SIGNER_PREFIX}:FullName>{_x(s['FullName'])}</{SIGNER_PREFIX}:FullName></rdf:li>"
                for s in value  # type: ignore[union-attr]
            )
            if items:
                out.append(f"<{PREFIX}:SignerInfo><rdf:Seq>{items}</rdf:Seq></{PREFIX}:SignerInfo>")
        elif name == "To":
            items = "".join(f"<rdf:li>{_x(t)}</rdf:li>" for t in value)  # type: ignore[union-attr]
            if items:
                out.append(f"<{PREFIX}:To><rdf:Seq>{items}</rdf:Seq></{PREFIX}:To>")
        elif value is not None and value != "":
            out.append(f"<{PREFIX}:{name}>{_x(value)}</{PREFIX}:{name}>")
    return (
        f'<rdf:Description rdf:about="" xmlns:rdf="{_RDF}" xmlns:{PREFIX}="{NS}" '
        f'xmlns:{SIGNER_PREFIX}="{SIGNER_NS}">{"".join(out)}</rdf:Description>'
    )


def xmp_descriptions(meta: Metadata, pages: int) -> bytes:
    """The two rdf:Description elements to add inside the packet's rdf:RDF."""
    return (_extension_schema() + _values(meta, pages)).encode("utf-8")


def add_to_packet(packet: bytes, meta: Metadata, pages: int) -> bytes:
    """``packet`` (WeasyPrint's XMP) with the Phụ lục VI descriptions added before ``</rdf:RDF>``."""
    end = packet.rfind(b"</rdf:RDF>")
    if end < 0:  # pragma: no cover - WeasyPrint always writes one rdf:RDF
        raise ValueError("XMP packet without rdf:RDF")
    return packet[:end] + xmp_descriptions(meta, pages) + packet[end:]


def with_file_id(pdf: bytes) -> bytes:
    """``pdf`` with the file identifier its trailer must carry (PDF/A-2: ISO 19005-2, 6.1.3; ISO 32000-1,
    14.4): both halves the MD5 of the file as written, so the same input gives the same bytes.

    WeasyPrint asks pydyf for the identifier, and pydyf then serialises and compresses every object a second
    time to hash them — a twelfth of the PDF time (bench/run.py). The file is written without it, and the
    /ID goes into the trailer dictionary afterwards: the last object (a cross-reference stream's dictionary,
    or the classic trailer), whose offset ``startxref`` gives and whose own start does not move."""
    tail = pdf.rindex(b"startxref")
    offset = int(pdf[tail + len(b"startxref") :].split()[0])
    start = pdf.index(b"trailer", offset) if pdf.startswith(b"xref", offset) else offset
    end = pdf.index(b">>", pdf.index(b"<<", start))  # no dictionary nests inside a trailer's
    digest = hashlib.md5(pdf, usedforsecurity=False).hexdigest().encode("ascii")
    return pdf[:end] + b" /ID [<" + digest + b"> <" + digest + b">]" + pdf[end:]
