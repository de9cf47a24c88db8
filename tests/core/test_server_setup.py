"""Server mode set up: `server init` on an empty database, the move of a SQLite office, refusals, the connection
check's message per failure, and backup + restore of the server (on NTM_TEST_DATABASE_URL's server)."""

from __future__ import annotations

import hashlib
import json
import socket

import pytest
from sqlalchemy import inspect, select, text

from ntm_desktop.cli import main
from ntm_desktop.models import Attachment, Base, Directive, StoredFile
from ntm_desktop.server.backup import ServerBackupError, backup_server, count_server, restore_server
from ntm_desktop.server.move import move_office
from ntm_desktop.server.probe import ServerError, ServerState, make_engine, probe
from ntm_desktop.server.schema import init_server
from ntm_desktop.server.setting import recorded_server
from ntm_desktop.server.urls import without_password
from ntm_desktop.services import attachments
from tests.core.password_server import PASSWORD, password_server  # noqa: F401 - a fixture
from tests.core.server_db import NO_SERVER, SERVER, drop_server_database, new_server_database

pytestmark = pytest.mark.skipif(not SERVER, reason=NO_SERVER)


@pytest.fixture
def server():
    url = new_server_database("server")
    yield url
    drop_server_database(url)


def _head() -> str:
    from alembic.script import ScriptDirectory

    from ntm_desktop.db import _alembic_config

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def _sql(url, statement: str):
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            return conn.execute(text(statement)).all() if statement.lstrip().upper().startswith("SELECT") else \
                conn.execute(text(statement))
    finally:
        engine.dispose()


def _demo_with_scan(demo_workspace, tmp_path):
    scan = tmp_path / "Công văn 125 scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n% scan of the directive\n" + bytes(range(256)) * 40)
    with demo_workspace.db.transaction() as session:
        directive = session.scalars(select(Directive).order_by(Directive.arrival_number)).first()
        attachments.attach(session, demo_workspace.folder.files, directive.id, scan)
    return directive.id, scan.read_bytes()


def test_init_creates_the_schema_on_an_empty_database(server, capsys):
    assert probe(server).state is ServerState.EMPTY
    assert main(["server", "init", "--database", server.render_as_string(hide_password=False)]) == 0
    assert "Đã tạo cấu trúc dữ liệu" in capsys.readouterr().out
    engine = make_engine(server)
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            assert {t.name for t in Base.metadata.sorted_tables} <= tables
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == _head()
            assert conn.execute(text("SELECT count(*) FROM unit_levels")).scalar() > 0
    finally:
        engine.dispose()
    found = probe(server)
    assert found.state is ServerState.CURRENT and "phiên bản này" in found.message
    assert init_server(server).changed is False  # a second run changes nothing


def test_init_refuses_another_programs_tables_and_a_newer_version(server):
    _sql(server, "CREATE TABLE invoices (id integer primary key, total numeric)")
    with pytest.raises(ServerError, match="chương trình khác") as refused:
        init_server(server)
    assert "Không có gì được thay đổi" in str(refused.value)
    assert _sql(server, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")[0][0] == 1

    _sql(server, "DROP TABLE invoices")
    init_server(server)
    _sql(server, "UPDATE alembic_version SET version_num = '9999_from_the_future'")
    with pytest.raises(ServerError, match="phiên bản NTM Desktop mới hơn"):
        init_server(server)
    assert _sql(server, "SELECT version_num FROM alembic_version")[0][0] == "9999_from_the_future"


@pytest.mark.sqlite_only  # moves an office's SQLite file onto its own server database
def test_move_copies_the_office_in_one_go_and_records_the_server(demo_workspace, server, tmp_path, capsys):
    directive_id, scan_bytes = _demo_with_scan(demo_workspace, tmp_path)
    folder = demo_workspace.folder
    demo_workspace.close()
    local_before = hashlib.sha256(folder.database.read_bytes()).hexdigest()
    with_password = server.set(password="mật khẩu bí mật")

    result = move_office(folder, with_password)
    from ntm_desktop.server.setting import record_server

    record_server(folder, with_password)

    local = make_engine_sqlite(folder.database)
    remote = make_engine(server)
    try:
        with local.connect() as here, remote.connect() as there:
            for table in Base.metadata.sorted_tables:
                n = here.execute(select(text("count(*)")).select_from(table)).scalar()
                if table.name == "stored_files":
                    assert there.execute(select(text("count(*)")).select_from(table)).scalar() == 1
                    continue
                assert there.execute(select(text("count(*)")).select_from(table)).scalar() == n, table.name
                assert result.counts[table.name] == n
            assert result.counts["directives"] > 0 and result.counts["tasks"] > 0
            columns = Directive.__table__.c
            mine = here.execute(select(Directive.__table__).where(columns.id == directive_id)).mappings().one()
            theirs = there.execute(select(Directive.__table__).where(columns.id == directive_id)).mappings().one()
            assert dict(theirs) == dict(mine)
            assert "Đ" in mine["issuer_name"] or any(ch in mine["subject"] for ch in "ơưăêôâđ")
            sha = there.execute(select(Attachment.sha256).where(Attachment.directive_id == directive_id)).scalar()
            stored = there.execute(select(StoredFile.content).where(StoredFile.sha256 == sha)).scalar()
            assert bytes(stored) == scan_bytes
            # the next number the server gives an audit row follows the copied ones
            top = there.execute(text("SELECT max(id) FROM audit_log")).scalar()
            assert there.execute(text("SELECT nextval(pg_get_serial_sequence('audit_log', 'id'))")).scalar() > top
    finally:
        local.dispose()
        remote.dispose()
    assert result.files == 1 and result.missing_files == []
    assert hashlib.sha256(folder.database.read_bytes()).hexdigest() == local_before  # the local file as it was
    recorded = recorded_server(folder.root)
    assert recorded == without_password(server) and "mật khẩu" not in (folder.root / "database.json").read_text(
        encoding="utf-8")
    assert json.loads((folder.root / "database.json").read_text(encoding="utf-8"))["database"].startswith(
        "postgresql+psycopg://")


def make_engine_sqlite(path):
    from ntm_desktop.db import make_read_only_engine

    return make_read_only_engine(path)


@pytest.mark.sqlite_only  # moves an office's SQLite file onto its own server database
def test_move_refuses_a_database_that_holds_an_office(demo_workspace, server, tmp_path, capsys):
    folder = demo_workspace.folder
    demo_workspace.close()
    move_office(folder, server)
    before = _sql(server, "SELECT count(*) FROM directives")[0][0]
    _sql(server, "UPDATE directives SET subject = 'Sửa trên máy chủ' WHERE arrival_number = 1")
    code = main(["server", "move", "--database", server.render_as_string(hide_password=False),
                 "--data-dir", str(folder.root)])
    err = capsys.readouterr().err
    assert code == 2 and "đã có dữ liệu của một văn phòng" in err and "Không có gì được thay đổi" in err
    assert _sql(server, "SELECT count(*) FROM directives")[0][0] == before
    assert _sql(server, "SELECT count(*) FROM directives WHERE subject = 'Sửa trên máy chủ'")[0][0] >= 1
    assert recorded_server(folder.root) is None  # a refused move does not switch the folder to the server


@pytest.mark.sqlite_only  # moves an office's SQLite file onto its own server database
def test_move_from_the_command_line(demo_workspace, server, capsys):
    folder = demo_workspace.folder
    demo_workspace.close()
    assert main(["server", "move", "--database", server.render_as_string(hide_password=False),
                 "--data-dir", str(folder.root)]) == 0
    out = capsys.readouterr().out
    assert "số dòng từng bảng khớp" in out and "directives:" in out
    assert recorded_server(folder.root) == without_password(server)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


def test_connection_failure_messages(server):
    unreachable = probe(server.set(port=_closed_port()))
    assert unreachable.state is ServerState.UNREACHABLE
    assert "Không kết nối được máy chủ 127.0.0.1" in unreachable.message and "mạng" in unreachable.message
    no_db = probe(server.set(database="khong_co_csdl_nay"))
    assert no_db.state is ServerState.NO_DATABASE and "không có cơ sở dữ liệu “khong_co_csdl_nay”" in no_db.message
    nobody = probe(server.set(username="khong_co_nguoi_nay"))
    assert nobody.state is ServerState.UNKNOWN_USER and "khong_co_nguoi_nay" in nobody.message
    with pytest.raises(ServerError, match="Không kết nối được"):
        init_server(server.set(port=_closed_port()))


def test_wrong_password_is_told_apart(password_server):  # noqa: F811 - the fixture
    assert probe(password_server).state is ServerState.EMPTY
    wrong = probe(password_server.set(password="sai-mật-khẩu"))
    assert wrong.state is ServerState.WRONG_PASSWORD
    assert "mật khẩu của người dùng “ntm_office” không đúng" in wrong.message
    assert probe(password_server._replace(password=None)).state is ServerState.WRONG_PASSWORD


@pytest.mark.sqlite_only  # moves an office's SQLite file onto its own server database
@pytest.mark.parametrize("use_pg_dump", [True, False], ids=["pg_dump", "own-export"])
def test_backup_and_restore_round_trip(demo_workspace, server, tmp_path, use_pg_dump):
    if use_pg_dump:
        import shutil

        if not shutil.which("pg_dump") or not shutil.which("pg_restore"):
            pytest.skip("pg_dump/pg_restore are not on the PATH")
    directive_id, scan_bytes = _demo_with_scan(demo_workspace, tmp_path)
    folder = demo_workspace.folder
    demo_workspace.close()
    move_office(folder, server)
    engine = make_engine(server)
    try:
        with engine.connect() as conn:
            before = count_server(conn)
            subject = conn.execute(select(Directive.subject).where(Directive.id == directive_id)).scalar()
        made = backup_server(server, tmp_path / "backups", use_pg_dump=use_pg_dump)
        assert made.method == ("pg_dump" if use_pg_dump else "export") and made.path.is_file()
        # the office goes on: a directive changed, tasks and attachments' bytes lost
        with engine.begin() as conn:
            conn.execute(text("UPDATE directives SET subject = 'Đã sửa sau khi sao lưu' WHERE id = :i"),
                         {"i": directive_id})
            conn.execute(text("DELETE FROM task_cooperators"))
            conn.execute(text("DELETE FROM stored_files"))
        done = restore_server(server, made.path, backup_folder=tmp_path / "before-restore")
        assert done.safety_backup is not None and done.safety_backup.path.is_file()
        with engine.connect() as conn:
            assert count_server(conn) == before
            assert conn.execute(select(Directive.subject).where(Directive.id == directive_id)).scalar() == subject
            assert bytes(conn.execute(select(StoredFile.content)).scalar()) == scan_bytes
            top = conn.execute(text("SELECT max(id) FROM audit_log")).scalar()
            assert conn.execute(text("SELECT nextval(pg_get_serial_sequence('audit_log', 'id'))")).scalar() > top
    finally:
        engine.dispose()


def test_restore_refuses_a_file_that_is_not_a_server_backup(server, tmp_path):
    init_server(server)
    bogus = tmp_path / "ghi chú.ntmexport"
    bogus.write_text("không phải bản sao lưu", encoding="utf-8")
    with pytest.raises(ServerBackupError, match="không phải bản sao lưu máy chủ"):
        restore_server(server, bogus)


@pytest.mark.sqlite_only  # moves an office's SQLite file onto its own server database
def test_an_attachment_made_on_one_pc_opens_on_another(demo_workspace, server, tmp_path):
    from tests.core.server_db import open_server_pc

    folder = demo_workspace.folder
    demo_workspace.close()
    move_office(folder, server)
    pc_a, pc_b = open_server_pc(server), open_server_pc(server)
    files_a, files_b = tmp_path / "pc-a" / "files", tmp_path / "pc-b" / "files"
    scan = tmp_path / "Quyết định 88.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + "Quyết định phê duyệt".encode("utf-8") * 100)
    try:
        with pc_a.transaction() as session:
            directive_id = session.scalars(select(Directive.id)).first()
            attachment_id = attachments.attach(session, files_a, directive_id, scan)
        with pc_b.transaction() as session:
            copy = attachments.prepare_for_viewing(session, files_b, attachment_id, tmp_path / "pc-b" / "view")
        assert copy.read_bytes() == scan.read_bytes()
        with pc_b.transaction() as session:
            assert attachments.open_path(session, files_b, attachment_id).read_bytes() == scan.read_bytes()
    finally:
        pc_a.dispose()
        pc_b.dispose()


@pytest.mark.sqlite_only  # moves an office's SQLite file onto its own server database
@pytest.mark.parametrize("search", ["nong thon", "Nông thôn mới", '"dat chuan"', "ke hoach 2026", "OCOP"])
def test_the_register_search_finds_the_same_directives_on_the_server(demo_workspace, server, search):
    from ntm_desktop.services import register, settings
    from tests.core.server_db import open_server_pc

    with demo_workspace.db.transaction() as session:
        office = settings.office_unit_id(session)
        f = register.RegisterFilter(office_unit_id=office, search=search)
        here = [row.id for row in register.page(session, f, 0, 500)]
        total = register.count(session, f)
    assert total > 0 or search == "ke hoach 2026"  # the demo office has these directives
    folder = demo_workspace.folder
    demo_workspace.close()
    move_office(folder, server)
    pc = open_server_pc(server)
    try:
        with pc.transaction() as session:
            assert register.count(session, f) == total
            assert [row.id for row in register.page(session, f, 0, 500)] == here
    finally:
        pc.dispose()
