"""IPv6 helpers: canonical forms and picking free addresses and prefixes from a vSwitch CIDR."""

import ipaddress

ASSIGNED_PREFIX_LENGTH = 80


def canonical_ipv6_address(value):
    """Return the RFC 5952 text of a plain IPv6 address, or None when value is not one.

    Zone indexes (``fe80::1%eth0``), surrounding blanks and CIDR notation are refused: an ENI address never has them.
    """
    if not isinstance(value, str) or not value or "%" in value or "/" in value or value != value.strip():
        return None
    try:
        return str(ipaddress.IPv6Address(value))
    except ValueError:
        return None


def canonical_ipv6_prefix(value):
    """Return the RFC 5952 text of an IPv6 network without host bits (``2408:4005:3a0:a1ff:1::/80``), or None."""
    if not isinstance(value, str) or "%" in value or "/" not in value or value != value.strip():
        return None
    try:
        return str(ipaddress.IPv6Network(value, strict=True))
    except ValueError:
        return None


def address_in_networks(address, networks):
    """Return the first network of networks (IPv6Network objects) that holds address (text), or None."""
    parsed = ipaddress.IPv6Address(address)
    for network in networks:
        if parsed in network:
            return network
    return None


def allocate_addresses(cidr, used_addresses, used_prefixes, count):
    """Pick the count lowest host addresses of cidr that are neither in used_addresses nor inside used_prefixes.

    used_addresses is a set of canonical texts and is updated with the picked ones. Returns None when the CIDR
    does not have enough free addresses.
    """
    network = ipaddress.IPv6Network(cidr)
    prefixes = [ipaddress.IPv6Network(prefix) for prefix in used_prefixes]
    picked = []
    # The network address itself is the subnet-router anycast address: never hand it out.
    candidate = int(network.network_address) + 1
    last = int(network.broadcast_address)
    while len(picked) < count and candidate <= last:
        holder = address_in_networks(str(ipaddress.IPv6Address(candidate)), prefixes)
        if holder is not None:
            candidate = int(holder.broadcast_address) + 1
            continue
        text = str(ipaddress.IPv6Address(candidate))
        if text not in used_addresses:
            picked.append(text)
            used_addresses.add(text)
        candidate += 1
    if len(picked) < count:
        return None
    return picked


def allocate_prefixes(cidr, used_addresses, used_prefixes, count):
    """Pick the count lowest /80 prefixes of cidr that hold no used address and overlap no used prefix.

    used_prefixes is a set of canonical texts and is updated with the picked ones. Returns None when not enough
    prefixes are free (or the CIDR is narrower than /80).
    """
    network = ipaddress.IPv6Network(cidr)
    if network.prefixlen > ASSIGNED_PREFIX_LENGTH:
        return None
    shift = 128 - ASSIGNED_PREFIX_LENGTH
    busy_blocks = {int(ipaddress.IPv6Address(address)) >> shift for address in used_addresses}
    taken = [ipaddress.IPv6Network(prefix) for prefix in used_prefixes]
    picked = []
    for subnet in network.subnets(new_prefix=ASSIGNED_PREFIX_LENGTH):
        if len(picked) == count:
            break
        if int(subnet.network_address) >> shift in busy_blocks:
            continue
        if any(subnet.overlaps(other) for other in taken):
            continue
        picked.append(str(subnet))
        taken.append(subnet)
        used_prefixes.add(str(subnet))
    if len(picked) < count:
        return None
    return picked
