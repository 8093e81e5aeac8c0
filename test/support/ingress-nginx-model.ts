import type { HttpRequest, Outcome } from './gateway-api-model';

/**
 * A small model of how ingress-nginx routes one request through an Ingress with
 * `use-regex: "true"` and `rewrite-target`: a rule of the request's host wins over rules without
 * a host (nginx's default server catches every other name); each path becomes
 * `location ~* "^<path>"` (case-insensitive, anchored at the start only), longest path first, the
 * first that matches taking the request; `rewrite-target` substitutes the regex's groups ($1).
 * With TLS for the host and `ssl-redirect` (on by default), plain HTTP gets a redirect with
 * ingress-nginx's default `http-redirect-code`, 308.
 */
export function routeThroughIngress(ingress: Record<string, any>, request: HttpRequest): Outcome {
  const annotations: Record<string, string> = ingress.metadata.annotations ?? {};
  const tlsHosts: string[] = (ingress.spec.tls ?? []).flatMap((t: any) => t.hosts ?? []);
  if (request.scheme === 'http' && tlsHosts.includes(request.host) && annotations['nginx.ingress.kubernetes.io/ssl-redirect'] !== 'false') {
    return { redirect: 308, location: `https://${request.host}${request.path}` };
  }
  const rules: any[] = ingress.spec.rules ?? [];
  const forHost = rules.filter((r) => r.host === request.host);
  const chosen = forHost.length > 0 ? forHost : rules.filter((r) => r.host === undefined);
  const paths = chosen.flatMap((r) => r.http.paths as any[]).sort((a, b) => b.path.length - a.path.length);
  for (const p of paths) {
    const match = new RegExp(`^${p.path}`, 'i').exec(request.path);
    if (!match) continue;
    const target = annotations['nginx.ingress.kubernetes.io/rewrite-target'];
    const path = target ? target.replace(/\$(\d)/g, (_all, n) => match[Number(n)] ?? '') : request.path;
    return { backend: p.backend.service.name, port: p.backend.service.port.number, path };
  }
  return { notFound: `no path matches ${request.path}` };
}
