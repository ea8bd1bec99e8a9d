# -*- coding: utf-8 -*-
# Copyright: alibabacloud.ecs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Retries with jittered exponential backoff, within a bound on attempts and on time.

Private to the alibabacloud.ecs collection: not a public API, may change without notice.
"""

import random
import time

from ansible_collections.alibabacloud.ecs.plugins.module_utils._errors import EcsApiError

MAX_ATTEMPTS = 10
MAX_RETRY_SECONDS = 60.0
BASE_DELAY = 0.25
MAX_DELAY = 8.0
# A refused or unresolvable connection rarely heals within a task: stop retrying it sooner.
CONNECTION_RETRY_SECONDS = 10.0


class RetryPolicy(object):
    """Run API calls again after errors that allow it, sleeping a jittered, growing delay between attempts.

    Errors that ECS raised without applying the request (throttling, conflicts, refused connections) are
    retried for any call; errors that leave it unknown whether a request was applied (5xx, lost answers)
    only for idempotent calls. Writes get those back at once, so that the caller re-reads before deciding.
    A connection that cannot be made is retried for at most connection_seconds, other errors for max_seconds.
    """

    def __init__(
        self,
        max_attempts=MAX_ATTEMPTS,
        max_seconds=MAX_RETRY_SECONDS,
        sleep=time.sleep,
        clock=time.monotonic,
        rng=random.random,
        connection_seconds=CONNECTION_RETRY_SECONDS,
    ):
        self.max_attempts = max_attempts
        self.max_seconds = max_seconds
        self.connection_seconds = connection_seconds
        self.sleep = sleep
        self.clock = clock
        self.rng = rng

    def delay(self, attempt, retry_after=None):
        """Seconds to wait before attempt number C(attempt + 1): the server's wish, or full jitter."""
        if retry_after:
            return min(retry_after, MAX_DELAY * 2)
        return self.rng() * min(MAX_DELAY, BASE_DELAY * 2**attempt)

    def run(self, call, idempotent):
        """Return C(call()), retrying it as this policy allows; raise the last EcsApiError when it gives up."""
        started = self.clock()
        attempt = 0
        while True:
            attempt += 1
            try:
                return call()
            except EcsApiError as err:
                err.attempts = attempt
                if not (err.retry_safe or (idempotent and err.ambiguous)):
                    raise
                wait = self.delay(attempt, err.retry_after)
                bound = self.max_seconds
                if err.code == "ConnectionFailed":
                    bound = min(bound, self.connection_seconds)
                if attempt >= self.max_attempts or self.clock() - started + wait > bound:
                    err.retries_exhausted = True
                    raise
                self.sleep(wait)
