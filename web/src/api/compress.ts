// Large request bodies go to the API gzip-compressed (Content-Encoding:
// gzip). Deployed, the API runs in AWS Lambda, which takes at most 6 MB per
// invocation: the whole API Gateway event, in which a binary (gzip) body is
// base64-encoded and so counts 4/3
// (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
// A model's JSON shrinks about tenfold, so a 10 MB model fits; the server
// bounds what it decompresses by its own limits, and answers large
// responses gzip-compressed, which the browser decodes by itself.
import type { Problem } from './client';

/** GZIP_MIN_BYTES is the smallest body worth compressing. */
export const GZIP_MIN_BYTES = 32 * 1024;

/**
 * WIRE_LIMIT_BYTES is the largest body the deployed API can receive: 6 MB
 * of event with the body in base64 (3/4 of it), less room for the headers
 * and the event's own fields.
 */
export const WIRE_LIMIT_BYTES = 4_400_000;

/** EncodedBody is a request body as it is sent. */
export interface EncodedBody {
  body?: BodyInit;
  /** headers to send with it: Content-Encoding, and Content-Type for a form. */
  headers: Record<string, string>;
  /** problem is set when the body cannot be sent: it is too large even compressed. */
  problem?: Problem;
}

/** bytesOf returns the bytes of a body as fetch would send them, or undefined for a stream. */
async function bytesOf(body: BodyInit): Promise<{ bytes: Uint8Array; contentType?: string } | undefined> {
  if (typeof body === 'string') return { bytes: new TextEncoder().encode(body) };
  if (body instanceof Uint8Array) return { bytes: body };
  if (body instanceof ArrayBuffer) return { bytes: new Uint8Array(body) };
  if (body instanceof Blob) return { bytes: new Uint8Array(await body.arrayBuffer()), contentType: body.type || undefined };
  if (body instanceof FormData) {
    // Serialized as fetch would: multipart with its boundary.
    const r = new Response(body);
    return { bytes: new Uint8Array(await r.arrayBuffer()), contentType: r.headers.get('Content-Type') ?? undefined };
  }
  return undefined;
}

/** gzip compresses bytes with the browser's CompressionStream. */
export async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function mb(n: number): string {
  return `${(n / 1e6).toFixed(1)} MB`;
}

/**
 * encodeBody returns body as it should be sent: unchanged when small (or
 * when the browser cannot compress), else gzip-compressed with the headers
 * that say so. A body still over WIRE_LIMIT_BYTES gets a 413 problem
 * instead of a request that Lambda would refuse without an explanation.
 */
export async function encodeBody(body: BodyInit | undefined): Promise<EncodedBody> {
  if (body === undefined || body === null) return { body, headers: {} };
  const b = await bytesOf(body);
  if (!b) return { body, headers: {} };
  let out: BodyInit = body;
  let size = b.bytes.byteLength;
  const headers: Record<string, string> = {};
  if (size >= GZIP_MIN_BYTES && typeof CompressionStream === 'function') {
    const z = await gzip(b.bytes);
    out = z as BodyInit;
    size = z.byteLength;
    headers['Content-Encoding'] = 'gzip';
    if (b.contentType) headers['Content-Type'] = b.contentType;
  }
  if (size > WIRE_LIMIT_BYTES) {
    const how = headers['Content-Encoding'] ? `${mb(size)} even gzip-compressed (${mb(b.bytes.byteLength)} uncompressed)` : mb(size);
    return {
      headers: {},
      problem: {
        type: 'https://bulwark.dev/problems/too-large',
        title: 'Content Too Large',
        status: 413,
        detail: `This request is ${how}; the API takes at most ${mb(WIRE_LIMIT_BYTES)} per request (AWS Lambda's 6 MB limit, with the body base64-encoded). Send less at once.`,
      },
    };
  }
  return { body: out, headers };
}
