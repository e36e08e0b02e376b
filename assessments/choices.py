"""Vocabulary shared by the hiring apps: the roles hired for and seniority levels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRole(models.TextChoices):
    ML_LLM_ENGINEER = "ml-llm-engineer", _("ML/LLM engineer")
    MLOPS = "mlops", _("MLOps engineer")
    DATA_ENGINEER_AI = "data-engineer-ai", _("Data engineer for AI")
    AI_PRODUCT_MANAGER = "ai-product-manager", _("AI product manager")


class Level(models.TextChoices):
    JUNIOR = "junior", _("Junior")
    MIDDLE = "middle", _("Middle")
    SENIOR = "senior", _("Senior")
