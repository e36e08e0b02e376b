"""Writes of the take-home domain, one module per concept; import from here."""

from ..datafiles import (
    HIDDEN_FILE,
    task_dataset_folder,
    task_dataset_hidden_questions,
    task_dataset_public_folder,
    task_dataset_public_questions,
)
from .assignments import (
    assignment_extend,
    assignment_issue,
    assignment_new_link,
    assignment_revoke,
    assignment_start,
)
from .datasets import task_dataset_load
from .grading import grading_run_score, submission_prepare, submission_regrade, takehome_sweep
from .reviews import review_submit
from .similarity_flags import submission_compare
from .static_checks import static_tests_sweep, submission_tests_done, submission_tests_start
from .submissions import submission_upload
from .task_templates import task_create, task_data_replace, task_update

__all__ = [
    "HIDDEN_FILE",
    "assignment_extend",
    "assignment_issue",
    "assignment_new_link",
    "assignment_revoke",
    "assignment_start",
    "grading_run_score",
    "review_submit",
    "static_tests_sweep",
    "submission_compare",
    "submission_prepare",
    "submission_regrade",
    "submission_tests_done",
    "submission_tests_start",
    "submission_upload",
    "takehome_sweep",
    "task_create",
    "task_data_replace",
    "task_dataset_folder",
    "task_dataset_hidden_questions",
    "task_dataset_load",
    "task_dataset_public_folder",
    "task_dataset_public_questions",
    "task_update",
]
