# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_eni: the Eni record as ECS answers make it, the reads, and the check of an ENI id."""

import pytest
from ansible_collections.alibabacloud.ecs.plugins.module_utils._eni import (
    Eni,
    check_network_interface_id,
    eni_from_api,
    list_eni,
    read_eni,
)
from ansible_collections.alibabacloud.ecs.plugins.module_utils._kinds import ADDRESS, PREFIX, InputError
from ansible_collections.alibabacloud.ecs.tests.unit.plugins.fakes import FakeEcs

ENI = "eni-test0001"


def test_eni_from_api_canonicalises_what_ecs_answers():
    eni = eni_from_api(
        {
            "NetworkInterfaceId": "eni-1",
            "Status": "InUse",
            "InstanceId": "",
            "Ipv6Sets": {"Ipv6Set": [{"Ipv6Address": "2408:4005:03A0:A100::5"}]},
            "Ipv6PrefixSets": {"Ipv6PrefixSet": []},
        }
    )
    assert eni.items(ADDRESS) == ["2408:4005:3a0:a100::5"]
    assert eni.items(PREFIX) == []
    assert eni.instance_id is None


# Scenario "bad input: id with newline": the ENI id "eni-rel0001\n" passed the check and reached ECS.
@pytest.mark.parametrize("value", [ENI + "\n", ENI + "\r\n", ENI + "\n\n"])
def test_eni_id_with_a_trailing_newline_is_refused(value):
    with pytest.raises(InputError) as raised:
        check_network_interface_id(value)
    assert "network_interface_id" in str(raised.value)


def test_eni_ids_without_a_newline_still_pass():
    assert check_network_interface_id(ENI) == ENI
    assert check_network_interface_id("eni-" + "a" * 63) == "eni-" + "a" * 63


def test_an_eni_as_a_result_has_lists_and_the_documented_keys():
    eni = Eni(ENI, status="InUse", ipv6_addresses=("2408::1",), tags={"env": "prod"})
    result = eni.as_result()
    assert result["ipv6_addresses"] == ["2408::1"] and result["ipv6_prefixes"] == []
    assert result["network_interface_id"] == ENI and result["tags"] == {"env": "prod"}
    assert eni.is_ready and not Eni(ENI, status="Attaching").is_ready


def test_the_two_reads_make_one_call_each():
    fake = FakeEcs(addresses=["2408:4005:3a0:a100::1"], prefixes=["2408:4005:3a0:a1ff:1::/80"])
    assert read_eni(fake, ENI).items(PREFIX) == ["2408:4005:3a0:a1ff:1::/80"]
    assert list_eni(fake, ENI).items(ADDRESS) == ["2408:4005:3a0:a100::1"]
    assert list_eni(fake, "eni-other") is None
    assert [call[0] for call in fake.calls] == [
        "DescribeNetworkInterfaceAttribute",
        "DescribeNetworkInterfaces",
        "DescribeNetworkInterfaces",
    ]
