"""Helpers for tests of any app: background jobs, model instances compared whole."""

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


def fill_the_disk(monkeypatch, *, written: int = 1000) -> None:
    """Every FileSystemStorage write from now on stores its first `written` bytes (0: an empty
    file), then fails as a full disk does (ENOSPC): the real storage class, only its last step
    replaced."""
    import errno
    import os
    from pathlib import Path

    from django.core.files.storage import FileSystemStorage

    def _save(self, name, content):
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.read(written) if written else b"")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(FileSystemStorage, "_save", _save)


def stored_files(root) -> list:
    """Every file under `root` (MEDIA_ROOT in tests), as relative POSIX paths."""
    from pathlib import Path

    root = Path(root)
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def instance_snapshot(instance) -> tuple | None:
    """Everything a model instance carries: its fields' values with their types (a Decimal is
    not a float, a date not a string), annotations, deferred fields, `_state` and the
    `select_related` objects cached in it, recursively."""
    if instance is None:
        return None
    state = instance._state
    return (
        type(instance),
        {name: (type(value), value) for name, value in vars(instance).items() if name != "_state"},
        state.db,
        state.adding,
        instance.get_deferred_fields(),
        {name: instance_snapshot(related) for name, related in state.fields_cache.items()},
    )
