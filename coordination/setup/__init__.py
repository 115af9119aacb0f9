"""Registering a program and setting it up in the browser: `forms.py` and `views.py` (the
URLs are in `coordination/urls.py`, templates in `templates/coordination/setup/`). The rules
are the models' and `services/programs.py`'s; who may do it is `permissions.py`'s."""
