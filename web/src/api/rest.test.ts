// The Rest client's binary answers (reports, files): the same base URL,
// credentials and problem+json errors as its JSON calls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureApi } from './auth';
import { ApiError } from './client';
import { getBlob, restClient } from './rest';

interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
}

/** server answers every call with answer and keeps what it was asked in seen. */
function server(answer: () => Response): { fetchFn: typeof fetch; seen: Seen[] } {
  const seen: Seen[] = [];
  const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    seen.push({ url: String(input), method: init?.method ?? 'GET', headers: { ...(init?.headers as Record<string, string>) } });
    return answer();
  }) as typeof fetch;
  return { fetchFn, seen };
}

const PDF = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 0x0a, 0xff, 0x00, 0x80]); // "%PDF-1.7\n" and bytes that are not text

describe('getBlob', () => {
  beforeAll(() => configureApi({ base: 'https://api.example.com/api/v1', token: async () => 'id-token-1' }));
  afterAll(() => configureApi({ base: '/api/v1', token: async () => null }));

  it('GETs the path under the API base with the bearer token and answers the bytes as they came', async () => {
    const { fetchFn, seen } = server(() => new Response(PDF, { headers: { 'Content-Type': 'application/pdf' } }));
    const blob = await getBlob(restClient(fetchFn), '/models/m%201/reports/cis?format=pdf&download=true');
    expect(seen).toHaveLength(1);
    expect(seen[0].method).toBe('GET');
    expect(seen[0].url).toBe('https://api.example.com/api/v1/models/m%201/reports/cis?format=pdf&download=true');
    expect(seen[0].headers.Authorization).toBe('Bearer id-token-1');
    expect(seen[0].headers['X-Bulwark-Client']).toBe('web');
    expect(seen[0].headers.Accept).toBe('*/*');
    expect(blob.type).toBe('application/pdf');
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(PDF);
  });

  it('adds a query to the path', async () => {
    const { fetchFn, seen } = server(() => new Response('a,b\n1,2\n', { headers: { 'Content-Type': 'text/csv' } }));
    const blob = await getBlob(restClient(fetchFn), '/models/m/reports/executive', { format: 'csv', download: true });
    expect(seen[0].url).toBe('https://api.example.com/api/v1/models/m/reports/executive?format=csv&download=true');
    expect(await blob.text()).toBe('a,b\n1,2\n');
  });

  it('turns a problem+json answer into an ApiError with the problem, not a file', async () => {
    const problem = { type: 'about:blank', title: 'Forbidden', status: 403, detail: 'a viewer of tenant acme cannot read model m' };
    const { fetchFn } = server(() => new Response(JSON.stringify(problem), { status: 403, headers: { 'Content-Type': 'application/problem+json' } }));
    const err = await getBlob(restClient(fetchFn), '/models/m/reports/cis?format=pdf').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(403);
    expect((err as ApiError).problem).toMatchObject(problem);
    expect((err as ApiError).message).toBe('a viewer of tenant acme cannot read model m');
  });

  it('turns an error answer that is not JSON (a gateway page) into an ApiError with its status', async () => {
    const { fetchFn } = server(() => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    const err = await getBlob(restClient(fetchFn), '/models/m/reports/cis?format=html').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(502);
    expect((err as ApiError).problem.title).toBe('Bad Gateway');
  });

  it('turns a network failure into an ApiError with status 0', async () => {
    const fetchFn = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    const err = await getBlob(restClient(fetchFn), '/models/m/reports/cis?format=csv').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(0);
    expect((err as ApiError).message).toMatch(/Cannot reach the server: Failed to fetch/);
  });
});
