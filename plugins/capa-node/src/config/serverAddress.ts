import { NotAllowedError } from '@backstage/errors';
import dns from 'dns/promises';
import net from 'net';

/**
 * Which hosts a management cluster's API server may not be: the link-local range, where every
 * cloud's instance metadata service answers (credentials included), under every spelling that
 * reaches it. The WHATWG URL parser already turns decimal, octal, hex and trailing-dot IPv4 forms
 * into dotted quads; the rest is done here.
 */

/** Names that resolve to a metadata service inside a cloud. */
const METADATA_NAMES = new Set([
  'metadata',
  'metadata.google.internal',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.azure.internal',
]);

/** Hosts of public wildcard-DNS services, which answer with the address spelled in the name. */
const WILDCARD_DNS =
  /\.(nip\.io|sslip\.io|xip\.io|traefik\.me|localtest\.me|lvh\.me)$/;

function ipv4ToNumber(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function numberToIpv4(n: number): string {
  return [24, 16, 8, 0].map(shift => (n >>> shift) & 255).join('.');
}

/** Expands an IPv6 address to its eight 16-bit groups. */
function ipv6Groups(ip: string): number[] | undefined {
  let text = ip;
  // A trailing dotted quad (::ffff:1.2.3.4) becomes two groups.
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad) {
    const n = ipv4ToNumber(quad[1]);
    text = `${text.slice(0, -quad[1].length)}${(n >>> 16).toString(16)}:${(
      n & 0xffff
    ).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const parse = (s: string | undefined) =>
    s ? s.split(':').map(g => parseInt(g, 16)) : [];
  const h = parse(head);
  const t = parse(tail);
  if (tail === undefined) return h.length === 8 ? h : undefined;
  return [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
}

/**
 * The IPv4 address an IPv6 address carries, if it is one of the forms that reach IPv4 hosts:
 * IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96 and the local-use
 * 64:ff9b:1::/48) and 6to4 (2002:AABB:CCDD::/16).
 */
export function embeddedIpv4(ipv6: string): string | undefined {
  const g = ipv6Groups(ipv6);
  if (!g) return undefined;
  const low = numberToIpv4(((g[6] << 16) | g[7]) >>> 0);
  const zeros = (from: number, to: number) =>
    g.slice(from, to).every(x => x === 0);
  if (zeros(0, 5) && g[5] === 0xffff) return low;
  if (zeros(0, 6) && (g[6] !== 0 || g[7] > 1)) return low;
  if (g[0] === 0x64 && g[1] === 0xff9b && (zeros(2, 6) || g[2] === 1))
    return low;
  if (g[0] === 0x2002) return numberToIpv4(((g[1] << 16) | g[2]) >>> 0);
  return undefined;
}

/** Whether an IP address is link-local or a cloud metadata address. */
export function isForbiddenAddress(ip: string): boolean {
  if (net.isIPv4(ip)) {
    // 169.254.0.0/16: link-local, the metadata services of AWS, GCP, Azure and others.
    // 100.100.100.200: Alibaba Cloud's metadata service.
    return ip.startsWith('169.254.') || ip === '100.100.100.200';
  }
  if (net.isIPv6(ip)) {
    const v4 = embeddedIpv4(ip);
    if (v4) return isForbiddenAddress(v4);
    const g = ipv6Groups(ip);
    if (!g) return true;
    // fe80::/10 link-local; fd00:ec2::254 the EC2 metadata service over IPv6.
    if ((g[0] & 0xffc0) === 0xfe80) return true;
    return (
      g[0] === 0xfd00 &&
      g[1] === 0xec2 &&
      g.slice(2, 7).every(x => x === 0) &&
      g[7] === 0x254
    );
  }
  return false;
}

/** The IPv4 addresses a wildcard-DNS name spells: 1.2.3.4.nip.io, 1-2-3-4.sslip.io, 01020304.nip.io. */
function spelledIpv4(hostname: string): string[] {
  const found: string[] = [];
  for (const m of hostname.matchAll(
    /(?:^|[.-])(\d{1,3})[.-](\d{1,3})[.-](\d{1,3})[.-](\d{1,3})(?=[.-]|$)/g,
  )) {
    const parts = m.slice(1, 5).map(Number);
    if (parts.every(p => p <= 255)) found.push(parts.join('.'));
  }
  for (const m of hostname.matchAll(/(?:^|[.-])([0-9a-f]{8})(?=[.-]|$)/g))
    found.push(numberToIpv4(parseInt(m[1], 16)));
  return found;
}

/**
 * Why a URL's hostname must not be used for an API server, or undefined when it may. Takes the
 * hostname as `new URL()` gives it (lower case, IPv6 in brackets, IPv4 in dotted quads).
 */
export function forbiddenHostReason(hostname: string): string | undefined {
  const host = hostname.replace(/^\[|\]$/g, '').replace(/\.+$/, '');
  if (net.isIP(host))
    return isForbiddenAddress(host)
      ? 'must not be a link-local or cloud metadata address'
      : undefined;
  if (METADATA_NAMES.has(host))
    return 'must not be a link-local or cloud metadata address';
  if (WILDCARD_DNS.test(host) && spelledIpv4(host).some(isForbiddenAddress))
    return 'must not be a wildcard-DNS name of a link-local or cloud metadata address';
  return undefined;
}

/** Resolves a host name to its addresses (dns.lookup; replaceable in tests). */
export type LookupAll = (host: string) => Promise<Array<{ address: string }>>;

const lookupAll: LookupAll = host =>
  dns.lookup(host, { all: true, verbatim: true });

/**
 * Refuses an API server whose host is, or resolves to, a link-local or cloud metadata address,
 * right before the first request: the config check cannot see where a name leads.
 */
export async function checkServerAddress(
  cluster: string,
  server: string,
  lookup: LookupAll = lookupAll,
): Promise<void> {
  const { hostname } = new URL(server);
  const refuse = (reason: string) =>
    new NotAllowedError(
      `management cluster "${cluster}": its API server ${reason}; nothing was sent to it`,
    );
  const reason = forbiddenHostReason(hostname);
  if (reason) throw refuse(reason);
  const host = hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host)) return;
  const addresses = await lookup(host);
  if (addresses.some(a => isForbiddenAddress(a.address)))
    throw refuse(
      `name ${host} resolves to a link-local or cloud metadata address`,
    );
}
