# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The calls and answers of ecs_eni_ipv6_info, against a scripted DescribeNetworkInterfaces (no network)."""

import pytest
from ansible_collections.alibabacloud.ecs.plugins.module_utils._eni import MAX_PAGES
from ansible_collections.alibabacloud.ecs.plugins.module_utils._retries import RetryPolicy
from ansible_collections.alibabacloud.ecs.plugins.modules import ecs_eni_ipv6_info
from ansible_collections.alibabacloud.ecs.tests.unit.plugins.fakes import (
    api_error,
    patch_runs,
    run_module,
)

BASE_ARGS = dict(region="cn-hangzhou", access_key_id="LTAIunit", access_key_secret="unit-secret-value")
ENI_KEYS = {
    "network_interface_id",
    "status",
    "type",
    "instance_id",
    "vswitch_id",
    "vpc_id",
    "zone_id",
    "mac_address",
    "primary_ip_address",
    "primary_ipv6_address",
    "ipv6_addresses",
    "ipv6_prefixes",
    "tags",
}


def api_eni(
    number, addresses=(), status="InUse", instance_id="i-test0001", vswitch_id="vsw-a", vpc_id="vpc-a", tags=None
):
    """One item of NetworkInterfaceSets.NetworkInterfaceSet as the wrapper returns it."""
    return {
        "NetworkInterfaceId": "eni-test%05d" % number,
        "Status": status,
        "Type": "Secondary",
        "InstanceId": instance_id,
        "VSwitchId": vswitch_id,
        "VpcId": vpc_id,
        "ZoneId": "cn-hangzhou-h",
        "MacAddress": "00:16:3e:00:%02x:%02x" % (number // 256 % 256, number % 256),
        "PrivateIpAddress": "172.16.%d.%d" % (number // 256 % 256, number % 256),
        "Ipv6Sets": {"Ipv6Set": [{"Ipv6Address": a} for a in addresses]},
        "Ipv6PrefixSets": {"Ipv6PrefixSet": []},
        "Tags": {"Tag": [{"TagKey": k, "TagValue": v} for k, v in (tags or {}).items()]},
    }


class FakeDescribe(object):
    """Answers describe_network_interfaces like the wrapper layer: filters applied, pages of `page_size`.

    Records each call's arguments in `calls`; `errors` are raised, in order, by the next calls.
    """

    SCALAR = {"instance_id": "InstanceId", "v_switch_id": "VSwitchId", "vpc_id": "VpcId", "status": "Status"}

    def __init__(self, enis=(), page_size=500):
        self.enis = list(enis)
        self.page_size = page_size
        self.calls = []
        self.errors = []
        self.retry_policy = RetryPolicy(sleep=lambda seconds: None)

    def _matches(self, eni, ids, addresses, tags, filters):
        held = [item["Ipv6Address"] for item in eni["Ipv6Sets"]["Ipv6Set"]]
        carried = dict((tag["TagKey"], tag["TagValue"]) for tag in eni["Tags"]["Tag"])
        return (
            (ids is None or eni["NetworkInterfaceId"] in ids)
            and (addresses is None or any(a in held for a in addresses))
            and all(eni[self.SCALAR[name]] == value for name, value in filters.items())
            and all(k in carried and (v is None or carried[k] == v) for k, v in (tags or {}).items())
        )

    def describe_network_interfaces(
        self, network_interface_ids=None, ipv6_addresses=None, tags=None, next_token=None, **filters
    ):
        self.calls.append(
            dict(
                network_interface_ids=network_interface_ids,
                ipv6_addresses=ipv6_addresses,
                tags=tags,
                next_token=next_token,
                filters=filters,
            )
        )
        assert set(filters) <= set(self.SCALAR), "only the SDK's filter names"
        assert network_interface_ids is None or 1 <= len(network_interface_ids) <= 100, "1 to 100 ids per call"
        assert ipv6_addresses is None or 1 <= len(ipv6_addresses) <= 100, "1 to 100 addresses per call"
        assert tags is None or 1 <= len(tags) <= 20, "1 to 20 tags per call"
        if self.errors:
            raise self.errors.pop(0)
        matches = [eni for eni in self.enis if self._matches(eni, network_interface_ids, ipv6_addresses, tags, filters)]
        start = int(next_token or 0)
        end = start + self.page_size
        return {
            "NetworkInterfaceSets": {"NetworkInterfaceSet": matches[start:end]},
            "NextToken": str(end) if end < len(matches) else "",
            "TotalCount": len(matches),
            "RequestId": "REQ-LIST",
        }


@pytest.fixture
def patched(monkeypatch):
    patch_runs(monkeypatch)
    return monkeypatch


def use(monkeypatch, fake):
    monkeypatch.setattr(ecs_eni_ipv6_info, "connect", lambda module: fake)
    return fake


def run(check_mode=False, **args):
    return run_module(ecs_eni_ipv6_info.main, dict(BASE_ARGS, **args), check_mode=check_mode, diff=False)


def ids_of(result):
    return [eni["network_interface_id"] for eni in result["network_interfaces"]]


def test_three_pages_take_three_calls_and_return_every_eni(patched):
    fake = use(patched, FakeDescribe([api_eni(n) for n in range(1, 1101)]))
    result = run()
    assert result["changed"] is False
    assert ids_of(result) == ["eni-test%05d" % n for n in range(1, 1101)]
    assert [call["next_token"] for call in fake.calls] == [None, "500", "1000"]


def test_a_next_token_that_repeats_fails_instead_of_paging_forever(patched):
    fake = use(patched, FakeDescribe([api_eni(n) for n in range(1, 1101)]))
    fake.describe_network_interfaces = lambda **kwargs: {
        "NetworkInterfaceSets": {"NetworkInterfaceSet": []},
        "NextToken": "same",
    }
    result = run()
    assert result["failed"] is True
    assert result["error"]["code"] == "InvalidNextToken"


def test_an_answer_of_one_page_takes_one_call(patched):
    fake = use(patched, FakeDescribe([api_eni(n) for n in range(1, 501)]))
    result = run()
    assert len(result["network_interfaces"]) == 500
    assert len(fake.calls) == 1


def test_each_eni_has_the_snake_case_keys_with_canonical_addresses(patched):
    use(patched, FakeDescribe([api_eni(1, ["2408:4005:03A0:A100:0:0:0:5"], tags={"env": "prod"})]))
    eni = run()["network_interfaces"][0]
    assert set(eni) == ENI_KEYS
    assert eni["ipv6_addresses"] == ["2408:4005:3a0:a100::5"]
    assert eni["tags"] == {"env": "prod"}
    assert eni["vswitch_id"] == "vsw-a"
    assert eni["primary_ip_address"] == "172.16.0.1"
    assert eni["primary_ipv6_address"] is None, "no Ipv6Set entry is marked Primary"


def test_the_address_ecs_marks_primary_is_the_primary_ipv6_address(patched):
    listed = api_eni(1, ["2408:4005:3a0:a100::5", "2408:4005:03A0:A100::6"])
    listed["Ipv6Sets"]["Ipv6Set"][1]["Primary"] = True
    use(patched, FakeDescribe([listed]))
    assert run()["network_interfaces"][0]["primary_ipv6_address"] == "2408:4005:3a0:a100::6"


def test_250_ids_are_asked_for_in_three_calls_of_at_most_100(patched):
    fake = use(patched, FakeDescribe([api_eni(n) for n in range(1, 301)]))
    wanted = ["eni-test%05d" % n for n in range(1, 251)]
    result = run(network_interface_ids=wanted)
    assert ids_of(result) == wanted
    assert [len(call["network_interface_ids"]) for call in fake.calls] == [100, 100, 50]
    assert sum((call["network_interface_ids"] for call in fake.calls), []) == wanted
    assert all(call["next_token"] is None for call in fake.calls)


def test_long_id_and_address_lists_take_the_product_of_their_parts(patched):
    addresses = ["2408:4005:3a0:a100::%x" % n for n in range(1, 151)]
    fake = use(patched, FakeDescribe([api_eni(1, addresses[:1]), api_eni(2, addresses[149:])]))
    result = run(eni_ids=["eni-test%05d" % n for n in range(1, 151)], ipv6_addresses=addresses)
    assert ids_of(result) == ["eni-test00001", "eni-test00002"]
    assert [(len(c["network_interface_ids"]), len(c["ipv6_addresses"])) for c in fake.calls] == [
        (100, 100),
        (100, 50),
        (50, 100),
        (50, 50),
    ]


def test_an_eni_found_by_two_calls_is_listed_once(patched):
    addresses = ["2408:4005:3a0:a100::%x" % n for n in range(1, 151)]
    fake = use(patched, FakeDescribe([api_eni(1, [addresses[0], addresses[120]]), api_eni(2, [addresses[130]])]))
    result = run(ipv6_addresses=addresses)
    assert len(fake.calls) == 2
    assert ids_of(result) == ["eni-test00001", "eni-test00002"]


def test_duplicate_ids_are_asked_for_once(patched):
    fake = use(patched, FakeDescribe([api_eni(1)]))
    result = run(network_interface_ids=["eni-test00001", "eni-test00001"])
    assert ids_of(result) == ["eni-test00001"]
    assert fake.calls[0]["network_interface_ids"] == ["eni-test00001"]


def test_scalar_filters_go_to_the_api_with_the_sdk_names(patched):
    fake = use(
        patched,
        FakeDescribe(
            [
                api_eni(1, instance_id="i-one", vswitch_id="vsw-one", vpc_id="vpc-one", status="InUse"),
                api_eni(2, instance_id="i-two", vswitch_id="vsw-one", vpc_id="vpc-one", status="InUse"),
                api_eni(3, instance_id="", vswitch_id="vsw-one", vpc_id="vpc-one", status="Available"),
            ]
        ),
    )
    result = run(instance_id="i-one", vswitch_id="vsw-one", vpc_id="vpc-one", status="InUse")
    assert ids_of(result) == ["eni-test00001"]
    assert fake.calls == [
        dict(
            network_interface_ids=None,
            ipv6_addresses=None,
            tags=None,
            next_token=None,
            filters={"instance_id": "i-one", "v_switch_id": "vsw-one", "vpc_id": "vpc-one", "status": "InUse"},
        )
    ]


def test_an_unattached_eni_has_no_instance_id(patched):
    use(patched, FakeDescribe([api_eni(3, instance_id="", status="Available")]))
    assert run(status="Available")["network_interfaces"][0]["instance_id"] is None


def test_tags_go_to_the_api_as_strings_and_null_matches_any_value(patched):
    fake = use(
        patched,
        FakeDescribe(
            [
                api_eni(1, tags={"env": "prod", "team": "net", "rank": "1"}),
                api_eni(2, tags={"env": "prod", "rank": "1"}),
                api_eni(3, tags={"env": "dev", "team": "net", "rank": "1"}),
            ]
        ),
    )
    result = run(tags={"env": "prod", "team": None, "rank": 1})
    assert ids_of(result) == ["eni-test00001"]
    assert fake.calls[0]["tags"] == {"env": "prod", "team": None, "rank": "1"}


def test_address_filter_is_sent_in_canonical_form_once(patched):
    fake = use(patched, FakeDescribe([api_eni(1, ["2408:4005:3a0:a100::5"]), api_eni(2, ["2408:4005:3a0:a100::6"])]))
    result = run(ipv6_addresses=["2408:4005:03A0:A100:0:0:0:5", "2408:4005:3a0:a100::5"])
    assert ids_of(result) == ["eni-test00001"]
    assert fake.calls[0]["ipv6_addresses"] == ["2408:4005:3a0:a100::5"]


def test_no_match_is_an_empty_list_not_a_failure(patched):
    fake = use(patched, FakeDescribe([api_eni(1)]))
    result = run(vpc_id="vpc-elsewhere")
    assert "failed" not in result
    assert result["network_interfaces"] == []
    assert len(fake.calls) == 1


def test_an_unknown_id_is_not_in_the_list(patched):
    use(patched, FakeDescribe([api_eni(1)]))
    result = run(network_interface_ids=["eni-test00001", "eni-doesnotexist"])
    assert "failed" not in result
    assert ids_of(result) == ["eni-test00001"]


@pytest.mark.parametrize("option", ["network_interface_ids", "ipv6_addresses"])
def test_an_empty_list_filter_matches_nothing_without_a_call(patched, option):
    fake = use(patched, FakeDescribe([api_eni(1, ["2408:4005:3a0:a100::5"])]))
    result = run(**{option: []})
    assert result["network_interfaces"] == []
    assert fake.calls == []


def test_check_mode_gives_the_same_answer(patched):
    fake = use(patched, FakeDescribe([api_eni(n) for n in range(1, 4)]))
    real = run()
    checked = run(check_mode=True)
    assert checked == real
    assert len(fake.calls) == 2


def test_ecs_error_fails_with_code_message_and_request_id(patched):
    fake = use(patched, FakeDescribe([api_eni(1)]))
    fake.errors.append(api_error("InvalidRegionId.MalFormed", 400))
    result = run()
    assert result["failed"] is True
    assert result["msg"].startswith("InvalidRegionId.MalFormed: ")
    assert "REQ-1" in result["msg"]
    assert "check region" in result["msg"]
    assert result["error"] == {
        "code": "InvalidRegionId.MalFormed",
        "message": "InvalidRegionId.MalFormed happened.",
        "request_id": "REQ-1",
        "http_status": 400,
    }
    assert "network_interfaces" not in result


def test_an_error_on_a_later_page_fails_rather_than_returning_part_of_the_list(patched):
    fake = use(patched, FakeDescribe([api_eni(n) for n in range(1, 1101)]))
    original = fake.describe_network_interfaces

    def fail_on_second_page(**kwargs):
        if kwargs.get("next_token"):
            fake.errors.append(api_error("Forbidden.RAM", 403))
        return original(**kwargs)

    fake.describe_network_interfaces = fail_on_second_page
    result = run()
    assert result["failed"] is True
    assert result["error"]["code"] == "Forbidden.RAM"
    assert "network_interfaces" not in result
    assert len(fake.calls) == 2


def test_secret_never_appears_in_a_failure(patched):
    fake = use(patched, FakeDescribe())
    fake.errors.append(api_error("InvalidParameter", 400, "echo unit-secret-value"))
    assert "unit-secret-value" not in repr(run())


@pytest.mark.parametrize(
    "args, option, value",
    [
        (dict(network_interface_ids=["eni-test00001", "i-notaneni"]), "network_interface_ids", "i-notaneni"),
        (dict(eni_ids=[""]), "network_interface_ids", "''"),
        (dict(ipv6_addresses=["192.0.2.10"]), "ipv6_addresses", "192.0.2.10"),
        (dict(ipv6_addresses=["2408:4005:3a0:a100::5/128"]), "ipv6_addresses", "2408:4005:3a0:a100::5/128"),
        (dict(ipv6_addresses=["fe80::1%eth0"]), "ipv6_addresses", "fe80::1%eth0"),
        (dict(ipv6_addresses=["2408:4005:3a0:a100::5::6"]), "ipv6_addresses", "2408:4005:3a0:a100::5::6"),
        (dict(tags=dict(("k%d" % n, "v") for n in range(21))), "tags", "21"),
        (dict(tags={"": "v"}), "tags", "''"),
        (dict(tags={"env": ["prod"]}), "tags", "prod"),
        (dict(tags={"env": True}), "tags", "True"),
        (dict(instance_id=""), "instance_id", "''"),
        (dict(vswitch_id=" "), "vswitch_id", "' '"),
        (dict(vpc_id=""), "vpc_id", "''"),
        (dict(status=""), "status", ""),
        (dict(status="Running"), "status", "Running"),
        (dict(region=None), "region", ""),
        (dict(region="Hangzhou 1"), "region", "Hangzhou 1"),
        (dict(no_such_option=1), "no_such_option", ""),
    ],
)
def test_bad_input_fails_before_any_call_naming_the_option_and_value(patched, args, option, value):
    fake = FakeDescribe([api_eni(1)])
    patched.delenv("ALIBABA_CLOUD_REGION_ID", raising=False)
    patched.delenv("ALICLOUD_REGION", raising=False)
    from ansible_collections.alibabacloud.ecs.plugins.module_utils import _sdk

    patched.setattr(_sdk, "EcsClient", lambda *a, **kw: fake)
    result = run(**args)
    assert result["failed"] is True
    assert option in result["msg"]
    assert value in result["msg"]
    assert fake.calls == []


def test_paging_with_a_new_next_token_every_time_ends(patched):
    pages = []

    def endless_pages(**kwargs):
        pages.append(1)
        if len(pages) > MAX_PAGES + 5:
            raise AssertionError("paging has no bound")
        return {"NetworkInterfaceSets": {"NetworkInterfaceSet": []}, "NextToken": "token-%d" % len(pages)}

    fake = FakeDescribe()
    fake.describe_network_interfaces = endless_pages
    use(patched, fake)
    result = run_module(
        ecs_eni_ipv6_info.main,
        dict(region="cn-hangzhou", access_key_id="LTAIunit", access_key_secret="unit-secret-value"),
    )
    assert result["failed"] is True
    assert result["error"]["code"] == "InvalidNextToken"
    assert len(pages) == MAX_PAGES
