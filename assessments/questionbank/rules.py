"""Who may do what with the question bank: everyone with a role reads it
(interviewers need rubrics); recruiters (and admins) write and import."""

from hiring_platform.accounts.permissions import has_any_role, register
from hiring_platform.accounts.roles import Role

register("questionbank.view")(has_any_role(Role.RECRUITER, Role.INTERVIEWER, Role.HIRING_MANAGER))
register("questionbank.change")(has_any_role(Role.RECRUITER))
register("questionbank.import")(has_any_role(Role.RECRUITER))
