import { KubeObject } from '../../../lib/validate/problem';
import { ipv4Range, ipVersion, isCidr } from '../../../lib/validate/rules/net';
import { apiRulesOf, the } from '../../support/valid-fixtures';

// The fields the API server has always accepted read an address with k8s.io/utils/net
// ParseIPSloppy (Go 1.16's net.ParseIP, apimachinery IsValidIPForLegacyField): IPv4 parts of any
// number of decimal digits up to 255, no IPv6 zone. kube-apiserver 1.34.2 accepts 010.0.0.1 with
// a "non-standard IP address" warning (the server-judged cases below).
describe('ipVersion', () => {
  test.each([
    ['10.0.0.1', 4], ['010.0.0.1', 4], ['0255.255.0.1', 4], ['010.0.10.1', 4], ['010.10.010.10', 4], ['0010.000.0.0001', 4], ['255.255.255.255', 4], ['fd00::1', 6], ['::ffff:1.2.3.4', 6], ['::ffff:010.0.0.1', 6],
  ])('%s is IPv%d', (value, version) => {
    expect(ipVersion(value)).toBe(version);
  });

  test.each([
    ['an IPv6 zone', 'fe80::1%eth0'], ['a zone on an IPv4 tail', '::ffff:1.2.3.4%0'], ['a part over 255', '256.0.0.1'], ['a part over 255 written long', '0000256.0.0.1'],
    ['three parts', '10.0.1'], ['a sign', '+10.0.0.1'], ['an empty part', '10..0.1'], ['a tail over 255', '::ffff:1.2.3.256'], ['a tail on no IPv6 head', 'x:010.0.0.1'], ['a host name', 'db.local'], ['text after a sloppy address', '010.0.0.1x'],
  ])('%s (%s) is no address', (_what, value) => {
    expect(ipVersion(value)).toBe(0);
  });
});

// k8s.io/apimachinery IsValidCIDRForLegacyField reads a CIDR with ParseCIDRSloppy: an address as
// ipVersion reads it, "/", and a prefix length of decimal digits of at most 32 (IPv4) or 128 (IPv6).
describe('isCidr', () => {
  test.each(['10.0.0.0/8', '10.0.0.0/0', '10.0.0.1/32', '::/0', 'fd00::/128', '010.0.0.0/8', '10.0.0.0/0008', '::ffff:010.0.0.0/104'])('%s is a CIDR', (value) => {
    expect(isCidr(value)).toBe(true);
  });

  test.each([
    ['no prefix length', '10.0.0.0'],
    ['an empty prefix length', '10.0.0.0/'],
    ['a prefix length over 32 for IPv4', '10.0.0.0/33'],
    ['a prefix length over 128 for IPv6', 'fd00::/129'],
    ['a prefix length over 32 written long', '10.0.0.0/00033'],
    ['an address with a zone', 'fe80::1%eth0/64'],
    ['a space after the prefix length', '10.0.0.0/8 '],
    ['a prefix length with an exponent', '10.0.0.0/8e0'],
    ['an address part over 255', '256.0.0.0/8'],
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

  test('reads IPv4 parts with leading zeros as decimal, as the API server does', () => {
    expect(ipv4Range('010.001.0.0/16')).toEqual([10 * 2 ** 24 + 2 ** 16, 10 * 2 ** 24 + 2 * 2 ** 16 - 1]);
  });

  test.each(['fd00::/8', '::ffff:10.0.0.0/104', '10.0.0.0', 'garbage/8'])('%s (IPv6 or not a CIDR) has none', (value) => {
    expect(ipv4Range(value)).toBeUndefined();
  });
});

// Each field the API server reads with ParseIPSloppy or ParseCIDRSloppy, through the rules that
// judge it. These tables are also sent to kube-apiserver 1.34.2 (test/validate/differential.test.ts
// reads every [text, change] row of test/validate/rules), which must agree.
describe('the legacy address fields, as the API server reads them', () => {
  const podSpec = (o: KubeObject[]) => the(o, 'Deployment', 'web').spec.template.spec;
  const ipBlock = (o: KubeObject[]) => the(o, 'NetworkPolicy', 'report-egress-smtp').spec.egress[0].to[0].ipBlock;
  const found = (change: (o: KubeObject[]) => void) => apiRulesOf(change).map((p) => `${p.object} ${p.path}: ${p.message}`);

  test.each([
    ['a nameserver with leading zeros', (o: KubeObject[]) => { Object.assign(podSpec(o), { dnsPolicy: 'None', dnsConfig: { nameservers: ['010.0.0.10'] } }); }],
    ['a host alias with leading zeros, also in an IPv6 address\'s IPv4 tail', (o: KubeObject[]) => { podSpec(o).hostAliases = [{ ip: '010.0.0.1', hostnames: ['db.local'] }, { ip: '::ffff:010.0.0.2', hostnames: ['cache.local'] }]; }],
    ['an ipBlock cidr and except with leading zeros', (o: KubeObject[]) => { Object.assign(ipBlock(o), { cidr: '010.0.0.0/8', except: ['010.1.0.0/16'] }); }],
    ['an ipBlock prefix length with leading zeros', (o: KubeObject[]) => { Object.assign(ipBlock(o), { cidr: '10.0.0.0/0008', except: ['10.1.0.0/016'] }); }],
  ])('%s is accepted', (_what, change) => {
    expect(found(change)).toEqual([]);
  });

  test.each([
    ['a nameserver with a zone', (o: KubeObject[]) => { Object.assign(podSpec(o), { dnsPolicy: 'None', dnsConfig: { nameservers: ['fe80::1%eth0'] } }); },
      ['Deployment/web spec.template.spec.dnsConfig.nameservers[0]: "fe80::1%eth0" is not an IP address']],
    ['a host alias with a zone', (o: KubeObject[]) => { podSpec(o).hostAliases = [{ ip: 'fe80::1%eth0', hostnames: ['db.local'] }]; },
      ['Deployment/web spec.template.spec.hostAliases[0].ip: "fe80::1%eth0" is not an IP address']],
    ['an ipBlock cidr with a zone', (o: KubeObject[]) => { Object.assign(ipBlock(o), { cidr: 'fe80::1%eth0/64', except: [] }); },
      ['NetworkPolicy/report-egress-smtp spec.egress[0].to[0].ipBlock.cidr: "fe80::1%eth0/64" is not a CIDR']],
    ['an Ingress host of an address with leading zeros', (o: KubeObject[]) => { the(o, 'Ingress', 'web').spec.rules[0].host = '010.0.0.1'; },
      ['Ingress/web spec.rules[0].host: host "010.0.0.1" is an IP address']],
  ])('%s is refused', (_what, change, expected) => {
    expect(found(change)).toEqual(expected);
  });
});
