-- schema.sql — version 1 of the thema store (PRAGMA user_version = 1).
-- Later versions are forward migrations in store.c; this file is never edited
-- in a way that changes an existing store's meaning.

-- A transcript, document or monitor table, as imported.
CREATE TABLE source (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,       -- file name without extension
  kind        TEXT NOT NULL CHECK (kind IN ('transcript', 'document', 'monitor')),
  genre       TEXT,                       -- front matter kind: focusgroup, interview, ...
  title       TEXT,
  network     TEXT,                       -- front matter network (a network name)
  date        TEXT,
  format      TEXT NOT NULL,              -- txt, md, vtt, srt, csv
  path        TEXT NOT NULL,              -- as given on import
  hash        TEXT NOT NULL,              -- SHA-256 of the file's bytes
  text        TEXT NOT NULL,              -- stored text; offsets index it
  length      INTEGER NOT NULL,           -- code points in text
  imported_at TEXT NOT NULL
);

-- Free key/value attributes of sources (front matter), persons and organisations.
CREATE TABLE attribute (
  entity    TEXT NOT NULL CHECK (entity IN ('source', 'person', 'organisation')),
  entity_id INTEGER NOT NULL,
  key       TEXT NOT NULL,
  value     TEXT,
  PRIMARY KEY (entity, entity_id, key)
) WITHOUT ROWID;

CREATE TABLE organisation (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);

CREATE TABLE network (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);

CREATE TABLE membership (
  organisation_id INTEGER NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
  network_id      INTEGER NOT NULL REFERENCES network(id) ON DELETE CASCADE,
  PRIMARY KEY (organisation_id, network_id)
) WITHOUT ROWID;

-- A person (a case) speaking in one or more sources.
CREATE TABLE person (
  id              INTEGER PRIMARY KEY,
  name            TEXT NOT NULL UNIQUE,   -- a stable (pseudonymous) identifier
  organisation_id INTEGER REFERENCES organisation(id),
  role            TEXT
);

-- A speaker label within one source (R2.1), resolved to a person by cases.csv.
CREATE TABLE speaker (
  id        INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
  label     TEXT NOT NULL,
  person_id INTEGER REFERENCES person(id),
  UNIQUE (source_id, label)
);

-- The unit of coding: a transcript turn or a document paragraph. start/end are
-- code-point offsets into source.text and text is exactly that slice.
CREATE TABLE segment (
  id         INTEGER PRIMARY KEY,
  source_id  INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
  ordinal    INTEGER NOT NULL,            -- 1-based position in the source
  speaker_id INTEGER REFERENCES speaker(id),
  section    TEXT,                        -- document heading path, "A > B"
  start      INTEGER NOT NULL,
  end        INTEGER NOT NULL,
  time_start REAL,                        -- seconds, when the transcript has times
  time_end   REAL,
  text       TEXT NOT NULL,
  UNIQUE (source_id, ordinal),
  CHECK (start <= end)
);
CREATE INDEX segment_by_speaker ON segment(speaker_id);

CREATE VIRTUAL TABLE segment_fts USING fts5(
  text, content = 'segment', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER segment_fts_insert AFTER INSERT ON segment BEGIN
  INSERT INTO segment_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER segment_fts_delete AFTER DELETE ON segment BEGIN
  INSERT INTO segment_fts(segment_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;

-- Monitor data in long form.
CREATE TABLE indicator (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);

CREATE TABLE observation (
  id           INTEGER PRIMARY KEY,
  source_id    INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
  indicator_id INTEGER NOT NULL REFERENCES indicator(id),
  case_name    TEXT NOT NULL,             -- as printed: a municipality, a region, a total
  period       TEXT NOT NULL,
  value        REAL,                      -- NULL when missing
  raw          TEXT NOT NULL,             -- the cell as printed
  unit         TEXT,
  line         INTEGER NOT NULL,          -- line in the CSV file
  UNIQUE (source_id, indicator_id, case_name, period)
);
CREATE INDEX observation_by_case ON observation(case_name);

-- The codebook: themes and codes in a tree; rules hold patterns and examples.
CREATE TABLE codebook (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  path        TEXT NOT NULL,
  hash        TEXT NOT NULL,
  imported_at TEXT NOT NULL
);

CREATE TABLE code (
  id          INTEGER PRIMARY KEY,
  parent_id   INTEGER REFERENCES code(id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  path        TEXT NOT NULL UNIQUE,       -- theme/code
  origin      TEXT NOT NULL CHECK (origin IN ('deductive', 'inductive', 'manual')),
  description TEXT,
  options     TEXT,                       -- codebook options: stem fold case partial
  colour      TEXT,
  codebook_id INTEGER REFERENCES codebook(id) ON DELETE CASCADE,
  line        INTEGER                     -- line in the codebook file
);

CREATE TABLE code_rule (
  id      INTEGER PRIMARY KEY,
  code_id INTEGER NOT NULL REFERENCES code(id) ON DELETE CASCADE,
  kind    TEXT NOT NULL CHECK (kind IN ('include', 'exclude', 'match', 'nomatch')),
  text    TEXT NOT NULL
);

-- Provenance of every plugin pass.
CREATE TABLE run (
  id            INTEGER PRIMARY KEY,
  plugin        TEXT NOT NULL,
  version       TEXT,
  params        TEXT,                     -- JSON, keys sorted
  input_hash    TEXT,
  codebook_hash TEXT,
  started_at    TEXT NOT NULL,
  finished_at   TEXT,
  status        TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'replaced')),
  message       TEXT
);

-- A code applied to a span of a segment, by a run or a named coder. start/end
-- are code-point offsets into the source text, within the segment.
CREATE TABLE coding (
  id         INTEGER PRIMARY KEY,
  code_id    INTEGER NOT NULL REFERENCES code(id) ON DELETE CASCADE,
  segment_id INTEGER NOT NULL REFERENCES segment(id) ON DELETE CASCADE,
  start      INTEGER NOT NULL,
  end        INTEGER NOT NULL,
  run_id     INTEGER REFERENCES run(id) ON DELETE CASCADE,
  coder      TEXT,
  weight     REAL,
  memo       TEXT,
  CHECK (start <= end),
  CHECK (run_id IS NOT NULL OR coder IS NOT NULL)
);
CREATE INDEX coding_by_segment ON coding(segment_id);
CREATE INDEX coding_by_run ON coding(run_id);
CREATE INDEX coding_by_code ON coding(code_id);

CREATE TABLE memo (
  id         INTEGER PRIMARY KEY,
  target     TEXT NOT NULL CHECK (target IN ('source', 'segment', 'code', 'person', 'organisation', 'project')),
  target_id  INTEGER,
  author     TEXT,
  text       TEXT NOT NULL,
  created_at TEXT NOT NULL
);
