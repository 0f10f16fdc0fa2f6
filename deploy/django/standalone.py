"""Django configured in-process, with no project: enough to render verto_peer's templates from
the command line (render_page.py, render_directory.py) and in the tests."""
import os
import sys

import django
from django.conf import settings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def setup(static_url="/static/", **extra):
    settings.configure(
        DEBUG=False,
        INSTALLED_APPS=["django.contrib.staticfiles", "verto_peer"],
        TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}],
        STATIC_URL=static_url,
        USE_TZ=True,
        **extra
    )
    django.setup()


def read_json(path):
    """A JSON file, or stdin for "-"."""
    import json

    if path == "-":
        return json.load(sys.stdin)
    with open(path, encoding="utf-8") as f:
        return json.load(f)
