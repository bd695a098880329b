"""`zal institutions create` and `zal tokens create|list|revoke` on a real SQLite file."""

import asyncio
import sqlite3
from datetime import UTC, datetime

import pytest

from server.cli import main
from server.settings import Settings
from server.storage import tokens as tokens_repo
from server.storage.engine import create_engine


def zal(capsys, data_dir, *argv) -> tuple[int, str, str]:
    code = main([*argv, "--data-dir", str(data_dir)])
    out, err = capsys.readouterr()
    return code, out, err


def active_token(data_dir, secret: str) -> dict | None:
    async def find():
        engine = create_engine(Settings(data_dir=data_dir).db_url)
        try:
            return await tokens_repo.find_active(engine, secret, datetime.now(UTC))
        finally:
            await engine.dispose()

    return asyncio.run(find())


def test_institution_and_tokens_lifecycle(tmp_path, capsys):
    data = tmp_path / "data"
    code, out, _ = zal(
        capsys, data, "institutions", "create", "Kazan Opera House", "--kind", "theatre"
    )
    assert code == 0 and out == "kazan-opera-house\n"
    code, _, err = zal(capsys, data, "institutions", "create", "Kazan Opera House")
    assert code == 1 and "exists" in err

    code, secret, err = zal(
        capsys,
        data,
        "tokens",
        "create",
        "--institution",
        "kazan-opera-house",
        "--role",
        "editor",
        "--expires",
        "30d",
        "--label",
        "programme desk",
    )
    secret = secret.strip()
    assert code == 0 and secret.startswith("zal_") and len(secret) > 40
    token_id = err.split()[1]
    row = active_token(data, secret)
    assert row is not None and row["id"] == token_id and row["role"] == "editor"
    assert 29 <= (row["expires_at"] - datetime.now(UTC)).days <= 30

    code, admin, _ = zal(capsys, data, "tokens", "create", "--role", "admin")
    assert code == 0 and active_token(data, admin.strip())["institution_id"] is None

    code, listing, _ = zal(capsys, data, "tokens", "list")
    assert code == 0 and token_id in listing and "programme desk" in listing
    assert secret not in listing and admin.strip() not in listing

    assert zal(capsys, data, "tokens", "revoke", token_id)[0] == 0
    assert active_token(data, secret) is None
    code, listing, _ = zal(capsys, data, "tokens", "list", "--institution", "kazan-opera-house")
    assert "revoked" in listing and listing.count("tok_") == 1
    assert zal(capsys, data, "tokens", "revoke", "tok_000000000000")[0] == 1

    with sqlite3.connect(data / "zal.sqlite3") as conn:
        dump = "\n".join(conn.iterdump())
    assert secret not in dump and admin.strip() not in dump


def test_tokens_create_refuses_what_makes_no_sense(tmp_path, capsys):
    data = tmp_path / "data"
    assert zal(capsys, data, "tokens", "create", "--role", "editor")[0] == 2
    assert zal(capsys, data, "tokens", "create", "--role", "host", "--institution", "nope")[0] == 1
    code, _, err = zal(capsys, data, "institutions", "create", "Казанская опера")
    assert code == 2 and "--id" in err
    with pytest.raises(SystemExit) as refused:
        main(["tokens", "create", "--role", "admin", "--expires", "soon", "--data-dir", str(data)])
    assert refused.value.code == 2
