"""Who may do what with plans and interviews. Recruiters build plans and schedule
interviews; everyone on the hiring team reads plans; an interview's kit is for its
interviewer, the recruiters and the hiring managers."""

from typing import Any

from hiring_platform.accounts.permissions import has_any_role, register
from hiring_platform.accounts.roles import Role, user_roles

_manage = has_any_role(Role.RECRUITER)
_read_all = has_any_role(Role.RECRUITER, Role.HIRING_MANAGER)

register("interviews.view_plans")(has_any_role(Role.RECRUITER, Role.HIRING_MANAGER, Role.INTERVIEWER))
register("interviews.manage_plans")(_manage)
register("interviews.schedule")(_manage)


@register("interviews.view_interview")
def can_view_interview(user: Any, interview: Any = None) -> bool:
    if _read_all(user, interview):
        return True
    if Role.INTERVIEWER not in user_roles(user):
        return False
    return interview is None or interview.interviewers.filter(pk=user.pk).exists()


@register("interviews.view_scorecard")
def can_view_scorecard(user: Any, scorecard: Any = None) -> bool:
    if scorecard is None:
        return bool({Role.RECRUITER, Role.HIRING_MANAGER, Role.INTERVIEWER, Role.ADMIN} & user_roles(user))
    from .scorecards import may_see_scorecard

    return may_see_scorecard(user, scorecard)


@register("interviews.fill_scorecard")
def can_fill_scorecard(user: Any, scorecard: Any = None) -> bool:
    if Role.INTERVIEWER not in user_roles(user):
        return False
    return scorecard is None or scorecard.interviewer_id == user.pk


register("interviews.reopen_scorecard")(_manage)
register("interviews.decide")(has_any_role(Role.HIRING_MANAGER))


@register("interviews.view_evaluation")
def can_view_evaluation(user: Any, candidate: Any = None) -> bool:
    """The combined scorecard: recruiters and hiring managers (interviewers read scorecards, not the verdict)."""
    return _read_all(user, candidate)
