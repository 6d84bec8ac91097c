-- Respond: teams and the sites they cover, per-site routing rules and their firings, follow-up
-- details on conversations, and outbound webhook endpoints with their delivery log.

CREATE TABLE teams (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
  created_at INTEGER NOT NULL
);

CREATE TABLE team_members (
  team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (team_id, user_id)
) WITHOUT ROWID;
CREATE INDEX team_members_user ON team_members(user_id);

CREATE TABLE team_sites (
  team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  PRIMARY KEY (team_id, site_id)
) WITHOUT ROWID;

-- What routing decided about a conversation, beside the follow-up status of migration 001.
ALTER TABLE conversations ADD COLUMN priority TEXT NOT NULL DEFAULT 'normal';
ALTER TABLE conversations ADD COLUMN team_id TEXT REFERENCES teams(id) ON DELETE SET NULL;
ALTER TABLE conversations ADD COLUMN follow_up_urgency TEXT;
ALTER TABLE conversations ADD COLUMN follow_up_due_at INTEGER;
ALTER TABLE conversations ADD COLUMN follow_up_opened_at INTEGER;
CREATE INDEX conversations_follow_up_due ON conversations(follow_up_due_at) WHERE follow_up_status IN ('open', 'assigned');

CREATE TABLE rules (
  id         TEXT PRIMARY KEY,
  site_id    TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  definition TEXT NOT NULL,                     -- JSON, shared/rules.ts RuleInput
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX rules_site ON rules(site_id, position);

-- One row per rule that matched an extraction: the transcript's "Rules" section, and the guard
-- that a rule runs at most once per extraction content.
CREATE TABLE rule_firings (
  id              INTEGER PRIMARY KEY,
  rule_id         TEXT NOT NULL,                -- kept when the rule is deleted (history)
  rule_name       TEXT NOT NULL,
  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  extraction_hash TEXT NOT NULL,
  reasons         TEXT NOT NULL DEFAULT '[]',   -- JSON string[]
  actions         TEXT NOT NULL DEFAULT '[]',   -- JSON string[] (what was done)
  fired_at        INTEGER NOT NULL,
  UNIQUE (rule_id, conversation_id, extraction_hash)
);
CREATE INDEX rule_firings_conversation ON rule_firings(conversation_id, id);

CREATE TABLE webhook_endpoints (
  id                   TEXT PRIMARY KEY,
  site_id              TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  name                 TEXT NOT NULL,
  url                  TEXT NOT NULL,
  secret               TEXT NOT NULL,
  events               TEXT NOT NULL DEFAULT '[]',  -- JSON WebhookEvent[]
  format               TEXT NOT NULL DEFAULT 'json' CHECK (format IN ('json', 'slack')),
  enabled              INTEGER NOT NULL DEFAULT 1,
  disabled_reason      TEXT,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  failing_since        INTEGER,                 -- first failure of the current streak
  created_at           INTEGER NOT NULL,
  updated_at           INTEGER NOT NULL
);
CREATE INDEX webhook_endpoints_site ON webhook_endpoints(site_id);

-- Each event for each endpoint, delivered once and in order within its chain (one chain per
-- endpoint and conversation): the next one is only sent after the one before was delivered.
CREATE TABLE webhook_deliveries (
  id            INTEGER PRIMARY KEY,
  endpoint_id   TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
  chain         TEXT NOT NULL,                  -- conversation id, or 'test:<id>'
  event         TEXT NOT NULL,
  event_key     TEXT NOT NULL,                  -- idempotency: the same event is recorded once
  body          TEXT NOT NULL,                  -- the exact JSON sent (signed as is)
  status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts      INTEGER NOT NULL DEFAULT 0,
  last_status   INTEGER,                        -- HTTP status of the last attempt
  last_error    TEXT,
  created_at    INTEGER NOT NULL,
  delivered_at  INTEGER,
  UNIQUE (endpoint_id, event_key)
);
CREATE INDEX webhook_deliveries_chain ON webhook_deliveries(endpoint_id, chain, id) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_log ON webhook_deliveries(endpoint_id, id DESC);

-- Forgetting a conversation (privacy, retention) also forgets what was queued or sent about it.
CREATE TRIGGER webhook_deliveries_forget AFTER DELETE ON conversations BEGIN
  DELETE FROM webhook_deliveries WHERE chain = old.id;
END;
