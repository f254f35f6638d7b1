"""Document settings (``the_thuc_tuy_chinh``) must take effect or be refused, never be silently ignored.

A setting takes effect only if the composer reads it from the document's profile. Some rules are read
from each body's own profile (agency mark, Party tiêu đề, signature prefixes) or not by the composer at
all (register series, page-number alignment): a document-level override of those changes nothing, so it
is refused where it is written. The check is dynamic — the profile records what composing read — so a
rule that starts being read from the document profile stops being refused without a list to keep.

``bien_ban.mau`` is refused on its own: switching the minutes form alone would print the labels of one
form under the header and numbering of the other; the form is chosen with ``the_thuc`` (one setting,
README "Biên bản").
"""

from __future__ import annotations

from ..errors import Diagnostic, DiagnosticError
from ..profile import Profile
from ..schema.van_ban import VanBan
from ..source import SourceMap

# Kinds whose settings are checked after composing (the minutes; the other kinds can join once their
# header reads every header rule from the document profile).
CHECKED_KINDS = {"bien_ban"}

# Rules a kind has no use for, even though the shared composer reads them: minutes have one issuing body
# (the convener), so the joint-document rules never apply to them.
NOT_FOR_KIND = {"bien_ban": ("joint.",)}

# What to do instead, by the first part of the key.
_INSTEAD = {
    "header": 'đầu trang (quốc hiệu hay "ĐẢNG CỘNG SẢN VIỆT NAM", dấu dưới tên cơ quan) theo bộ thể thức'
    ' của văn bản: chọn bằng "the_thuc:" ở đầu tệp',
    "sign": 'tiền tố khối chữ ký (TM./T/M …) theo bộ thể thức của văn bản: chọn bằng "the_thuc:" ở đầu tệp',
    "number": "số và ký hiệu theo bộ thể thức của văn bản và sổ đăng ký",
    "joint": "biên bản chỉ có đầu trang, số và ký hiệu của cơ quan chủ trì; các cơ quan tham dự ghi trong nội dung",
}
_GENERIC = "bỏ dòng này; nếu cần quy tắc khác, tạo bộ thể thức riêng (extends: {profile})"


def refuse_form_switch(doc: VanBan, smap: SourceMap) -> None:
    """``bien_ban.mau`` in the_thuc_tuy_chinh: the form is the profile's, chosen with ``the_thuc``."""
    if "bien_ban.mau" in doc.the_thuc_tuy_chinh:
        loc = smap.locate(("the_thuc_tuy_chinh", "bien_ban.mau"), key=True)
        raise DiagnosticError([Diagnostic.make("thiet-lap-mau-bien-ban", loc, rule="bien_ban.mau")])


def refuse_unused(doc: VanBan, profile: Profile, smap: SourceMap) -> None:
    """Every setting of the document that composing never read from the document profile."""
    if profile.reads is None:
        return
    diags = []
    for key in doc.the_thuc_tuy_chinh:
        if key in profile.reads and not key.startswith(NOT_FOR_KIND.get(doc.loai, ())):
            continue
        instead = _INSTEAD.get(key.split(".")[0], _GENERIC.format(profile=profile.id))
        diags.append(
            Diagnostic.make(
                "thiet-lap-khong-tac-dung",
                smap.locate(("the_thuc_tuy_chinh", key), key=True),
                key=key,
                profile=profile.id,
                hint=instead + ".",
            )
        )
    if diags:
        raise DiagnosticError(diags)
