from typing import Any

from django.http import HttpRequest

from .roles import Role, user_roles


def roles(request: HttpRequest) -> dict[str, Any]:
    """Expose the user's roles to templates for role-based navigation."""
    held = user_roles(request.user)
    return {
        "user_roles": {role.value for role in held},
        "Role": Role,
    }
