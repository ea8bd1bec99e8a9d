"""Local emulator of the Alibaba Cloud ECS OpenAPI (IPv6 on ENIs), for tests and benchmarks.

Standard library only. Run it with ``python -m ecs_emulator`` (PYTHONPATH=tests/emulator) or in-process with
``ecs_emulator.start_emulator()``; see README.md beside this package.
"""

from .control import EmulatorControl, EmulatorControlError, EmulatorHandle, start_emulator
from .server import EmulatorServer
from .store import DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, DEFAULT_IPV6_CIDR, DEFAULT_REGION, EmulatorState

__all__ = [
    "DEFAULT_ACCESS_KEY_ID",
    "DEFAULT_ACCESS_KEY_SECRET",
    "DEFAULT_IPV6_CIDR",
    "DEFAULT_REGION",
    "EmulatorControl",
    "EmulatorControlError",
    "EmulatorHandle",
    "EmulatorServer",
    "EmulatorState",
    "start_emulator",
]
