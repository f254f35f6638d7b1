"""The parts of a .docx package around the body: content types, relationships, core, app and custom
properties, settings, font table, theme, web settings — every part a Word-made file has (ECMA-376 Part 2,
OPC) — and the zip itself, written byte-for-byte the same for the same input.

- Core properties come from the document (creator = issuing body, title = type name + trích yếu,
  created/modified = the document's date), not from the clock: the same input gives the same bytes.
- Custom properties carry NĐ 30/2020, Phụ lục VI, Phần II (CodeNumber, CodeNotation, …; model.Metadata).
- The zip has fixed member order, fixed timestamps (1980-01-01, the zip epoch) and fixed attributes.
"""

from __future__ import annotations

import io
import zipfile

from ..model import Document, Metadata
from .docx_xml import CELL_PAD_TW, LANG, XML_DECL, W, a, rfonts, t

_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument"
_CT_WML = f"{_CT}.wordprocessingml"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
# part → content type (Override); the document's own relationships point at the word/ parts
PARTS = {
    "/word/document.xml": f"{_CT_WML}.document.main+xml",
    "/word/styles.xml": f"{_CT_WML}.styles+xml",
    "/word/settings.xml": f"{_CT_WML}.settings+xml",
    "/word/webSettings.xml": f"{_CT_WML}.webSettings+xml",
    "/word/fontTable.xml": f"{_CT_WML}.fontTable+xml",
    "/word/theme/theme1.xml": f"{_CT}.theme+xml",
    "/word/header1.xml": f"{_CT_WML}.header+xml",
    "/word/header2.xml": f"{_CT_WML}.header+xml",
    "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
    "/docProps/app.xml": f"{_CT}.extended-properties+xml",
    "/docProps/custom.xml": f"{_CT}.custom-properties+xml",
}
ORDER = ["[Content_Types].xml", "_rels/.rels", "word/document.xml"]


def content_types(extra: str = "") -> str:
    overrides = "".join(f'<Override PartName="{p}" ContentType="{c}"/>' for p, c in PARTS.items())
    return (
        f'{XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{overrides}{extra}</Types>'
    )


ROOT_RELS = (
    f'{XML_DECL}<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="word/document.xml"/>'
    f'<Relationship Id="rId2" Type="{_PKG_REL}/metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
    f'<Relationship Id="rId4" Type="{_REL}/custom-properties" Target="docProps/custom.xml"/>'
    "</Relationships>"
)


def document_rels(extra: str = "") -> str:
    return (
        f'{XML_DECL}<Relationships xmlns="{_PKG_REL}">'
        f'<Relationship Id="rId1" Type="{_REL}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId2" Type="{_REL}/settings" Target="settings.xml"/>'
        f'<Relationship Id="rId3" Type="{_REL}/webSettings" Target="webSettings.xml"/>'
        f'<Relationship Id="rId4" Type="{_REL}/fontTable" Target="fontTable.xml"/>'
        f'<Relationship Id="rId5" Type="{_REL}/theme" Target="theme/theme1.xml"/>'
        f'<Relationship Id="rIdQcHeader" Type="{_REL}/header" Target="header1.xml"/>'
        f'<Relationship Id="rIdQcHeaderFirst" Type="{_REL}/header" Target="header2.xml"/>'
        f"{extra}</Relationships>"
    )


def core_xml(document: Document) -> str:
    m = document.meta
    when = f"{m.issued_date}T00:00:00Z" if m.issued_date else "1980-01-01T00:00:00Z"
    title = " ".join(x for x in (m.type_name, m.subject) if x) or document.title
    creator = m.organ_name or "quyche"
    return (
        f"{XML_DECL}"
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{t(title[:250])}</dc:title><dc:subject>{t(document.so_ky_hieu)}</dc:subject>"
        f"<dc:creator>{t(creator[:250])}</dc:creator><cp:lastModifiedBy>{t(creator[:250])}</cp:lastModifiedBy>"
        f"<dc:language>{t(document.language)}</dc:language>"
        f"<dc:description>Thể thức: {t(document.profile_id)}</dc:description>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
        "</cp:coreProperties>"
    )


_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # user-defined properties (MS-OSHARED 2.3.3.2.2.1)


def custom_properties(meta: Metadata) -> list[tuple[str, str | int]]:
    """Phụ lục VI fields as flat (name, value) pairs; empty fields are left out. SignerInfo becomes
    SignerInfo.1.Position, SignerInfo.1.FullName, …; To is one value, "; "-separated."""
    out: list[tuple[str, str | int]] = []
    for name, value in meta.fields().items():
        if name == "SignerInfo":
            for i, s in enumerate(value, start=1):  # type: ignore[arg-type]
                out.extend((f"SignerInfo.{i}.{k}", v) for k, v in s.items() if v)
        elif name == "To":
            if value:
                out.append((name, "; ".join(value)))  # type: ignore[arg-type]
        elif isinstance(value, int) or value:
            out.append((name, value))  # type: ignore[arg-type]
    return out


def custom_xml(meta: Metadata) -> str:
    props = []
    for pid, (name, value) in enumerate(custom_properties(meta), start=2):  # pid 0 and 1 are reserved
        typed = f"<vt:i4>{value}</vt:i4>" if isinstance(value, int) else f"<vt:lpwstr>{t(str(value))}</vt:lpwstr>"
        props.append(f'<property fmtid="{_FMTID}" pid="{pid}" name="{a(name)}">{typed}</property>')
    return (
        f'{XML_DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"{''.join(props)}</Properties>"
    )


APP = (
    f"{XML_DECL}"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Template>Normal.dotm</Template><Application>quyche</Application><DocSecurity>0</DocSecurity>"
    "<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
    "<HyperlinksChanged>false</HyperlinksChanged><AppVersion>16.0000</AppVersion></Properties>"
)
SETTINGS = (
    f'{XML_DECL}<w:settings xmlns:w="{W}"><w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/>'
    '<w:characterSpacingControl w:val="doNotCompress"/>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" '
    'w:val="15"/></w:compat><w:themeFontLang w:val="vi-VN"/></w:settings>'
)
WEB_SETTINGS = f'{XML_DECL}<w:webSettings xmlns:w="{W}"><w:optimizeForBrowser/><w:allowPNG/></w:webSettings>'
FONT_TABLE = (
    f'{XML_DECL}<w:fonts xmlns:w="{W}">'
    '<w:font w:name="Times New Roman"><w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/>'
    '<w:family w:val="roman"/><w:pitch w:val="variable"/></w:font></w:fonts>'
)
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_COLOURS = (
    ("dk1", '<a:sysClr val="windowText" lastClr="000000"/>'),
    ("lt1", '<a:sysClr val="window" lastClr="FFFFFF"/>'),
    ("dk2", '<a:srgbClr val="44546A"/>'),
    ("lt2", '<a:srgbClr val="E7E6E6"/>'),
    ("accent1", '<a:srgbClr val="4472C4"/>'),
    ("accent2", '<a:srgbClr val="ED7D31"/>'),
    ("accent3", '<a:srgbClr val="A5A5A5"/>'),
    ("accent4", '<a:srgbClr val="FFC000"/>'),
    ("accent5", '<a:srgbClr val="5B9BD5"/>'),
    ("accent6", '<a:srgbClr val="70AD47"/>'),
    ("hlink", '<a:srgbClr val="0563C1"/>'),
    ("folHlink", '<a:srgbClr val="954F72"/>'),
)
_FILL = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
_FACE = '<a:latin typeface="Times New Roman"/><a:ea typeface=""/><a:cs typeface=""/>'
# The theme's fonts are Times New Roman too: text that falls back to the theme stays in the-thuc's face.
THEME = (
    f'{XML_DECL}<a:theme xmlns:a="{_A}" name="quyche"><a:themeElements>'
    f'<a:clrScheme name="Office">{"".join(f"<a:{n}>{c}</a:{n}>" for n, c in _COLOURS)}</a:clrScheme>'
    f'<a:fontScheme name="quyche"><a:majorFont>{_FACE}</a:majorFont><a:minorFont>{_FACE}</a:minorFont>'
    '</a:fontScheme><a:fmtScheme name="Office">'
    f"<a:fillStyleLst>{_FILL * 3}</a:fillStyleLst>"
    f"<a:lnStyleLst>{f'<a:ln w={chr(34)}6350{chr(34)}>{_FILL}</a:ln>' * 3}</a:lnStyleLst>"
    f"<a:effectStyleLst>{'<a:effectStyle><a:effectLst/></a:effectStyle>' * 3}</a:effectStyleLst>"
    f"<a:bgFillStyleLst>{_FILL * 3}</a:bgFillStyleLst>"
    "</a:fmtScheme></a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"
)
# Document defaults: Times New Roman, vi-VN, black, 14 pt, single spacing, no space after (the-thuc §6).
BASE_STYLES = (
    f'{XML_DECL}<w:styles xmlns:w="{W}">'
    f"<w:docDefaults><w:rPrDefault><w:rPr>{rfonts()}"
    f'<w:color w:val="000000"/><w:sz w:val="28"/><w:szCs w:val="28"/>{LANG}</w:rPr></w:rPrDefault>'
    '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
    "</w:docDefaults>"
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
    '<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    f'<w:rPr>{rfonts()}<w:color w:val="000000"/><w:sz w:val="28"/><w:szCs w:val="28"/>{LANG}</w:rPr></w:style>'
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
    '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
    f'<w:left w:w="{CELL_PAD_TW}" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
    f'<w:right w:w="{CELL_PAD_TW}" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
    "</w:styles>"
)


def zip_parts(parts: dict[str, bytes]) -> bytes:
    """The package as a zip, reproducibly: [Content_Types].xml first (OPC), then the rest in a fixed order,
    every member with the same timestamp and attributes."""
    names = [n for n in ORDER if n in parts] + sorted(n for n in parts if n not in ORDER)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            z.writestr(info, parts[name], compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    return out.getvalue()
