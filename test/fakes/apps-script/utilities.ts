// Fake Utilities (UUIDs, gzip, blobs, base64, digests, HMAC) and Blob. Byte arrays are Java's:
// signed, -128…127, as Apps Script hands them to scripts.

import { createHash, createHmac, randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { gasError, strictFake } from './gas-error';
import type { CallCounter } from './spreadsheet';

type Blob = GoogleAppsScript.Base.Blob;

export const toJavaBytes = (buf: Uint8Array): number[] => Array.from(buf, (b) => (b > 127 ? b - 256 : b));
export const fromJavaBytes = (bytes: readonly number[]): Buffer => Buffer.from(bytes.map((b) => b & 0xff));

export class FakeBlob {
  constructor(
    public bytes: Buffer,
    public contentType: string | null,
    public name: string | null,
  ) {}
  getBytes(): number[] {
    return toJavaBytes(this.bytes);
  }
  getDataAsString(charset?: string): string {
    if (charset && !/^utf-?8$/i.test(charset)) throw new Error('not implemented in fake: Blob.getDataAsString(non-UTF-8)');
    return this.bytes.toString('utf8');
  }
  getContentType(): string | null {
    return this.contentType;
  }
  setContentType(type: string | null): FakeBlob {
    this.contentType = type;
    return this;
  }
  getName(): string | null {
    return this.name;
  }
  setName(name: string): FakeBlob {
    this.name = name;
    return this;
  }
  copyBlob(): FakeBlob {
    return new FakeBlob(Buffer.from(this.bytes), this.contentType, this.name);
  }
  getBlob(): FakeBlob {
    return this;
  }
  asBlob(): Blob {
    return strictFake<Blob>(this, 'Blob');
  }
}

/** The blob behind a Blob proxy (or a BlobSource that is one). */
export function blobOf(value: unknown): FakeBlob | undefined {
  const v = value as { getBlob?: () => unknown; bytes?: unknown } | null;
  if (v && typeof v === 'object' && typeof v.getBlob === 'function') {
    const blob = v.getBlob() as FakeBlob;
    if (blob && Buffer.isBuffer((blob as { bytes?: unknown }).bytes)) return blob;
  }
  return undefined;
}

const DIGESTS = { MD2: 'md2', MD5: 'md5', SHA_1: 'sha1', SHA_256: 'sha256', SHA_384: 'sha384', SHA_512: 'sha512' } as const;

function bytesOfInput(value: string | readonly number[]): Buffer {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : fromJavaBytes(value);
}

/**
 * A string's bytes in a Utilities.Charset, as Java's String.getBytes gives them: UTF-8 by default;
 * US-ASCII turns each character it cannot hold (a surrogate pair counts as one) into "?".
 */
function bytesInCharset(value: string | readonly number[], charset: unknown): Buffer {
  if (charset !== undefined && charset !== 'UTF_8' && charset !== 'US_ASCII') throw gasError('Invalid argument: charset');
  if (typeof value !== 'string' || charset !== 'US_ASCII') return bytesOfInput(value);
  return Buffer.from(Array.from(value, (ch) => (ch.length === 1 && ch.charCodeAt(0) < 0x80 ? ch.charCodeAt(0) : 0x3f)));
}

export function fakeUtilities(count: CallCounter, sleep: (ms: number) => void): GoogleAppsScript.Utilities.Utilities {
  const u = {
    Charset: { US_ASCII: 'US_ASCII', UTF_8: 'UTF_8' },
    DigestAlgorithm: Object.fromEntries(Object.keys(DIGESTS).map((k) => [k, k])),
    MacAlgorithm: { HMAC_MD5: 'HMAC_MD5', HMAC_SHA_1: 'HMAC_SHA_1', HMAC_SHA_256: 'HMAC_SHA_256', HMAC_SHA_384: 'HMAC_SHA_384', HMAC_SHA_512: 'HMAC_SHA_512' },
    getUuid(): string {
      count('Utilities.getUuid');
      return randomUUID();
    },
    newBlob(data: string | readonly number[], contentType?: string, name?: string): Blob {
      count('Utilities.newBlob');
      return new FakeBlob(bytesOfInput(data), contentType ?? null, name ?? null).asBlob();
    },
    gzip(source: unknown, name?: string): Blob {
      count('Utilities.gzip');
      const blob = blobOf(source);
      if (!blob) throw gasError('Invalid argument: blob');
      return new FakeBlob(gzipSync(blob.bytes), 'application/x-gzip', name ?? `${blob.name ?? 'archive'}.gz`).asBlob();
    },
    ungzip(source: unknown): Blob {
      count('Utilities.ungzip');
      const blob = blobOf(source);
      if (!blob) throw gasError('Invalid argument: blob');
      return new FakeBlob(gunzipSync(blob.bytes), null, blob.name?.replace(/\.gz$/, '') ?? null).asBlob();
    },
    base64Encode(data: string | readonly number[]): string {
      count('Utilities.base64Encode');
      return bytesOfInput(data).toString('base64');
    },
    base64EncodeWebSafe(data: string | readonly number[]): string {
      count('Utilities.base64EncodeWebSafe');
      // Apps Script keeps the "=" padding in its web-safe form.
      return bytesOfInput(data).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
    },
    base64Decode(encoded: string): number[] {
      count('Utilities.base64Decode');
      return toJavaBytes(Buffer.from(encoded, 'base64'));
    },
    base64DecodeWebSafe(encoded: string): number[] {
      count('Utilities.base64DecodeWebSafe');
      return toJavaBytes(Buffer.from(encoded, 'base64url'));
    },
    computeDigest(algorithm: keyof typeof DIGESTS, value: string | readonly number[], charset?: unknown): number[] {
      count('Utilities.computeDigest');
      const name = DIGESTS[algorithm];
      if (!name) throw gasError('Invalid argument: algorithm');
      return toJavaBytes(createHash(name).update(bytesInCharset(value, charset)).digest());
    },
    // Real HMAC-SHA256 returned as Java's signed bytes; with a charset, the value and the key are both encoded in it.
    computeHmacSha256Signature(value: string | readonly number[], key: string | readonly number[], charset?: unknown): number[] {
      count('Utilities.computeHmacSha256Signature');
      if (typeof value !== typeof key) throw gasError('Invalid argument: key');
      return toJavaBytes(createHmac('sha256', bytesInCharset(key, charset)).update(bytesInCharset(value, charset)).digest());
    },
    sleep(ms: number): void {
      count('Utilities.sleep');
      sleep(ms);
    },
  };
  return strictFake<GoogleAppsScript.Utilities.Utilities>(u, 'Utilities');
}
