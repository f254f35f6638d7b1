// json-editor's buttons and labels in Vietnamese (its own validation messages are not shown: the editor shows
// the server's diagnostics, the same as the CLI's).
JSONEditor.defaults.languages.vi = {
  button_add: "Thêm", button_delete_all: "Tất cả", button_delete_all_title: "Xóa tất cả",
  button_delete_last: "{{0}} cuối", button_delete_last_title: "Xóa {{0}} cuối", button_add_row_title: "Thêm {{0}}",
  button_move_down_title: "Xuống", button_move_up_title: "Lên", button_properties: "Trường",
  button_object_properties: "Thêm trường", button_copy_row_title: "Chép {{0}}", button_delete_row_title: "Xóa {{0}}",
  button_delete_row_title_short: "Xóa", button_copy_row_title_short: "Chép", button_collapse: "Thu gọn",
  button_expand: "Mở", button_save: "Lưu", button_cancel: "Hủy", button_copy: "Chép", default_array_item_title: "mục",
  button_delete_node_warning: "Xóa mục này?", table_controls: "Điều khiển", choices_placeholder_text: "Gõ để thêm",
};
JSONEditor.defaults.language = "vi";
