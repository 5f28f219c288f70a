"""A transaction held open across a test module, for content the module builds once and reads in every test.

Each test still runs in its own savepoint inside it (pytest-django's `db`), so what one test changes the next
does not see; the whole module's content is rolled back after its last test.
"""

import contextlib

from django.db import transaction


@contextlib.contextmanager
def rolled_back_after_module(django_db_blocker):
    atomic = transaction.atomic()
    with django_db_blocker.unblock():
        atomic.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
