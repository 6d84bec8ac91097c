-- Reaching customers: the e-mail outbox (each e-mail once, by idempotency key), replies that reach
-- the visitor in the widget (with their read state for the unread badge), per-site playbook
-- switches and the playbook runs (each once per conversation). Rows about a conversation go with
-- it when it is forgotten (ON DELETE CASCADE); their queued jobs carry its id, so privacy's
-- job sweep cancels them too.

CREATE TABLE email_outbox (
  id              INTEGER PRIMARY KEY,
  idempotency_key TEXT NOT NULL UNIQUE,
  site_id         TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  conversation_id TEXT REFERENCES conversations(id) ON DELETE CASCADE,
  to_addr         TEXT NOT NULL,
  subject         TEXT NOT NULL,
  body            TEXT NOT NULL,
  message_id      TEXT NOT NULL,                -- RFC 5322 Message-ID derived from the key
  in_reply_to     TEXT,                         -- the first e-mail of the same conversation, for threading
  status          TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'retrying', 'refused', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  smtp_response   TEXT,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  sent_at         INTEGER
);
CREATE INDEX email_outbox_site ON email_outbox(site_id, created_at DESC);
CREATE INDEX email_outbox_conversation ON email_outbox(conversation_id);

CREATE TABLE visitor_replies (
  id              INTEGER PRIMARY KEY,
  idempotency_key TEXT NOT NULL UNIQUE,
  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  agent_id        TEXT,                         -- null: an automated reply (playbook, rule)
  author_name     TEXT NOT NULL,
  text            TEXT NOT NULL,
  email_too       INTEGER NOT NULL DEFAULT 1,
  message_id      INTEGER,                      -- the transcript line, once delivered
  seq             INTEGER,
  delivered_at    INTEGER,
  read_at         INTEGER,                      -- the visitor opened the widget and saw it
  created_at      INTEGER NOT NULL
);
CREATE INDEX visitor_replies_conversation ON visitor_replies(conversation_id);
CREATE INDEX visitor_replies_unread ON visitor_replies(conversation_id) WHERE read_at IS NULL AND delivered_at IS NOT NULL;

CREATE TABLE playbook_settings (
  site_id    TEXT PRIMARY KEY REFERENCES sites(id) ON DELETE CASCADE,
  data       TEXT NOT NULL DEFAULT '{}',        -- JSON, shared/reach.ts PlaybookSettings
  updated_at INTEGER NOT NULL
);

CREATE TABLE playbook_runs (
  id              INTEGER PRIMARY KEY,
  idempotency_key TEXT NOT NULL UNIQUE,         -- <playbook>:<conversation id>
  playbook        TEXT NOT NULL CHECK (playbook IN ('thank_promoter', 'resolved', 'recheck_detractor')),
  site_id         TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  status          TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'sent', 'answered', 'skipped')),
  run_at          INTEGER NOT NULL,
  -- recheck_detractor: the short CSAT conversation and what it found
  recheck_conversation_id TEXT REFERENCES conversations(id) ON DELETE SET NULL,
  outcome         TEXT CHECK (outcome IN ('recovered', 'not_recovered')),
  detail          TEXT,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX playbook_runs_conversation ON playbook_runs(conversation_id);
CREATE INDEX playbook_runs_recheck ON playbook_runs(recheck_conversation_id) WHERE recheck_conversation_id IS NOT NULL;
