"""Helpers for tests of any app that start background jobs."""

from django_tasks_db.management.commands.db_worker import Worker


def run_worker() -> None:
    """The real `manage.py db_worker` loop in batch mode: run every queued task, then return.

    The worker closes "old" connections between tasks, which a test wrapped in a transaction
    cannot survive: use it in `django_db(transaction=True, serialized_rollback=True)` tests."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()
