# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Wrong, unknown, mismatched and missing credentials fail cleanly; no secret or token is ever printed.

Some scenarios run through ansible-playbook -vvvv (and one through ansible -vvvv), capturing stdout and stderr.
"""

import json
import os
import uuid

import harness
import pytest

STS_KEY = "STS.NTrel0001"


def _secret(kind):
    return "Rel%s-%s" % (kind, uuid.uuid4().hex)


def assert_not_shown(text, *secrets):
    """Neither a secret nor a long piece of it appears in the text."""
    for secret in secrets:
        for piece in (secret, secret[:16], secret[-16:]):
            assert piece not in text, "a secret (%s...) was printed:\n%s" % (secret[:6], text[-3000:])


def register_sts(scenario, secret, token):
    scenario.control.set_credentials(
        access_keys={scenario.emulator.access_key_id: scenario.emulator.access_key_secret},
        sts={STS_KEY: {"secret": secret, "token": token}},
    )


def write_playbook(scenario, options, module="alibabacloud.ecs.ecs_eni_ipv6"):
    """A playbook (JSON is YAML) that runs one task on localhost and shows its registered result."""
    play = dict(
        hosts="localhost",
        gather_facts=False,
        connection="local",
        vars=dict(ansible_python_interpreter=harness.PYTHON),
        tasks=[
            {"name": "the task under test", module: options, "register": "result", "ignore_errors": True},
            {"name": "show what was registered", "ansible.builtin.debug": {"var": "result"}},
        ],
    )
    path = os.path.join(scenario.workdir, "playbook.yml")
    with open(path, "w") as stream:
        json.dump([play], stream)
    return path


def run_playbook(scenario, options, env=None):
    path = write_playbook(scenario, options)
    rc, output, seconds = scenario.command(
        [os.path.join(harness.BIN_DIR, "ansible-playbook"), "-i", "localhost,", path, "-vvvv"], env=env
    )
    assert rc == 0, output[-4000:]
    return harness.playbook_run(options, rc, output, seconds)


def _module_or_playbook(scenario, through, options, connection, env=None):
    if through == "playbook":
        return run_playbook(scenario, dict(connection, **options), env=env)
    return scenario.run(options, connection=connection, env=env)


@pytest.mark.duration(5)
@pytest.mark.parametrize("through", ["module", "playbook"])
def test_wrong_secret(scenario, through):
    scenario.seed()
    secret = _secret("Secret")
    connection = scenario.connection(access_key_secret=secret)

    run = _module_or_playbook(scenario, through, harness.RELEASE, connection)

    scenario.judge(
        "credentials: wrong secret (%s)" % ("ansible-playbook -vvvv" if through == "playbook" else "module"),
        run,
        expect="fail",
        extra_faults=1,
    )
    run.assert_clean_failure("SignatureDoesNotMatch", "access_key_secret")
    assert_not_shown(run.stdout + run.stderr, secret)
    assert harness.write_log(scenario.control.calls()) == []


@pytest.mark.duration(2)
def test_unknown_key(scenario):
    scenario.seed()
    secret = _secret("Secret")

    run = scenario.run(
        harness.RELEASE, connection=scenario.connection(access_key_id="LTAI5tNoSuchKey", access_key_secret=secret)
    )

    scenario.judge("credentials: unknown key id", run, expect="fail", extra_faults=1)
    run.assert_clean_failure("InvalidAccessKeyId.NotFound", "access_key_id")
    assert_not_shown(run.stdout + run.stderr, secret)


@pytest.mark.duration(5)
@pytest.mark.parametrize("through", ["module", "playbook"])
def test_sts_token_of_another_key(scenario, through):
    scenario.seed()
    secret, token = _secret("StsSecret"), _secret("StsToken")
    register_sts(scenario, secret, token)
    wrong = _secret("OtherToken")
    connection = scenario.connection(access_key_id=STS_KEY, access_key_secret=secret, security_token=wrong)

    run = _module_or_playbook(scenario, through, harness.ASSIGN, connection)

    scenario.judge(
        "credentials: mismatched STS token (%s)" % ("ansible-playbook -vvvv" if through == "playbook" else "module"),
        run,
        expect="fail",
        extra_faults=1,
    )
    run.assert_clean_failure("InvalidSecurityToken.MismatchWithAccessKey", "security_token")
    assert_not_shown(run.stdout + run.stderr, secret, token, wrong)


@pytest.mark.duration(2)
def test_sts_key_without_its_token(scenario):
    scenario.seed()
    secret, token = _secret("StsSecret"), _secret("StsToken")
    register_sts(scenario, secret, token)

    run = scenario.run(harness.ASSIGN, connection=scenario.connection(access_key_id=STS_KEY, access_key_secret=secret))

    scenario.judge("credentials: STS key without its token", run, expect="fail", extra_faults=1)
    # The message names the code and the option to set.
    run.assert_clean_failure("MissingSecurityToken", "security_token")
    assert run.code == "MissingSecurityToken"
    assert_not_shown(run.stdout + run.stderr, secret, token)


@pytest.mark.duration(5)
@pytest.mark.parametrize("through", ["module", "playbook"])
def test_sts_credentials_that_work_are_not_shown_either(scenario, through):
    """Success at -vvvv: the diff, the invocation and the result show neither the secret nor the token."""
    scenario.seed()
    secret, token = _secret("StsSecret"), _secret("StsToken")
    register_sts(scenario, secret, token)
    connection = scenario.connection(access_key_id=STS_KEY, access_key_secret=secret, security_token=token)

    run = _module_or_playbook(scenario, through, harness.PURGE, connection)

    scenario.judge(
        "credentials: STS key and token (%s)" % ("ansible-playbook -vvvv" if through == "playbook" else "module"),
        run,
        changed=True,
    )
    assert_not_shown(run.stdout + run.stderr, secret, token)
    assert set(call["access_key_id"] for call in scenario.control.calls()) == {STS_KEY}


@pytest.mark.duration(5)
@pytest.mark.parametrize("through", ["module", "playbook"])
def test_no_credentials_at_all(scenario, through):
    """No keys, no profile, no credentials file, no metadata service: a clean failure before any call."""
    scenario.seed()
    connection = dict(region=harness.REGION, endpoint="http://" + scenario.emulator.endpoint)

    run = _module_or_playbook(scenario, through, harness.RELEASE, connection)

    scenario.judge(
        "credentials: none at all (%s)" % ("ansible-playbook -vvvv" if through == "playbook" else "module"),
        run,
        expect="fail",
        extra_faults=1,
    )
    run.assert_clean_failure("CredentialsNotFound", "access_key_id")
    assert scenario.control.calls() == []


@pytest.mark.duration(5)
@pytest.mark.parametrize("through", ["module", "playbook"])
def test_credentials_from_the_environment(scenario, through):
    """Keys from ALIBABA_CLOUD_ACCESS_KEY_* are used, and masked like the options."""
    scenario.seed()
    secret = _secret("EnvSecret")
    scenario.control.set_credentials(access_keys={"LTAI5tEnvKey": secret})
    env = scenario.env(extra=dict(ALIBABA_CLOUD_ACCESS_KEY_ID="LTAI5tEnvKey", ALIBABA_CLOUD_ACCESS_KEY_SECRET=secret))
    connection = dict(region=harness.REGION, endpoint="http://" + scenario.emulator.endpoint)

    run = _module_or_playbook(scenario, through, harness.RELEASE, connection, env=env)

    scenario.judge(
        "credentials: from the environment (%s)" % ("ansible-playbook -vvvv" if through == "playbook" else "module"),
        run,
        changed=True,
    )
    assert_not_shown(run.stdout + run.stderr, secret)


def _credentials_file(scenario, text):
    path = os.path.join(scenario.workdir, "credentials.ini")
    with open(path, "w") as stream:
        stream.write(text)
    return scenario.env(extra=dict(ALIBABA_CLOUD_CREDENTIALS_FILE=path))


@pytest.mark.duration(2)
def test_wrong_secret_in_the_credentials_file(scenario):
    """The SDK's default chain reads a credentials file: its wrong secret fails cleanly and is not shown."""
    scenario.seed()
    secret = _secret("FileSecret")
    env = _credentials_file(
        scenario,
        "[default]\ntype = access_key\naccess_key_id = %s\naccess_key_secret = %s\n"
        % (scenario.emulator.access_key_id, secret),
    )
    connection = dict(region=harness.REGION, endpoint="http://" + scenario.emulator.endpoint)

    run = scenario.run(harness.RELEASE, connection=connection, env=env)

    scenario.judge("credentials: wrong secret in the credentials file", run, expect="fail", extra_faults=1)
    run.assert_clean_failure("SignatureDoesNotMatch")
    assert_not_shown(run.stdout + run.stderr, secret)


@pytest.mark.duration(5)
@pytest.mark.parametrize("through", ["module", "playbook"])
def test_malformed_credentials_file_is_not_quoted(scenario, through):
    """A credentials file the SDK cannot parse: its parser quotes the bad line, which holds the secret."""
    scenario.seed()
    secret = _secret("FileSecret")
    env = _credentials_file(
        scenario, "[default]\ntype = access_key\naccess_key_id = LTAI5tFileKey\naccess_key_secret %s\n" % secret
    )
    connection = dict(region=harness.REGION, endpoint="http://" + scenario.emulator.endpoint)

    run = _module_or_playbook(scenario, through, harness.RELEASE, connection, env=env)

    scenario.judge(
        "credentials: malformed credentials file (%s)"
        % ("ansible-playbook -vvvv" if through == "playbook" else "module"),
        run,
        expect="fail",
        extra_faults=1,
    )
    run.assert_clean_failure("CredentialsNotFound")
    assert_not_shown(run.stdout + run.stderr, secret)
    assert scenario.control.calls() == []


@pytest.mark.duration(5)
def test_ad_hoc_command_at_full_verbosity(scenario):
    """ansible localhost -m ... -vvvv with the keys in the module arguments: masked in every line."""
    scenario.seed()
    secret, token = _secret("StsSecret"), _secret("StsToken")
    register_sts(scenario, secret, token)
    options = dict(
        scenario.connection(access_key_id=STS_KEY, access_key_secret=secret, security_token=token), **harness.RELEASE
    )
    command = [
        os.path.join(harness.BIN_DIR, "ansible"),
        "localhost",
        "-i",
        "localhost,",
        "-c",
        "local",
        "-e",
        "ansible_python_interpreter=%s" % harness.PYTHON,
        "-m",
        "alibabacloud.ecs.ecs_eni_ipv6",
        "-a",
        json.dumps(options),
        "-vvvv",
    ]

    rc, output, seconds = scenario.command(command)

    run = harness.playbook_run(options, rc, output, seconds)
    scenario.judge("credentials: STS key and token (ansible -vvvv)", run, changed=True)
    assert_not_shown(output, secret, token)
