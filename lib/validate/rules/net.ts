import { isIP } from 'net';

/** Whether a string is a CIDR as k8s.io/apimachinery IsValidCIDR (Go net.ParseCIDR) reads it. */
export function isCidr(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0) return false;
  const ip = value.slice(0, slash);
  const bits = value.slice(slash + 1);
  const version = isIP(ip);
  if (version === 0 || !/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (version === 4 ? 32 : 128);
}

/** An IPv4 CIDR as a [first, last] pair of 32-bit numbers, or undefined for IPv6 or garbage. */
export function ipv4Range(cidr: string): [number, number] | undefined {
  if (!isCidr(cidr) || isIP(cidr.split('/')[0]) !== 4) return undefined;
  const [ip, bits] = cidr.split('/');
  const n = ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
  const size = 2 ** (32 - Number(bits));
  const first = Math.floor(n / size) * size;
  return [first, first + size - 1];
}

