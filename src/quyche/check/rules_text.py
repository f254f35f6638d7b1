"""Rules on the words: Quốc hiệu, Tiêu ngữ, the Party tiêu đề and the line drawn under them, the agency mark,
the number line per regime, the date line, căn cứ, Điều and khoản numbering, signature prefixes per system,
the Nơi nhận block (NĐ 30/2020, Phụ lục I, II; HD 36-HD/VPTW)."""

from __future__ import annotations

import re

from ..measure import text_width_mm
from ..profile import load_profile
from .context import Context
from .detect import DATE, PREFIX, TIEU_DE_DANG, body_system, fold
from .model import Line
from .rules_joint import header_out_of_system
from .rules_page import SIZE_ROLES, expected_size, fmt, size_set

RULE_TOL_MM = 1.0  # a drawn line within 1 mm of the text's width (rounding of twips and of the metrics)


def check_header(c: Context) -> None:
    head = [ln for ln in c.sheet.lines if ln.zone == "header"]
    if header_out_of_system(c):
        _agency_mark(c, head)  # the right header is the other system's: joint.right_header says so, once
        return
    if c.ident.lead == "nha_nuoc" and c.has("header.quoc_hieu.text"):
        qh = next((ln for ln in head if ln.role == "quoc_hieu"), None)
        want = str(c.profile.get("header.quoc_hieu.text"))
        if qh is None:
            c.find("header.quoc_hieu.text", f'Thiếu Quốc hiệu "{want}".', where="đầu trang", excerpt="")
        elif " ".join(qh.text.split()).replace("HOÀ", "HÒA") != want:
            nxt = next((ln for ln in head[head.index(qh) + 1 :] if ln.column == qh.column), None)
            if nxt is not None and fold(f"{qh.text} {nxt.text}") == fold(want):
                c.find("header.quoc_hieu.text", "Quốc hiệu bị ngắt xuống dòng; phải nằm trên một dòng.", qh)
            else:
                c.find("header.quoc_hieu.text", f'Quốc hiệu phải là "{want}".', qh)
        _one_line(c, qh, want, "Quốc hiệu", "header.quoc_hieu.text")
        _titled(c, head, "tieu_ngu", "header.tieu_ngu", "Tiêu ngữ")
    if c.ident.lead == "dang" and c.has("header.tieu_de.text"):
        td = next((ln for ln in head if ln.role == "tieu_de_dang"), None)
        want = str(c.profile.get("header.tieu_de.text"))
        if td is None:
            c.find("header.tieu_de.text", f'Thiếu tiêu đề "{want}".', where="đầu trang", excerpt="")
        elif fold(td.text) != fold(TIEU_DE_DANG) or td.text.strip() != want:
            c.find("header.tieu_de.text", f'Tiêu đề phải là "{want}".', td)
        _one_line(c, td, want, "Tiêu đề", "header.tieu_de.text")
        _titled(c, head, "tieu_de_dang", "header.tieu_de", "tiêu đề")
    _agency_mark(c, head)


def _one_line(c: Context, line: Line | None, text: str, name: str, key: str) -> None:
    """A .docx cell narrower than the line's measured width: Word and LibreOffice will wrap it (the-thuc §6
    item 5: one line, never wrapped). A PDF shows the wrap itself."""
    if line is None or c.sheet.fmt != "docx" or not line.avail_mm or not line.size:
        return
    width = text_width_mm(text, line.size, bold=True)
    if width > line.avail_mm + 0.2:
        c.find(
            key,
            f"{name} rộng {fmt(round(width, 1))} mm, ô chỉ rộng {fmt(round(line.avail_mm, 1))} mm: sẽ bị "
            "ngắt xuống dòng.",
            line,
        )


def _titled(c: Context, head: list[Line], role: str, key: str, name: str) -> None:
    """The text (Tiêu ngữ) and the solid line under it, as long as the text: never underscores, never an
    underline (ND30-PL1 §II.1.b; HD36 1.1.2)."""
    line = next((ln for ln in head if ln.role == role), None)
    if line is None:
        if role == "tieu_ngu":
            c.find(f"{key}.text", f'Thiếu Tiêu ngữ "{c.profile.get(key + ".text")}".', where="đầu trang", excerpt="")
        return
    want_text = str(c.profile.get(f"{key}.text"))
    if role == "tieu_ngu" and " ".join(line.text.split()) != want_text:
        c.find(f"{key}.text", f'Tiêu ngữ phải là "{want_text}" (gạch nối "-", một dấu cách mỗi bên).', line)
    if not c.has(f"{key}.rule"):
        return
    # The line is as long as the text should be: the profile's words at the profile's size (a wrong size or
    # a wrong dash is its own finding, not a second one about the line).
    size = expected_size(c, SIZE_ROLES[role], size_set(c))[0] if c.has("sizes") else (line.size or 14.0)
    width = round(text_width_mm(want_text, size, bold=True), 1)
    after = head[head.index(line) + 1 :]
    nxt = next((ln for ln in after if ln.column == line.column), None)
    rule_line = line if line.rule_mm is not None and not line.border_only else None
    if rule_line is None and nxt is not None and nxt.role == "duong_ke":
        rule_line = nxt
    if nxt is not None and nxt.role == "gach_duoi":
        c.find(
            f"{key}.rule",
            f"Đường kẻ dưới {name} gõ bằng ký tự, phải là đường kẻ liền dài {fmt(width)} mm.",
            nxt,
            fix=f"thay bằng đường kẻ dài {fmt(width)} mm",
            width=width,
            anchor=line,
            replace=nxt,
        )
        return
    if line.underline is not False and c.sheet.fmt == "docx":
        c.find(
            f"{key}.rule",
            f"{name[:1].upper()}{name[1:]} bị gạch chân; phải là đường kẻ liền dưới dòng chữ.",
            line,
            fix=f"bỏ gạch chân, kẻ đường dài {fmt(width)} mm",
            width=width,
            anchor=line,
            replace=rule_line if rule_line is not line else None,
        )
        return
    if rule_line is None:
        c.find(
            f"{key}.rule",
            f"Thiếu đường kẻ liền dưới {name} (dài {fmt(width)} mm).",
            line,
            fix=f"kẻ đường dài {fmt(width)} mm" if c.sheet.fmt == "docx" else "",
            width=width,
            anchor=line,
        )
    elif abs(rule_line.rule_mm - width) > RULE_TOL_MM:
        c.find(
            f"{key}.rule",
            f"Đường kẻ dưới {name} dài {fmt(rule_line.rule_mm)} mm, phải bằng dòng chữ ({fmt(width)} mm).",
            line,
            fix=f"chỉnh đường kẻ thành {fmt(width)} mm" if rule_line is not line and c.sheet.fmt == "docx" else "",
            width=width,
            anchor=line,
            replace=rule_line,
        )


def _agency_mark(c: Context, head: list[Line]) -> None:
    """Each agency group of ô 2 ends in its mark: "*" under a Party body on a Party page (HD36 1.2.1); on a
    State page a Party body may keep its "*" or take the page's short line (one form for the page, the
    document's ``the_thuc``); "*" under State bodies only when the page is the Party's."""
    if not c.has("header.co_quan.mark"):
        return
    left = [ln for ln in head if ln.column in ("left", "")]
    groups: list[tuple[list[Line], Line | None]] = []
    run: list[Line] = []
    for ln in [*left, None]:
        if ln is not None and ln.role == "co_quan":
            run.append(ln)
            continue
        if run:
            groups.append((run, ln))
        run = []
    for names, after in groups:
        party = any(body_system(ln.text) == "dang" for ln in names)
        mark = after.role if after is not None else ""
        if names[-1].rule_mm is not None and not names[-1].border_only:
            mark = "duong_ke"  # a PDF: the short line is drawn under the name it belongs to
        if party and mark != "dau_sao" and (c.ident.lead == "dang" or mark != "duong_ke"):
            c.find(
                "header.co_quan.mark",
                'Thiếu dấu "*" dưới tên cơ quan Đảng.',
                names[-1],
                severity=_hard(c, "hd36-2018", "header.co_quan.mark"),
            )
        elif not party and mark == "dau_sao" and c.ident.lead == "nha_nuoc":
            c.find(
                "header.co_quan.mark", 'Dấu "*" chỉ dùng dưới tên cơ quan Đảng; cơ quan nhà nước dùng đường kẻ.', after
            )


def _hard(c: Context, profile: str, key: str) -> str:
    rule = load_profile(profile).rules.get(key)
    return "error" if rule is not None and rule.status in ("confirmed", "secondary") else "warning"


def check_number(c: Context) -> None:
    line = next((ln for ln in c.sheet.lines if ln.role == "so_ky_hieu"), None)
    if line is None or not c.has("number.format"):
        return
    fmt_ = str(c.profile.get("number.format"))  # "Số: {so}/{ky_hieu}" | "Số {so}-{ky_hieu}"
    text = line.text.strip().replace("–", "-").replace("—", "-")  # a dash for a hyphen: number.ky_hieu
    label, sep = fmt_.split("{so}")[0], fmt_.split("{so}")[1].split("{ky_hieu}")[0]
    m = re.match(r"^Số\s*(:?)\s*([0-9]*|\s*)\s*([/\-])\s*(\S.*)$", text)
    state = label.strip() == "Số:"
    example = "Số: 12/QC-UBND" if state else "Số 12-QC/BTGTU"
    if m is None:
        c.find("number.format", f'Dòng số, ký hiệu phải có dạng "{example}".', line)
        return
    problems = []
    if not text.startswith(label):
        problems.append(f'bắt đầu bằng "{label}"')
    if m.group(3) != sep:
        problems.append(f'số và ký hiệu cách nhau bằng "{sep}"')
    num = m.group(2)
    if re.search(r"\d\s+[/\-]|[/\-]\s+\S", text.split(maxsplit=1)[-1] if num else ""):
        problems.append('không có dấu cách quanh "/" và "-"')
    if problems:
        c.find("number.format", f"Dòng số, ký hiệu sai thể thức ({example}): {'; '.join(problems)}.", line)
    pad = int(c.profile.get("number.zero_pad", 0)) if c.has("number.zero_pad") else 0
    if num.isdigit() and len(num) < pad and int(num) < 10 ** (pad - 1):
        c.find("number.zero_pad", f'Số nhỏ hơn 10 phải có số 0 đứng trước ("{num.zfill(pad)}").', line)


def check_date(c: Context) -> None:
    if not c.has("date.format"):
        return
    for line in c.lines("dia_danh_ngay"):
        m = DATE.search(line.text)
        if m is None:
            continue
        day, month = m.group(1), m.group(2)
        problems = []
        if day.isdigit() and 1 <= int(day) <= 9 and len(day) != 2:
            problems.append(f'ngày "{day}" → "{int(day):02d}"')
        if month.isdigit() and 1 <= int(month) <= 2 and len(month) != 2:
            problems.append(f'tháng "{month}" → "{int(month):02d}"')
        if month.isdigit() and int(month) >= 3 and month.startswith("0"):
            problems.append(f'tháng "{month}" → "{int(month)}"')
        if problems:
            c.find(
                "date.format",
                f"Ngày tháng: ngày 1–9 và tháng 1, 2 có số 0 đứng trước ({', '.join(problems)}).",
                line,
                fix=f'ghi "{fix_date(line.text)}"',
                text=fix_date(line.text),
            )


def fix_date(text: str) -> str:
    def repl(m: re.Match) -> str:
        d, mo = m.group(1), m.group(2)
        d2 = f"{int(d):02d}" if d.isdigit() and int(d) <= 9 else d
        mo2 = (f"{int(mo):02d}" if int(mo) <= 2 else str(int(mo))) if mo.isdigit() else mo
        return m.group(0).replace(f"ngày {d}", f"ngày {d2}", 1).replace(f"tháng {mo}", f"tháng {mo2}", 1)

    return DATE.sub(repl, text, count=1)


def check_body(c: Context) -> None:
    can_cu = c.lines("can_cu")
    if can_cu and c.has("can_cu.italic"):
        want = bool(c.profile.get("can_cu.italic"))
        for ln in can_cu:
            if ln.italic is not want and ln.sizes:
                c.find("can_cu.italic", "Căn cứ phải in nghiêng." if want else "Căn cứ in đứng, không nghiêng.", ln)
    if can_cu and c.has("can_cu.separator"):
        sep, last = str(c.profile.get("can_cu.separator")), str(c.profile.get("can_cu.last", "."))
        tail = c.lines("can_cu_de_nghi")  # "Xét/Theo đề nghị …" closes the block, its own ending varies
        for i, ln in enumerate(can_cu):
            end = last if i == len(can_cu) - 1 and not tail else sep
            if not ln.text.rstrip().endswith(end):
                c.find(
                    "can_cu.separator" if end == sep else "can_cu.last",
                    f'Căn cứ {"cuối cùng " if end == last else ""}kết thúc bằng "{end}".',
                    ln,
                )


def check_signatures(c: Context) -> None:
    if not c.has("sign.prefix"):
        return
    lead_prefixes = c.profile.get("sign.prefix")
    by_system = {
        "nha_nuoc": load_profile("nd30-2020").get("sign.prefix"),
        "dang": load_profile("hd36-2018").get("sign.prefix"),
    }
    by_system[c.ident.lead] = lead_prefixes
    titles = c.lines("chu_ky_chuc_vu")
    for i, ln in enumerate(titles):
        m = PREFIX.match(ln.text)
        if m is None:
            continue
        system = _block_system(c, titles, i)
        allowed = set(by_system[system].values()) if system else {p for t in by_system.values() for p in t.values()}
        token = m.group(1) + m.group(2)
        other = "dang" if system == "nha_nuoc" else "nha_nuoc"
        if token in allowed:
            continue
        if system and token in set(by_system[other].values()) | {p.rstrip(".") for p in by_system[other].values()}:
            name = "nhà nước" if system == "nha_nuoc" else "Đảng"
            c.find(
                "sign.prefix",
                f'Tiền tố "{token}" không dùng trong khối chữ ký {name} '
                f"(dùng {', '.join(sorted(set(by_system[system].values())))}).",
                ln,
            )
        elif token + "." in allowed:
            c.find(
                "sign.prefix",
                f'Tiền tố "{token}" thiếu dấu chấm: "{token}.".',
                ln,
                fix=f'"{token}" → "{token}."',
                old=token,
                new=token + ".",
            )
        else:
            c.find("sign.prefix", f'Tiền tố "{token}" không đúng thể thức.', ln)


def _block_system(c: Context, titles: list[Line], i: int) -> str | None:
    ln = titles[i]
    if fold(PREFIX.sub("", ln.text)) == "BAN CHẤP HÀNH":
        return None  # a Party committee's, or a Hội's, a Đoàn's, a Công đoàn's: either form is right
    found = body_system(PREFIX.sub("", ln.text))
    j = i - 1
    while found is None and j >= 0 and _same_block(titles[j], ln):
        found = body_system(PREFIX.sub("", titles[j].text))
        j -= 1
    if found == "mat_tran":
        return "nha_nuoc"
    if found is None and len(c.ident.systems - {"mat_tran"}) <= 1:
        return c.ident.lead
    return found


def _same_block(a: Line, b: Line) -> bool:
    """Two title lines of one signature block: the same table cell (docx), or the same column and page with
    no more than three lines between them (pdf)."""
    if a.page is not None:
        return a.page == b.page and a.column == b.column and 0 < b.index - a.index <= 3
    return a.ref is not None and b.ref is not None and a.ref.getparent() is b.ref.getparent()


def check_noi_nhan(c: Context) -> None:
    label = next(iter(c.lines("noi_nhan_nhan")), None)
    if label is None:
        return
    want = str(c.profile.get("noi_nhan.label", "Nơi nhận:"))
    if c.has("noi_nhan.label") and label.text.strip() != want:
        c.find("noi_nhan.label", f'Viết "{want}".', label)
    for attr, word_on, word_off in (
        ("bold", "in đậm", "không đậm"),
        ("italic", "in nghiêng", "không nghiêng"),
        ("underline", "gạch chân", "không gạch chân"),
    ):
        key = f"noi_nhan.label.{attr}"
        if not c.has(key) or (attr != "underline" and c.sheet.fmt == "pdf" and getattr(label, attr) is None):
            continue
        want_v = bool(c.profile.get(key))
        if getattr(label, attr) is not want_v:
            c.find(
                key,
                f'"Nơi nhận" phải {word_on}.' if want_v else f'"Nơi nhận" không được {word_on}.',
                label,
                fix=word_on if want_v else word_off,
                attr=attr,
                value=want_v,
            )
    items = c.lines("noi_nhan_muc")
    luu_fmt = str(c.profile.get("noi_nhan.luu", "")) if c.has("noi_nhan.luu") else ""
    if items and luu_fmt and items[-1].text.lstrip("-– ").startswith("Lưu"):
        colon = luu_fmt.startswith("Lưu:")
        has = items[-1].text.lstrip("-– ").startswith("Lưu:")
        if colon != has:
            c.find("noi_nhan.luu", f'Dòng lưu viết "- {luu_fmt.format(luu="VT, …")}".', items[-1])
