"""Who may do what with candidates. Recruiters (and admins) manage them; hiring
managers read them; an interviewer reads only candidates assigned to them."""

from typing import Any

from hiring_platform.accounts.permissions import has_any_role, register
from hiring_platform.accounts.roles import Role, user_roles

_manage = has_any_role(Role.RECRUITER)
_read_all = has_any_role(Role.RECRUITER, Role.HIRING_MANAGER)


@register("candidates.view")
def can_view(user: Any, candidate: Any = None) -> bool:
    if _read_all(user, candidate):
        return True
    if Role.INTERVIEWER not in user_roles(user):
        return False
    if candidate is None:
        return True  # may enter; lists and lookups are narrowed to assigned candidates
    return candidate.interviewers.filter(pk=user.pk).exists()


register("candidates.create")(_manage)
register("candidates.change")(_manage)
register("candidates.change_stage")(_manage)
register("candidates.upload_resume")(_manage)
# Erasing personal data on request: whoever manages candidates (hiring managers only read).
register("candidates.erase")(_manage)
