/**
 * A small model of how a Gateway API implementation routes one HTTP request through a Gateway
 * and its HTTPRoutes, after the standard channel's rules (sigs.k8s.io/gateway-api apis/v1
 * gateway_types.go and httproute_types.go): listener by port and protocol; route attachment by
 * parentRefs, sectionName and allowedRoutes; hostnames; PathPrefix by whole path elements and
 * Exact; precedence Exact, then the longest prefix, then route name, then rule order; the
 * RequestRedirect and URLRewrite (ReplacePrefixMatch) filters. Enough to test the app's routes
 * request by request, not an implementation.
 */

/** One request as a client sends it. */
export interface HttpRequest {
  readonly scheme: 'http' | 'https';
  readonly host: string;
  readonly path: string;
}

/** What becomes of it. */
export type Outcome =
  | { readonly backend: string; readonly port: number; readonly path: string }
  | { readonly redirect: number; readonly location: string }
  | { readonly notFound: string };

type Obj = Record<string, any>;

const WELL_KNOWN_PORT = { http: 80, https: 443 } as const;

/** Routes the request through the Gateway `namespace/name` among the objects (a namespace of '' is the default one). */
export function routeThroughGateway(objects: readonly Obj[], gateway: { name: string; namespace?: string }, request: HttpRequest): Outcome {
  const namespace = (o: Obj) => o.metadata?.namespace ?? '';
  const gw = objects.find((o) => o.kind === 'Gateway' && o.metadata.name === gateway.name && namespace(o) === (gateway.namespace ?? ''));
  if (!gw) return { notFound: `no Gateway ${gateway.namespace ?? ''}/${gateway.name}` };
  const port = WELL_KNOWN_PORT[request.scheme];
  const listeners = (gw.spec.listeners as Obj[]).filter((l) => l.port === port && l.protocol === request.scheme.toUpperCase()
    && (l.hostname === undefined || hostMatches(l.hostname, request.host)));
  if (listeners.length === 0) return { notFound: `no listener for ${request.scheme} on ${port}` };

  type Candidate = { route: Obj; ruleIndex: number; rule: Obj; type: 'Exact' | 'PathPrefix'; value: string };
  const candidates: Candidate[] = [];
  for (const route of objects.filter((o) => o.kind === 'HTTPRoute')) {
    const attached = (route.spec.parentRefs as Obj[] ?? []).some((ref) => (ref.kind ?? 'Gateway') === 'Gateway'
      && ref.name === gw.metadata.name && (ref.namespace ?? namespace(route)) === namespace(gw)
      && listeners.some((l) => (ref.sectionName === undefined || ref.sectionName === l.name) && allows(l, gw, route)));
    if (!attached) continue;
    const hostnames: string[] = route.spec.hostnames ?? [];
    if (hostnames.length > 0 && !hostnames.some((h) => hostMatches(h, request.host))) continue;
    (route.spec.rules as Obj[] ?? []).forEach((rule, ruleIndex) => {
      // A rule without matches matches every path (HTTPRouteRule.Matches default: PathPrefix "/").
      const matches: Obj[] = rule.matches ?? [{ path: { type: 'PathPrefix', value: '/' } }];
      for (const match of matches) {
        const { type = 'PathPrefix', value = '/' } = match.path ?? {};
        if (pathMatches(type, value, request.path)) candidates.push({ route, ruleIndex, rule, type, value });
      }
    });
  }
  if (candidates.length === 0) return { notFound: `no route matches ${request.path}` };
  // HTTPRouteRule precedence: Exact before PathPrefix, longer prefix first, then by route (oldest,
  // else alphabetical namespace/name; these objects have no creation time), then rule order.
  candidates.sort((a, b) => (a.type === b.type ? 0 : a.type === 'Exact' ? -1 : 1)
    || b.value.length - a.value.length
    || `${namespace(a.route)}/${a.route.metadata.name}`.localeCompare(`${namespace(b.route)}/${b.route.metadata.name}`)
    || a.ruleIndex - b.ruleIndex);
  const { rule, type, value } = candidates[0];
  let path = request.path;
  for (const filter of rule.filters ?? []) {
    if (filter.type === 'RequestRedirect') {
      const redirect = filter.requestRedirect;
      const scheme: 'http' | 'https' = redirect.scheme ?? request.scheme;
      // HTTPRequestRedirectFilter.Port: unset, it is the scheme's well-known port when a scheme is set, else the listener's.
      const toPort = redirect.port ?? (redirect.scheme ? WELL_KNOWN_PORT[scheme] : port);
      const hostPart = toPort === WELL_KNOWN_PORT[scheme] ? redirect.hostname ?? request.host : `${redirect.hostname ?? request.host}:${toPort}`;
      const toPath = redirect.path ? rewrite(redirect.path, type, value, path) : path;
      return { redirect: redirect.statusCode ?? 302, location: `${scheme}://${hostPart}${toPath}` };
    }
    if (filter.type === 'URLRewrite' && filter.urlRewrite.path) path = rewrite(filter.urlRewrite.path, type, value, path);
  }
  const backends: Obj[] = rule.backendRefs ?? [];
  if (backends.length === 0) return { notFound: 'the rule has no backend' };
  return { backend: backends[0].name, port: backends[0].port, path };
}

function allows(listener: Obj, gateway: Obj, route: Obj): boolean {
  const from = listener.allowedRoutes?.namespaces?.from ?? 'Same';
  if (from === 'All') return true;
  if (from === 'Same') return (route.metadata?.namespace ?? '') === (gateway.metadata?.namespace ?? '');
  return false;
}

/** Hostname matching: exact, or a leading "*." standing for one or more labels. */
function hostMatches(pattern: string, host: string): boolean {
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
  return pattern === host;
}

/** PathPrefix matches whole elements, a trailing "/" of the prefix ignored: "/api" takes "/api" and "/api/x", not "/apifoo". */
function pathMatches(type: string, value: string, path: string): boolean {
  if (type === 'Exact') return path === value;
  const prefix = value !== '/' && value.endsWith('/') ? value.slice(0, -1) : value;
  return prefix === '/' || path === prefix || path.startsWith(`${prefix}/`);
}

/** HTTPPathModifier: ReplaceFullPath, or ReplacePrefixMatch of the matched prefix ("/api" with "/" turns "/api/x" into "/x" and "/api" into "/"). */
function rewrite(modifier: Obj, type: string, value: string, path: string): string {
  if (modifier.type === 'ReplaceFullPath') return modifier.replaceFullPath;
  if (type !== 'PathPrefix') throw new Error('ReplacePrefixMatch needs a PathPrefix match');
  const prefix = value !== '/' && value.endsWith('/') ? value.slice(0, -1) : value;
  const rest = prefix === '/' ? path : path.slice(prefix.length);
  const replacement: string = modifier.replacePrefixMatch;
  const joined = replacement.endsWith('/') && rest.startsWith('/') ? replacement + rest.slice(1) : replacement + rest;
  return joined === '' ? '/' : joined;
}
