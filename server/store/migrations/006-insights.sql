-- Insights: one fact row per analysed conversation (maintained after each extraction, replaced on
-- re-analysis), its topics/key phrases and expectations, follow-up resolution times, generated
-- reports and weekly schedules. Dashboard queries read these instead of parsing extraction JSON.

CREATE TABLE insight_facts (
  conversation_id TEXT PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
  site_id         TEXT NOT NULL,
  flow_id         TEXT,
  source          TEXT NOT NULL,
  lang            TEXT,
  started_at      INTEGER NOT NULL,
  day             TEXT NOT NULL,                -- local day (YYYY-MM-DD) in the site's time zone `tz`
  tz              TEXT NOT NULL,
  completed       INTEGER NOT NULL DEFAULT 0,   -- the flow ran to its end
  nps             INTEGER,                      -- 0..10
  csat            REAL,                         -- on 1..5
  ces             REAL,                         -- on 1..7
  sentiment       REAL,                         -- -1..1
  sentiment_label TEXT,
  follow_up       INTEGER NOT NULL DEFAULT 0,
  urgency         TEXT,
  opened_at       INTEGER,                      -- when the follow-up was wanted (the conversation's end)
  quote           TEXT                          -- a representative visitor message
) WITHOUT ROWID;
CREATE INDEX insight_facts_site_day ON insight_facts(site_id, day);
CREATE INDEX insight_facts_day ON insight_facts(day);

CREATE TABLE insight_terms (
  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  kind            TEXT NOT NULL CHECK (kind IN ('topic', 'phrase')),
  name            TEXT NOT NULL,
  PRIMARY KEY (conversation_id, kind, name)
) WITHOUT ROWID;

CREATE TABLE insight_expectations (
  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  idx             INTEGER NOT NULL,
  kind            TEXT NOT NULL,
  status          TEXT NOT NULL,
  text            TEXT NOT NULL,
  PRIMARY KEY (conversation_id, idx)
) WITHOUT ROWID;

-- When a follow-up was marked done, whoever marks it (review page, inbox): kept by triggers.
CREATE TABLE insight_resolutions (
  conversation_id TEXT PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
  resolved_at     INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER insight_follow_up_done AFTER UPDATE OF follow_up_status ON conversations
WHEN new.follow_up_status = 'done' AND old.follow_up_status <> 'done' BEGIN
  INSERT OR REPLACE INTO insight_resolutions (conversation_id, resolved_at)
  VALUES (new.id, CAST(unixepoch('subsec') * 1000 AS INTEGER));
END;
CREATE TRIGGER insight_follow_up_reopened AFTER UPDATE OF follow_up_status ON conversations
WHEN new.follow_up_status <> 'done' AND old.follow_up_status = 'done' BEGIN
  DELETE FROM insight_resolutions WHERE conversation_id = new.id;
END;

CREATE TABLE insight_reports (
  id              TEXT PRIMARY KEY,
  site_id         TEXT REFERENCES sites(id) ON DELETE CASCADE,
  filters         TEXT NOT NULL,                -- JSON ResolvedFilters
  writer          TEXT NOT NULL CHECK (writer IN ('llm', 'offline')),
  fallback_reason TEXT,
  markdown        TEXT NOT NULL,
  figures         TEXT NOT NULL,                -- JSON ReportFigures
  created_at      INTEGER NOT NULL
);
CREATE INDEX insight_reports_created ON insight_reports(created_at DESC);

CREATE TABLE insight_schedules (
  site_id         TEXT PRIMARY KEY REFERENCES sites(id) ON DELETE CASCADE,
  email           TEXT,
  emerging_alerts INTEGER NOT NULL DEFAULT 0,
  generation      INTEGER NOT NULL,             -- bumped on change: queued runs of an older one do nothing
  next_run_at     INTEGER,
  updated_at      INTEGER NOT NULL
) WITHOUT ROWID;
