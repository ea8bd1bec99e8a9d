"""DescribeNetworkInterfaceAttribute and DescribeNetworkInterfaces through the real SDK."""

import re

import pytest
from alibabacloud_ecs20140526 import models as ecs_models
from alibabacloud_tea_openapi.exceptions import ClientException
from darabonba.runtime import RuntimeOptions

REGION = "cn-hangzhou"
REQUEST_ID = re.compile(r"^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$")


def describe_attribute(client, eni_id, region=REGION):
    """Call DescribeNetworkInterfaceAttribute for one ENI."""
    request = ecs_models.DescribeNetworkInterfaceAttributeRequest(region_id=region, network_interface_id=eni_id)
    return client.describe_network_interface_attribute_with_options(request, RuntimeOptions())


def describe(client, **fields):
    """Call DescribeNetworkInterfaces with the SDK request fields given."""
    fields.setdefault("region_id", REGION)
    return client.describe_network_interfaces_with_options(
        ecs_models.DescribeNetworkInterfacesRequest(**fields), RuntimeOptions()
    )


def seed_pair(control, ips):
    """Seed eni-a (attached to i-1, 2 addresses, 1 prefix, 2 tags) and eni-b (unattached, 1 address)."""
    control.seed(
        {
            "instances": [{"InstanceId": "i-1", "Status": "Running"}],
            "network_interfaces": [
                {
                    "NetworkInterfaceId": "eni-a",
                    "InstanceId": "i-1",
                    "Type": "Primary",
                    "Ipv6Addresses": ips(1, 2),
                    "Ipv6Prefixes": ["2408:4005:3a0:a1ff:1::/80"],
                    "Tags": {"team": "net", "env": "prod"},
                    "MacAddress": "00:16:3e:00:00:01",
                    "PrivateIpAddress": "172.16.0.10",
                    "VSwitchId": "vsw-one",
                    "VpcId": "vpc-one",
                },
                {
                    "NetworkInterfaceId": "eni-b",
                    "Ipv6Addresses": ips(3),
                    "Tags": {"team": "net"},
                    "VSwitchId": "vsw-two",
                },
            ],
        }
    )


def test_attribute_shape_as_parsed_by_sdk(client, control, ips):
    seed_pair(control, ips)
    response = describe_attribute(client, "eni-a")
    body = response.body
    assert response.status_code == 200
    assert REQUEST_ID.match(body.request_id)
    assert body.network_interface_id == "eni-a"
    assert body.status == "InUse"
    assert body.type == "Primary"
    assert body.instance_id == "i-1"
    assert body.attachment.instance_id == "i-1"
    assert body.vpc_id == "vpc-one" and body.v_switch_id == "vsw-one" and body.zone_id == "cn-hangzhou-h"
    assert body.mac_address == "00:16:3e:00:00:01" and body.private_ip_address == "172.16.0.10"
    assert [item.ipv_6address for item in body.ipv_6sets.ipv_6set] == ips(1, 2)
    assert [item.ipv_6prefix for item in body.ipv_6prefix_sets.ipv_6prefix_set] == ["2408:4005:3a0:a1ff:1::/80"]
    assert {(tag.tag_key, tag.tag_value) for tag in body.tags.tag} == {("team", "net"), ("env", "prod")}
    assert body.service_managed is False


def test_attribute_of_unattached_eni_has_empty_lists_and_no_attachment(raw_call, control):
    control.seed({"network_interfaces": [{"NetworkInterfaceId": "eni-empty"}]})
    status, headers, body = raw_call(
        "DescribeNetworkInterfaceAttribute", {"RegionId": REGION, "NetworkInterfaceId": "eni-empty"}
    )
    assert status == 200
    assert headers["content-type"] == "application/json;charset=utf-8"
    assert body["Ipv6Sets"] == {"Ipv6Set": []}
    assert body["Ipv6PrefixSets"] == {"Ipv6PrefixSet": []}
    assert body["Tags"] == {"Tag": []}
    assert body["Status"] == "Available" and body["Type"] == "Secondary" and body["InstanceId"] == ""
    assert "Attachment" not in body
    assert REQUEST_ID.match(body["RequestId"])


def test_attribute_not_found_and_other_region(client, control):
    control.seed(
        {"regions": ["cn-beijing"], "network_interfaces": [{"NetworkInterfaceId": "eni-bj", "RegionId": "cn-beijing"}]}
    )
    with pytest.raises(ClientException) as caught:
        describe_attribute(client, "eni-missing")
    assert caught.value.code == "InvalidEniId.NotFound"
    assert caught.value.status_code == 404
    assert caught.value.data["Message"] == 'The specified EniId "eni-missing" is not found.'
    with pytest.raises(ClientException) as caught:
        describe_attribute(client, "eni-bj")
    assert caught.value.code == "InvalidEniId.NotFound"
    assert describe_attribute(client, "eni-bj", region="cn-beijing").body.network_interface_id == "eni-bj"


def test_region_is_required_and_must_exist(client, control):
    control.seed({"network_interfaces": [{"NetworkInterfaceId": "eni-a"}]})
    with pytest.raises(ClientException) as caught:
        describe_attribute(client, "eni-a", region=None)
    assert caught.value.code == "MissingParameter"
    assert caught.value.status_code == 400
    assert (
        caught.value.data["Message"]
        == 'The input parameter "RegionId" that is mandatory for processing this request is not supplied.'
    )
    with pytest.raises(ClientException) as caught:
        describe(client, region_id="xx-nowhere-1")
    assert caught.value.code == "InvalidRegionId.NotFound"
    assert caught.value.status_code == 400


def test_error_body_shape(raw_call):
    status, headers, body = raw_call(
        "DescribeNetworkInterfaceAttribute", {"RegionId": REGION, "NetworkInterfaceId": "eni-x"}
    )
    assert status == 404
    assert set(body) == {"RequestId", "HostId", "Code", "Message", "Recommend"}
    assert body["HostId"] == "ecs.cn-hangzhou.aliyuncs.com"
    assert (
        body["Recommend"]
        == "https://api.aliyun.com/troubleshoot?q=InvalidEniId.NotFound&product=Ecs&requestId=%s" % body["RequestId"]
    )
    assert headers["x-acs-request-id"] == body["RequestId"]


def test_paging_600_enis_with_max_results_500(client, control):
    created = control.seed({"generate": {"count": 600, "prefix": "eni-bulk", "Ipv6AddressesEach": 2}})
    assert len(created["network_interfaces"]) == 600
    first = describe(client, max_results=500).body
    assert first.total_count == 600
    assert len(first.network_interface_sets.network_interface_set) == 500
    assert first.next_token
    second = describe(client, max_results=500, next_token=first.next_token).body
    assert second.next_token == ""
    assert len(second.network_interface_sets.network_interface_set) == 100
    seen = [
        item.network_interface_id
        for item in first.network_interface_sets.network_interface_set
        + second.network_interface_sets.network_interface_set
    ]
    assert seen == created["network_interfaces"]
    assert seen[0] == "eni-bulk-00001" and seen[-1] == "eni-bulk-00600"
    every_address = [
        ip.ipv_6address for item in first.network_interface_sets.network_interface_set for ip in item.ipv_6sets.ipv_6set
    ]
    assert len(every_address) == 1000 and len(set(every_address)) == 1000
    assert len(control.calls("DescribeNetworkInterfaces")) == 2


def test_default_page_size_is_10(client, control):
    control.seed({"generate": {"count": 25}})
    body = describe(client).body
    assert len(body.network_interface_sets.network_interface_set) == 10
    assert body.total_count == 25 and body.next_token


def test_max_results_outside_10_to_500_is_clamped_not_refused(client, control):
    control.seed({"generate": {"count": 520, "prefix": "eni-m"}})
    for asked, page in ((9, 10), (1, 10), (0, 10), (-5, 10), (10, 10), (499, 499), (501, 500), (100000, 500)):
        body = describe(client, max_results=asked).body
        assert len(body.network_interface_sets.network_interface_set) == page, asked
        assert body.total_count == 520 and body.next_token
    first = describe(client, max_results=3).body
    second = describe(client, max_results=3, next_token=first.next_token).body
    assert second.network_interface_sets.network_interface_set[0].network_interface_id == "eni-m-00011"


def test_bad_max_results_and_token(raw_call, client, control):
    control.seed({"generate": {"count": 3}})
    status, _headers, body = raw_call("DescribeNetworkInterfaces", {"RegionId": REGION, "MaxResults": "ten"})
    assert (status, body["Code"]) == (400, "InvalidParameter") and "MaxResults" in body["Message"]
    with pytest.raises(ClientException) as caught:
        describe(client, next_token="not-a-token")
    assert caught.value.code == "InvalidParameter" and "NextToken" in caught.value.data["Message"]


def test_id_filter_limit_is_100_and_unknown_ids_are_absent(client, control):
    control.seed({"generate": {"count": 120, "prefix": "eni-f"}})
    ids = ["eni-f-%05d" % index for index in range(1, 101)]
    body = describe(client, network_interface_id=ids, max_results=500).body
    assert body.total_count == 100
    with pytest.raises(ClientException) as caught:
        describe(client, network_interface_id=ids + ["eni-f-00101"], max_results=500)
    assert caught.value.code == "InvalidParameter" and caught.value.status_code == 400
    assert "NetworkInterfaceId" in caught.value.data["Message"]
    body = describe(client, network_interface_id=["eni-f-00007", "eni-nope", "eni-f-00003"]).body
    assert [item.network_interface_id for item in body.network_interface_sets.network_interface_set] == [
        "eni-f-00003",
        "eni-f-00007",
    ]


def test_filters(client, control, ips):
    seed_pair(control, ips)
    control.seed(
        {"network_interfaces": [{"NetworkInterfaceId": "eni-c", "Status": "Attaching", "Tags": {"team": "db"}}]}
    )

    def ids(**fields):
        return [
            item.network_interface_id
            for item in describe(client, **fields).body.network_interface_sets.network_interface_set
        ]

    assert ids(ipv_6address=["2408:4005:03A0:A100:0:0:0:2"]) == ["eni-a"]
    assert ids(ipv_6address=[ips(3)[0], ips(1)[0]]) == ["eni-a", "eni-b"]
    assert ids(instance_id="i-1") == ["eni-a"]
    assert ids(status="Attaching") == ["eni-c"]
    assert ids(type="Primary") == ["eni-a"]
    assert ids(v_switch_id="vsw-two") == ["eni-b"]
    assert ids(vpc_id="vpc-one") == ["eni-a"]
    tag = ecs_models.DescribeNetworkInterfacesRequestTag
    assert ids(tag=[tag(key="team", value="net")]) == ["eni-a", "eni-b"]
    assert ids(tag=[tag(key="team", value="net"), tag(key="env", value="prod")]) == ["eni-a"]
    assert ids(tag=[tag(key="team")]) == ["eni-a", "eni-b", "eni-c"]


def test_deprecated_page_number_and_size(client, control):
    control.seed({"generate": {"count": 25, "prefix": "eni-p"}})
    body = describe(client, page_number=3, page_size=10).body
    assert body.page_number == 3 and body.page_size == 10 and body.total_count == 25
    assert [item.network_interface_id for item in body.network_interface_sets.network_interface_set] == [
        "eni-p-%05d" % i for i in range(21, 26)
    ]
    with pytest.raises(ClientException) as caught:
        describe(client, page_size=101)
    assert caught.value.code == "InvalidParameter" and "PageSize" in caught.value.data["Message"]


def test_params_in_form_body_and_get_are_accepted(raw_call, control):
    control.seed({"network_interfaces": [{"NetworkInterfaceId": "eni-form"}]})
    status, _headers, body = raw_call(
        "DescribeNetworkInterfaceAttribute", {"RegionId": REGION}, form={"NetworkInterfaceId": "eni-form"}
    )
    assert status == 200 and body["NetworkInterfaceId"] == "eni-form"
    status, _headers, body = raw_call(
        "DescribeNetworkInterfaceAttribute", {"RegionId": REGION, "NetworkInterfaceId": "eni-form"}, method="GET"
    )
    assert status == 200 and body["NetworkInterfaceId"] == "eni-form"


def test_version_and_unknown_action(raw_call):
    status, _headers, body = raw_call("DescribeNetworkInterfaces", {"RegionId": REGION}, version="2016-04-28")
    assert status == 400 and body["Code"] == "InvalidVersion"
    status, _headers, body = raw_call("DeleteNetworkInterface", {"RegionId": REGION})
    assert status == 404 and body["Code"] == "InvalidAction.NotFound"
    assert body["Message"] == "Specified api is not found, please check your url and method."


def test_ipv6_and_tag_filter_limits(client):
    with pytest.raises(ClientException) as caught:
        describe(client, ipv_6address=["2408:4005:3a0:a100::%x" % n for n in range(1, 102)])
    assert caught.value.code == "InvalidParameter" and "Ipv6Address" in caught.value.data["Message"]
    tag = ecs_models.DescribeNetworkInterfacesRequestTag
    with pytest.raises(ClientException) as caught:
        describe(client, tag=[tag(key="k%d" % n, value="v") for n in range(21)])
    assert caught.value.code == "InvalidParameter" and "Tag" in caught.value.data["Message"]
    assert describe(client, tag=[tag(key="k%d" % n, value="v") for n in range(20)]).body.total_count == 0


def test_sdk_calls_reuse_one_keep_alive_connection(client, emulator):
    before = emulator.server.connections_accepted
    for _attempt in range(5):
        assert describe(client).body.total_count == 0
    assert emulator.server.connections_accepted - before <= 1


def test_exactly_full_last_page_has_empty_next_token(client, control):
    control.seed({"generate": {"count": 20, "prefix": "eni-x"}})
    first = describe(client, max_results=10).body
    second = describe(client, max_results=10, next_token=first.next_token).body
    assert len(second.network_interface_sets.network_interface_set) == 10
    assert second.next_token == ""
    assert second.network_interface_sets.network_interface_set[-1].network_interface_id == "eni-x-00020"
