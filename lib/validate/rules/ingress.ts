import { isDnsSubdomain } from '../names';
import { isObject } from '../pods';
import { KubeObject } from '../problem';
import { Add, checkName, checkPort, checkPortName, DNS1035_RULE, isDns1035Label, SUBDOMAIN_RULE } from './common';
import { ipVersion } from './net';

const PATH_TYPES = ['Exact', 'Prefix', 'ImplementationSpecific'];
// networking validateIngressHTTPPath: sequences an Exact or Prefix path may not hold.
const INVALID_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_SUFFIXES = ['/..', '/.'];

// k8s.io/kubernetes pkg/apis/networking/validation ValidateIngressSpec (networking.k8s.io/v1).
export function checkIngress(object: KubeObject, add: Add): void {
  const spec: KubeObject = isObject(object.spec) ? object.spec : {}; // judged as the API server does: an empty spec
  const rules = Array.isArray(spec.rules) ? spec.rules : [];
  if (rules.length === 0 && !isObject(spec.defaultBackend)) add('spec', 'the Ingress has neither rules nor a defaultBackend', 'spec.rules or spec.defaultBackend');
  if (spec.ingressClassName !== undefined && spec.ingressClassName !== null) checkName(String(spec.ingressClassName), 'spec.ingressClassName', 'IngressClass name', 'subdomain', add);
  if (isObject(spec.defaultBackend)) checkBackend(spec.defaultBackend, 'spec.defaultBackend', add);
  const regex = object.metadata?.annotations?.['nginx.ingress.kubernetes.io/use-regex'] === 'true';
  rules.forEach((rule: KubeObject, r: number) => {
    if (!isObject(rule)) return;
    if (rule.host !== undefined && rule.host !== null && rule.host !== '') checkHost(String(rule.host), `spec.rules[${r}].host`, add);
    if (!isObject(rule.http)) return;
    const paths = Array.isArray(rule.http.paths) ? rule.http.paths : [];
    if (paths.length === 0) add(`spec.rules[${r}].http.paths`, 'the rule has no paths', 'at least one path');
    paths.forEach((entry: KubeObject, p: number) => {
      if (!isObject(entry)) return;
      const at = `spec.rules[${r}].http.paths[${p}]`;
      const path = typeof entry.path === 'string' ? entry.path : '';
      if (entry.pathType === undefined || entry.pathType === null) { /* required: the schema's finding */ } else if (!PATH_TYPES.includes(entry.pathType)) add(`${at}.pathType`, `pathType ${JSON.stringify(entry.pathType)} is not valid`, PATH_TYPES.join(', '));
      else if (entry.pathType === 'Exact' || entry.pathType === 'Prefix') {
        if (!path.startsWith('/')) add(`${at}.path`, `path "${path}" is not absolute`, 'a path starting with /');
        else {
          const bad = INVALID_SEQUENCES.find((s) => path.includes(s)) ?? INVALID_SUFFIXES.find((s) => path.endsWith(s));
          if (bad) add(`${at}.path`, `path "${path}" contains "${bad}"`, `no ${[...INVALID_SEQUENCES, ...INVALID_SUFFIXES.map((s) => `trailing ${s}`)].join(', ')} with pathType ${entry.pathType}`);
        }
      } else if (path !== '' && !path.startsWith('/')) add(`${at}.path`, `path "${path}" is not absolute`, 'a path starting with /');
      // ingress-nginx's admission webhook (not the API server, which accepts it) rejects a regex
      // path whose pathType is Prefix or Exact when use-regex is on: a warning, as the webhook
      // runs only in clusters with ingress-nginx installed.
      if (regex && (entry.pathType === 'Prefix' || entry.pathType === 'Exact') && /[\^$*+?()[\]{}|]/.test(path)) {
        add(`${at}.pathType`, `regex path "${path}" with pathType ${entry.pathType}: ingress-nginx's admission webhook rejects it`, 'pathType ImplementationSpecific for regex paths', 'warning');
      }
      if (isObject(entry.backend)) checkBackend(entry.backend, `${at}.backend`, add);
    });
  });
  (Array.isArray(spec.tls) ? spec.tls : []).forEach((tls: KubeObject, i: number) => {
    if (!isObject(tls)) return;
    (Array.isArray(tls.hosts) ? tls.hosts : []).forEach((host: unknown, h: number) => checkHost(String(host), `spec.tls[${i}].hosts[${h}]`, add));
    if (typeof tls.secretName === 'string' && tls.secretName !== '') checkName(tls.secretName, `spec.tls[${i}].secretName`, 'Secret name', 'subdomain', add);
  });
}

// networking validateIngressRules / validateIngressTLS: a DNS name or a wildcard, not an IP.
function checkHost(host: string, path: string, add: Add): void {
  if (ipVersion(host) !== 0) add(path, `host "${host}" is an IP address`, 'a DNS name');
  else if (host.startsWith('*.') ? !isDnsSubdomain(host.slice(2)) : !isDnsSubdomain(host)) add(path, `host "${host}" is not a DNS name`, `${SUBDOMAIN_RULE}, or *. followed by one`);
}

// networking validateIngressBackend
function checkBackend(backend: KubeObject, at: string, add: Add): void {
  const service = backend.service;
  const resource = backend.resource;
  if (isObject(service) && isObject(resource)) { add(at, 'the backend sets both service and resource', 'one of service or resource'); return; }
  if (!isObject(service) && !isObject(resource)) { add(at, 'the backend sets neither service nor resource', 'a service (name and port)'); return; }
  if (!isObject(service)) return;
  if (typeof service.name === 'string' && !isDns1035Label(service.name)) add(`${at}.service.name`, `Service name "${service.name}" is not valid`, DNS1035_RULE); // ValidateServiceName
  const port = isObject(service.port) ? service.port : {};
  const hasName = typeof port.name === 'string' && port.name !== '';
  const hasNumber = port.number !== undefined && port.number !== null && port.number !== 0;
  if (hasName && hasNumber) add(`${at}.service.port`, 'the backend port sets both name and number', 'one of port.name or port.number');
  else if (!hasName && !hasNumber) add(`${at}.service.port`, 'the backend port has neither name nor number', 'port.name or port.number');
  else if (hasName) checkPortName(port.name, `${at}.service.port.name`, add);
  else checkPort(port.number, `${at}.service.port.number`, add);
}
