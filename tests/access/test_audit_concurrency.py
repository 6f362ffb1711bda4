"""Concurrent writers queue on the chain head instead of forking the chain."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from joinedup.access.audit import audit_record, audit_verify
from joinedup.governance.models import AuditEvent


@pytest.mark.django_db(transaction=True)
def test_parallel_appends_keep_one_chain() -> None:
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(10):
                audit_record(actor=None, action="test.append", detail={"writer": n, "i": i})
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert AuditEvent.objects.count() == 40
    result = audit_verify()
    assert result.ok, result.problem
