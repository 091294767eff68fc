"""Racing real transactions against each other (PostgreSQL tests, `@pytest.mark.postgres`)."""

import threading

from django.db import connection


def run_together(*targets) -> list:
    """Run each target in its own thread, released together by a barrier, each on its own
    database connection; return what each returned or raised (in finishing order)."""
    barrier = threading.Barrier(len(targets))
    results: list = []
    lock = threading.Lock()

    def worker(target):
        try:
            barrier.wait()
            outcome = target()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the tests assert on
            outcome = exc
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=worker, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def run_twice(target) -> list:
    """A double submit: ``target`` twice at once."""
    return run_together(target, target)
