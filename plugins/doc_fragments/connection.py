# -*- coding: utf-8 -*-
# Copyright: alibabacloud.ecs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment(object):
    """The connection and credential options every module of this collection shares."""

    DOCUMENTATION = r"""
options:
  region:
    description:
      - The Alibaba Cloud region of the resources, for example V(cn-hangzhou).
      - If not set, the value of the E(ALIBABA_CLOUD_REGION_ID) environment variable is used, then E(ALICLOUD_REGION);
        the task fails when none of the three is set.
    type: str
    required: true
    aliases: [region_id, alicloud_region]
  access_key_id:
    description:
      - The AccessKey ID to sign requests with.
      - If not set, the value of the E(ALIBABA_CLOUD_ACCESS_KEY_ID) environment variable is used,
        then E(ALICLOUD_ACCESS_KEY).
      - When neither O(access_key_id) nor O(profile) is given, the SDK's default credential chain is used
        (environment variables, OIDC, the CLI profile file C(~/.aliyun/config.json), the credentials file,
        then the ECS instance RAM role).
    type: str
    aliases: [alicloud_access_key, access_key]
  access_key_secret:
    description:
      - The AccessKey secret that belongs to O(access_key_id).
      - If not set, the value of the E(ALIBABA_CLOUD_ACCESS_KEY_SECRET) environment variable is used,
        then E(ALICLOUD_SECRET_KEY).
    type: str
    aliases: [alicloud_secret_key, secret_key]
  security_token:
    description:
      - The STS security token, when O(access_key_id) and O(access_key_secret) are temporary (STS) credentials.
      - If not set, the value of the E(ALIBABA_CLOUD_SECURITY_TOKEN) environment variable is used,
        then E(ALICLOUD_SECURITY_TOKEN).
    type: str
  profile:
    description:
      - The name of a profile in the Alibaba Cloud CLI configuration file C(~/.aliyun/config.json) to take
        credentials from. A name that is not in that file fails the task, naming the file and the profiles in it.
      - If not set, the value of the E(ALIBABA_CLOUD_PROFILE) environment variable is used.
      - Ignored when O(access_key_id) is given.
    type: str
  endpoint:
    description:
      - The ECS API endpoint, for a private gateway or a local emulator.
      - Either a host name (HTTPS is used) or a URL; a URL that starts with C(http://) means plain HTTP.
      - If not set, the value of the E(ALIBABA_CLOUD_ECS_ENDPOINT) environment variable is used. Without either, the
        ECS SDK picks the endpoint of O(region) over HTTPS. Most regions use C(ecs.<region>.aliyuncs.com), for
        example C(ecs.cn-beijing.aliyuncs.com) for V(cn-beijing); a few use the SDK's own list, for example
        C(ecs-cn-hangzhou.aliyuncs.com) for V(cn-hangzhou) and C(ecs.aliyuncs.com) for V(cn-wuhan).
      - With C(http://) and a host that is not this machine (C(localhost), C(127.0.0.0/8) or C(::1), as written,
        without resolving names), the task warns that every request, the security token included, is sent
        unencrypted; C(https://) avoids it. The task still runs.
    type: str
requirements:
  - python >= 3.8
  - alibabacloud-ecs20140526 >= 7.11.8
  - alibabacloud-tea-openapi >= 0.4.6
  - darabonba-core >= 1.0.9
  - alibabacloud-credentials >= 1.0.12
notes:
  - Secrets given in O(access_key_secret) and O(security_token) are never logged or returned.
  - Throttling (C(Throttling*)), C(ServiceUnavailable), C(InternalError) and connection failures are retried with
    jittered exponential backoff for at most 10 attempts or 60 seconds of retrying per API call, whichever comes
    first (10 seconds for a connection that cannot be made); then the task fails naming the last error code.
  - An answer that is not the API's JSON (a proxy's HTML error page, an empty body) fails with the code
    C(HttpError<status>), for example C(HttpError502), or C(InvalidResponse) for a success status. A status of 500
    or more counts as an unknown outcome, like C(ServiceUnavailable).
  - On a local connection (a play on C(localhost), or a task delegated to C(localhost)), the collection's action plugin
    runs the task in the controller's own worker process instead of starting a module process, which saves the start of
    a Python process and the import of the SDK for every task and every loop item. This needs the SDK in the
    controller's Python at the versions of the collection's C(requirements.txt), and a task without C(become) or
    C(async). The options, check mode, diff, warnings, results and failures are the same either way; the task's
    C(environment) keyword is seen by the environment fallbacks as a module would see it.
  - Set the variable C(alibabacloud_ecs_controller_side) to V(false) (for example in the play's C(vars)) to run the
    module in a module process on the host, with the host's Python interpreter, as any module. A task delegated to
    another host always runs there, with that host's SDK and credentials.
"""
