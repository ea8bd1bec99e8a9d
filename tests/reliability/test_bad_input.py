# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad task options: every set fails cleanly, names the option, and makes no API call at all."""

import harness
import pytest

ENI = harness.ENI
GOOD = harness.addr(1)
PREFIX = harness.prefix(1)
INFO = "ecs_eni_ipv6_info"


def _absent(**options):
    return dict(dict(network_interface_id=ENI, state="absent"), **options)


def _present(**options):
    return dict(dict(network_interface_id=ENI), **options)


# (id, module, task options, words the failure message must hold)
CASES = [
    # Addresses that are not plain IPv6 addresses.
    ("word", None, _absent(ipv6_addresses=["not-an-address"]), ["ipv6_addresses", "not-an-address"]),
    ("ipv4", None, _absent(ipv6_addresses=["10.0.0.1"]), ["ipv6_addresses", "IPv4"]),
    ("ipv4 in present", None, _present(ipv6_addresses=[GOOD, "192.168.1.1"]), ["ipv6_addresses"]),
    ("cidr", None, _absent(ipv6_addresses=["2408:4005:3a0:a100::5/64"]), ["ipv6_addresses", "prefix length"]),
    ("host route", None, _present(ipv6_addresses=["2408:4005:3a0:a100::5/128"]), ["ipv6_addresses"]),
    ("zone index", None, _absent(ipv6_addresses=["fe80::1%eth0"]), ["ipv6_addresses", "zone index"]),
    ("loopback", None, _absent(ipv6_addresses=["::1"]), ["ipv6_addresses", "special-use"]),
    ("link-local", None, _present(ipv6_addresses=["fe80::1"]), ["ipv6_addresses", "special-use"]),
    ("multicast", None, _absent(ipv6_addresses=["ff02::1"]), ["ipv6_addresses", "special-use"]),
    ("ipv4-mapped", None, _absent(ipv6_addresses=["::ffff:192.0.2.1"]), ["ipv6_addresses", "special-use"]),
    ("numeric zone", None, _present(ipv6_addresses=[GOOD + "%25"]), ["ipv6_addresses"]),
    ("empty string", None, _absent(ipv6_addresses=[""]), ["ipv6_addresses"]),
    ("leading blank", None, _absent(ipv6_addresses=[" " + GOOD]), ["ipv6_addresses"]),
    ("trailing blank", None, _present(ipv6_addresses=[GOOD + " "]), ["ipv6_addresses"]),
    ("trailing newline", None, _absent(ipv6_addresses=[GOOD + "\n"]), ["ipv6_addresses"]),
    ("nine groups", None, _absent(ipv6_addresses=["2408:4005:3a0:a100:0:0:0:0:5"]), ["ipv6_addresses"]),
    ("non-hex digit", None, _absent(ipv6_addresses=["2408:4005:3a0:a100::g"]), ["ipv6_addresses"]),
    ("double ::", None, _absent(ipv6_addresses=["2408::5::6"]), ["ipv6_addresses"]),
    ("fullwidth digits", None, _absent(ipv6_addresses=["\uff12\uff14\uff10\uff18::5"]), ["ipv6_addresses"]),
    ("arabic-indic digit", None, _present(ipv6_addresses=["2408:4005:3a0:a100::\u0665"]), ["ipv6_addresses"]),
    ("emoji", None, _absent(ipv6_addresses=["\U0001f4a5"]), ["ipv6_addresses"]),
    ("rtl and nul", None, _absent(ipv6_addresses=["\u202e2408::5\x00"]), ["ipv6_addresses"]),
    ("huge address-like", None, _absent(ipv6_addresses=["2408:" * 20000]), ["ipv6_addresses"]),
    ("huge word", None, _present(ipv6_addresses=["x" * 100000]), ["ipv6_addresses"]),
    ("int element", None, _absent(ipv6_addresses=[12345]), ["ipv6_addresses", "12345"]),
    ("null element", None, _absent(ipv6_addresses=[None]), ["ipv6_addresses"]),
    ("nested list", None, _absent(ipv6_addresses=[[GOOD]]), ["ipv6_addresses"]),
    ("dict element", None, _present(ipv6_addresses=[{"address": GOOD}]), ["ipv6_addresses"]),
    ("dict instead of list", None, _absent(ipv6_addresses={"address": GOOD}), ["ipv6_addresses"]),
    ("comma string with ipv4", None, _absent(ipv6_addresses=GOOD + ",10.0.0.1"), ["ipv6_addresses", "10.0.0.1"]),
    # Prefixes.
    ("prefix without length", None, _absent(ipv6_prefixes=["2408:4005:3a0:a1ff:1::"]), ["ipv6_prefixes"]),
    ("prefix host bits", None, _present(ipv6_prefixes=["2408:4005:3a0:a1ff:1::1/80"]), ["ipv6_prefixes"]),
    ("prefix /129", None, _absent(ipv6_prefixes=["2408:4005:3a0:a1ff:1::/129"]), ["ipv6_prefixes"]),
    ("prefix /-1", None, _absent(ipv6_prefixes=["2408:4005:3a0:a1ff:1::/-1"]), ["ipv6_prefixes"]),
    ("ipv4 cidr as prefix", None, _present(ipv6_prefixes=["10.0.0.0/8"]), ["ipv6_prefixes"]),
    (
        "fullwidth prefix length",
        None,
        _absent(ipv6_prefixes=["2408:4005:3a0:a1ff:1::/\uff18\uff10"]),
        ["ipv6_prefixes"],
    ),
    ("prefix with zone", None, _absent(ipv6_prefixes=["2408:4005:3a0:a1ff:1::%eth0/80"]), ["ipv6_prefixes"]),
    ("bare length", None, _absent(ipv6_prefixes=["/80"]), ["ipv6_prefixes"]),
    ("prefix int", None, _present(ipv6_prefixes=[80]), ["ipv6_prefixes"]),
    # Counts and timeouts.
    ("count 0", None, _present(ipv6_address_count=0), ["ipv6_address_count"]),
    ("count -1", None, _present(ipv6_address_count=-1), ["ipv6_address_count"]),
    ("count 51", None, _present(ipv6_address_count=51), ["ipv6_address_count"]),
    ("count 10**20", None, _present(ipv6_address_count=10**20), ["ipv6_address_count"]),
    ("count word", None, _present(ipv6_address_count="many"), ["ipv6_address_count"]),
    ("count float", None, _present(ipv6_address_count=2.5), ["ipv6_address_count"]),
    ("prefix count -3", None, _present(ipv6_prefix_count=-3), ["ipv6_prefix_count"]),
    ("prefix count 0", None, _present(ipv6_prefix_count=0), ["ipv6_prefix_count"]),
    ("wait_timeout -1", None, _absent(ipv6_addresses=[GOOD], wait_timeout=-1), ["wait_timeout"]),
    ("wait_timeout '-30'", None, _absent(ipv6_addresses=[GOOD], wait_timeout="-30"), ["wait_timeout"]),
    ("wait_timeout word", None, _absent(ipv6_addresses=[GOOD], wait_timeout="soon"), ["wait_timeout"]),
    ("wait_timeout float", None, _absent(ipv6_addresses=[GOOD], wait_timeout=1.5), ["wait_timeout"]),
    ("wait word", None, _absent(ipv6_addresses=[GOOD], wait="perhaps"), ["wait"]),
    # States and combinations.
    ("state Present", None, _present(state="Present", ipv6_addresses=[GOOD]), ["state"]),
    ("state empty", None, _present(state="", ipv6_addresses=[GOOD]), ["state"]),
    ("state list", None, _present(state=["absent"], ipv6_addresses=[GOOD]), ["state"]),
    ("state deleted", None, _present(state="deleted", ipv6_addresses=[GOOD]), ["state"]),
    ("absent with count", None, _absent(ipv6_addresses=[GOOD], ipv6_address_count=2), ["ipv6_address_count"]),
    ("absent with purge", None, _absent(ipv6_addresses=[GOOD], purge_ipv6_addresses=True), ["purge_ipv6_addresses"]),
    ("absent with prefix count", None, _absent(ipv6_prefix_count=1), ["ipv6_prefix_count"]),
    ("absent with nothing", None, _absent(), ["ipv6_addresses", "ipv6_prefixes"]),
    ("absent with empty lists", None, _absent(ipv6_addresses=[], ipv6_prefixes=[]), ["ipv6_addresses"]),
    ("present with nothing", None, _present(), ["ipv6_addresses", "ipv6_address_count"]),
    ("purge without list", None, _present(purge_ipv6_addresses=True), ["purge_ipv6_addresses"]),
    (
        "purge prefixes without list",
        None,
        _present(ipv6_addresses=[GOOD], purge_ipv6_prefixes=True),
        ["purge_ipv6_prefixes"],
    ),
    ("purge word", None, _present(ipv6_addresses=[GOOD], purge_ipv6_prefixes="yes please"), ["purge_ipv6_prefixes"]),
    # ENI ids.
    ("empty id", None, _absent(network_interface_id="", ipv6_addresses=[GOOD]), ["network_interface_id"]),
    ("missing id", None, dict(state="absent", ipv6_addresses=[GOOD]), ["network_interface_id"]),
    ("null id", None, _absent(network_interface_id=None, ipv6_addresses=[GOOD]), ["network_interface_id"]),
    (
        "instance id as id",
        None,
        _absent(network_interface_id="i-rel0001", ipv6_addresses=[GOOD]),
        ["network_interface_id"],
    ),
    (
        "id with newline",
        None,
        _absent(network_interface_id=ENI + "\n", ipv6_addresses=[GOOD]),
        ["network_interface_id"],
    ),
    ("id with blank", None, _absent(network_interface_id=ENI + " ", ipv6_addresses=[GOOD]), ["network_interface_id"]),
    (
        "huge id",
        None,
        _absent(network_interface_id="eni-" + "a" * 100000, ipv6_addresses=[GOOD]),
        ["network_interface_id"],
    ),
    (
        "unicode id",
        None,
        _absent(network_interface_id="eni-r\u00e9l0001", ipv6_addresses=[GOOD]),
        ["network_interface_id"],
    ),
    ("int id", None, _absent(network_interface_id=12345, ipv6_addresses=[GOOD]), ["network_interface_id"]),
    ("list id", None, _absent(network_interface_id=[ENI], ipv6_addresses=[GOOD]), ["network_interface_id"]),
    ("empty alias", None, dict(eni_id="", state="absent", ipv6_addresses=[GOOD]), ["network_interface_id"]),
    # Unknown options.
    ("unknown option", None, _absent(ipv6_addresses=[GOOD], foo=1), ["foo"]),
    ("typo option", None, _absent(ipv6_address=[GOOD]), ["ipv6_address"]),
    ("unknown purge", None, _present(ipv6_addresses=[GOOD], purge=True), ["purge"]),
    # Connection options (checked before any call is made).
    ("region empty", "connection", dict(region=""), ["region"]),
    ("region upper case", "connection", dict(region="CN-Hangzhou"), ["region"]),
    ("region with blank", "connection", dict(region="cn hangzhou"), ["region"]),
    ("region with newline", "connection", dict(region="cn-hangzhou\n"), ["region"]),
    ("endpoint ftp", "connection", dict(endpoint="ftp://127.0.0.1:1"), ["endpoint"]),
    ("endpoint port 99999", "connection", dict(endpoint="http://127.0.0.1:99999"), ["endpoint"]),
    ("endpoint path", "connection", dict(endpoint="http://127.0.0.1:1/api?x=1"), ["endpoint"]),
    ("key id without secret", "connection", dict(access_key_secret=None), ["access_key_secret"]),
    ("secret without key id", "connection", dict(access_key_id=None), ["access_key_id"]),
    # The info module.
    ("info: bad id", INFO, dict(network_interface_ids=[ENI, "bogus"]), ["network_interface_ids", "bogus"]),
    ("info: empty id", INFO, dict(network_interface_ids=[""]), ["network_interface_ids"]),
    ("info: ipv4 filter", INFO, dict(ipv6_addresses=["10.0.0.1"]), ["ipv6_addresses"]),
    ("info: cidr filter", INFO, dict(ipv6_addresses=["2408::/64"]), ["ipv6_addresses"]),
    ("info: bad status", INFO, dict(status="Running"), ["status"]),
    ("info: 21 tags", INFO, dict(tags=dict(("k%d" % number, "v") for number in range(21))), ["tags"]),
    ("info: empty tag key", INFO, dict(tags={" ": "v"}), ["tags"]),
    ("info: list tag value", INFO, dict(tags={"k": ["v"]}), ["tags"]),
    ("info: tags not a dict", INFO, dict(tags="not a dict"), ["tags"]),
    ("info: empty instance_id", INFO, dict(instance_id=""), ["instance_id"]),
    ("info: blank vpc_id", INFO, dict(vpc_id="   "), ["vpc_id"]),
    ("info: unknown option", INFO, dict(filters={"Status": "InUse"}), ["filters"]),
]


def _id(case):
    return case.values[0] if hasattr(case, "values") else case[0]


@pytest.mark.duration(1)
@pytest.mark.parametrize("name, module, options, words", CASES, ids=[_id(case) for case in CASES])
def test_bad_input_fails_before_any_call(scenario, name, module, options, words):
    scenario.seed()
    if module == "connection":
        connection = dict((key, value) for key, value in scenario.connection().items())
        connection.update(options)
        connection = dict((key, value) for key, value in connection.items() if value is not None)
        run = scenario.run(harness.RELEASE, connection=connection)
    else:
        run = scenario.run(options, module=module or "ecs_eni_ipv6")

    scenario.judge(name, run, expect="fail", group="bad input")
    run.assert_clean_failure(*words)
    assert scenario.control.calls() == [], "calls were made for %s: %s" % (name, scenario.control.calls())
    assert len(run.msg) < 1000, "an overlong message: %d characters" % len(run.msg)


def test_the_fuzz_set_is_large_enough():
    assert len(CASES) >= 50
    assert len(set(_id(case) for case in CASES)) == len(CASES)
