-- 008: subscriptions to a search by e-mail, and the order in which practices were first published here (a digest's mark in it says what it has covered)
CREATE TABLE subscriptions (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL COLLATE NOCASE,
  query TEXT NOT NULL,                            -- the search, as its canonical query string (q=...&country=...)
  frequency TEXT NOT NULL CHECK (frequency IN ('immediate', 'daily', 'weekly')),
  token TEXT NOT NULL UNIQUE,                     -- random: the confirmation and unsubscribe links carry it, so every digest needs it as it is
  created_at TEXT NOT NULL,
  confirm_sent_at TEXT,                           -- the last confirmation mail written
  confirmed_at TEXT,                              -- NULL: nothing but the confirmation is ever sent
  mark INTEGER NOT NULL DEFAULT 0,                -- publications.seq up to which practices have been considered for it
  digest_at TEXT,                                 -- when its digest last ran (a daily or weekly one is due a period later)
  UNIQUE (email, query)
);
CREATE INDEX subscriptions_unconfirmed ON subscriptions(created_at) WHERE confirmed_at IS NULL;

-- a practice's first publication on this server, in commit order (AUTOINCREMENT: never reused)
CREATE TABLE publications (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  practice_id INTEGER NOT NULL UNIQUE REFERENCES practices(id) ON DELETE CASCADE
);
-- the practices published before: already known to every subscription to come
INSERT INTO publications (practice_id)
  SELECT id FROM practices WHERE status = 'published' ORDER BY coalesce(published_at, created_at), id;

CREATE TRIGGER publications_insert AFTER INSERT ON practices WHEN new.status = 'published' BEGIN
  INSERT INTO publications (practice_id)
    SELECT new.id WHERE NOT EXISTS (SELECT 1 FROM publications WHERE practice_id = new.id);
END;
CREATE TRIGGER publications_update AFTER UPDATE OF status ON practices
  WHEN new.status = 'published' AND old.status != 'published' BEGIN
  INSERT INTO publications (practice_id)
    SELECT new.id WHERE NOT EXISTS (SELECT 1 FROM publications WHERE practice_id = new.id);
END;
