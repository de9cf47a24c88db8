"""Every field that travels in a package has one Vietnamese name, which the forms, imports and sync messages use."""

from __future__ import annotations

from ntm_desktop.services.field_labels import field_label, has_label
from ntm_desktop.sync.entities import ENTITIES


def test_every_field_that_travels_has_a_vietnamese_name():
    missing = [(spec.name, column) for spec in ENTITIES
               for column in [*spec.columns, *(link.name for link in spec.links)] if not has_label(spec.name, column)]
    assert missing == []
    for spec in ENTITIES:
        for column in spec.columns:
            label = field_label(spec.name, column)
            assert label[:1].isupper() and "_" not in label and label != column, (spec.name, column, label)


def test_the_register_and_task_fields_are_named_as_the_forms_name_them():
    assert field_label("directives", "subject") == "Trích yếu"
    assert field_label("tasks", "summary") == "Nội dung nhiệm vụ"
    assert field_label("progress_updates", "reported_on") == "Ngày báo cáo tiến độ"
    assert field_label("units", "owner_unit_id") == "Đơn vị sở hữu"
