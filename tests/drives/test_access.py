"""Who may do which step of a drive: the access policy's table and its levels."""

from __future__ import annotations

import pytest

from jamsostek.accounts.policy import SYSTEM, Action, Level, for_user
from jamsostek.core.errors import Forbidden, NotFound
from jamsostek.core.places import Place
from tests.conftest import Personas

STEPS = (Action.PREPARE_DRIVES, Action.APPROVE_DRIVES, Action.ENROL_DRIVES, Action.PLAN_DRIVES)


def test_each_role_takes_the_steps_the_policy_gives_it(personas: Personas) -> None:
    def steps(user: object) -> set[str]:
        return {str(action) for action in STEPS if for_user(user).may(action)}

    everything = {str(action) for action in STEPS}
    assert steps(personas.admin) == everything
    assert steps(personas.bpjs) == everything
    assert steps(personas.ketapang) == everything
    assert steps(personas.analyst) == {"plan_drives"}
    assert steps(personas.agency) == {"prepare_drives"}
    assert steps(None) == set()


def test_a_user_acts_at_the_level_of_their_reach(personas: Personas) -> None:
    assert for_user(personas.bpjs).level == Level.PROVINCE
    assert for_user(personas.ketapang).level == Level.REGENCY
    assert for_user(personas.agency).level == Level.EMPLOYER


def test_a_step_is_refused_outside_the_reach_or_at_another_level(personas: Personas) -> None:
    ketapang = Place(region="61.04")
    policy = for_user(personas.ketapang)
    policy.require_step(Action.APPROVE_DRIVES, place=ketapang, levels=["regency"])
    with pytest.raises(Forbidden):
        policy.require_step(Action.APPROVE_DRIVES, place=ketapang, levels=["province"])
    with pytest.raises(NotFound):
        for_user(personas.sambas).require_step(Action.APPROVE_DRIVES, place=ketapang, levels=["regency"])
    with pytest.raises(Forbidden):
        for_user(personas.analyst).require_step(Action.APPROVE_DRIVES, place=ketapang, levels=["province"])
    SYSTEM.require_step(Action.APPROVE_DRIVES, place=ketapang, levels=["employer"])  # the system takes any step
