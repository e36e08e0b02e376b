"""Who may do what with take-homes. Recruiters issue and manage them; hiring
managers read every result; an interviewer reads and reviews the take-homes of
candidates assigned to them. Candidates have no account: their page is reached
by the assignment's secret link only (candidate_views.py)."""

from typing import Any

from hiring_platform.accounts.permissions import has_any_role, register
from hiring_platform.accounts.roles import Role, user_roles

_manage = has_any_role(Role.RECRUITER)
_read_all = has_any_role(Role.RECRUITER, Role.HIRING_MANAGER)


def _assigned(user: Any, assignment: Any) -> bool:
    return Role.INTERVIEWER in user_roles(user) and assignment.candidate.interviewers.filter(pk=user.pk).exists()


@register("takehome.view")
def can_view(user: Any, assignment: Any = None) -> bool:
    """`assignment`: an Assignment, or None to enter (lists are narrowed the same way)."""
    if _read_all(user, assignment):
        return True
    if assignment is None:
        return Role.INTERVIEWER in user_roles(user)
    return _assigned(user, assignment)


@register("takehome.review")
def can_review(user: Any, assignment: Any = None) -> bool:
    if _manage(user, assignment):
        return True
    if assignment is None:
        return Role.INTERVIEWER in user_roles(user)
    return _assigned(user, assignment)


register("takehome.view_tasks")(_read_all)  # task pages compare all candidates of a task
register("takehome.manage")(_manage)
