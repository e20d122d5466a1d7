import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { amzDateOf, authorization, sha256Hex } from './sigv4.js';
import type { S3Settings } from '../config.js';
import type { BlobStore } from './storage.js';

export type { S3Settings };

/** Blobs in an S3-compatible bucket, signed with SigV4 over plain fetch. */
export function s3Blobs(settings: S3Settings): BlobStore {
  const send = async (method: 'PUT' | 'GET' | 'DELETE', key: string, body?: Buffer, contentType?: string) => {
    const url = new URL(`${settings.endpoint.replace(/\/+$/, '')}/${settings.bucket}/${settings.prefix}${key}`);
    const payloadHash = sha256Hex(body ?? '');
    const headers: Record<string, string> = {
      host: url.host,
      'x-amz-content-sha256': payloadHash,
      'x-amz-date': amzDateOf(new Date()),
      ...(contentType ? { 'content-type': contentType } : {}),
    };
    headers.authorization = authorization({
      method,
      url,
      headers,
      payloadHash,
      accessKeyId: settings.accessKeyId,
      secretAccessKey: settings.secretAccessKey,
      region: settings.region,
      amzDate: headers['x-amz-date']!,
    });
    const { host: _host, ...sent } = headers;
    return fetch(url, {
      method,
      headers: sent,
      body: body ? new Uint8Array(body) : undefined,
      signal: AbortSignal.timeout(30_000),
    });
  };
  return {
    async put(key, data, contentType) {
      const response = await send('PUT', key, data, contentType);
      if (!response.ok) throw new Error(`S3 PUT failed with ${response.status}`);
    },
    async read(key) {
      const response = await send('GET', key);
      if (response.status === 404 || response.status === 403) return undefined;
      if (!response.ok || !response.body) throw new Error(`S3 GET failed with ${response.status}`);
      return Readable.fromWeb(response.body as WebReadableStream);
    },
    async remove(key) {
      const response = await send('DELETE', key);
      if (!response.ok && response.status !== 404) throw new Error(`S3 DELETE failed with ${response.status}`);
    },
  };
}
