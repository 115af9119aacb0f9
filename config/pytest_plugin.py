"""A pytest plugin loaded before Django reads its settings (pytest.ini: `-p config.pytest_plugin`;
a root conftest.py is read too late, after pytest-django has imported the settings).

The tests run with DEBUG off, as production does, so they need a SECRET_KEY (config.settings
refuses to start without one); and they run on the settings' defaults, not on a developer's
`.env` (which may turn DEBUG on for `manage.py runserver`). Either may still be given in the
environment."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789-abcdefgh")
os.environ.setdefault("HOPLUC_ENV_FILE", os.devnull)
