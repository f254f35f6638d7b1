"""A year's batch whose invitations use the office's Word template: every partner's document is filled from
the one compiled template, in worker processes, and a template saved again renders them again."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

from docx import Document

from mau_word_helpers import ROOT

from support import quyche


def _batch(tmp_path: Path) -> Path:
    for name in ("bo", "co-quan", "mau"):
        shutil.copytree(ROOT / "data" / name, tmp_path / name)
    path = tmp_path / "bo" / "tien-lu-2019.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\ngiay_moi:\n", "\ngiay_moi:\n  mau_word: ../mau/giay-moi-van-phong.docx\n"), "utf-8")
    return path


def test_batch_fills_every_partners_invitation_from_the_template(tmp_path: Path) -> None:
    batch = _batch(tmp_path)
    out = tmp_path / "out"
    r = quyche("batch", str(batch), "-o", str(out), "-j", "2", timeout=300)
    assert r.returncode == 0, r.stderr
    invitations = sorted(out.rglob("giay-moi*.docx"))
    assert len(invitations) == 12
    seen = set()
    for path in invitations:
        doc = Document(io.BytesIO(path.read_bytes()))
        texts = [p.text for p in doc.paragraphs]
        assert texts[1].startswith("Về việc dự "), texts[:3]  # the office's own line, not the built-in layout
        assert not any("{{" in t or "{%" in t for t in texts)
        widths = [round(c.width.mm, 1) for c in doc.tables[0].rows[0].cells]
        assert widths == [88.5, 80.0], "the header sub-document keeps the built-in geometry"
        seen.add(doc.tables[0].rows[1].cells[0].text)
    assert len(seen) == 12, "each partner has its own number"

    r = quyche("batch", str(batch), "-o", str(out), "-j", "2", timeout=300)
    assert "0 văn bản mới" in r.stdout, r.stdout
    template = tmp_path / "mau" / "giay-moi-van-phong.docx"
    st = template.stat()
    os.utime(template, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # saved again in Word
    r = quyche("batch", str(batch), "-o", str(out), "-j", "2", timeout=300)
    assert "12 văn bản mới" in r.stdout, r.stdout
