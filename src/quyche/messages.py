"""Vietnamese texts of every diagnostic, one table (design.md §5, §8.8).

Each code is stable and documented in docs/errors.md; tests assert codes and positions, never the
wording, so the wording here may be improved freely.
"""

from __future__ import annotations

# code: (message, hint or None). Fields in braces are filled by Diagnostic.make.
MESSAGES: dict[str, tuple[str, str | None]] = {
    # stage 1 — reading the file
    "tep-khong-doc-duoc": ("Không đọc được tệp: {detail}.", None),
    "tep-qua-lon": (
        "Tệp quá lớn ({size} byte; giới hạn {limit} byte).",
        "tách thành nhiều tệp, hoặc đặt QUYCHE_MAX_BYTES nếu thật sự cần.",
    ),
    "vuot-gioi-han": (
        "Đầu vào vượt giới hạn: {detail}.",
        "giới hạn nhằm chặn tệp độc hại (docs/reliability.md); nếu tệp thật sự cần, đặt biến môi trường đã nêu.",
    ),
    "tep-khong-thuong": ("Không đọc: {detail}.", "chỉ đọc tệp thường (không đọc thiết bị, FIFO, thư mục)."),
    "duong-dan-ngoai-thu-muc": (
        "Không đọc tệp được nêu: {detail}.",
        "đặt tệp trong thư mục của văn bản (hoặc thư mục ngay trên nó, không phải thư mục ẩn), hoặc liệt kê "
        "thư mục trong QUYCHE_THU_MUC_CHO_PHEP.",
    ),
    "duong-dan-khong-hop-le": ("Đường dẫn không hợp lệ: {detail}.", None),
    "zip-hong": ("Tệp nén không dùng được: {detail}.", "mở tệp trong Word/Excel rồi lưu lại."),
    "ma-hoa-tep": (
        "Tệp không phải văn bản UTF-8 (byte 0x{byte:02X} không hợp lệ).",
        "lưu lại tệp với bảng mã UTF-8 (trong Notepad: Lưu thành… → Mã hóa: UTF-8).",
    ),
    "yaml-cu-phap": ("Cú pháp YAML không hợp lệ: {detail}.", "{hint}"),
    "yaml-tab": (
        "Dùng ký tự Tab để thụt lề; YAML chỉ cho phép dấu cách.",
        "thay mỗi Tab bằng 2 dấu cách.",
    ),
    "yaml-the-khong-an-toan": (
        'Thẻ YAML "{tag}" không được phép (chỉ chấp nhận dữ liệu thuần).',
        'xóa thẻ "{tag}"; quyche không bao giờ tạo đối tượng Python từ dữ liệu.',
    ),
    "yaml-khoa-trung": (
        'Khóa "{key}" bị lặp lại (đã có ở dòng {first}).',
        'giữ một khóa "{key}" và xóa khóa còn lại.',
    ),
    "yaml-qua-phuc-tap": (
        "Dữ liệu quá phức tạp ({detail}).",
        "kiểm tra các bí danh (&, *) và độ lồng nhau của tệp.",
    ),
    "yaml-khoa-khong-hop-le": ("Khóa phải là chuỗi ký tự, không phải {kind}.", None),
    "yaml-rong": ("Tệp rỗng hoặc không phải một bảng khóa: giá trị.", 'bắt đầu tệp bằng "loai: quy_che".'),
    # stage 2 — text checks
    "ma-cu": (
        'Văn bản có vẻ gõ bằng bảng mã cũ {encoding}: "{sample}".',
        "chuyển sang Unicode dựng sẵn (Unikey: Công cụ chuyển mã {encoding} → Unicode){repair}.",
    ),
    "ky-tu-ma-cu": (
        'Ký tự "{char}" của bảng mã cũ lẫn trong chữ Unicode ở "{word}": có lẽ là chữ "{letter}" gõ bằng {encoding}.',
        'sửa thành "{fixed}"{other} (gõ lại chữ này bằng Unicode dựng sẵn).',
    ),
    "danh-sach-tach-dau-phay": (
        'Mục "{item}" có vẻ là phần sau dấu phẩy của "{head}": trong ngoặc vuông, YAML tách mục ở mọi dấu phẩy.',
        'nếu đó là một mục, đặt nó trong ngoặc kép "{joined}", hoặc viết "{key}:" mỗi mục một dòng: "- {joined}".',
    ),
    "ky-tu-dieu-khien": ("Có ký tự điều khiển không in được (U+{cp:04X}); đã bỏ.", None),
    "tieu-ngu-gach-ngang": (
        'Tiêu ngữ phải dùng dấu gạch nối "-" có cách hai bên, không dùng "{dash}"; đã sửa.',
        'viết đúng: "Độc lập - Tự do - Hạnh phúc" (NĐ 30/2020, Phụ lục I, II.1.b).',
    ),
    "ngay-go-tay": (
        'Ngày được gõ dưới dạng chữ "{text}"; quyche tự trình bày dòng ngày tháng.',
        'ghi ngày dạng {iso} (năm-tháng-ngày); dòng "…, ngày … tháng … năm …" được tạo tự động.',
    ),
    "do-khan-khong-ro": (
        'Độ khẩn "{text}" không có trong Nghị định 30/2020/NĐ-CP (Phụ lục I, III.2.b).',
        '{hint}ghi một trong: "khẩn", "thượng khẩn", "hỏa tốc"; văn bản thường thì bỏ trống do_khan.',
    ),
    "han-tra-loi-truoc-ngay": (
        "Hạn trả lời {han} trước ngày ban hành {ngay} của văn bản.",
        "ghi hạn trả lời từ ngày ban hành trở đi (năm-tháng-ngày), hoặc sửa ngày ban hành.",
    ),
    "ngay-khong-hop-le": (
        'Ngày "{text}" không tồn tại.',
        "ghi ngày có thật, dạng năm-tháng-ngày, ví dụ 2025-02-28.",
    ),
    # stage 2 — schema
    "thieu-truong": ('Thiếu trường bắt buộc "{field}" trong "{parent}".', 'thêm "{field}: …" dưới "{parent}".'),
    "truong-la": ('Trường "{field}" không có trong "{parent}".', "{hint}"),
    "sai-kieu": ('Giá trị của "{field}" không hợp lệ: {detail}.', None),
    "gia-tri-khong-hop-le": ('Giá trị "{value}" của "{field}" không hợp lệ.', "các giá trị được chấp nhận: {choices}."),
    "loai-khong-ho-tro": ('Loại văn bản "{value}" chưa được hỗ trợ.', "các loại được hỗ trợ: {choices}."),
    "the-thuc-khong-ro": ('Không có bộ thể thức "{name}".', "các bộ thể thức có sẵn: {choices}."),
    "the-thuc-loi": ('Bộ thể thức "{name}" không hợp lệ: {detail}.', None),
    "dau-trang-chung": ("Khối đầu trang chung không hợp lệ: {detail}.", 'xem README, mục "Đầu trang chung".'),
    "dau-trang-qua-rong": (
        'Dòng "{text}" rộng {width} mm, ô đầu trang chỉ còn {room} mm: dòng này sẽ bị xuống dòng.',
        'chia dòng bằng dấu "|" ở chỗ được ngắt (ví dụ "Sở Văn hóa, Thể thao | và Du lịch"), viết tắt theo '
        'thói quen của cơ quan, hoặc dùng cỡ chữ 12/13 (the_thuc_tuy_chinh: {{size_set: "12/13"}}).',
    ),
    "cap-huyen-da-ket-thuc": (
        '"{text}" là cơ quan cấp huyện; cấp huyện đã kết thúc hoạt động từ 01/7/2025 (sắp xếp đơn vị hành chính '
        "2025) nhưng văn bản ghi ngày sau đó.",
        "{hint}",
    ),
    "so-ngay-qua-rong": (
        'Dòng số "{text}" ({width} mm) và dòng địa danh, ngày tháng ({date} mm) không cùng vừa một hàng '
        "rộng {room} mm: dòng số sẽ xuống dòng.",
        'rút gọn ký hiệu (ky_hieu), hoặc dùng cỡ chữ 12/13 (the_thuc_tuy_chinh: {{size_set: "12/13"}}).',
    ),
    "thiet-lap-la": ('Thiết lập thể thức "{key}" không tồn tại.', "{hint}"),
    "thiet-lap-khong-tac-dung": (
        'Thiết lập "{key}" không có tác dụng trong văn bản này (bộ thể thức {profile}): quyche không dùng nó ở đây.',
        "{hint}",
    ),
    "thiet-lap-mau-bien-ban": (
        'Mẫu biên bản không đổi được bằng "bien_ban.mau": đổi riêng thiết lập này sẽ in nhãn của mẫu này dưới'
        " đầu trang, số và chữ ký của mẫu kia.",
        'bỏ dòng này và ghi ở đầu tệp "the_thuc: nd30-2020" (Mẫu 1.9, NĐ 30/2020) hoặc "the_thuc: hd16-2023"'
        " (Hướng dẫn 16-HD/VPTW): cả trang theo một mẫu.",
    ),
    "danh-muc-khong-doc-duoc": ('Không đọc được danh mục cơ quan "{path}": {detail}.', None),
    "co-quan-khong-ro": (
        'Không có cơ quan mã "{ma}" trong văn bản hay danh mục.',
        "{hint}",
    ),
    "danh-muc-loi": ("Danh mục cơ quan không đọc được: {detail}.", "lưu lại từ Excel dạng CSV UTF-8 hoặc .xlsx."),
    "mau-docx-loi": (
        "Tệp mẫu Word (--mau) không dùng được: {detail}.",
        "mở mẫu trong Word, lưu lại dạng .docx (không phải .docm), rồi thử lại.",
    ),
    "mau-docx-bo-phan": ("Tệp mẫu Word (--mau): đã bỏ {detail}.", "văn bản chỉ lấy kiểu, đánh số, phông, chủ đề."),
    "co-quan-trung-ma": ('Mã cơ quan "{ma}" bị dùng hai lần.', None),
    "chu-tri": ("{detail}", 'đánh dấu đúng một cơ quan "chu_tri: true".'),
    "thieu-chu-ky": (
        'Cơ quan "{ten}" ban hành văn bản nhưng chưa có khối chữ ký.',
        'thêm một mục trong "ky:" với "co_quan: {ma}".',
    ),
    "chu-ky-thua": ('Khối chữ ký của "{ma}" không thuộc cơ quan ban hành nào.', None),
    "tien-to-sai-he-thong": (
        'Khối chữ ký theo thể thức {he_thong} dùng tiền tố "{prefix}" của {other}.',
        "{hint}",
    ),
    "tien-to-khong-co": (
        'Thể thức {profile} không có quyền hạn "{field}".',
        "các quyền hạn dùng được: {choices}.",
    ),
    "hoc-ham-truoc-ten": (
        'Không ghi học hàm, học vị "{title}" trước họ tên người ký.',
        'bỏ "{title}" (NĐ 30/2020, Phụ lục I, II.7.c); nếu ngành được phép, thêm "cho_phep_hoc_ham: true".',
    ),
    "so-trong-ky-hieu": (
        'Ký hiệu "{text}" ghi cả phần số ("Số", số văn bản): số ghi ở "so:", "ky_hieu" chỉ ghi ký hiệu'
        ' (quyche tự in "Số:" theo thể thức).',
        "{hint}",
    ),
    "so-khong-hop-le": ('Số văn bản phải là số nguyên dương, không phải "{value}".', None),
    "noi-dung-rong": ('"{field}" không được để trống.', None),
    "truong-khong-dung-mau": (
        'Biên bản theo {mau} không có trường "{field}".',
        'bỏ "{field}" hoặc ghi nội dung này vào "{thay}" (mẫu biên bản theo "the_thuc:" ở đầu tệp;'
        " không ghi thì theo cơ quan chủ trì).",
    ),
    # batches
    "mau-word-loi": (
        "Mẫu Word (mau_word) không dùng được: {detail}.",
        "chạy «quyche mau kiem-tra TỆP.docx» để xem mọi chỗ sai của mẫu.",
    ),
    "mau-word-khong-an-toan": (
        "Mẫu Word (mau_word) bị từ chối vì không an toàn: {detail}.",
        "mẫu chỉ được đọc dữ liệu, không gọi hàm hay thuộc tính nội bộ.",
    ),
    "mau-word-vuot-gioi-han": (
        "Mẫu Word (mau_word) vượt giới hạn: {detail}.",
        "mẫu chỉ nên chèn dữ liệu; vòng lặp, phép tính và độ dài đều có giới hạn (docs/reliability.md).",
    ),
    "mau-word-khong-pdf": (
        "Văn bản dùng mẫu Word riêng (mau_word): không tạo {fmt} theo bố cục dựng sẵn.",
        "mở tệp .docx trong Word hay LibreOffice và xuất PDF từ đó.",
    ),
    "mau-word-the-tach": (
        "Mẫu Word: {detail}.",
        "gõ lại cả thẻ một lần, không đổi định dạng giữa chừng (Word tách chữ khi định dạng hay chính tả đổi).",
    ),
    "mau-word-khoi-le": (
        "Mẫu Word: {detail}.",
        "mỗi khối if/for phải có endif/endfor tương ứng, theo đúng thứ tự lồng nhau.",
    ),
    "mau-word-tr-sai": (
        "Mẫu Word: {detail}.",
        "đặt vòng lặp dòng bảng một mình trong một ô của dòng riêng; ngoài bảng dùng thẻ dạng đoạn (p).",
    ),
    "mau-word-bien-la": (
        "Mẫu Word: {detail}.",
        "xem chú giải biến trong mẫu do «quyche mau tao» tạo ra; kiểm tra chính tả tên biến.",
    ),
    "mau-loi": (
        "Mẫu văn bản dùng chung có lỗi: {detail}.",
        "trong mẫu chỉ dùng {{{{ chu_tri.… }}}}, {{{{ doi_tac.… }}}}, {{{{ bo.… }}}}.",
    ),
    "mau-khong-an-toan": (
        "Mẫu văn bản dùng chung bị từ chối vì không an toàn: {detail}.",
        "mẫu chỉ được đọc dữ liệu, không gọi hàm hay thuộc tính nội bộ.",
    ),
    "mau-vuot-gioi-han": (
        "Mẫu văn bản dùng chung vượt giới hạn: {detail}.",
        "mẫu chỉ nên chèn dữ liệu; vòng lặp, phép tính và độ dài đều có giới hạn (docs/reliability.md).",
    ),
    "loi-tao-tep": ("Không tạo được {id}: {detail}.", None),
    "so-dang-ky": (
        "Sổ đăng ký văn bản đi từ chối {id}: {detail}",
        "kiểm tra --so-dang-ky, nhiem_ky và ngày văn bản; chưa tệp nào được ghi, chưa số nào được giữ thêm.",
    ),
    "thu-muc-khong-ghi-duoc": (
        'Không ghi được vào thư mục kết quả "{path}": {detail}.',
        "chọn thư mục khác bằng -o, hoặc kiểm tra quyền ghi và chỗ trống trên đĩa.",
    ),
    "doi-tac-trung": (
        'Cơ quan "{ma}" có hai lần trong danh sách đối tác (lần đầu ở dòng {dong}).',
        "mỗi cơ quan chỉ một chương trình và một giấy mời; bỏ dòng lặp. Chưa số nào được giữ.",
    ),
    "trung-ten-tep": (
        'Hai văn bản cùng ra tệp "{ten}": {a} và {b}.',
        "mã cơ quan chỉ khác chữ hoa/thường hoặc ký tự / : thì thành cùng tên tệp; đổi một mã (hoặc đổi tên tệp "
        "vào). Chưa tệp nào được ghi, chưa số nào được giữ.",
    ),
    "tep-da-sua-tay": (
        'Tệp "{path}" đã được sửa sau khi quyche ghi; giữ nguyên, không ghi đè.',
        "dùng --force để ghi đè (mất phần đã sửa), hoặc -o để ghi vào thư mục khác.",
    ),
    # the editor (quyche serve)
    "cap-so-tu-choi": (
        "Sổ đăng ký từ chối cấp số cho {id}: {detail}",
        "văn thư kiểm tra ngày văn bản, cơ quan ban hành và nhiệm kỳ (quyche register nhiem-ky); chưa số nào được cấp.",
    ),
    "ngoai-thu-muc": (
        'Tệp "{value}" nằm ngoài thư mục làm việc của trình soạn thảo.',
        "đặt tệp danh mục trong thư mục đang mở (quyche serve THƯ_MỤC) và ghi đường dẫn tương đối.",
    ),
}


# Which signature prefixes each system uses (NĐ 30/2020, Phụ lục I, II.7.b; HD 36-HD/VPTW, 1.7.1).
PREFIX_HINTS = {
    "dang": 'khối chữ ký của cơ quan Đảng dùng "T/M", "K/T", "T/L" (HD 36-HD/VPTW, 1.7.1).',
    "nha_nuoc": (
        'khối chữ ký của cơ quan nhà nước dùng "TM.", "KT.", "Q.", "TL.", "TUQ." (NĐ 30/2020, Phụ lục I, II.7.b).'
    ),
}


def render_message(code: str, **fields: object) -> tuple[str, str | None]:
    """Fill the message and hint of ``code`` with ``fields``; unknown fields stay visible."""
    message, hint = MESSAGES[code]

    class _Keep(dict):  # leaves "{x}" in place when a field is missing rather than failing
        def __missing__(self, key: str) -> str:
            return "{" + key + "}"

    values = _Keep(fields)
    text = message.format_map(values)
    hint_text = hint.format_map(values) if hint else None
    if hint_text is not None and (not hint_text.strip() or hint_text.startswith("{")):
        hint_text = None
    return text, hint_text
