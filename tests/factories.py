"""factory_boy factories. Users get their role through `role=`."""

from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from assessments.candidates.models import Candidate, Stage
from assessments.choices import JobRole, Level
from hiring_platform.accounts.roles import Role

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")

    @factory.post_generation
    def role(self, create: bool, extracted: Role | None, **kwargs: Any) -> None:
        self.set_password(PASSWORD)
        if extracted is Role.ADMIN:
            self.is_staff = self.is_superuser = True
        self.save()
        if extracted is not None and extracted is not Role.ADMIN:
            self.groups.add(Group.objects.get_or_create(name=extracted.value)[0])


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate
        skip_postgeneration_save = True

    full_name = factory.Sequence(lambda n: f"Candidate {n}")
    email = factory.Sequence(lambda n: f"candidate{n}@example.com")
    role = JobRole.ML_LLM_ENGINEER
    level = Level.MIDDLE
    stage = Stage.APPLIED
    owner = factory.SubFactory(UserFactory, role=Role.RECRUITER)

    @factory.post_generation
    def interviewers(self, create: bool, extracted: list[Any] | None, **kwargs: Any) -> None:
        if create and extracted:
            self.interviewers.set(extracted)
