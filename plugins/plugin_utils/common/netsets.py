# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Port and address arithmetic shared by the catalog, the flow logic and the renderers.

Ports are carried as a list whose items are an integer or a ``"start-end"`` string, the form the catalog
and every renderer use; internally they are (start, end) tuples.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import CollabFirewallError, PolicyError

import bisect
import re

try:
    import netaddr
except ImportError:  # pragma: no cover - reported by require_netaddr() when it is needed
    netaddr = None

# The transports the catalog, the flows and every renderer know; only the first two carry ports.
TRANSPORTS = ("tcp", "udp", "icmp", "gre", "esp", "ah")
PORT_TRANSPORTS = ("tcp", "udp")
PORTLESS_TRANSPORTS = tuple(t for t in TRANSPORTS if t not in PORT_TRANSPORTS)


class MissingLibraryError(CollabFirewallError):
    """A controller-side Python library the collection needs is not installed."""


def require_netaddr():
    """Raise a clear error (instead of a NameError later) when netaddr is missing on the controller."""
    if netaddr is None:
        raise MissingLibraryError("the Python library 'netaddr' is required on the controller: pip install netaddr")


_RANGE = re.compile(r"^\s*(\d{1,5})\s*-\s*(\d{1,5})\s*$")


class PortError(CollabFirewallError):
    """A port or port range that is not a number in 0-65535 or whose start exceeds its end."""


class AddressError(CollabFirewallError):
    """An address or CIDR that netaddr cannot parse, or a network with host bits set."""


def parse_port_item(item, lowest=0):
    """Return ``(start, end)`` for ``5060``, ``"5060"`` or ``"5060-5061"``.

    ``lowest=1`` for platforms whose ACLs cannot name port 0 (Cisco IOS and ASA).
    """
    if isinstance(item, bool):
        raise PortError("port %r is not a number" % (item,))
    if isinstance(item, int):
        start = end = item
    elif isinstance(item, str):
        match = _RANGE.match(item)
        if match:
            start, end = int(match.group(1)), int(match.group(2))
        elif item.strip().isdigit():
            start = end = int(item)
        else:
            raise PortError("port %r is neither a number nor a 'start-end' range" % (item,))
    else:
        raise PortError("port %r is neither a number nor a 'start-end' range" % (item,))
    if not lowest <= start <= 65535 or not lowest <= end <= 65535:
        raise PortError("port %r is outside %d-65535" % (item, lowest))
    if start > end:
        raise PortError("port range %r starts after it ends" % (item,))
    return start, end


def merge_ranges(ranges):
    """Merge (start, end) tuples that overlap or touch: (5060, 5061) and (5062, 5062) become (5060, 5062)."""
    merged = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + 1:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def port_ranges(items):
    """Parse and merge a port list into the fewest (start, end) tuples."""
    return merge_ranges(parse_port_item(item) for item in items)


def format_ranges(ranges):
    """The list form used everywhere outside this module: ``[2000, "5060-5062"]``."""
    return [start if start == end else "%d-%d" % (start, end) for start, end in ranges]


def merge_ports(items):
    """Parse, merge and format a port list in one step."""
    return format_ranges(port_ranges(items))


def ports_contain(items, port):
    """True when ``port`` lies in one of the items of a port list."""
    return any(start <= port <= end for start, end in (parse_port_item(item) for item in items))


def parse_network(text):
    """Return a netaddr IPNetwork for an address or CIDR, refusing host bits set in a CIDR."""
    if netaddr is None:
        raise AddressError("the Python library netaddr is required: pip install netaddr")
    if not isinstance(text, str):
        raise AddressError("address %r is not a string" % (text,))
    # netaddr would read "10" as 10.0.0.0/8: demand a dotted or colon form.
    if "." not in text and ":" not in text:
        raise AddressError("address %r is not a valid IPv4/IPv6 address or CIDR" % (text,))
    try:
        network = netaddr.IPNetwork(text.strip())
    except (netaddr.AddrFormatError, ValueError, TypeError):
        raise AddressError("address %r is not a valid IPv4/IPv6 address or CIDR" % (text,))
    if "/" in text and network.ip != network.network:
        raise AddressError("network %r has host bits set (did you mean %s?)" % (text, network.cidr))
    return network.cidr


_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
# canonical IPv4 text only (no leading zeros, no spaces); anything else goes through netaddr
_IPV4 = re.compile(r"^%s\.%s\.%s\.%s(?:/(3[0-2]|[12]?[0-9]))?$" % ((_OCTET,) * 4))
_BITS = {4: 32, 6: 128}


def ipv4_interval(text):
    """``(first, last)`` integers of a canonical IPv4 address or CIDR without host bits, else None.

    The fast path of the address arithmetic: no netaddr object is built. None means "not that simple" (IPv6,
    another spelling, an error): the caller then parses the text with netaddr, which also words the error.
    """
    match = _IPV4.match(text) if isinstance(text, str) else None
    if match is None:
        return None
    first = (int(match.group(1)) << 24) | (int(match.group(2)) << 16) | (int(match.group(3)) << 8) | int(match.group(4))
    size = 1 << (32 - int(match.group(5))) if match.group(5) else 1
    if first & (size - 1):
        return None
    return first, first + size - 1


def network_interval(text):
    """``(version, first, last)`` of an address or CIDR; errors as ``parse_network``."""
    interval = ipv4_interval(text)
    if interval is not None:
        return 4, interval[0], interval[1]
    network = parse_network(text)
    return network.version, network.first, network.last


def merge_intervals(intervals):
    """Merge (first, last) integer intervals that overlap or touch, sorted."""
    merged = []
    for first, last in sorted(intervals):
        if merged and first <= merged[-1][1] + 1:
            if last > merged[-1][1]:
                merged[-1] = (merged[-1][0], last)
        else:
            merged.append((first, last))
    return merged


def interval_cidrs(first, last, version):
    """The fewest CIDR strings covering the addresses first..last (integers) of one IP version, in order."""
    bits, out = _BITS[version], []
    while first <= last:
        size = first & -first if first else 1 << bits  # the largest block aligned at first ...
        while size > last - first + 1:  # ... that still fits
            size >>= 1
        out.append(_cidr_text(first, bits - size.bit_length() + 1, version))
        first += size
    return out


def _cidr_text(value, prefix, version):
    if version == 4:
        return "%d.%d.%d.%d/%d" % (value >> 24, (value >> 16) & 255, (value >> 8) & 255, value & 255, prefix)
    return "%s/%d" % (netaddr.IPAddress(value, 6), prefix)  # netaddr's compact IPv6 spelling


def merge_interval_lists(by_version):
    """{version: [(first, last), ...]} -> (IPv4 CIDR strings, IPv6 CIDR strings), merged and sorted."""
    return tuple([cidr for first, last in merge_intervals(by_version.get(version, ()))
                  for cidr in interval_cidrs(first, last, version)] for version in (4, 6))


def intersect_intervals(left, right):
    """Intersection of two merged, sorted interval sequences, as a tuple.

    A linear merge, with short cuts: equal inputs, disjoint bounds, and a few intervals against many (a node's
    address against thousands of phone subnets), where each of the few is looked up by bisection.
    """
    if left is right or left == right:
        return tuple(left)
    if not left or not right or left[-1][1] < right[0][0] or right[-1][1] < left[0][0]:
        return ()
    if len(left) < len(right):
        left, right = right, left
    out = []
    if len(right) * 16 < len(left):
        size = len(left)
        for first, last in right:
            pos = max(bisect.bisect_right(left, (first, float("inf"))) - 1, 0)
            while pos < size and left[pos][0] <= last:
                low, high = max(left[pos][0], first), min(left[pos][1], last)
                if low <= high:
                    out.append((low, high))
                pos += 1
        return tuple(out)
    i, j = 0, 0
    while i < len(left) and j < len(right):
        first, last = max(left[i][0], right[j][0]), min(left[i][1], right[j][1])
        if first <= last:
            out.append((first, last))
        if left[i][1] < right[j][1]:
            i += 1
        else:
            j += 1
    return tuple(out)


def subtract_intervals(left, right):
    """``left`` minus ``right`` (merged, sorted interval sequences), as a tuple (linear merge)."""
    if left is right or left == right:
        return ()
    if not left or not right or left[-1][1] < right[0][0] or right[-1][1] < left[0][0]:
        return tuple(left)
    if len(right) * 16 < len(left) and not intersect_intervals(left, right):
        return tuple(left)  # a few intervals against many, none of them touching
    out, j = [], 0
    for start, end in left:
        while j < len(right) and right[j][1] < start:
            j += 1
        k, cur = j, start
        while k < len(right) and right[k][0] <= end:
            if right[k][0] > cur:
                out.append((cur, right[k][0] - 1))
            cur = max(cur, right[k][1] + 1)
            if cur > end:
                break
            k += 1
        if cur <= end:
            out.append((cur, end))
    return tuple(out)


def interval_inside(spans, first, last):
    """``first..last`` lies inside one interval of ``spans`` (merged and sorted)."""
    pos = bisect.bisect_right(spans, (first, float("inf"))) - 1
    return pos >= 0 and spans[pos][0] <= first and last <= spans[pos][1]


_SPANS = {}


def _address_entry(cidrs):
    """The cache entry of an address list: [spans, CIDR strings or None until asked for]."""
    key = tuple(cidrs)
    found = _SPANS.get(key)
    if found is None:
        by_version = {4: [], 6: []}
        for text in key:
            version, first, last = loose_interval(text)
            by_version[version].append((first, last))
        found = [dict((version, tuple(merge_intervals(items))) for version, items in by_version.items()), None]
        if len(_SPANS) >= 4096:  # bounded
            _SPANS.clear()
        _SPANS[key] = found
    return found


def address_spans(cidrs):
    """``{4: intervals, 6: intervals}`` of an address list: merged, sorted ``(first, last)`` tuples per family.

    What ``netaddr.IPSet(cidrs)`` holds, on integers: each distinct list is read once per process (the flows
    of a large deployment repeat the same thousands of phone subnets), and the answer is shared, so callers
    must not change it. Text netaddr reads with host bits set (``10.0.0.1/24``) counts as its network, as in
    an IPSet; text it cannot read raises ``AddressError``.
    """
    return _address_entry(cidrs)[0]


def address_cidrs(cidrs):
    """The address list as the fewest CIDR strings, IPv4 first, in address order (``spans_cidrs`` of its
    ``address_spans``), worked out once per distinct list; a new list on each call."""
    found = _address_entry(cidrs)
    if found[1] is None:
        found[1] = tuple(spans_cidrs(found[0]))
    return list(found[1])


def spans_overlap(left, right):
    """Whether two ``address_spans`` answers share an address."""
    return any(intersect_intervals(left[version], right[version]) for version in (4, 6))


def spans_cidrs(spans):
    """The CIDR strings of ``{4: intervals, 6: intervals}``, IPv4 first, in address order: the text of
    ``netaddr.IPSet(...).iter_cidrs()`` sorted by version and network."""
    return [cidr for version in (4, 6) for first, last in spans.get(version, ())
            for cidr in interval_cidrs(first, last, version)]


def loose_interval(text):
    """``(version, first, last)`` of an address or CIDR as ``netaddr.IPNetwork`` reads it: host bits set
    (``10.0.0.1/24``) give the network, as in an IPSet; what netaddr refuses is an ``AddressError``."""
    try:
        return network_interval(text)
    except AddressError:
        require_netaddr()
        try:
            network = netaddr.IPNetwork(str(text).strip())
        except (netaddr.AddrFormatError, ValueError, TypeError):
            raise AddressError("address %r is not a valid IPv4/IPv6 address or CIDR" % (text,))
        return network.version, network.first, network.last


class Cidrs(tuple):
    """A tuple of CIDR strings that works out its hash once.

    A large deployment's address lists (thousands of phone subnets) are the keys of several caches, for every
    node and backend; a plain tuple hashes all its items on every lookup, this one only the first time.
    Equal to, and hashing like, the plain tuple of the same items.
    """

    def __hash__(self):
        try:
            return self._hash
        except AttributeError:
            self._hash = tuple.__hash__(self)
            return self._hash


class CidrList(list):
    """A list of CIDR strings that carries its ``Cidrs`` key (``cidrs_key``); a list like any other otherwise.
    Only in data that the collection renders itself (never handed to Ansible, whose dumpers know plain lists)."""

    __slots__ = ("key",)

    def __init__(self, key):
        super(CidrList, self).__init__(key)
        self.key = key if isinstance(key, Cidrs) else Cidrs(key)


def cidrs_key(items):
    """A hashable key of a CIDR list: a ``CidrList``'s own key, a ``Cidrs`` as it is, else a plain tuple."""
    if isinstance(items, Cidrs):
        return items
    if isinstance(items, CidrList):
        return items.key
    return tuple(items)


_MERGED = {}


def merge_networks(items):
    """Merge addresses and CIDRs into the fewest CIDRs, IPv4 first, as strings.

    Integer interval arithmetic (netaddr only for text that is not canonical IPv4), and each distinct list
    merged once: a deployment merges the same long zone lists (thousands of phone subnets) many times.
    """
    items = tuple(items)
    try:
        cached = _MERGED.get(items)
    except TypeError:  # an unhashable item: parse_network below names it
        cached, key = None, None
    else:
        key = items
    if cached is not None:
        return list(cached)
    by_version = {}
    for item in items:
        version, first, last = network_interval(item)
        by_version.setdefault(version, []).append((first, last))
    ipv4, ipv6 = merge_interval_lists(by_version)
    merged = ipv4 + ipv6
    if key is not None:
        if len(_MERGED) >= 1024:  # bounded
            _MERGED.clear()
        _MERGED[key] = tuple(merged)
    return merged


def split_families(items):
    """Split CIDR strings into (ipv4, ipv6) lists, keeping their order."""
    ipv4 = [item for item in items if ":" not in item]
    ipv6 = [item for item in items if ":" in item]
    return ipv4, ipv6


_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]{0,63}$")


def check_name(value, what="ACL name"):
    """An ACL/interface name: a letter first, then letters, digits, ``_ . -``; at most 64 characters."""
    if not isinstance(value, str) or not _NAME.match(value):
        raise PolicyError(
            "%s %r must start with a letter and hold only letters, digits, '_', '.', '-' "
            "(at most 64 characters)" % (what, value)
        )
    return value
