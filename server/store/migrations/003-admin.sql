-- Admin side: accounts, sessions, notes, tags, canned responses, the audit log, and the indexes
-- the transcript list needs to page newest-first (keyset on started_at, id) under its filters.

CREATE TABLE users (
  id            TEXT PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name          TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('owner', 'agent')),
  password_hash TEXT NOT NULL,                  -- scrypt$N$r$p$salt$hash (base64), never the password
  disabled      INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL,
  last_login_at INTEGER
);

CREATE TABLE admin_sessions (
  token_hash          TEXT PRIMARY KEY,         -- sha256 of the cookie value; a leaked db opens no session
  user_id             TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token          TEXT NOT NULL,
  created_at          INTEGER NOT NULL,
  expires_at          INTEGER NOT NULL,         -- sliding: pushed forward on use
  absolute_expires_at INTEGER NOT NULL,         -- never pushed
  ip                  TEXT,
  user_agent          TEXT
) WITHOUT ROWID;
CREATE INDEX admin_sessions_user ON admin_sessions(user_id);
CREATE INDEX admin_sessions_expiry ON admin_sessions(expires_at);

CREATE TABLE notes (
  id              INTEGER PRIMARY KEY,
  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  author_id       TEXT REFERENCES users(id) ON DELETE SET NULL,
  author_name     TEXT NOT NULL,
  text            TEXT NOT NULL,
  created_at      INTEGER NOT NULL
);
CREATE INDEX notes_conversation ON notes(conversation_id, id);

CREATE TABLE conversation_tags (
  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  tag             TEXT NOT NULL,
  PRIMARY KEY (conversation_id, tag)
) WITHOUT ROWID;
CREATE INDEX conversation_tags_tag ON conversation_tags(tag, conversation_id);

CREATE TABLE canned_responses (
  id         INTEGER PRIMARY KEY,
  site_id    TEXT REFERENCES sites(id) ON DELETE CASCADE,  -- NULL: every site
  shortcut   TEXT NOT NULL,
  title      TEXT NOT NULL,
  text       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX canned_shortcut ON canned_responses(COALESCE(site_id, ''), shortcut);

-- Who did what: deletions (forget, retention), token rotation, user changes. Kept after the rows
-- it describes are gone, so it stores names and ids, not references.
CREATE TABLE audit_log (
  id         INTEGER PRIMARY KEY,
  actor_id   TEXT,
  actor      TEXT NOT NULL,
  action     TEXT NOT NULL,
  target     TEXT,
  detail     TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL
);

-- The transcript list is newest first across all sites too, and filters by flow and follow-up.
CREATE INDEX conversations_started ON conversations(started_at DESC, id DESC);
CREATE INDEX conversations_flow_started ON conversations(flow_id, started_at DESC, id DESC);
CREATE INDEX conversations_follow_up ON conversations(follow_up_status, started_at DESC) WHERE follow_up_status <> 'none';
CREATE INDEX conversations_site_ended ON conversations(site_id, ended_at);
CREATE INDEX extractions_nps ON extractions(nps_category);
CREATE INDEX extractions_sentiment ON extractions(sentiment_label);
CREATE INDEX jobs_status_updated ON jobs(status, updated_at DESC);
