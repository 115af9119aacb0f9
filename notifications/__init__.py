"""In-app notifications and their emails, and reminders (see services.py and reminders.py).

`from notifications import notify` is the entry point for the apps above."""


def notify(*args, **kwargs):
    """`notifications.services.notify` (imported on call: this package is imported before the
    app registry is ready)."""
    from .services import notify as _notify

    return _notify(*args, **kwargs)
