"""Take-home task data, versioned: a run records the exact data version it used."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TaskDataset(models.Model):
    """One version of a task's data (knowledge base, public and hidden questions).

    The files live under MEDIA_ROOT/taskdata/<name>/<version>/; the hidden
    questions sit in a `hidden/` folder that only the grading worker reads.
    """

    name = models.SlugField(max_length=80)
    version = models.CharField(max_length=32)  # content hash of the three files
    kb_count = models.PositiveIntegerField()
    public_count = models.PositiveIntegerField()
    hidden_count = models.PositiveIntegerField()
    folder = models.CharField(max_length=300)  # relative to MEDIA_ROOT
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["name", "version"], name="task_dataset_unique_version")]

    def __str__(self) -> str:
        return f"{self.name}@{self.version}"
