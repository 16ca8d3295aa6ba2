import { BlockList, isIP } from 'node:net';

/**
 * Which hosts actions may call and which addresses they may reach. A host must be on the allowlist (exactly, or
 * under a `*.` wildcard); every address it resolves to must be an ordinary public one, unless the allowlist names
 * that address (or a CIDR holding it) or, for loopback, private and link-local addresses, `allowPrivate` is set.
 */

/** Address ranges refused by default, most specific first, so 169.254.169.254 reads as metadata, not link-local. */
export const ADDRESS_KINDS = [
  'metadata',
  'unspecified',
  'loopback',
  'link-local',
  'private',
  'multicast',
  'reserved',
] as const;
export type AddressKind = (typeof ADDRESS_KINDS)[number];

const RANGES: Record<AddressKind, Array<[string, number, 'ipv4' | 'ipv6']>> = {
  // AWS, GCP and Azure (169.254.169.254), AWS ECS task metadata, AWS over IPv6, Alibaba Cloud.
  metadata: [
    ['169.254.169.254', 32, 'ipv4'],
    ['169.254.170.2', 32, 'ipv4'],
    ['fd00:ec2::254', 128, 'ipv6'],
    ['100.100.100.200', 32, 'ipv4'],
  ],
  unspecified: [
    ['0.0.0.0', 8, 'ipv4'],
    ['::', 128, 'ipv6'],
  ],
  loopback: [
    ['127.0.0.0', 8, 'ipv4'],
    ['::1', 128, 'ipv6'],
  ],
  'link-local': [
    ['169.254.0.0', 16, 'ipv4'],
    ['fe80::', 10, 'ipv6'],
  ],
  // RFC 1918, carrier-grade NAT and IPv6 unique local addresses: the inside of a network.
  private: [
    ['10.0.0.0', 8, 'ipv4'],
    ['172.16.0.0', 12, 'ipv4'],
    ['192.168.0.0', 16, 'ipv4'],
    ['100.64.0.0', 10, 'ipv4'],
    ['fc00::', 7, 'ipv6'],
  ],
  multicast: [
    ['224.0.0.0', 4, 'ipv4'],
    ['ff00::', 8, 'ipv6'],
  ],
  // Class E and the broadcast address.
  reserved: [['240.0.0.0', 4, 'ipv4']],
};

const KIND_LISTS = ADDRESS_KINDS.map((kind) => {
  const list = new BlockList();
  for (const [network, prefix, family] of RANGES[kind]) {
    list.addSubnet(network, prefix, family);
  }
  return [kind, list] as const;
});

/** Kinds that `allowPrivate` opens (a lab whose receivers run on this machine or the local network). */
const LAB_KINDS: ReadonlySet<AddressKind> = new Set(['loopback', 'link-local', 'private']);

/** Hostnames that reach cloud metadata services whatever they resolve to. */
const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata.goog', 'metadata']);

const DESCRIPTIONS: Record<AddressKind, string> = {
  metadata: 'cloud metadata addresses are not allowed',
  unspecified: 'unspecified addresses are not allowed',
  loopback: 'loopback addresses are not allowed',
  'link-local': 'link-local addresses are not allowed',
  private: 'private network addresses are not allowed',
  multicast: 'multicast addresses are not allowed',
  reserved: 'reserved addresses are not allowed',
};

/** IPv4 and IPv6 families as Node's BlockList names them. */
function family(address: string): 'ipv4' | 'ipv6' | undefined {
  const version = isIP(address);
  return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : undefined;
}

/** The special range an address falls in (IPv4-mapped IPv6 counts as IPv4), or undefined for a public address. */
export function addressKind(address: string): AddressKind | undefined {
  const type = family(address);
  if (type === undefined) {
    return undefined;
  }
  return KIND_LISTS.find(([, list]) => list.check(address, type))?.[0];
}

export type EgressRule =
  | { kind: 'host'; host: string; text: string }
  | { kind: 'wildcard'; suffix: string; text: string }
  | { kind: 'network'; list: BlockList; text: string };

export interface EgressPolicy {
  rules: EgressRule[];
  /** Lab use: loopback, private and link-local addresses are allowed for allowed hosts (metadata never). */
  allowPrivate: boolean;
}

/**
 * The allowlist from a comma- or whitespace-separated list: `hooks.slack.com`, `*.pagerduty.com` (subdomains only),
 * an IP address or a CIDR (`127.0.0.1`, `10.0.0.0/8`, `::1`). `where` names the setting in errors.
 */
export function parseEgressAllowlist(text: string, where: string): EgressRule[] {
  return text
    .split(/[\s,]+/)
    .filter((entry) => entry !== '')
    .map((entry) => parseRule(entry, where));
}

function parseRule(entry: string, where: string): EgressRule {
  const bare = entry.startsWith('[') && entry.endsWith(']') ? entry.slice(1, -1) : entry;
  const slash = bare.indexOf('/');
  const address = slash < 0 ? bare : bare.slice(0, slash);
  const type = family(address);
  if (type !== undefined) {
    const bits = type === 'ipv4' ? 32 : 128;
    const prefix = slash < 0 ? bits : Number(bare.slice(slash + 1));
    if (
      !Number.isInteger(prefix) ||
      prefix < 0 ||
      prefix > bits ||
      (slash >= 0 && !/^\d+$/.test(bare.slice(slash + 1)))
    ) {
      throw new Error(
        `${where}: ${JSON.stringify(entry)} has a bad prefix length; write an address or a CIDR such as 10.0.0.0/8`
      );
    }
    const list = new BlockList();
    list.addSubnet(address, prefix, type);
    return { kind: 'network', list, text: entry };
  }
  const wildcard = entry.startsWith('*.');
  const name = wildcard ? entry.slice(2) : entry;
  if (name === '' || /[\s/:?#@*[\]]/.test(name)) {
    throw new Error(
      `${where}: ${JSON.stringify(entry)} is not a host name, *.domain, IP address or CIDR (no scheme, port or path)`
    );
  }
  let host: string;
  try {
    // The URL parser lowercases and punycodes the name as it will for the URLs actions call.
    host = new URL(`http://${name}/`).hostname.replace(/\.$/, '');
  } catch {
    throw new Error(`${where}: ${JSON.stringify(entry)} is not a valid host name`);
  }
  if (host === '' || !/^[a-z0-9.-]+$/.test(host)) {
    throw new Error(`${where}: ${JSON.stringify(entry)} is not a valid host name`);
  }
  return wildcard ? { kind: 'wildcard', suffix: `.${host}`, text: entry } : { kind: 'host', host, text: entry };
}

/** A refusal's reason, worded to say what to change. */
export interface Refusal {
  reason: string;
}

const ALLOW_HINT = 'INTELOPS_EGRESS_ALLOW';

/** Whether `hostname` (as the URL parser gives it) is on the allowlist; a Refusal saying why not otherwise. */
export function checkHost(policy: EgressPolicy, hostname: string): Refusal | undefined {
  const host = unbracket(hostname).toLowerCase().replace(/\.$/, '');
  if (family(host) !== undefined) {
    return networkRule(policy, host) !== undefined
      ? undefined
      : { reason: `the address is not on the egress allowlist; add it (or a CIDR holding it) to ${ALLOW_HINT}` };
  }
  const exact = policy.rules.some((rule) => rule.kind === 'host' && rule.host === host);
  if (METADATA_HOSTS.has(host) && !exact) {
    return { reason: `cloud metadata hosts are not allowed; name it exactly in ${ALLOW_HINT} to allow it` };
  }
  const allowed = exact || policy.rules.some((rule) => rule.kind === 'wildcard' && host.endsWith(rule.suffix));
  return allowed
    ? undefined
    : { reason: `the host is not on the egress allowlist; add it (or *.${parentDomain(host)}) to ${ALLOW_HINT}` };
}

/** Whether an allowed host may be reached at `address`; a Refusal naming the rule otherwise. */
export function checkAddress(policy: EgressPolicy, address: string): Refusal | undefined {
  const kind = addressKind(address);
  if (kind === undefined || networkRule(policy, address) !== undefined) {
    return undefined;
  }
  if (policy.allowPrivate && LAB_KINDS.has(kind)) {
    return undefined;
  }
  const lab = LAB_KINDS.has(kind) ? ', or set INTELOPS_EGRESS_ALLOW_PRIVATE=true for lab use' : '';
  return {
    reason: `${DESCRIPTIONS[kind]}; allow them by adding ${address} (or a CIDR holding it) to ${ALLOW_HINT}${lab}`,
  };
}

function networkRule(policy: EgressPolicy, address: string): EgressRule | undefined {
  const type = family(address);
  return type === undefined
    ? undefined
    : policy.rules.find((rule) => rule.kind === 'network' && rule.list.check(address, type));
}

export function unbracket(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

function parentDomain(host: string): string {
  const parts = host.split('.');
  return parts.length > 2 ? parts.slice(1).join('.') : host;
}
