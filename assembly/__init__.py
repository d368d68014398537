"""Assemblée: the project package (settings, urls, Celery app) and what every app needs."""

from .celery import app as celery_app

__all__ = ("celery_app",)
