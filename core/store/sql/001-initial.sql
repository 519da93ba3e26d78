-- 001: users and tokens, practices with their tags, tombstones, the full-text index and its triggers
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  role TEXT NOT NULL CHECK (role IN ('partner', 'admin')),
  password_hash TEXT,
  created_at TEXT NOT NULL
);

CREATE TABLE tokens (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  hash BLOB NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);

CREATE TABLE practices (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  uid TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL CHECK (status IN ('pending', 'published', 'rejected')),
  title TEXT NOT NULL,
  summary TEXT NOT NULL,
  body TEXT,
  city TEXT,
  region TEXT,
  country TEXT,
  organisation TEXT,
  project TEXT,
  language TEXT,
  year INTEGER,
  url TEXT,
  contact TEXT,
  target_groups TEXT,
  goals TEXT,
  results TEXT,
  evaluation TEXT,
  funding TEXT,
  started TEXT,
  ended TEXT,
  source TEXT,
  submitted_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  published_at TEXT
);
CREATE INDEX practices_updated_at ON practices(updated_at);

CREATE TABLE practice_tags (
  practice_id INTEGER NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('focus', 'theme')),
  tag TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (practice_id, kind, tag)
) WITHOUT ROWID;

-- what export?since= reports as deleted
CREATE TABLE tombstones (
  uid TEXT PRIMARY KEY,
  deleted_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX tombstones_deleted_at ON tombstones(deleted_at);

CREATE VIRTUAL TABLE practices_fts USING fts5(
  title, summary, body, city, organisation,
  content = 'practices', content_rowid = 'id', tokenize = 'px'
);
INSERT INTO practices_fts(practices_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0, 3.0, 2.0)');
CREATE VIRTUAL TABLE practices_vocab USING fts5vocab(practices_fts, row);

-- the external-content sync of SQLite's docs (fts5 4.4.3): deletes pass the old values
CREATE TRIGGER practices_fts_insert AFTER INSERT ON practices BEGIN
  INSERT INTO practices_fts(rowid, title, summary, body, city, organisation)
  VALUES (new.id, new.title, new.summary, new.body, new.city, new.organisation);
END;
CREATE TRIGGER practices_fts_delete AFTER DELETE ON practices BEGIN
  INSERT INTO practices_fts(practices_fts, rowid, title, summary, body, city, organisation)
  VALUES ('delete', old.id, old.title, old.summary, old.body, old.city, old.organisation);
END;
CREATE TRIGGER practices_fts_update AFTER UPDATE OF title, summary, body, city, organisation ON practices BEGIN
  INSERT INTO practices_fts(practices_fts, rowid, title, summary, body, city, organisation)
  VALUES ('delete', old.id, old.title, old.summary, old.body, old.city, old.organisation);
  INSERT INTO practices_fts(rowid, title, summary, body, city, organisation)
  VALUES (new.id, new.title, new.summary, new.body, new.city, new.organisation);
END;
