from hiring_platform.accounts.permissions import has_any_role, register
from hiring_platform.accounts.roles import Role

# Any signed-in user holding a role sees the home page (its content depends on the role).
register("web.home")(has_any_role(Role.RECRUITER, Role.INTERVIEWER, Role.HIRING_MANAGER))
# The pipeline with everyone's evaluation figures: for the people who run and decide it.
register("web.export")(has_any_role(Role.RECRUITER, Role.HIRING_MANAGER))
# /metrics is for the monitoring system (a token or this machine, see hiring_platform/metrics/views.py);
# of the signed-in people, only admins may read it too.
register("web.metrics")(has_any_role())
# Charts compare candidates and interviewers with each other: not for interviewers.
register("web.charts")(has_any_role(Role.RECRUITER, Role.HIRING_MANAGER))
