import { createRng, type Rng } from '@ncf/core';

/** One HTTP request of {@link hostileRequests}: what fastify's `inject` and load generators take. */
export interface HostileRequest {
  /** Which family of bad input it is, for reports. */
  readonly kind: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
}

/** Options of {@link hostileRequests}. */
export interface HostileRequestOptions {
  readonly seed?: number;
  /** The server's body limit, so some bodies exceed it. Default 262144. */
  readonly maxBodyBytes?: number;
  /** A known item id, so requests can be valid except for one field. Default `1`. */
  readonly knownItem?: string | number;
}

const JSON_HEADERS = { 'content-type': 'application/json' } as const;

function randomBytes(rng: Rng, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = rng.int(256);
  return b;
}

function randomText(rng: Rng, n: number): string {
  const chars = 'abcdefghijklmnopqrstuvwxyz0123456789-_.~';
  let s = '';
  for (let i = 0; i < n; i++) s += chars[rng.int(chars.length)];
  return s;
}

function deep(depth: number, open: string, close: string, inner = ''): string {
  return open.repeat(depth) + inner + close.repeat(depth);
}

type Maker = (rng: Rng, o: Required<HostileRequestOptions>) => HostileRequest;

const post = (
  kind: string,
  url: string,
  body: string | Buffer,
  headers: Record<string, string> = JSON_HEADERS,
) => ({
  kind,
  method: 'POST' as const,
  url,
  headers,
  body,
});
const get = (kind: string, url: string) => ({ kind, method: 'GET' as const, url, headers: {} });

const MAKERS: readonly Maker[] = [
  (rng) => post('random-bytes', '/v1/recommendations', randomBytes(rng, 1 + rng.int(512))),
  (rng) => post('random-bytes', '/v1/recommendations:batch', randomBytes(rng, 1 + rng.int(64))),
  (rng) =>
    post('media-type', '/v1/recommendations', '{"ratings":[]}', {
      'content-type': ['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'image/png'][
        rng.int(4)
      ]!,
    }),
  (rng, o) =>
    post(
      'too-large',
      '/v1/recommendations',
      `{"ratings":[${'{"item":1},'.repeat(o.maxBodyBytes / 10 + rng.int(100))}]}`,
    ),
  (rng) => post('deep-json', '/v1/recommendations', `{"ratings":${deep(500 + rng.int(5000), '[', ']')}}`),
  (rng) => post('deep-json', '/v1/recommendations:batch', deep(500 + rng.int(5000), '{"a":', '}', '1')),
  (rng) => post('proto', '/v1/recommendations', `{"__proto__":{"polluted":${rng.int(9)}},"ratings":[]}`),
  () => post('proto', '/v1/recommendations', '{"constructor":{"prototype":{"polluted":1}},"ratings":[]}'),
  (rng) =>
    get(
      'huge-number',
      `/v1/users/1/recommendations?k=${['1e308', '1e400', '99999999999999999999', '-1', '0', '2.5', 'NaN', 'Infinity'][rng.int(8)]}`,
    ),
  (rng, o) =>
    post(
      'huge-number',
      '/v1/recommendations',
      `{"ratings":[{"item":${JSON.stringify(o.knownItem)},"rating":${['1e400', '-1e400', '1e308'][rng.int(3)]}}]}`,
    ),
  (rng, o) =>
    post(
      'huge-number',
      '/v1/recommendations',
      `{"ratings":[{"item":${JSON.stringify(o.knownItem)}}],"k":${['1e400', '123456789012', '-5', '0'][rng.int(4)]}}`,
    ),
  (rng) => {
    const bad = ['null', '"x"', '7', '{}', 'true', '[1,2]'][rng.int(6)];
    return post('wrong-type', '/v1/recommendations', `{"ratings":${bad}}`);
  },
  (rng, o) => {
    const field = ['"k":"10"', '"explain":"yes"', '"unknownItems":"maybe"', '"extra":1'][rng.int(4)];
    return post(
      'wrong-type',
      '/v1/recommendations',
      `{"ratings":[{"item":${JSON.stringify(o.knownItem)}}],${field}}`,
    );
  },
  (rng) =>
    post(
      'wrong-type',
      '/v1/recommendations',
      `{"ratings":[{"item":${['{}', '[]', 'null', 'true'][rng.int(4)]}}]}`,
    ),
  (rng) =>
    post(
      'wrong-type',
      '/v1/recommendations:batch',
      `{"users":${['{}', '"u"', '[]', '[null]', '[[1]]'][rng.int(5)]}}`,
    ),
  (rng) => get('wrong-type', `/v1/users/1/recommendations?excludeSeen=${randomText(rng, 4)}`),
  (rng) => get('unknown-id', `/v1/users/zz-${randomText(rng, 1 + rng.int(40))}/recommendations`),
  (rng) => get('unknown-id', `/v1/items/zz-${randomText(rng, 1 + rng.int(40))}/similar`),
  (rng) =>
    post('unknown-id', '/v1/recommendations:batch', JSON.stringify({ users: [`zz-${randomText(rng, 8)}`] })),
  (rng) =>
    post(
      'unknown-id',
      '/v1/recommendations',
      JSON.stringify({ ratings: [{ item: `zz-${randomText(rng, 8)}` }], unknownItems: 'error' }),
    ),
  (rng) => get('path', `/v1/users/..%2F..%2F${randomText(rng, 6)}/recommendations`),
  () => get('path', '/v1/users/%E0%A4%A/recommendations'),
  (rng) => get('path', `/v1/${randomText(rng, 10)}`),
  (rng) => ({
    kind: 'method',
    method: (['PUT', 'DELETE'] as const)[rng.int(2)]!,
    url: '/v1/model',
    headers: {},
  }),
  (rng) => get('long-id', `/v1/users/${'u'.repeat(300 + rng.int(2000))}/recommendations`),
];

/**
 * `count` malformed or hostile requests (seeded): random bytes, unsupported media types, bodies over the
 * limit, deep JSON, prototype-pollution keys, huge and non-finite numbers, wrong types, unknown fields and ids,
 * path tricks, wrong methods. A correct server answers every one with a 4xx JSON error and stays healthy.
 */
export function hostileRequests(count: number, options: HostileRequestOptions = {}): HostileRequest[] {
  const o: Required<HostileRequestOptions> = { seed: 1, maxBodyBytes: 262_144, knownItem: 1, ...options };
  const rng = createRng(o.seed);
  return Array.from({ length: count }, (_, i) => MAKERS[i % MAKERS.length]!(rng, o));
}
