// Fake UrlFetchApp doing real HTTP, synchronously (see sync-http.ts). Follows the reference:
// method names in lower case, payload as string (UTF-8), byte array or Blob, contentType default
// application/x-www-form-urlencoded, muteHttpExceptions, followRedirects. Network failures throw
// the way Apps Script words them ("Address unavailable: <url>", "Timeout: <url>").

import { gunzipSync } from 'node:zlib';
import { gasError, strictFake } from './gas-error';
import type { CallCounter } from './spreadsheet';
import type { SyncHttp } from './sync-http';
import { blobOf, fromJavaBytes, toJavaBytes } from './utilities';

/** What the world records of each fetch. */
export interface FetchRecord {
  url: string;
  method: string;
  headers: Record<string, string>;
  /** Bytes on the wire (after gzip, when the script gzip'd). */
  requestBytes: number;
  /** The body as text (gunzipped when Content-Encoding is gzip), for tests to read. */
  bodyText: string;
  status?: number;
  error?: string;
}

export interface FetchOptions {
  http: SyncHttp;
  count: CallCounter;
  record: (r: FetchRecord) => void;
  /** Apps Script gives up after 60 s; tests shorten it. */
  timeoutMs: number;
  /** Throws before fetching (authorization missing): the world decides. */
  guard: () => void;
  /**
   * Whether a Content-Encoding header the script sets reaches the server. The reference documents
   * `headers` as "a JavaScript key/value map of HTTP headers for the request" and says nothing of
   * this one, so both worlds are modelled: 'dropped' sends the gzip'd bytes unlabelled.
   */
  contentEncoding: () => 'passed' | 'dropped';
}

function fakeResponse(status: number, headers: Record<string, string | string[] | undefined>, body: Uint8Array): GoogleAppsScript.URL_Fetch.HTTPResponse {
  const r = {
    getResponseCode: () => status,
    getContentText: (charset?: string) => {
      if (charset && !/^utf-?8$/i.test(charset)) throw new Error('not implemented in fake: HTTPResponse.getContentText(non-UTF-8)');
      return Buffer.from(body).toString('utf8');
    },
    getContent: () => toJavaBytes(body),
    getHeaders: () => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v ?? ''])),
    getAllHeaders: () => ({ ...headers }),
  };
  return strictFake<GoogleAppsScript.URL_Fetch.HTTPResponse>(r, 'HTTPResponse');
}

export function fakeUrlFetchApp(options: FetchOptions): GoogleAppsScript.URL_Fetch.UrlFetchApp {
  const app = {
    fetch(url: string, params: GoogleAppsScript.URL_Fetch.URLFetchRequestOptions = {}): GoogleAppsScript.URL_Fetch.HTTPResponse {
      options.count('UrlFetchApp.fetch');
      options.guard();
      if (!/^https?:\/\//i.test(url)) throw gasError(`Invalid argument: ${url}`);
      const method = (params.method ?? 'get').toLowerCase();
      if (!['get', 'delete', 'patch', 'post', 'put'].includes(method)) throw gasError(`Invalid argument: method`);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(params.headers ?? {})) headers[k] = String(v);
      let body: Buffer | undefined;
      const payload = params.payload as unknown;
      if (payload !== undefined && payload !== null) {
        if (method === 'get') throw gasError('Invalid argument: payload (GET requests take no payload)');
        const blob = blobOf(payload);
        if (typeof payload === 'string') body = Buffer.from(payload, 'utf8');
        else if (blob) body = blob.bytes;
        else if (Array.isArray(payload)) body = fromJavaBytes(payload as number[]);
        else throw new Error('not implemented in fake: UrlFetchApp.fetch with a form-field payload');
        headers['Content-Type'] = params.contentType ?? blob?.contentType ?? 'application/x-www-form-urlencoded';
      }
      const gzipped = /gzip/i.test(Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-encoding')?.[1] ?? '');
      if (options.contentEncoding() === 'dropped') for (const k of Object.keys(headers)) if (k.toLowerCase() === 'content-encoding') delete headers[k];
      const record: FetchRecord = {
        url,
        method,
        headers,
        requestBytes: body?.length ?? 0,
        bodyText: body ? (gzipped ? gunzipSync(body) : body).toString('utf8') : '',
      };
      const answer = options.http.request({ url, method: method.toUpperCase(), headers, ...(body ? { body } : {}), timeoutMs: options.timeoutMs });
      if ('error' in answer) {
        record.error = answer.error;
        options.record(record);
        if (answer.error === 'TIMEOUT') throw gasError(`Timeout: ${url}`);
        if (answer.error === 'ENOTFOUND') throw gasError(`DNS error: ${url}`);
        throw gasError(`Address unavailable: ${url}`);
      }
      record.status = answer.status;
      options.record(record);
      const follow = params.followRedirects ?? true;
      if (follow && answer.status >= 300 && answer.status < 400) throw new Error('not implemented in fake: following redirects');
      if (answer.status >= 400 && !params.muteHttpExceptions) {
        const text = Buffer.from(answer.body).toString('utf8');
        throw gasError(`Request failed for ${url} returned code ${answer.status}. Truncated server response: ${text.slice(0, 100)} (use muteHttpExceptions option to examine full response)`);
      }
      return fakeResponse(answer.status, answer.headers, answer.body);
    },
  };
  return strictFake<GoogleAppsScript.URL_Fetch.UrlFetchApp>(app, 'UrlFetchApp');
}
