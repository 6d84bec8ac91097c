-- Core tables: sites, their flows and knowledge base, visitors, conversations, messages, answers,
-- the durable job queue and extraction records. Times are epoch milliseconds.

CREATE TABLE sites (
  id              TEXT PRIMARY KEY,
  key             TEXT NOT NULL UNIQUE,
  name            TEXT NOT NULL,
  allowed_origins TEXT NOT NULL DEFAULT '[]',   -- JSON array of origin patterns
  settings        TEXT NOT NULL DEFAULT '{}',   -- JSON, shared/site.ts SiteSettings
  identity_secret TEXT NOT NULL,                -- HMAC key for identify({ userHash })
  api_token_hash  TEXT,                         -- sha256 of the /api/v1 bearer token
  created_at      INTEGER NOT NULL
);

CREATE TABLE flows (
  site_id    TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  id         TEXT NOT NULL,
  definition TEXT NOT NULL,                     -- JSON, shared/flow.ts Flow
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (site_id, id)
) WITHOUT ROWID;

CREATE TABLE kb_entries (
  site_id    TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  id         TEXT NOT NULL,
  title      TEXT NOT NULL,
  body       TEXT NOT NULL,
  tags       TEXT NOT NULL DEFAULT '[]',
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (site_id, id)
) WITHOUT ROWID;

CREATE TABLE visitors (
  id           TEXT PRIMARY KEY,
  site_id      TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  token_hash   TEXT NOT NULL UNIQUE,            -- sha256 of the token the widget keeps
  external_id  TEXT,                            -- from identify()
  name         TEXT,
  email        TEXT,
  verified     INTEGER NOT NULL DEFAULT 0,
  locale       TEXT,
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
);
CREATE INDEX visitors_site_external ON visitors(site_id, external_id);

CREATE TABLE conversations (
  id               TEXT PRIMARY KEY,            -- time-ordered (UUIDv7)
  site_id          TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  visitor_id       TEXT REFERENCES visitors(id) ON DELETE CASCADE,
  flow_id          TEXT,
  source           TEXT NOT NULL DEFAULT 'widget', -- widget, api, csv, feed, ...
  status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'ended')),
  mode             TEXT NOT NULL DEFAULT 'bot' CHECK (mode IN ('bot', 'human')),
  agent_id         TEXT,
  agent_name       TEXT,
  state            TEXT NOT NULL DEFAULT '{}',  -- JSON, the engine's state machine
  page_url         TEXT,
  needs_human      INTEGER NOT NULL DEFAULT 0,  -- the visitor asked for a person / bot could not answer
  follow_up_status TEXT NOT NULL DEFAULT 'none' CHECK (follow_up_status IN ('none', 'open', 'assigned', 'done')),
  follow_up_assignee TEXT,
  last_seq         INTEGER NOT NULL DEFAULT 0,
  started_at       INTEGER NOT NULL,
  last_activity_at INTEGER NOT NULL,
  ended_at         INTEGER,
  end_reason       TEXT
);
CREATE INDEX conversations_site_started ON conversations(site_id, started_at DESC, id DESC);
CREATE INDEX conversations_visitor ON conversations(visitor_id, started_at);
CREATE INDEX conversations_open ON conversations(last_activity_at) WHERE status = 'open';

CREATE TABLE messages (
  id              INTEGER PRIMARY KEY,
  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  seq             INTEGER NOT NULL,
  client_id       TEXT,
  author          TEXT NOT NULL CHECK (author IN ('visitor', 'bot', 'agent', 'system')),
  author_name     TEXT,
  text            TEXT NOT NULL,
  reply           TEXT,                         -- JSON ReplyOptions offered under a bot message
  created_at      INTEGER NOT NULL,
  UNIQUE (conversation_id, seq)
);
-- resending the same client id never duplicates a message
CREATE UNIQUE INDEX messages_client ON messages(conversation_id, client_id) WHERE client_id IS NOT NULL;

CREATE TABLE answers (
  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  question_id     TEXT NOT NULL,
  type            TEXT NOT NULL,
  value           TEXT,                         -- JSON AnswerValue; NULL when skipped
  raw             TEXT NOT NULL,
  elaborations    TEXT NOT NULL DEFAULT '[]',
  answered_at     INTEGER NOT NULL,
  PRIMARY KEY (conversation_id, question_id)
) WITHOUT ROWID;

-- Durable jobs: enqueue in the same transaction as the event that causes them.
CREATE TABLE jobs (
  id         INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL,                     -- extract, webhook, follow_up, feed_poll, retention
  payload    TEXT NOT NULL DEFAULT '{}',
  status     TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'dead')),
  attempts   INTEGER NOT NULL DEFAULT 0,
  run_at     INTEGER NOT NULL,
  locked_until INTEGER,
  last_error TEXT,
  dedupe_key TEXT UNIQUE,                       -- e.g. extract:<conversation id>
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX jobs_due ON jobs(status, run_at);

CREATE TABLE extractions (
  conversation_id   TEXT PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
  extractor         TEXT NOT NULL,
  extractor_version TEXT NOT NULL,
  data              TEXT NOT NULL,              -- JSON, shared/extraction.ts Extraction
  sentiment_label   TEXT,                       -- copied out of data for filtering
  sentiment_score   REAL,
  nps_category      TEXT,
  follow_up_needed  INTEGER NOT NULL DEFAULT 0,
  created_at        INTEGER NOT NULL
) WITHOUT ROWID;

-- Full-text search over transcripts (admin search).
CREATE VIRTUAL TABLE messages_fts USING fts5(text, content = 'messages', content_rowid = 'id');
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
  INSERT INTO messages_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
  INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
