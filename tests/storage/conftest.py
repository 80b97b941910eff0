"""The storage tests write resident files the way the resident tests do."""

from tests.residents.conftest import write_csv  # noqa: F401 - a fixture shared with tests/residents
