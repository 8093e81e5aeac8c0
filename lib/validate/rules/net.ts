import { isIP } from 'net';

/** Four dot-separated runs of decimal digits: an IPv4 address as Go 1.16's parser reads it. */
const SLOPPY_V4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/;

/** An IPv4 address's four parts, each of any number of decimal digits (leading zeros too) up to 255. */
function sloppyIPv4(value: string): number[] | undefined {
  const parts = SLOPPY_V4.exec(value)?.slice(1).map(Number);
  return parts?.every((part) => part <= 255) ? parts : undefined;
}

/**
 * The IP version of an address as the API server reads the fields it has always accepted
 * (k8s.io/apimachinery IsValidIPForLegacyField: k8s.io/utils/net ParseIPSloppy, Go 1.16's
 * net.ParseIP): 4, 6, or 0 for no address. Unlike Node's isIP it takes IPv4 parts with leading
 * zeros ("010.0.0.1", also as an IPv6 address's IPv4 tail: the server accepts them with a
 * "non-standard IP address" warning, checked against kube-apiserver 1.34.2) and refuses an IPv6
 * zone ("fe80::1%eth0").
 */
export function ipVersion(value: string): 0 | 4 | 6 {
  if (value.includes('%')) return 0;
  const version = isIP(value);
  if (version === 4 || version === 6) return version;
  if (sloppyIPv4(value)) return 4;
  const colon = value.lastIndexOf(':');
  const tail = colon < 0 ? undefined : sloppyIPv4(value.slice(colon + 1));
  return tail && isIP(`${value.slice(0, colon + 1)}${tail.join('.')}`) === 6 ? 6 : 0;
}

/**
 * Whether a string is a CIDR as the API server reads the fields it has always accepted
 * (IsValidCIDRForLegacyField: ParseCIDRSloppy): an address as ipVersion reads it, "/", and a
 * prefix length of decimal digits (leading zeros too: "10.0.0.0/0008") of at most 32 (IPv4) or
 * 128 (IPv6) bits.
 */
export function isCidr(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0) return false;
  const version = ipVersion(value.slice(0, slash));
  const bits = value.slice(slash + 1);
  if (version === 0 || !/^\d+$/.test(bits)) return false;
  return Number(bits) <= (version === 4 ? 32 : 128);
}

/** An IPv4 CIDR as a [first, last] pair of 32-bit numbers, or undefined for IPv6 or garbage. */
export function ipv4Range(cidr: string): [number, number] | undefined {
  if (!isCidr(cidr)) return undefined;
  const [ip, bits] = cidr.split('/');
  const parts = sloppyIPv4(ip);
  if (!parts) return undefined;
  const n = parts.reduce((acc, part) => acc * 256 + part, 0);
  const size = 2 ** (32 - Number(bits));
  const first = Math.floor(n / size) * size;
  return [first, first + size - 1];
}
