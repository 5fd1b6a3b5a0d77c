// Offers in SQLite (one relay process): a file of their own in DATA_DIR (offers.db), apart from the
// channel store's database, so the short-lived, large offers never sit in its history or its WAL.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { OfferListing } from '../shared/protocol/messages';
import type { OfferBounds, OfferStore, StoredOffer } from './offer-store';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS offers (
  channel_id TEXT NOT NULL,
  offer_id TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  listing TEXT NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (channel_id, offer_id)
);
CREATE INDEX IF NOT EXISTS offers_by_expiry ON offers (expires_at);
CREATE INDEX IF NOT EXISTS offers_by_channel ON offers (channel_id, received_at);
`;

export class SqliteOfferStore implements OfferStore {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly sql;
  private readonly putTx: (channelId: string, offer: StoredOffer, bounds: OfferBounds, now: number) => 'stored' | 'full';
  /** Received-at times are kept distinct per channel, so "the newest N" is exact. */
  private lastReceived = 0;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.db = new Database(join(dataDir, 'offers.db'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
    const db = this.db;
    this.sql = {
      expire: db.prepare<[number]>('DELETE FROM offers WHERE expires_at <= ?'),
      total: db.prepare<[], { total: number }>('SELECT COALESCE(SUM(bytes), 0) AS total FROM offers'),
      sameId: db.prepare<[string, string], { bytes: number }>('SELECT bytes FROM offers WHERE channel_id = ? AND offer_id = ?'),
      insert: db.prepare<[string, string, number, number, number, string, string]>(
        'INSERT OR REPLACE INTO offers (channel_id, offer_id, received_at, expires_at, bytes, listing, text) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      trim: db.prepare<[string, string, number]>(
        'DELETE FROM offers WHERE channel_id = ? AND offer_id NOT IN (SELECT offer_id FROM offers WHERE channel_id = ? ORDER BY received_at DESC LIMIT ?)',
      ),
      list: db.prepare<[string, number], { listing: string }>('SELECT listing FROM offers WHERE channel_id = ? AND expires_at > ? ORDER BY received_at DESC'),
      get: db.prepare<[string, string, number], { text: string }>('SELECT text FROM offers WHERE channel_id = ? AND offer_id = ? AND expires_at > ?'),
    };
    this.putTx = db.transaction((channelId: string, offer: StoredOffer, bounds: OfferBounds, now: number) => {
      this.sql.expire.run(now);
      const replaced = this.sql.sameId.get(channelId, offer.listing.id)?.bytes ?? 0;
      if (this.sql.total.get()!.total - replaced + offer.listing.bytes > bounds.totalBytes) return 'full' as const;
      const receivedAt = Math.max(now, this.lastReceived + 1);
      this.lastReceived = receivedAt;
      this.sql.insert.run(channelId, offer.listing.id, receivedAt, offer.listing.expiresAt, offer.listing.bytes, JSON.stringify(offer.listing), offer.text);
      this.sql.trim.run(channelId, channelId, bounds.perChannel);
      return 'stored' as const;
    });
  }

  async put(channelId: string, offer: StoredOffer, bounds: OfferBounds, now: number): Promise<'stored' | 'full'> {
    return this.putTx(channelId, offer, bounds, now);
  }

  async list(channelId: string, now: number): Promise<OfferListing[]> {
    return this.sql.list.all(channelId, now).map((row) => JSON.parse(row.listing) as OfferListing);
  }

  async get(channelId: string, offerId: string, now: number): Promise<string | undefined> {
    return this.sql.get.get(channelId, offerId, now)?.text;
  }

  async sweep(now: number): Promise<number> {
    this.sql.expire.run(now);
    return this.sql.total.get()!.total;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
