-- Insights: one fact row per analysed conversation (maintained after each extraction, replaced on
-- re-analysis), its topics/key phrases and expectations, daily rollups, follow-up resolution
-- times, generated reports and weekly schedules. Dashboard queries read these instead of parsing
-- extraction JSON. Re-dating (a new site time zone) deletes and re-inserts rows, so the rollup
-- triggers only handle insert and delete.

-- Facts are clustered by (site, local day): a period is one contiguous range of the table, so a
-- dashboard query reads the rows of its period and nothing else. Topics and expectations carry the
-- filter columns of their conversation for the same reason.
CREATE TABLE insight_facts (
  site_id         TEXT NOT NULL,
  day             TEXT NOT NULL,                -- local day (YYYY-MM-DD) in the site's time zone `tz`
  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  flow_id         TEXT NOT NULL,                -- '' when none
  source          TEXT NOT NULL,
  lang            TEXT,
  started_at      INTEGER NOT NULL,
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
  unmet_any       INTEGER NOT NULL DEFAULT 0,   -- holds at least one unmet expectation
  follow_up_status TEXT NOT NULL DEFAULT 'none', -- copied from conversations, kept by a trigger
  resolved_at     INTEGER,                      -- when the follow-up was marked done (insight_resolutions)
  quote           TEXT,                         -- a representative visitor message
  PRIMARY KEY (site_id, day, conversation_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX insight_facts_conversation ON insight_facts(conversation_id);
-- follow-up figures over long periods read this narrow index of the few conversations that want one
CREATE INDEX insight_facts_follow_ups ON insight_facts(site_id, day, follow_up_status, urgency, opened_at, started_at, resolved_at, flow_id, source, lang)
  WHERE follow_up = 1;

CREATE TABLE insight_terms (
  site_id         TEXT NOT NULL,
  day             TEXT NOT NULL,
  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  kind            TEXT NOT NULL CHECK (kind IN ('topic', 'phrase')),
  name            TEXT NOT NULL,
  flow_id         TEXT NOT NULL,
  source          TEXT NOT NULL,
  lang            TEXT,
  sentiment       REAL,
  started_at      INTEGER NOT NULL,
  PRIMARY KEY (site_id, day, conversation_id, kind, name)
) WITHOUT ROWID;
CREATE INDEX insight_terms_conversation ON insight_terms(conversation_id);

CREATE TABLE insight_expectations (
  site_id         TEXT NOT NULL,
  day             TEXT NOT NULL,
  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  idx             INTEGER NOT NULL,
  kind            TEXT NOT NULL,
  status          TEXT NOT NULL,
  text            TEXT NOT NULL,
  flow_id         TEXT NOT NULL,
  source          TEXT NOT NULL,
  lang            TEXT,
  started_at      INTEGER NOT NULL,
  PRIMARY KEY (site_id, day, conversation_id, idx)
) WITHOUT ROWID;
CREATE INDEX insight_expectations_conversation ON insight_expectations(conversation_id);

-- Daily rollups per (site, day, flow, source), kept by triggers on the facts, so long periods
-- without a language or tag filter read a few rows per day instead of every conversation.
CREATE TABLE insight_daily (
  site_id    TEXT NOT NULL,
  day        TEXT NOT NULL,
  flow_id    TEXT NOT NULL,
  source     TEXT NOT NULL,
  n          INTEGER NOT NULL DEFAULT 0,
  nps_n      INTEGER NOT NULL DEFAULT 0,
  promoters  INTEGER NOT NULL DEFAULT 0,
  detractors INTEGER NOT NULL DEFAULT 0,
  csat_n     INTEGER NOT NULL DEFAULT 0,
  csat_sum   REAL NOT NULL DEFAULT 0,
  csat_sat   INTEGER NOT NULL DEFAULT 0,
  ces_n      INTEGER NOT NULL DEFAULT 0,
  ces_sum    REAL NOT NULL DEFAULT 0,
  ces_sq     REAL NOT NULL DEFAULT 0,
  sent_n     INTEGER NOT NULL DEFAULT 0,
  sent_sum   REAL NOT NULL DEFAULT 0,
  positive   INTEGER NOT NULL DEFAULT 0,
  negative   INTEGER NOT NULL DEFAULT 0,
  follow_up  INTEGER NOT NULL DEFAULT 0,
  unmet_any  INTEGER NOT NULL DEFAULT 0,
  completed  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site_id, day, flow_id, source)
) WITHOUT ROWID;

CREATE TRIGGER insight_daily_add AFTER INSERT ON insight_facts BEGIN
  INSERT INTO insight_daily (site_id, day, flow_id, source) VALUES (new.site_id, new.day, new.flow_id, new.source) ON CONFLICT DO NOTHING;
  UPDATE insight_daily SET
    n = n + 1, nps_n = nps_n + (new.nps IS NOT NULL), promoters = promoters + coalesce(new.nps >= 9, 0), detractors = detractors + coalesce(new.nps <= 6, 0),
    csat_n = csat_n + (new.csat IS NOT NULL), csat_sum = csat_sum + coalesce(new.csat, 0), csat_sat = csat_sat + coalesce(new.csat >= 4, 0),
    ces_n = ces_n + (new.ces IS NOT NULL), ces_sum = ces_sum + coalesce(new.ces, 0), ces_sq = ces_sq + coalesce(new.ces * new.ces, 0),
    sent_n = sent_n + (new.sentiment IS NOT NULL), sent_sum = sent_sum + coalesce(new.sentiment, 0),
    positive = positive + (new.sentiment_label IS 'positive'), negative = negative + (new.sentiment_label IS 'negative'),
    follow_up = follow_up + new.follow_up, unmet_any = unmet_any + new.unmet_any, completed = completed + new.completed
  WHERE site_id = new.site_id AND day = new.day AND flow_id = new.flow_id AND source = new.source;
END;
CREATE TRIGGER insight_daily_remove AFTER DELETE ON insight_facts BEGIN
  UPDATE insight_daily SET
    n = n - 1, nps_n = nps_n - (old.nps IS NOT NULL), promoters = promoters - coalesce(old.nps >= 9, 0), detractors = detractors - coalesce(old.nps <= 6, 0),
    csat_n = csat_n - (old.csat IS NOT NULL), csat_sum = csat_sum - coalesce(old.csat, 0), csat_sat = csat_sat - coalesce(old.csat >= 4, 0),
    ces_n = ces_n - (old.ces IS NOT NULL), ces_sum = ces_sum - coalesce(old.ces, 0), ces_sq = ces_sq - coalesce(old.ces * old.ces, 0),
    sent_n = sent_n - (old.sentiment IS NOT NULL), sent_sum = sent_sum - coalesce(old.sentiment, 0),
    positive = positive - (old.sentiment_label IS 'positive'), negative = negative - (old.sentiment_label IS 'negative'),
    follow_up = follow_up - old.follow_up, unmet_any = unmet_any - old.unmet_any, completed = completed - old.completed
  WHERE site_id = old.site_id AND day = old.day AND flow_id = old.flow_id AND source = old.source;
  DELETE FROM insight_daily WHERE site_id = old.site_id AND day = old.day AND flow_id = old.flow_id AND source = old.source AND n <= 0;
END;

-- Topic and key-phrase counts per (site, day), for periods with no flow, source, language or tag filter.
CREATE TABLE insight_daily_terms (
  site_id  TEXT NOT NULL,
  day      TEXT NOT NULL,
  kind     TEXT NOT NULL,
  name     TEXT NOT NULL,
  n        INTEGER NOT NULL DEFAULT 0,
  sent_n   INTEGER NOT NULL DEFAULT 0,
  sent_sum REAL NOT NULL DEFAULT 0,
  PRIMARY KEY (site_id, day, kind, name)
) WITHOUT ROWID;
CREATE TRIGGER insight_daily_terms_add AFTER INSERT ON insight_terms BEGIN
  INSERT INTO insight_daily_terms (site_id, day, kind, name) VALUES (new.site_id, new.day, new.kind, new.name) ON CONFLICT DO NOTHING;
  UPDATE insight_daily_terms SET n = n + 1, sent_n = sent_n + (new.sentiment IS NOT NULL), sent_sum = sent_sum + coalesce(new.sentiment, 0)
  WHERE site_id = new.site_id AND day = new.day AND kind = new.kind AND name = new.name;
END;
CREATE TRIGGER insight_daily_terms_remove AFTER DELETE ON insight_terms BEGIN
  UPDATE insight_daily_terms SET n = n - 1, sent_n = sent_n - (old.sentiment IS NOT NULL), sent_sum = sent_sum - coalesce(old.sentiment, 0)
  WHERE site_id = old.site_id AND day = old.day AND kind = old.kind AND name = old.name;
  DELETE FROM insight_daily_terms WHERE site_id = old.site_id AND day = old.day AND kind = old.kind AND name = old.name AND n <= 0;
END;

CREATE TABLE insight_daily_expectations (
  site_id TEXT NOT NULL,
  day     TEXT NOT NULL,
  flow_id TEXT NOT NULL,
  source  TEXT NOT NULL,
  kind    TEXT NOT NULL,
  total   INTEGER NOT NULL DEFAULT 0,
  unmet   INTEGER NOT NULL DEFAULT 0,
  met     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site_id, day, flow_id, source, kind)
) WITHOUT ROWID;
CREATE TRIGGER insight_daily_expectations_add AFTER INSERT ON insight_expectations BEGIN
  INSERT INTO insight_daily_expectations (site_id, day, flow_id, source, kind) VALUES (new.site_id, new.day, new.flow_id, new.source, new.kind) ON CONFLICT DO NOTHING;
  UPDATE insight_daily_expectations SET total = total + 1, unmet = unmet + (new.status = 'unmet'), met = met + (new.status = 'met')
  WHERE site_id = new.site_id AND day = new.day AND flow_id = new.flow_id AND source = new.source AND kind = new.kind;
END;
CREATE TRIGGER insight_daily_expectations_remove AFTER DELETE ON insight_expectations BEGIN
  UPDATE insight_daily_expectations SET total = total - 1, unmet = unmet - (old.status = 'unmet'), met = met - (old.status = 'met')
  WHERE site_id = old.site_id AND day = old.day AND flow_id = old.flow_id AND source = old.source AND kind = old.kind;
  DELETE FROM insight_daily_expectations
  WHERE site_id = old.site_id AND day = old.day AND flow_id = old.flow_id AND source = old.source AND kind = old.kind AND total <= 0;
END;

-- Which survey questions each conversation answered, and where an unfinished one stopped: the
-- completion and drop-off chart reads these (and their daily rollup) instead of the answers table.
CREATE TABLE insight_answers (
  site_id         TEXT NOT NULL,
  day             TEXT NOT NULL,
  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  question_id     TEXT NOT NULL,
  flow_id         TEXT NOT NULL,
  source          TEXT NOT NULL,
  lang            TEXT,
  answered        INTEGER NOT NULL,             -- 1: a value, 0: skipped
  last            INTEGER NOT NULL,             -- 1: the last answer of a conversation that did not complete
  PRIMARY KEY (site_id, day, conversation_id, question_id)
) WITHOUT ROWID;
CREATE INDEX insight_answers_conversation ON insight_answers(conversation_id);

CREATE TABLE insight_daily_answers (
  site_id     TEXT NOT NULL,
  day         TEXT NOT NULL,
  flow_id     TEXT NOT NULL,
  source      TEXT NOT NULL,
  question_id TEXT NOT NULL,
  answered    INTEGER NOT NULL DEFAULT 0,
  last        INTEGER NOT NULL DEFAULT 0,
  rows        INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site_id, day, flow_id, source, question_id)
) WITHOUT ROWID;
CREATE TRIGGER insight_daily_answers_add AFTER INSERT ON insight_answers BEGIN
  INSERT INTO insight_daily_answers (site_id, day, flow_id, source, question_id) VALUES (new.site_id, new.day, new.flow_id, new.source, new.question_id) ON CONFLICT DO NOTHING;
  UPDATE insight_daily_answers SET answered = answered + new.answered, last = last + new.last, rows = rows + 1
  WHERE site_id = new.site_id AND day = new.day AND flow_id = new.flow_id AND source = new.source AND question_id = new.question_id;
END;
CREATE TRIGGER insight_daily_answers_remove AFTER DELETE ON insight_answers BEGIN
  UPDATE insight_daily_answers SET answered = answered - old.answered, last = last - old.last, rows = rows - 1
  WHERE site_id = old.site_id AND day = old.day AND flow_id = old.flow_id AND source = old.source AND question_id = old.question_id;
  DELETE FROM insight_daily_answers
  WHERE site_id = old.site_id AND day = old.day AND flow_id = old.flow_id AND source = old.source AND question_id = old.question_id AND rows <= 0;
END;

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
-- the facts carry the follow-up's status and resolution time, so follow-up figures read no other table
CREATE TRIGGER insight_follow_up_status AFTER UPDATE OF follow_up_status ON conversations BEGIN
  UPDATE insight_facts SET follow_up_status = new.follow_up_status WHERE conversation_id = new.id;
END;
CREATE TRIGGER insight_resolution_set AFTER INSERT ON insight_resolutions BEGIN
  UPDATE insight_facts SET resolved_at = new.resolved_at WHERE conversation_id = new.conversation_id;
END;
CREATE TRIGGER insight_resolution_moved AFTER UPDATE ON insight_resolutions BEGIN
  UPDATE insight_facts SET resolved_at = new.resolved_at WHERE conversation_id = new.conversation_id;
END;
CREATE TRIGGER insight_resolution_cleared AFTER DELETE ON insight_resolutions BEGIN
  UPDATE insight_facts SET resolved_at = NULL WHERE conversation_id = old.conversation_id;
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
  webhook         INTEGER NOT NULL DEFAULT 0,   -- also post to the site's webhooks subscribed to insights events
  generation      INTEGER NOT NULL,             -- bumped on change: queued runs of an older one do nothing
  next_run_at     INTEGER,
  updated_at      INTEGER NOT NULL
) WITHOUT ROWID;
