from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hiring_platform.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"
