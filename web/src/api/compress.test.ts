import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './client';
import { encodeBody, GZIP_MIN_BYTES, WIRE_LIMIT_BYTES } from './compress';
import { restClient } from './rest';

async function gunzip(body: BodyInit): Promise<string> {
  const stream = new Response(body).body!.pipeThrough(new DecompressionStream('gzip'));
  return await new Response(stream).text();
}

/** bigJSON is a model-like JSON document of about n bytes. */
function bigJSON(n: number): string {
  const components = [];
  for (let i = 0; components.length * 120 < n; i++) {
    components.push({ id: `c${i}`, type: 'aws.ec2', name: `web-${i}`, position: { x: i * 10, y: i * 20 } });
  }
  return JSON.stringify({ name: 'Payments', diagram: { components } });
}

/** noise is n bytes that gzip cannot shrink. */
function noise(n: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(b.subarray(i, Math.min(n, i + 65536)));
  return b;
}

afterEach(() => vi.unstubAllGlobals());

describe('encodeBody', () => {
  it('sends a small body as it is', async () => {
    const enc = await encodeBody('{"name":"x"}');
    expect(enc).toEqual({ body: '{"name":"x"}', headers: {} });
    expect(await encodeBody(undefined)).toEqual({ body: undefined, headers: {} });
  });

  it('gzips a large JSON body to a fraction of its size', async () => {
    const doc = bigJSON(1_000_000);
    const enc = await encodeBody(doc);
    expect(enc.headers).toEqual({ 'Content-Encoding': 'gzip' });
    expect(enc.problem).toBeUndefined();
    expect((enc.body as Uint8Array).byteLength).toBeLessThan(doc.length / 5);
    expect(await gunzip(enc.body!)).toBe(doc);
  });

  it('fits a 10 MB model in what Lambda takes', async () => {
    const doc = bigJSON(10_000_000);
    const enc = await encodeBody(doc);
    expect(enc.problem).toBeUndefined();
    // base64 in the event: 4/3 of the compressed size, under 6 MB.
    expect(Math.ceil((enc.body as Uint8Array).byteLength / 3) * 4).toBeLessThan(6_000_000);
  });

  it('gzips a large form with its multipart boundary', async () => {
    const fd = new FormData();
    fd.append('file', new Blob([bigJSON(100_000)], { type: 'application/json' }), 'findings.json');
    const enc = await encodeBody(fd);
    expect(enc.headers['Content-Encoding']).toBe('gzip');
    const boundary = enc.headers['Content-Type'].match(/^multipart\/form-data; ?boundary=(.+)$/)?.[1];
    expect(boundary).toBeTruthy();
    const text = await gunzip(enc.body!);
    expect(text.startsWith(`--${boundary}`)).toBe(true);
    expect(text).toContain('filename="findings.json"');
  });

  it('refuses with a 413 problem what is too large even compressed', async () => {
    const enc = await encodeBody(noise(WIRE_LIMIT_BYTES + 100_000));
    expect(enc.body).toBeUndefined();
    expect(enc.problem?.status).toBe(413);
    expect(enc.problem?.detail).toMatch(/even gzip-compressed.*at most 4\.4 MB.*AWS Lambda's 6 MB/);
  });

  it('sends the body as it is where the browser cannot compress', async () => {
    vi.stubGlobal('CompressionStream', undefined);
    const doc = bigJSON(GZIP_MIN_BYTES * 2);
    expect(await encodeBody(doc)).toEqual({ body: doc, headers: {} });
  });
});

describe('restClient', () => {
  it('sends a large model gzip-compressed with its headers', async () => {
    let init: RequestInit | undefined;
    const fetchFn = (async (_url: string, i?: RequestInit) => {
      init = i;
      return new Response('{"id":"tm-1"}', { status: 201, headers: { ETag: '"1"' } });
    }) as typeof fetch;
    const model = JSON.parse(bigJSON(200_000));
    const r = await restClient(fetchFn)<{ id: string }>('POST', '/models', { body: model });
    expect(r.body.id).toBe('tm-1');
    const h = init!.headers as Record<string, string>;
    expect(h['Content-Type']).toBe('application/json');
    expect(h['Content-Encoding']).toBe('gzip');
    expect(JSON.parse(await gunzip(init!.body!))).toEqual(model);
  });

  it('does not send what the API could not take', async () => {
    const fetchFn = vi.fn() as unknown as typeof fetch;
    const err = await restClient(fetchFn)('POST', '/import', { query: { from: 'cloudformation' }, raw: new Blob([noise(WIRE_LIMIT_BYTES + 1000) as BlobPart]) }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(413);
    expect(fetchFn).not.toHaveBeenCalled();
  });
});
