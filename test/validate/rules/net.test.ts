import { ipv4Range, isCidr } from '../../../lib/validate/rules/net';

// k8s.io/apimachinery IsValidCIDR reads a CIDR with Go's net.ParseCIDR: an address, "/", and a
// prefix length of at most 32 (IPv4) or 128 (IPv6) bits.
describe('isCidr', () => {
  test.each(['10.0.0.0/8', '10.0.0.0/0', '10.0.0.1/32', '::/0', 'fd00::/128'])('%s is a CIDR', (value) => {
    expect(isCidr(value)).toBe(true);
  });

  test.each([
    ['no prefix length', '10.0.0.0'],
    ['an empty prefix length', '10.0.0.0/'],
    ['a prefix length over 32 for IPv4', '10.0.0.0/33'],
    ['a prefix length over 128 for IPv6', 'fd00::/129'],
    ['a four-digit prefix length', '10.0.0.0/0008'],
    ['a prefix length with a sign', '10.0.0.0/+8'],
    ['a prefix length with text after it', '10.0.0.0/8x'],
    ['text before the address', 'x10.0.0.0/8'],
    ['a host name', 'example.com/8'],
  ])('%s (%s) is not a CIDR', (_what, value) => {
    expect(isCidr(value)).toBe(false);
  });
});

describe('ipv4Range', () => {
  test('is the first and last address of the block, whatever host bits the address holds', () => {
    expect(ipv4Range('10.1.2.3/8')).toEqual([10 * 2 ** 24, 11 * 2 ** 24 - 1]);
    expect(ipv4Range('192.168.1.77/24')).toEqual([(((192 * 256) + 168) * 256 + 1) * 256, (((192 * 256) + 168) * 256 + 1) * 256 + 255]);
  });

  test('a /32 is one address and a /0 every address', () => {
    expect(ipv4Range('10.0.0.5/32')).toEqual([10 * 2 ** 24 + 5, 10 * 2 ** 24 + 5]);
    expect(ipv4Range('0.0.0.0/0')).toEqual([0, 2 ** 32 - 1]);
  });

  test.each(['fd00::/8', '10.0.0.0', 'garbage/8'])('%s (IPv6 or not a CIDR) has none', (value) => {
    expect(ipv4Range(value)).toBeUndefined();
  });
});
