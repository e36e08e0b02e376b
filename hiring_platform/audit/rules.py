from hiring_platform.accounts.permissions import has_any_role, register
from hiring_platform.accounts.roles import Role

# The audit log names everyone's actions: for the people accountable for the
# process (hiring managers) and admins (who always pass), not for every recruiter.
register("audit.view")(has_any_role(Role.HIRING_MANAGER))
