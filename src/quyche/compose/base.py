"""What every composing step shares: the document, its profile, the page geometry and the two paragraph
shapes (header/signature lines, body paragraphs); the profile choice for a document and for each body."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import Diagnostic, DiagnosticError
from ..model import PageSetup, Para, Run
from ..profile import DEFAULT_FOR_SYSTEM, Profile, ProfileError, load_profile
from ..schema.common import CoQuan
from ..schema.van_ban import VanBan
from ..source import SourceMap

CELL_PAD_MM = 1.9  # Word's default cell margin, 108 twips each side
RULE_GAP_PT = 2.5  # the drawn line sits just under its text line, clear of the descenders


def profile_for(doc: VanBan, smap: SourceMap, base_dir, kind_default: dict[str, str] | None = None) -> Profile:
    """The lead body's profile (the header and number follow the lead body, the-thuc §1.14, §2.8),
    with the document's setting overrides applied. ``kind_default`` maps a system to the profile a kind
    uses when neither the document nor the body names one (biên bản of a Party body: hd16-2023)."""
    system = doc.lead.he_thong or "nha_nuoc"
    name = doc.the_thuc or doc.lead.the_thuc or (kind_default or {}).get(system) or DEFAULT_FOR_SYSTEM[system]
    try:
        profile = load_profile(name, base_dir)
    except ProfileError as exc:
        raise DiagnosticError(
            [
                Diagnostic.make(
                    "the-thuc-khong-ro", smap.locate(("the_thuc",)), name=name, choices=", ".join(exc.choices)
                )
            ]
        ) from None
    kind_name = (kind_default or {}).get(profile.system)
    if kind_name and kind_name != profile.id:
        # "the_thuc: hd36-2018" on Party minutes names the general Party rules; the kind's profile
        # (hd16-2023) extends them with the minutes form, so it is the one meant. A user profile that
        # does not lie on that chain is kept as written (docs: extend hd16-2023 for Party minutes).
        kind_profile = load_profile(kind_name, base_dir)
        if profile.id in kind_profile.chain:
            profile = kind_profile
    diags = []
    for key in doc.the_thuc_tuy_chinh:
        if key not in profile.rules:
            close = profile.suggest(key)
            hint = f'Có phải ý bạn là "{close}"?' if close else None
            diags.append(
                Diagnostic.make("thiet-lap-la", smap.locate(("the_thuc_tuy_chinh", key), key=True), key=key, hint=hint)
            )
    if diags:
        raise DiagnosticError(diags)
    return profile.with_overrides(dict(doc.the_thuc_tuy_chinh))


def body_profile(body: CoQuan, base_dir) -> Profile:
    return load_profile(body.the_thuc or DEFAULT_FOR_SYSTEM[body.he_thong or "nha_nuoc"], base_dir)


@dataclass
class ComposerBase:
    """Holds the profile and the page geometry while one document is composed."""

    doc: VanBan
    profile: Profile
    base_dir: object = None
    smap: SourceMap | None = None  # locates problems only found once the profile is known (biên bản form)
    warnings: list[Diagnostic] = field(default_factory=list)  # layout findings that do not stop the render

    # ---- page -------------------------------------------------------------------------------------
    def page(self) -> PageSetup:
        p = self.profile

        def margin(side: str) -> float:
            key = f"page.margin_mm.{side}"
            value = float(p.get(key))
            rng = p.rule(key).range
            return min(max(value, rng[0]), rng[1]) if rng else value  # clamp (the-thuc §6 item 13)

        w, h = p.get("page.paper_mm")
        return PageSetup(
            width_mm=float(w),
            height_mm=float(h),
            margin_top_mm=margin("top"),
            margin_bottom_mm=margin("bottom"),
            margin_left_mm=margin("left"),
            margin_right_mm=margin("right"),
            header_mm=float(p.get("page.header_mm")),
            page_number_size_pt=p.size("page_number"),
            page_number_first_page=p.get("page_number.first_page") != "hidden",
            mirror_back_page=bool(p.get("page.mirror_back_page", False)),
        )

    @property
    def text_width(self) -> float:
        return self.page().text_width_mm

    # ---- paragraphs -------------------------------------------------------------------------------
    def line(
        self,
        role: str,
        text: str,
        size: float,
        *,
        bold: bool = False,
        italic: bool = False,
        underline: bool = False,
        align: str = "center",
        space_before: float = 0.0,
    ) -> Para:
        """A header/signature line: single spacing, no indent, 0 pt after (the-thuc §6 item 15)."""
        return Para(
            role,
            [Run(text, bold=bold, italic=italic, underline=underline)],
            size,
            align=align,  # type: ignore[arg-type]
            space_before_pt=space_before,
        )

    def body(self, role: str, runs: list[Run], *, indent: bool = True, align: str = "justify") -> Para:
        """A body paragraph: justified, first-line indent, ≥ 6 pt before, single–1.5 lines (ND30-PL1 §II.6.e)."""
        p = self.profile
        return Para(
            role,
            runs,
            p.size("body"),
            align=align,  # type: ignore[arg-type]
            first_indent_mm=float(p.get("body.first_line_indent_mm")) if indent else 0.0,
            space_before_pt=float(p.get("body.space_before_pt")),
            line_spacing=float(p.get("body.line_spacing")),
        )

    def too_wide(self, where: tuple, text: str, width: float, room: float) -> None:
        """A header or signature line that cannot fit its cell, whatever the break: said, never left to wrap."""
        loc = self.smap.locate(where) if self.smap else None
        self.warnings.append(
            Diagnostic.make(
                "dau-trang-qua-rong",
                loc,
                severity="warning",
                text=text,
                width=mm_text(width),
                room=mm_text(max(room, 0)),
                rule="ND30-PL1 §II.2; the-thuc §1.4",
            )
        )


def mm_text(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")  # Vietnamese decimal comma
