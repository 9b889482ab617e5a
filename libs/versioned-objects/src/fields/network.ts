import { isIPv4, isIPv6 } from 'node:net';
import { CoercionFailure, shortRepr, type FieldType } from './field-type.js';
import { coerceString } from './scalars.js';

function ipv4(s: string): string {
  if (!isIPv4(s) || s.split('.').some((o) => o.length > 1 && o.startsWith('0'))) {
    throw new CoercionFailure(`${shortRepr(s)} is not a valid IPv4 address`);
  }
  return s;
}

/** RFC 5952 text: lowercase, leading zeros dropped, the longest run of zero groups as `::`. */
function ipv6(s: string): string {
  if (!isIPv6(s)) throw new CoercionFailure(`${shortRepr(s)} is not a valid IPv6 address`);
  const lower = s.toLowerCase();
  if (lower.includes('.')) return lower;
  const [head, tail] = lower.includes('::') ? lower.split('::') : [lower, undefined];
  const h = head ? head.split(':') : [];
  const t = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...new Array(8 - h.length - t.length).fill('0'), ...t];
  const nums = groups.map((g) => parseInt(g, 16).toString(16));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (nums[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && nums[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return nums.join(':');
  return `${nums.slice(0, bestStart).join(':')}::${nums.slice(bestStart + bestLen).join(':')}`;
}

function anyIp(s: string): string {
  return s.includes(':') ? ipv6(s) : ipv4(s);
}

function network(s: string, addr: (a: string) => string, maxFor: (a: string) => number): string {
  const slash = s.indexOf('/');
  const a = addr(slash < 0 ? s : s.slice(0, slash));
  const max = maxFor(a);
  if (slash < 0) return `${a}/${max}`;
  const p = s.slice(slash + 1);
  if (!/^\d{1,3}$/.test(p) || Number(p) > max) throw new CoercionFailure(`${shortRepr(s)} has an invalid prefix length`);
  return `${a}/${Number(p)}`;
}

function stringBased(kind: string, check: (s: string) => string, sample: string): FieldType<string> {
  const coerce = (v: unknown) => check(coerceString(v));
  return {
    kind,
    describe: () => kind,
    coerce,
    toPrimitive: null,
    fromPrimitive: (v) => coerce(v),
    container: false,
    clone: (v) => v,
    equals: (a, b) => a === b,
    sample: () => sample,
  };
}

const v4max = () => 32;
const v6max = () => 128;
const anyMax = (a: string) => (a.includes(':') ? 128 : 32);

export const IPAddressType = stringBased('IPAddress', anyIp, '192.0.2.10');
export const IPV4AddressType = stringBased('IPV4Address', ipv4, '192.0.2.10');
export const IPV6AddressType = stringBased('IPV6Address', ipv6, '2001:db8::10');
export const IPNetworkType = stringBased('IPNetwork', (s) => network(s, anyIp, anyMax), '192.0.2.0/24');
export const IPV4NetworkType = stringBased('IPV4Network', (s) => network(s, ipv4, v4max), '192.0.2.0/24');
export const IPV6NetworkType = stringBased('IPV6Network', (s) => network(s, ipv6, v6max), '2001:db8::/64');

const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

/** oslo's MACAddress: strings only, lowercased, `-` → `:`. */
export const MACAddressType: FieldType<string> = {
  ...stringBased('MACAddress', (s) => s, 'fa:16:3e:00:00:01'),
  coerce(v) {
    if (typeof v !== 'string') throw new CoercionFailure(`A string is required, not a ${typeof v}`);
    const s = v.toLowerCase().replace(/-/g, ':');
    if (!MAC_RE.test(s)) throw new CoercionFailure(`Malformed MAC ${shortRepr(v)}`);
    return s;
  },
  fromPrimitive(v) {
    return MACAddressType.coerce(v);
  },
};
