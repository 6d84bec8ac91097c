-- Feedback from outside the widget (issue 9). An item IS a conversation (source api, import, feed
-- or webhook) with one visitor message; this table keeps what only items have, and dedupes them
-- per (site, source label, external id), so re-importing changes nothing.

CREATE TABLE feedback_items (
  conversation_id TEXT PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
  site_id         TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  channel         TEXT NOT NULL CHECK (channel IN ('api', 'import', 'feed', 'webhook')),
  source          TEXT NOT NULL,                -- the platform label the sender gave (e.g. app-store)
  external_id     TEXT NOT NULL,
  author          TEXT,
  url             TEXT,
  language        TEXT,
  rating_type     TEXT,
  rating_value    REAL,
  metadata        TEXT NOT NULL DEFAULT '{}',   -- JSON object, as given
  origin          TEXT,                         -- import:<id>, feed:<id>, or null
  created_at      INTEGER NOT NULL,             -- when the customer wrote it
  ingested_at     INTEGER NOT NULL,
  UNIQUE (site_id, source, external_id)
);
-- the API list pages by ingest order (conversation ids are time-ordered)
CREATE INDEX feedback_items_site ON feedback_items(site_id, conversation_id);

-- Token rotation without downtime: the previous token keeps working until its grace ends.
ALTER TABLE sites ADD COLUMN api_token_prev_hash TEXT;
ALTER TABLE sites ADD COLUMN api_token_prev_until INTEGER;

-- Admin uploads (CSV/JSON): the file is kept until its background import has run.
CREATE TABLE ingest_imports (
  id          TEXT PRIMARY KEY,
  site_id     TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  filename    TEXT NOT NULL,
  format      TEXT NOT NULL CHECK (format IN ('csv', 'json')),
  delimiter   TEXT,
  content     TEXT,                             -- cleared when the import is done
  mapping     TEXT,                             -- JSON ColumnMapping, set when started
  status      TEXT NOT NULL DEFAULT 'uploaded' CHECK (status IN ('uploaded', 'queued', 'running', 'done', 'failed')),
  total       INTEGER NOT NULL DEFAULT 0,
  processed   INTEGER NOT NULL DEFAULT 0,
  created     INTEGER NOT NULL DEFAULT 0,
  duplicates  INTEGER NOT NULL DEFAULT 0,
  failed      INTEGER NOT NULL DEFAULT 0,
  errors      TEXT NOT NULL DEFAULT '[]',       -- JSON [{ line, reason }], capped
  last_error  TEXT,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX ingest_imports_site ON ingest_imports(site_id, created_at DESC);

-- RSS/Atom feeds polled through the job queue (feed_poll jobs).
CREATE TABLE ingest_feeds (
  id               TEXT PRIMARY KEY,
  site_id          TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  name             TEXT NOT NULL,
  url              TEXT NOT NULL,
  keywords         TEXT NOT NULL DEFAULT '[]',  -- JSON array; any-of, case-insensitive; empty = all
  interval_minutes INTEGER NOT NULL DEFAULT 30,
  enabled          INTEGER NOT NULL DEFAULT 1,
  chain            TEXT NOT NULL,               -- the live poll chain; a job of another chain stops
  etag             TEXT,
  last_modified    TEXT,
  failures         INTEGER NOT NULL DEFAULT 0,
  last_polled_at   INTEGER,
  last_success_at  INTEGER,
  last_error       TEXT,
  last_error_at    INTEGER,
  last_status      INTEGER,
  next_poll_at     INTEGER,
  items_total      INTEGER NOT NULL DEFAULT 0,
  created_at       INTEGER NOT NULL,
  UNIQUE (site_id, url)
);

-- One generic inbound webhook per site: a secret and the JSON paths that make an item.
CREATE TABLE ingest_webhooks (
  site_id     TEXT PRIMARY KEY REFERENCES sites(id) ON DELETE CASCADE,
  secret      TEXT NOT NULL,
  mapping     TEXT NOT NULL,                    -- JSON WebhookMapping
  enabled     INTEGER NOT NULL DEFAULT 1,
  received    INTEGER NOT NULL DEFAULT 0,
  last_error  TEXT,
  last_at     INTEGER,
  updated_at  INTEGER NOT NULL
) WITHOUT ROWID;

-- Settings of the ingest part that tests and operators flip (e.g. allow_private_feed_urls).
CREATE TABLE ingest_settings (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
