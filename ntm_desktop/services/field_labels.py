"""What each stored field is called on screen: one Vietnamese name per column, for every message that names one.

The forms, the Excel import and the sync preview name a field the same way ("Trích yếu", not "subject"). Every
column that travels in a package has a name here (a test checks it); the meta columns every record has are
named once in `COMMON`.
"""

from __future__ import annotations

# Columns every synced record has.
COMMON: dict[str, str] = {
    "id": "Mã bản ghi",
    "owner_unit_id": "Đơn vị sở hữu",
    "version": "Phiên bản bản ghi",
    "updated_at": "Thời điểm sửa",
    "deleted": "Đã xóa",
}

LABELS: dict[tuple[str, str], str] = {
    # units
    ("units", "code"): "Mã đơn vị",
    ("units", "name"): "Tên đơn vị",
    ("units", "short_name"): "Tên viết tắt",
    ("units", "level_code"): "Cấp đơn vị",
    ("units", "parent_id"): "Đơn vị cấp trên",
    ("units", "valid_from"): "Ngày bắt đầu hiệu lực",
    ("units", "valid_to"): "Ngày hết hiệu lực",
    ("units", "successor_id"): "Đơn vị kế thừa",
    # directives (the incoming register)
    ("directives", "office_unit_id"): "Sổ văn bản đến của đơn vị",
    ("directives", "arrival_year"): "Năm đến",
    ("directives", "arrival_number"): "Số đến",
    ("directives", "arrival_date"): "Ngày đến",
    ("directives", "issuer_unit_id"): "Cơ quan ban hành",
    ("directives", "issuer_name"): "Tên cơ quan ban hành",
    ("directives", "number_symbol"): "Số, ký hiệu văn bản",
    ("directives", "doc_date"): "Ngày văn bản",
    ("directives", "doc_type"): "Loại văn bản",
    ("directives", "subject"): "Trích yếu",
    ("directives", "signer"): "Người ký",
    ("directives", "urgency"): "Độ khẩn",
    ("directives", "secrecy"): "Độ mật",
    ("directives", "recipients"): "Đơn vị hoặc người nhận",
    ("directives", "transfer_date"): "Ngày chuyển",
    ("directives", "notes"): "Ghi chú của văn bản",
    ("directives", "full_text"): "Toàn văn",
    # attachments
    ("attachments", "directive_id"): "Văn bản của tệp đính kèm",
    ("attachments", "file_name"): "Tên tệp đính kèm",
    ("attachments", "sha256"): "Mã tệp đính kèm",
    ("attachments", "size"): "Cỡ tệp đính kèm",
    ("attachments", "added_at"): "Thời điểm đính kèm",
    # tasks
    ("tasks", "directive_id"): "Văn bản của nhiệm vụ",
    ("tasks", "seq"): "Số thứ tự nhiệm vụ",
    ("tasks", "summary"): "Nội dung nhiệm vụ",
    ("tasks", "lead_unit_id"): "Đơn vị chủ trì",
    ("tasks", "cooperating_unit_ids"): "Đơn vị phối hợp",
    ("tasks", "deadline_kind"): "Loại thời hạn",
    ("tasks", "deadline_text"): "Thời hạn theo văn bản",
    ("tasks", "recurrence"): "Chu kỳ",
    ("tasks", "recurrence_day"): "Ngày đến hạn trong chu kỳ",
    ("tasks", "recurrence_month"): "Tháng đến hạn trong chu kỳ",
    ("tasks", "due_date"): "Hạn xử lý",
    ("tasks", "completed_on"): "Ngày hoàn thành",
    ("tasks", "reply_number"): "Số, ký hiệu văn bản trả lời",
    ("tasks", "notes"): "Ghi chú của nhiệm vụ",
    # progress reports
    ("progress_updates", "task_id"): "Nhiệm vụ được báo cáo",
    ("progress_updates", "reported_on"): "Ngày báo cáo tiến độ",
    ("progress_updates", "text"): "Nội dung tiến độ",
    ("progress_updates", "reported_by"): "Người báo cáo",
    # the criteria catalogue
    ("criteria_sets", "code"): "Mã bộ tiêu chí",
    ("criteria_sets", "set_version"): "Phiên bản bộ tiêu chí",
    ("criteria_sets", "name"): "Tên bộ tiêu chí",
    ("criteria_sets", "level"): "Cấp áp dụng",
    ("criteria_sets", "tier"): "Hạng (nông thôn mới, nâng cao, kiểu mẫu)",
    ("criteria_sets", "period_start"): "Từ năm",
    ("criteria_sets", "period_end"): "Đến năm",
    ("criteria_sets", "legal_basis"): "Căn cứ pháp lý",
    ("criteria_sets", "targets_vary_by"): "Chỉ tiêu khác nhau theo",
    ("criteria_sets", "target_keys"): "Danh sách vùng, nhóm xã",
    ("criteria_sets", "source"): "Nguồn bộ tiêu chí",
    ("criteria_sets", "in_force_from"): "Ngày có hiệu lực",
    ("criteria_sets", "indicator_count"): "Số chỉ tiêu theo quyết định",
    ("criteria_sets", "summary_bands"): "Nhóm tổng hợp theo số tiêu chí đạt",
    ("criteria", "set_id"): "Bộ tiêu chí",
    ("criteria", "number"): "Số thứ tự tiêu chí",
    ("criteria", "code"): "Mã tiêu chí",
    ("criteria", "name"): "Tên tiêu chí",
    ("criteria", "group_name"): "Nhóm tiêu chí",
    ("indicators", "criterion_id"): "Tiêu chí của chỉ tiêu",
    ("indicators", "position"): "Thứ tự chỉ tiêu",
    ("indicators", "code"): "Mã chỉ tiêu",
    ("indicators", "name"): "Tên chỉ tiêu",
    ("indicators", "unit_of_measure"): "Đơn vị tính",
    ("indicators", "kind"): "Kiểu chỉ tiêu",
    ("indicators", "comparison"): "Cách so sánh",
    ("indicators", "targets"): "Mục tiêu của chỉ tiêu",
    ("indicators", "confirmed"): "Đã đối chiếu",
    # a commune's profile, recognitions and assessments
    ("commune_profiles", "unit_id"): "Xã",
    ("commune_profiles", "year"): "Năm đánh giá",
    ("commune_profiles", "set_id"): "Bộ tiêu chí áp dụng",
    ("commune_profiles", "target_key"): "Vùng, nhóm xã",
    ("commune_profiles", "planned_year"): "Năm kế hoạch đạt chuẩn",
    ("commune_profiles", "note"): "Ghi chú hồ sơ xã",
    ("commune_profiles", "carried_over_on"): "Ngày chuyển sang bộ tiêu chí mới",
    ("recognitions", "unit_id"): "Xã được công nhận",
    ("recognitions", "level"): "Mức công nhận",
    ("recognitions", "decision_number"): "Số quyết định công nhận",
    ("recognitions", "decision_date"): "Ngày quyết định công nhận",
    ("recognitions", "revoked_number"): "Số quyết định thu hồi",
    ("recognitions", "revoked_date"): "Ngày thu hồi",
    ("recognitions", "note"): "Ghi chú quyết định công nhận",
    ("recognitions", "set_id"): "Bộ tiêu chí công nhận",
    ("criterion_assessments", "unit_id"): "Xã được đánh giá",
    ("criterion_assessments", "year"): "Năm đánh giá",
    ("criterion_assessments", "criterion_id"): "Tiêu chí",
    ("criterion_assessments", "status"): "Đánh giá tiêu chí",
    ("criterion_assessments", "assessing_unit_id"): "Đơn vị đánh giá",
    ("criterion_assessments", "assessed_on"): "Ngày đánh giá",
    ("criterion_assessments", "note"): "Ghi chú đánh giá tiêu chí",
    ("criterion_assessments", "evidence_sha256"): "Mã tệp minh chứng",
    ("criterion_assessments", "evidence_name"): "Tên tệp minh chứng",
    ("indicator_assessments", "unit_id"): "Xã được đánh giá",
    ("indicator_assessments", "year"): "Năm đánh giá",
    ("indicator_assessments", "indicator_id"): "Chỉ tiêu",
    ("indicator_assessments", "measured_value"): "Kết quả đạt được",
    ("indicator_assessments", "status"): "Đánh giá chỉ tiêu",
    ("indicator_assessments", "note"): "Ghi chú đánh giá chỉ tiêu",
    ("task_criterion_links", "task_id"): "Nhiệm vụ",
    ("task_criterion_links", "unit_id"): "Xã",
    ("task_criterion_links", "criterion_code"): "Mã tiêu chí",
    ("task_criterion_links", "set_code"): "Mã bộ tiêu chí",
}


def has_label(table: str, column: str) -> bool:
    return (table, column) in LABELS or column in COMMON


def field_label(table: str, column: str) -> str:
    """The Vietnamese name of `table.column`; a column without one (only a key a file added by itself) is
    named as the file wrote it."""
    return LABELS.get((table, column)) or COMMON.get(column) or column
