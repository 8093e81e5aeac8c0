import { isObject } from '../pods';
import { KubeObject } from '../problem';
import { Add, checkEnum, checkIntOrPercent, checkLabelSelector, checkPort, checkPortNumOrName, isInt } from './common';
import { ipv4Range, isCidr } from './net';

// k8s.io/kubernetes pkg/apis/policy/validation ValidatePodDisruptionBudgetSpec: minAvailable and
// maxUnavailable may not both be set (neither is valid too), each a number or a percentage.
export function checkPodDisruptionBudget(object: KubeObject, add: Add): void {
  const spec = object.spec;
  if (!isObject(spec)) return;
  const set = (v: unknown) => v !== undefined && v !== null;
  if (set(spec.minAvailable) && set(spec.maxUnavailable)) add('spec', 'minAvailable and maxUnavailable are both set', 'one of minAvailable or maxUnavailable');
  checkIntOrPercent(spec.minAvailable, 'spec.minAvailable', add);
  checkIntOrPercent(spec.maxUnavailable, 'spec.maxUnavailable', add);
  checkLabelSelector(spec.selector, 'spec.selector', add);
  checkEnum(spec.unhealthyPodEvictionPolicy, ['IfHealthyBudget', 'AlwaysAllow'], 'spec.unhealthyPodEvictionPolicy', add);
}

// k8s.io/kubernetes pkg/apis/networking/validation ValidateNetworkPolicySpec.
export function checkNetworkPolicy(object: KubeObject, add: Add): void {
  const spec = object.spec;
  if (!isObject(spec)) return;
  checkLabelSelector(spec.podSelector, 'spec.podSelector', add);
  for (const [direction, peersField] of [['ingress', 'from'], ['egress', 'to']] as const) {
    (Array.isArray(spec[direction]) ? spec[direction] : []).forEach((rule: KubeObject, r: number) => {
      if (!isObject(rule)) return;
      const at = `spec.${direction}[${r}]`;
      (Array.isArray(rule.ports) ? rule.ports : []).forEach((port: KubeObject, p: number) => checkPolicyPort(port, `${at}.ports[${p}]`, add));
      (Array.isArray(rule[peersField]) ? rule[peersField] : []).forEach((peer: KubeObject, p: number) => checkPeer(peer, `${at}.${peersField}[${p}]`, add));
    });
  }
  const types = spec.policyTypes;
  if (Array.isArray(types)) {
    types.forEach((t: unknown, i: number) => checkEnum(t, ['Ingress', 'Egress'], `spec.policyTypes[${i}]`, add));
    if (types.length > 2) add('spec.policyTypes', `${types.length} policyTypes`, 'at most Ingress and Egress');
  }
}

// ValidateNetworkPolicyPort
function checkPolicyPort(port: KubeObject, at: string, add: Add): void {
  if (!isObject(port)) return;
  checkEnum(port.protocol, ['TCP', 'UDP', 'SCTP'], `${at}.protocol`, add);
  const value = port.port;
  // ValidateNetworkPolicyPort: a string port is a name, even when it holds digits.
  if (typeof value === 'string') checkPortNumOrName(value, `${at}.port`, add);
  else if (value !== undefined && value !== null) checkPort(value, `${at}.port`, add);
  if (port.endPort === undefined || port.endPort === null) return;
  if (value === undefined || value === null) add(`${at}.endPort`, 'endPort without a port', 'a numeric port to start the range');
  else if (typeof value === 'string') add(`${at}.endPort`, 'endPort with a named port', 'a numeric port to start the range');
  else {
    checkPort(port.endPort, `${at}.endPort`, add, 'endPort');
    if (isInt(port.endPort) && port.endPort < Number(value)) add(`${at}.endPort`, `endPort ${port.endPort} is below port ${value}`, 'endPort >= port');
  }
}

// ValidateNetworkPolicyPeer and ValidateIPBlock
function checkPeer(peer: KubeObject, at: string, add: Add): void {
  if (!isObject(peer)) return;
  const kinds = ['podSelector', 'namespaceSelector', 'ipBlock'].filter((k) => peer[k] !== undefined && peer[k] !== null);
  if (kinds.length === 0) add(at, 'the peer selects nothing', 'podSelector, namespaceSelector, or ipBlock');
  else if (kinds.includes('ipBlock') && kinds.length > 1) add(at, 'the peer combines ipBlock with a selector', 'ipBlock alone, or selectors without ipBlock');
  checkLabelSelector(peer.podSelector, `${at}.podSelector`, add);
  checkLabelSelector(peer.namespaceSelector, `${at}.namespaceSelector`, add);
  const block = peer.ipBlock;
  if (!isObject(block)) return;
  const cidr = block.cidr;
  if (typeof cidr !== 'string') return;
  if (!isCidr(cidr)) { add(`${at}.ipBlock.cidr`, `"${cidr}" is not a CIDR`, 'a CIDR such as 10.0.0.0/8'); return; }
  const outer = ipv4Range(cidr);
  (Array.isArray(block.except) ? block.except : []).forEach((except: unknown, i: number) => {
    const path = `${at}.ipBlock.except[${i}]`;
    if (typeof except !== 'string' || !isCidr(except)) { add(path, `"${except}" is not a CIDR`, `a CIDR inside ${cidr}`); return; }
    const inner = ipv4Range(except); // IPv4 ranges only; Go's IPNet.Contains is false across families
    if ((outer === undefined) !== (inner === undefined) || (outer && inner && !(inner[0] >= outer[0] && inner[1] <= outer[1] && inner[1] - inner[0] < outer[1] - outer[0]))) {
      add(path, `${except} is not a strict subset of ${cidr}`, `a smaller CIDR inside ${cidr}`);
    }
  });
}
