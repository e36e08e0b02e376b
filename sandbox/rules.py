"""Who may watch sandbox jobs: recruiters and hiring managers (and admins).
Candidates watch their own submissions through the take-home page."""

from hiring_platform.accounts.permissions import has_any_role, register
from hiring_platform.accounts.roles import Role

register("sandbox.view_job")(has_any_role(Role.RECRUITER, Role.HIRING_MANAGER))
