"""Two back-ends and two front-ends on one MariaDB, as the load balancer runs them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import markupsafe
import pytest

from tests.support import Service
from tests.web.helpers import csrf_token

from .conftest import record_figure, start_api, start_web
from .helpers import new_name, new_phone
from .mariadb import PrivateMariaDB


@dataclass
class Replica:
    hostname: str
    api: Service
    web: Service


@pytest.fixture
def replicas(
    reliability_logs: Path, private_mariadb: PrivateMariaDB, app_database: str
) -> Iterator[list[Replica]]:
    started: list[Service] = []
    replicas = []
    try:
        for hostname in ("replica-a.internal", "replica-b.internal"):
            api = start_api(reliability_logs, private_mariadb, app_database)
            started.append(api)
            web = start_web(reliability_logs, api, NODE_HOSTNAME=hostname)
            started.append(web)
            replicas.append(Replica(hostname, api, web))
        yield replicas
    finally:
        for service in reversed(started):
            service.stop()


def page_rows(page: str, name: str, phone: str) -> bool:
    return (
        str(markupsafe.escape(name)) in page and str(markupsafe.escape(phone)) in page
    )


def test_write_through_one_replica_reads_through_other(
    replicas: list[Replica],
) -> None:
    first, second = replicas
    name, phone = new_name("Replica"), new_phone()
    with (
        httpx.Client(base_url=first.web.url, timeout=10) as web_a,
        httpx.Client(base_url=second.web.url, timeout=10) as web_b,
        httpx.Client(base_url=first.api.url, timeout=10) as api_a,
        httpx.Client(base_url=second.api.url, timeout=10) as api_b,
    ):
        for client, replica in ((web_a, first), (web_b, second)):
            page = client.get("/")
            assert page.status_code == 200
            assert f'data-testid="node-hostname">{replica.hostname}<' in page.text
        assert first.hostname not in web_b.get("/").text
        assert second.hostname not in web_a.get("/").text

        # Fill both back-ends' list caches before the writes.
        assert api_a.get("/user/list").status_code == 200
        assert api_b.get("/user/list").status_code == 200

        token = csrf_token(web_a)
        added = web_a.post(
            "/entries/add", data={"csrf_token": token, "name": name, "phone": phone}
        )
        assert added.status_code == 303
        assert page_rows(web_b.get("/", params={"q": name}).text, name, phone)
        listed = [row for row in api_b.get("/user/list").json() if row["name"] == name]
        assert len(listed) == 1
        user_id = listed[0]["user_id"]

        new = new_name("Renamed")
        edited = api_b.post("/user/edit", json={"user_id": user_id, "name": new})
        assert edited.status_code == 200
        assert {"user_id": user_id, "name": new, "phone": phone} in api_a.get(
            "/user/list"
        ).json()
        assert page_rows(web_a.get("/", params={"q": new}).text, new, phone)

        token = csrf_token(web_b)
        deleted = web_b.post(
            "/entries/delete",
            data={"csrf_token": token, "user_id": user_id, "name": new},
        )
        assert deleted.status_code == 303
        assert all(row["user_id"] != user_id for row in api_a.get("/user/list").json())
        after_delete = web_a.get("/", params={"q": new}).text
        assert 'data-testid="empty-state"' in after_delete
        assert 'data-testid="entry-row"' not in after_delete

    record_figure(
        "replicas",
        "2 api + 2 web on one MariaDB: add, edit and delete each read back "
        "through the other replica",
    )
