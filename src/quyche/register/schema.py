"""The register's SQLite schema: tables, the triggers that keep it append-only, migrations."""

from __future__ import annotations

SCHEMA_VERSION = 2
APPLICATION_ID = 0x51594348  # "QYCH" in the SQLite header: this file is a quyche register

_SCHEMA_V1 = (
    """CREATE TABLE co_quan (
        viet_tat TEXT PRIMARY KEY,
        he_thong TEXT NOT NULL CHECK (he_thong IN ('nha_nuoc', 'mat_tran', 'dang')),
        nhiem_ky TEXT  -- current committee term of a Party body (HD 36-HD/VPTW 1.3.1)
    )""",
    """CREATE TABLE day_so (
        id INTEGER PRIMARY KEY,
        khoa TEXT NOT NULL UNIQUE,
        he_thong TEXT NOT NULL,
        co_quan TEXT NOT NULL,
        loai TEXT,
        nam INTEGER,
        nhiem_ky TEXT,
        mat INTEGER NOT NULL DEFAULT 0,
        so_cuoi INTEGER NOT NULL DEFAULT 0 CHECK (so_cuoi >= 0),
        CHECK ((he_thong = 'dang' AND loai IS NOT NULL AND nhiem_ky IS NOT NULL)
            OR (he_thong <> 'dang' AND nam IS NOT NULL))
    )""",
    """CREATE TABLE van_ban (
        id INTEGER PRIMARY KEY,
        day_so_id INTEGER NOT NULL REFERENCES day_so (id),
        so INTEGER NOT NULL CHECK (so >= 1),
        trang_thai TEXT NOT NULL CHECK (trang_thai IN ('giu_so', 'ban_hanh', 'huy')),
        loai TEXT,
        so_ky_hieu TEXT,
        ngay TEXT,
        trich_yeu TEXT,
        nguoi_ky TEXT,
        noi_nhan TEXT,
        don_vi_luu TEXT,
        so_luong_ban INTEGER,
        ngay_chuyen TEXT,
        ky_nhan TEXT,
        ghi_chu TEXT,
        ly_do_huy TEXT,
        giu_luc TEXT NOT NULL,
        ban_hanh_luc TEXT,
        huy_luc TEXT,
        UNIQUE (day_so_id, so)
    )""",
    # append-only for numbers, whoever writes to the file
    """CREATE TRIGGER van_ban_khong_xoa BEFORE DELETE ON van_ban
        BEGIN SELECT RAISE(ABORT, 'sổ đăng ký không cho xóa số đã giữ'); END""",
    """CREATE TRIGGER van_ban_khong_doi_so BEFORE UPDATE OF so, day_so_id ON van_ban
        BEGIN SELECT RAISE(ABORT, 'sổ đăng ký không cho đổi số đã giữ'); END""",
    """CREATE TRIGGER van_ban_huy_la_het BEFORE UPDATE ON van_ban WHEN OLD.trang_thai = 'huy'
        BEGIN SELECT RAISE(ABORT, 'số đã hủy không được dùng lại'); END""",
    """CREATE TRIGGER day_so_khong_xoa BEFORE DELETE ON day_so
        BEGIN SELECT RAISE(ABORT, 'sổ đăng ký không cho xóa dãy số'); END""",
    """CREATE TRIGGER day_so_khong_lui BEFORE UPDATE OF so_cuoi ON day_so WHEN NEW.so_cuoi < OLD.so_cuoi
        BEGIN SELECT RAISE(ABORT, 'số cuối của dãy số không được lùi'); END""",
)
# _MIGRATIONS[v] brings a file from user_version v to v + 1 (v >= 1).
_MIGRATIONS: dict[int, tuple[str, ...]] = {
    # 2: what each number is for, and the hash-chained audit trail (NĐ 30/2020, Điều 15-16: the book is a record)
    1: (
        "ALTER TABLE van_ban ADD COLUMN dinh_danh TEXT",  # the document a number belongs to (batch item, file)
        # one live number per document: a voided number frees its document for a new reservation
        """CREATE UNIQUE INDEX van_ban_mot_van_ban_mot_so ON van_ban (dinh_danh)
            WHERE dinh_danh IS NOT NULL AND trang_thai <> 'huy'""",
        """CREATE TABLE nhat_ky (
            id INTEGER PRIMARY KEY,
            luc TEXT NOT NULL,
            nguoi TEXT NOT NULL,
            hanh_dong TEXT NOT NULL,
            van_ban_id INTEGER,
            noi_dung TEXT NOT NULL,  -- JSON: the register line (or the body's term) after the change
            bam_truoc TEXT NOT NULL,
            bam TEXT NOT NULL
        )""",
        """CREATE TRIGGER nhat_ky_khong_sua BEFORE UPDATE ON nhat_ky
            BEGIN SELECT RAISE(ABORT, 'nhật ký sổ đăng ký chỉ được ghi thêm'); END""",
        """CREATE TRIGGER nhat_ky_khong_xoa BEFORE DELETE ON nhat_ky
            BEGIN SELECT RAISE(ABORT, 'nhật ký sổ đăng ký chỉ được ghi thêm'); END""",
    ),
}

_SELECT = """SELECT v.*, d.he_thong AS d_he_thong, d.co_quan AS d_co_quan, d.nam AS d_nam, d.loai AS d_loai,
    d.nhiem_ky AS d_nhiem_ky, d.mat AS d_mat
    FROM van_ban v JOIN day_so d ON d.id = v.day_so_id"""
_ORDER = " ORDER BY d.co_quan, d.nam, d.nhiem_ky, d.loai, d.mat, v.so"
