"""Uploaded files and their rows: the sweep of orphans (issue 16 point 4).

Files go with their row as it changes: django-cleanup deletes a FileField's old file when the
row is saved with another one or deleted (cascades of an account deletion included), after the
transaction commits, so a rollback keeps the file. What that misses (a crash between commit and
delete, a file written by a request that then failed, files from before the library) is swept
here by a beat task: a file under MEDIA_ROOT that no row's FileField names, older than a grace
period so that an upload still in flight (file written, row not yet committed) is left alone.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from datetime import timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models

logger = logging.getLogger(__name__)


def media_referenced_names() -> set[str]:
    """Every file name a row's FileField (or ImageField) holds, across all models."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.FileField):
                continue
            values = (
                model._base_manager.exclude(**{f"{field.attname}__isnull": True})
                .exclude(**{field.attname: ""})
                .values_list(field.attname, flat=True)
            )
            names.update(values.iterator())
    return names


def media_orphans_sweep(*, grace: timedelta | None = None) -> list[str]:
    """Delete files under MEDIA_ROOT that no row names and that are older than `grace`, and
    the empty folders left behind; returns the removed files' names (relative to MEDIA_ROOT)."""
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    if grace is None:
        grace = timedelta(hours=settings.MEDIA_SWEEP_GRACE_HOURS)
    cutoff = time.time() - grace.total_seconds()
    # Read the rows first: a file that shows up after this is younger than the grace period.
    referenced = media_referenced_names()
    # Folder times before this sweep touches them: a folder made for an upload in flight stays.
    folder_times = {Path(d): Path(d).lstat().st_mtime for d, _, _ in os.walk(root)}
    removed: list[str] = []
    for dirpath, _dirnames, filenames in os.walk(root, topdown=False):
        folder = Path(dirpath)
        for filename in filenames:
            path = folder / filename
            name = path.relative_to(root).as_posix()
            try:
                if name in referenced or path.lstat().st_mtime > cutoff:
                    continue
                path.unlink()
            except FileNotFoundError:
                continue
            removed.append(name)
        if folder != root and folder_times.get(folder, time.time()) <= cutoff:
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when empty
    if removed:
        logger.info("media sweep removed %d orphaned file(s)", len(removed))
    return sorted(removed)
