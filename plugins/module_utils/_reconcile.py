# -*- coding: utf-8 -*-
# Copyright: alibabacloud.ecs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The engine of ecs_eni_ipv6: from the goal of a task to the ENI holding it, and the task's result.

Reconciler.run() reads the ENI, plans per kind of item (what to release, what to assign, how many to have ECS
choose), writes in batches, and reads until ECS lists what it did. ECS reads are eventually consistent: right after
a write, both Describe calls may still show the ENI as it was. So a refusal that says the goal already holds
(InvalidIp.IpUnassigned on release, InvalidIp.IpAssigned for an address this ENI holds) is believed over a read
that disagrees; after an answer that leaves the outcome unknown (a lost answer, a 5xx, an Assign answer that lists
fewer items than asked) the ENI is read again and only what is still to do is sent again. An item counts as this
task's work only if this task may have changed it. Bounds holds every limit of these loops.

Private to the alibabacloud.ecs collection: not a public API, may change without notice.
"""

import hashlib
import random
import time
import uuid
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Tuple

from ansible_collections.alibabacloud.ecs.plugins.module_utils._eni import (
    TRANSITIONAL_STATES,
    Eni,
    check_instance_id,
    check_network_interface_id,
    list_eni,
    listed_enis,
    primary_eni_of,
    read_eni,
)
from ansible_collections.alibabacloud.ecs.plugins.module_utils._errors import STATE_CODES, CollectionError, EcsApiError
from ansible_collections.alibabacloud.ecs.plugins.module_utils._kinds import (
    ADDRESS,
    KINDS,
    InputError,
    ItemKind,
    canonical_list,
)

RELEASE_REFUSED_AS_DONE = "InvalidIp.IpUnassigned"
ASSIGN_REFUSED_AS_DONE = "InvalidIp.IpAssigned"


@dataclass(frozen=True)
class KindGoal:
    """What a task wants of one kind of item: these items (canonical), at least `count` in all, and no others if
    purge."""

    items: Tuple[str, ...] = ()
    count: int = 0
    purge: bool = False


@dataclass(frozen=True)
class Goal:
    """What a task wants of one ENI: `state` present or absent, and a KindGoal per ItemKind.

    The ENI is named by network_interface_id, or else is the primary ENI of instance_id.
    """

    network_interface_id: Optional[str]
    instance_id: Optional[str]
    state: str
    per_kind: Dict[ItemKind, KindGoal]

    @classmethod
    def from_params(cls, params):
        """The goal of ecs_eni_ipv6's options; InputError naming the option and value if they make no sense."""
        if params.get("instance_id") is not None:
            check_instance_id(params["instance_id"])
        elif params["network_interface_id"] is not None:
            check_network_interface_id(params["network_interface_id"])
        else:
            raise InputError("one of network_interface_id and instance_id is required; both are null.")
        if params["wait_timeout"] < 0:
            raise InputError("wait_timeout must be 0 or more seconds, not %d." % params["wait_timeout"])
        absent = params["state"] == "absent"
        per_kind = {}
        for kind in KINDS:
            items, count, purge = params[kind.option], params[kind.count_option], params[kind.purge_option]
            if absent and (count is not None or purge):
                raise InputError(
                    "%s is only used with state 'present'; with state 'absent' list what to release in %s."
                    % (kind.count_option if count is not None else kind.purge_option, kind.option)
                )
            if count is not None and not 1 <= count <= kind.max_count:
                raise InputError("%s must be between 1 and %d, not %d." % (kind.count_option, kind.max_count, count))
            if purge and items is None and count is None:
                raise InputError(
                    "%s needs %s (the ones to keep; [] releases all) or %s."
                    % (kind.purge_option, kind.option, kind.count_option)
                )
            per_kind[kind] = KindGoal(tuple(canonical_list(items, kind.canonical, kind.option)), count or 0, purge)

        if absent and not any(goal.items for goal in per_kind.values()):
            raise InputError(
                "state 'absent' needs at least one %s; got %s."
                % (
                    " or ".join("%s in %s" % (kind.noun, kind.option) for kind in KINDS),
                    ", ".join("%s=%r" % (kind.option, params[kind.option]) for kind in KINDS),
                )
            )
        given = [option for kind in KINDS for option in (kind.option, kind.count_option)]
        if not absent and all(params[option] is None for option in given):
            raise InputError("state 'present' needs at least one of %s." % ", ".join(given))
        return cls(params["network_interface_id"], params.get("instance_id"), params["state"], per_kind)


@dataclass(frozen=True)
class KindPlan:
    """The changes to one kind of item: release these, assign these, and have ECS choose this many more."""

    release: Tuple[str, ...] = ()
    assign: Tuple[str, ...] = ()
    ecs_chooses: int = 0

    @property
    def has_work(self):
        return bool(self.release or self.assign or self.ecs_chooses)


def plan_kind(state, on_eni, goal):
    """The KindPlan that brings the items on the ENI (a list) to the KindGoal."""
    if state == "absent":
        return KindPlan(release=tuple(item for item in goal.items if item in on_eni))
    release = ()
    if goal.purge:
        others = [item for item in on_eni if item not in goal.items]
        room = max(0, goal.count - len(goal.items))
        release = tuple(others[room:])
    assign = tuple(item for item in goal.items if item not in on_eni)
    return KindPlan(release, assign, max(0, goal.count - (len(on_eni) - len(release) + len(assign))))


def plan(goal, eni):
    """The KindPlan of each kind, against what this read of the ENI shows."""
    return dict((kind, plan_kind(goal.state, eni.items(kind), kind_goal)) for kind, kind_goal in goal.per_kind.items())


def has_work(changes):
    return any(change.has_work for change in changes.values())


@dataclass
class Bounds:
    """Every bound of the engine's loops, and the pauses between their rounds.

    One deadline (wait_timeout) covers every wait of a task; pauses start at poll_first seconds and grow by half up
    to poll_max. A send whose outcome stays unknown goes again at most max_resends times, after a jittered pause.
    """

    wait: bool
    wait_timeout: float
    # Read, write and confirming read: more than one pass only when a stale first read hid something to change.
    max_passes: int = 3
    max_resends: int = 5
    poll_first: float = 1.0
    poll_max: float = 5.0
    resend_delay_base: float = 0.25
    resend_delay_max: float = 8.0
    sleep: Optional[Callable[[float], None]] = None
    clock: Optional[Callable[[], float]] = None
    rng: Callable[[], float] = random.random

    def __post_init__(self):
        self.sleep = self.sleep or time.sleep
        self.clock = self.clock or time.monotonic
        self.deadline = self.clock() + self.wait_timeout
        self.interval = self.poll_first
        # Every pause but the last sleeps at least poll_first, so this only matters if the clock stands still.
        self.pauses_left = int(self.wait_timeout / self.poll_first) + 2

    def pause(self, code, what):
        """Sleep before the next look, or raise when waiting is off (code) or the deadline has passed (WaitTimeout)."""
        if not self.wait:
            raise EcsApiError(code, "%s (not waiting: wait is false)." % what)
        left = self.deadline - self.clock()
        self.pauses_left -= 1
        if left <= 0 or self.pauses_left < 0:
            raise CollectionError(
                "WaitTimeout",
                "%s, still after waiting %s seconds (wait_timeout)." % (what.rstrip("."), self.wait_timeout),
            )
        self.sleep(min(self.interval, left))
        self.interval = min(self.interval * 1.5, self.poll_max)

    def pause_before_resend(self, resends):
        """Sleep a jittered, growing delay before sending again a call whose outcome is unknown."""
        self.sleep(self.rng() * min(self.resend_delay_max, self.resend_delay_base * 2 ** (resends + 1)))


def wait_until_ready(client, eni, bounds):
    """Return the ENI once it is Available or InUse, reading it again as long as it is in transition."""
    while not eni.is_ready:
        state = "ENI %s is %s" % (eni.network_interface_id, eni.status)
        if eni.status not in TRANSITIONAL_STATES:
            raise EcsApiError(
                "InvalidOperation.InvalidEniState",
                "%s; its IPv6 addresses can only change while it is Available or InUse." % state,
            )
        bounds.pause("InvalidOperation.InvalidEniState", state)
        eni = read_eni(client, eni.network_interface_id)
    return eni


@dataclass
class KindWork:
    """What a task did to one kind of item, and what it learnt that others did; RFC 5952 forms."""

    on_eni: List[str]
    released_by_task: List[str] = field(default_factory=list)
    assigned_by_task: List[str] = field(default_factory=list)
    chosen_by_ecs: List[str] = field(default_factory=list)
    # Items others moved where this task wants them: the confirming read waits until ECS lists them there too.
    released_by_others: List[str] = field(default_factory=list)
    assigned_by_others: List[str] = field(default_factory=list)

    @property
    def changed(self):
        return bool(self.released_by_task or self.assigned_by_task or self.chosen_by_ecs)

    def note(self, items, on_eni, by_task):
        """Record items now on the ENI (on_eni) or off it, as this task's work or as someone else's."""
        if by_task:
            work = self.assigned_by_task if on_eni else self.released_by_task
            work.extend(item for item in items if item not in work)
        else:
            (self.assigned_by_others if on_eni else self.released_by_others).extend(items)
        if on_eni:
            self.on_eni.extend(item for item in items if item not in self.on_eni)
        else:
            self.on_eni = [item for item in self.on_eni if item not in items]

    def note_chosen(self, items):
        self.chosen_by_ecs.extend(items)
        self.on_eni.extend(items)

    def not_shown_by(self, on_eni):
        """The changes this task knows of that a read showing these items does not show yet."""
        return [item for item in self.released_by_task + self.released_by_others if item in on_eni] + [
            item for item in self.assigned_by_task + self.chosen_by_ecs + self.assigned_by_others if item not in on_eni
        ]


def _client_token(*parts):
    return "ansible-" + hashlib.sha256(":".join(str(part) for part in parts).encode("utf-8")).hexdigest()[:48]


class EniWriter:
    """Assigns and releases one ENI's items in calls of at most kind.per_call, and keeps the KindWork of each kind.

    The work is kept also when a later call fails, so that a failed task reports what it changed.
    """

    def __init__(self, client, eni, bounds):
        self.client = client
        self.network_interface_id = eni.network_interface_id
        self.bounds = bounds
        self.work = dict((kind, KindWork(on_eni=eni.items(kind))) for kind in KINDS)
        self.primary_ipv6_address = eni.primary_ipv6_address
        # Assign calls carry a ClientToken so that ECS applies a retried call once. The token is unique to this run
        # (and to the call's intent): a token of an earlier run would make ECS answer that run's old result.
        self.run_id = uuid.uuid4().hex

    @property
    def changed(self):
        return any(work.changed for work in self.work.values())

    @property
    def knows_of_changes(self):
        """Whether this task changed anything, or learnt from a refusal what a lagging read may not show yet."""
        return any(work.changed or work.released_by_others or work.assigned_by_others for work in self.work.values())

    def release(self, kind, items):
        """Release these items, which the ENI held at the last read; return those this task released."""

        def send(group):
            self.client.unassign_ipv6(self.network_interface_id, **{kind.items_keyword: group})

        released = self.work[kind].released_by_task
        already = len(released)
        for batch in kind.batches(items):
            self._send_until_settled(kind, batch, send, RELEASE_REFUSED_AS_DONE, on_eni=False)
        return released[already:]

    def assign(self, kind, items):
        """Assign these items, which the ENI did not hold at the last read; return those this task assigned."""

        def send(group):
            token = _client_token(self.run_id, self.network_interface_id, kind.option, *group)
            self.client.assign_ipv6(self.network_interface_id, client_token=token, **{kind.items_keyword: group})

        assigned = self.work[kind].assigned_by_task
        already = len(assigned)
        for batch in kind.batches(items):
            self._send_until_settled(kind, batch, send, ASSIGN_REFUSED_AS_DONE, on_eni=True)
        return assigned[already:]

    def _send_until_settled(self, kind, batch, send, refused_as_done, on_eni):
        """Send one batch until every item is where it should be (on the ENI if on_eni, else off it)."""
        work = self.work[kind]
        groups = [list(batch)]
        maybe_by_task = set()
        resends = 0
        while groups:
            group = groups[0]
            try:
                send(group)
            except EcsApiError as err:
                if err.ambiguous:
                    maybe_by_task.update(group)
                if err.code == refused_as_done and len(group) == 1:
                    # ECS says the item is already where the task wants it, whatever a lagging read shows: the goal
                    # holds (for an assign, once ECS lists this ENI, not another, holding it).
                    if on_eni:
                        self._wait_until_held_here(kind, group, err)
                    elif group[0] == self.primary_ipv6_address:
                        self._wait_until_primary_gone(kind, group[0], err)
                    work.note(group, on_eni, by_task=group[0] in maybe_by_task)
                    groups.pop(0)
                    continue
                try:
                    resends = self._before_resend(err, refused_as_done, resends)
                except EcsApiError as final:
                    raise self._naming_the_primary(final, group)
                fresh = read_eni(self.client, self.network_interface_id).items(kind)
                settled = [item for item in group if (item in fresh) == on_eni]
                work.note([item for item in settled if item in maybe_by_task], on_eni, by_task=True)
                work.note([item for item in settled if item not in maybe_by_task], on_eni, by_task=False)
                rest = [item for item in group if item not in settled]
                if rest and err.retries_exhausted:
                    # The call was retried up to its bound already: sending it again would multiply that bound.
                    raise
                if err.code == refused_as_done and not settled:
                    # The read does not say which item ECS objects to: send them one by one.
                    groups[0:1] = [[item] for item in rest]
                else:
                    groups[0:1] = [rest] if rest else []
            else:
                work.note(group, on_eni, by_task=True)
                groups.pop(0)

    def _wait_until_held_here(self, kind, items, err):
        """After InvalidIp.IpAssigned: return once ECS lists this ENI holding these items, however long reads lag.

        Raise the refusal, naming the ENI, as soon as ECS lists another ENI holding one of them; raise it at once
        when waiting is off, and WaitTimeout when ECS lists neither in time.
        """
        while True:
            if kind.describe_filter_keyword:
                listed = listed_enis(self.client.describe_network_interfaces(**{kind.describe_filter_keyword: items}))
                holders = [eni.network_interface_id for eni in listed]
                others = [eni_id for eni_id in holders if eni_id != self.network_interface_id]
                if others:
                    raise EcsApiError(
                        err.code,
                        "%s (held by %s)" % (err.message.rstrip("."), ", ".join(others)),
                        request_id=err.request_id,
                        http_status=err.http_status,
                        action=err.action,
                    )
                here = [eni for eni in listed if eni.network_interface_id == self.network_interface_id]
            else:
                here = [read_eni(self.client, self.network_interface_id)]
            if here and all(item in here[0].items(kind) for item in items):
                return
            self.bounds.pause(err.code, err.message)

    def _wait_until_primary_gone(self, kind, address, err):
        """After InvalidIp.IpUnassigned for the ENI's primary IPv6 address: return once ECS no longer lists it.

        A read may lag behind someone else's release, or ECS may refuse to release a primary IPv6 address with this
        code (it does for a primary IPv4 address): only later reads tell which.
        """
        while address in read_eni(self.client, self.network_interface_id).items(kind):
            self.bounds.pause(
                err.code,
                "ECS answered %s for %s, yet still lists it as the ENI's primary IPv6 address: ECS may not release "
                "a primary IPv6 address" % (err.code, address),
            )

    def _naming_the_primary(self, err, group):
        """The error, naming the ENI's primary IPv6 address when the refused call would have released it."""
        if self.primary_ipv6_address not in group:
            return err
        return EcsApiError(
            err.code,
            "%s (%s is the ENI's primary IPv6 address)" % (err.message.rstrip("."), self.primary_ipv6_address),
            request_id=err.request_id,
            http_status=err.http_status,
            action=err.action,
        )

    def assign_count(self, kind, count):
        """Have ECS choose and assign this many more items; return the ones it chose."""
        work = self.work[kind]
        chosen = work.chosen_by_ecs
        already = len(chosen)
        count += already
        resends = 0
        while len(chosen) < count:
            wanted = min(kind.per_call, count - len(chosen))
            token = _client_token(self.run_id, self.network_interface_id, kind.option, "count", wanted, len(chosen))
            try:
                answer = self.client.assign_ipv6(
                    self.network_interface_id, client_token=token, **{kind.count_keyword: wanted}
                )
            except EcsApiError as err:
                resends = self._before_resend(err, None, resends)
                fresh = read_eni(self.client, self.network_interface_id).items(kind)
                if err.ambiguous:
                    work.note_chosen([item for item in fresh if item not in work.on_eni][:wanted])
                if err.retries_exhausted and len(chosen) < count:
                    raise
                continue
            listed = [item for item in kind.in_assign_answer(answer) if item not in work.on_eni]
            work.note_chosen(listed[:wanted])
            if len(listed) < wanted:
                # A short answer leaves it unknown whether the rest landed: look, and give up after a few rounds.
                short = CollectionError(
                    "IncompleteAnswer",
                    "AssignIpv6Addresses was asked for %d and its answer listed %d." % (wanted, len(listed)),
                    request_id=answer.get("RequestId"),
                    action="AssignIpv6Addresses",
                )
                resends = self._before_resend(short, "IncompleteAnswer", resends)
                fresh = read_eni(self.client, self.network_interface_id).items(kind)
                work.note_chosen([item for item in fresh if item not in work.on_eni][: wanted - len(listed)])
        return chosen[already:]

    def confirm(self):
        """Read the ENI until ECS lists every change this task knows of, within the wait deadline; return that Eni.

        With no lag this is one read. Reads through DescribeNetworkInterfaces, the call list views (and
        ecs_eni_ipv6_info) use, so that what the task reports is what a next task sees.
        """
        while True:
            eni = list_eni(self.client, self.network_interface_id)
            if eni is None:
                lagging = [self.network_interface_id]
            else:
                lagging = [item for kind, work in self.work.items() for item in work.not_shown_by(eni.items(kind))]
            if not lagging:
                return eni
            self.bounds.pause("WaitTimeout", "ECS does not show the change of %s yet" % ", ".join(lagging))

    def _before_resend(self, err, refused_as_done, resends):
        """Wait or back off after an error that allows another try (returning the new resend count); else raise."""
        if err.code in STATE_CODES:
            if not self.bounds.wait:
                raise err
            self.bounds.pause(err.code, err.message)
            return resends
        if not (err.ambiguous or err.code == refused_as_done):
            raise err
        if resends >= self.bounds.max_resends:
            raise err
        self.bounds.pause_before_resend(resends)
        return resends + 1


@dataclass
class Outcome:
    """What a task read, planned and did; result() renders it as the module's result, in every case."""

    network_interface_id: str
    before: Optional[Eni] = None
    # Check mode: the plan, and nothing written.
    predicted: Optional[Dict[ItemKind, KindPlan]] = None
    writer: Optional[EniWriter] = None
    # The last confirming read, when there was one.
    shown: Optional[Eni] = None
    error: Optional[EcsApiError] = None

    @property
    def changed(self):
        if self.predicted is not None:
            return has_work(self.predicted)
        return bool(self.writer and self.writer.changed)

    def result(self, diff):
        """The module's result: what changed (or would), the ENI's items after, and the diff when asked for."""
        result = dict(changed=self.changed, network_interface_id=self.network_interface_id)
        placeholders = dict((kind, []) for kind in KINDS)
        if self.predicted is not None:
            for kind, change in self.predicted.items():
                result[kind.option] = [item for item in self.before.items(kind) if item not in change.release] + list(
                    change.assign
                )
                result[kind.released_key] = list(change.release)
                result[kind.assigned_key] = list(change.assign)
                result[kind.assigned_count_key] = change.ecs_chooses
                placeholders[kind] = [
                    "<new %s %d of %d, chosen by ECS>" % (kind.noun, number, change.ecs_chooses)
                    for number in range(1, change.ecs_chooses + 1)
                ]
        elif self.writer is not None:
            for kind, work in self.writer.work.items():
                result[kind.option] = self.shown.items(kind) if self.shown else list(work.on_eni)
                result[kind.released_key] = list(work.released_by_task)
                result[kind.assigned_key] = work.assigned_by_task + work.chosen_by_ecs
                result[kind.assigned_count_key] = len(work.chosen_by_ecs)
        if self.before is not None:
            primary = (self.shown or self.before).primary_ipv6_address
            result["primary_ipv6_address"] = primary if primary in result.get(ADDRESS.option, [primary]) else None
        if diff and self.error is None and self.before is not None:
            result["diff"] = dict(
                before=dict((kind.option, self.before.items(kind)) for kind in KINDS),
                after=dict((kind.option, result[kind.option] + placeholders[kind]) for kind in KINDS),
            )
        return result


class Reconciler:
    """Brings one ENI to a Goal: read, plan, write in batches, confirm; at most bounds.max_passes times."""

    def __init__(self, client, bounds):
        self.client = client
        self.bounds = bounds

    def run(self, goal, check_mode=False):
        """Return the Outcome; an ECS failure is in its error, with what the task did up to then."""
        outcome = Outcome(goal.network_interface_id)
        try:
            if goal.instance_id:
                eni = primary_eni_of(self.client, goal.instance_id, self.client.region)
                outcome.network_interface_id = eni.network_interface_id
            else:
                eni = read_eni(self.client, goal.network_interface_id)
            outcome.before = eni
            changes = plan(goal, eni)
            if check_mode:
                outcome.predicted = changes
                return outcome
            if has_work(changes) and not eni.is_ready:
                eni = wait_until_ready(self.client, eni, self.bounds)
                changes = plan(goal, eni)
            outcome.writer = writer = EniWriter(self.client, eni, self.bounds)
            for dummy in range(self.bounds.max_passes):
                if not has_work(changes):
                    break
                for kind, change in changes.items():
                    # Release first: it frees quota for what is assigned next.
                    writer.release(kind, change.release)
                    writer.assign(kind, change.assign)
                    writer.assign_count(kind, change.ecs_chooses)
                if not (self.bounds.wait and writer.knows_of_changes):
                    break
                outcome.shown = writer.confirm()
                changes = plan(goal, outcome.shown)
        except EcsApiError as err:
            outcome.error = err
        return outcome
