"""Error types of the ECS emulator and the ECS error messages it reuses."""

MSG_MISSING_PARAMETER = 'The input parameter "{0}" that is mandatory for processing this request is not supplied.'
MSG_ENI_NOT_FOUND = 'The specified EniId "{0}" is not found.'
MSG_ENI_STATE = (
    'The operation is not allowed in the current ENI state. Expecting status is "{0}" while current status is "{1}".'
)
MSG_ECS_STATE = (
    'The operation is not allowed in the current ECS state. Expecting status is "{0}" while current status is "{1}".'
)
MSG_IP_REPEATED = 'The specified ipAddress "{0}" is(are) repeated.'
MSG_IP_UNASSIGNED = 'The specified ipAddress "{0}" is(are) not assigned on the network interface.'
MSG_PRIMARY_IPV6_REFUSED = 'The specified ipAddress "{0}" is the primary IPv6 address of the network interface.'
MSG_IP_ASSIGNED = 'The specified ipAddress "{0}" is(are) already assigned.'
MSG_ACTION_NOT_FOUND = "Specified api is not found, please check your url and method."


class ApiError(Exception):
    """An ECS API error answer: HTTP status, error code, message and optional extra response headers."""

    def __init__(self, status, code, message, headers=None):
        super().__init__("%s %s: %s" % (status, code, message))
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})


class SeedError(ValueError):
    """A seed, mutation, fault, schedule or credentials document sent to the control API is invalid."""


def missing_parameter(name):
    """Return the 400 MissingParameter error for a mandatory parameter."""
    return ApiError(400, "MissingParameter", MSG_MISSING_PARAMETER.format(name))


def invalid_parameter(name, detail=None):
    """Return a 400 InvalidParameter error naming the parameter, with an optional explanation."""
    message = 'The specified parameter "%s" is not valid.' % name
    if detail:
        message = "%s %s" % (message, detail)
    return ApiError(400, "InvalidParameter", message)
