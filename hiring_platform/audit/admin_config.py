"""Kept apart from apps.py and admin_site.py: INSTALLED_APPS imports this module
before the models are ready."""

from django.contrib.admin.apps import AdminConfig


class AuditedAdminConfig(AdminConfig):
    """The Django admin with a site that records every deletion in the audit log."""

    default_site = "hiring_platform.audit.admin_site.AuditedAdminSite"
