"""Who may do what with screenings. Recruiters run and decide them; hiring
managers read them; interviewers read the screenings of candidates assigned
to them (the same reach as the candidate page)."""

from typing import Any

from hiring_platform.accounts.permissions import can, has_any_role, register
from hiring_platform.accounts.roles import Role

_manage = has_any_role(Role.RECRUITER)


@register("screening.view")
def can_view(user: Any, screening: Any = None) -> bool:
    """`screening`: a Screening, or None to enter."""
    return can(user, "candidates.view", screening.candidate if screening is not None else None)


register("screening.manage")(_manage)  # run, review flags, decide
register("screening.edit_checklists")(_manage)
register("screening.view_checklists")(has_any_role(Role.RECRUITER, Role.HIRING_MANAGER, Role.INTERVIEWER))
