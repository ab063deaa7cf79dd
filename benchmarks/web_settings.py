"""Settings for benchmarks/web.py: the project's own, plus a bare view to compare against."""

from vigilance.settings import *  # noqa: F403

ROOT_URLCONF = "web_urls"
