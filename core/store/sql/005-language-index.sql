-- 005: the full-text index holds each practice's words with the stems of its own language: a first column names the language (a marker the px tokenizer reads, see core/text/tokenizer.h), read through a view
DROP TRIGGER practices_fts_insert;
DROP TRIGGER practices_fts_delete;
DROP TRIGGER practices_fts_update;
DROP TABLE practices_vocab;
DROP TABLE practices_fts;

-- char(2) and the tag ("\x02sv"; "\x02" alone when the practice gives none): never empty, so the
-- tokenizer sees every row's language before its other columns
CREATE VIEW practices_fts_source AS
  SELECT id, char(2) || coalesce(language, '') AS lang, title, summary, body, city, organisation
  FROM practices;

CREATE VIRTUAL TABLE practices_fts USING fts5(
  lang, title, summary, body, city, organisation,
  content = 'practices_fts_source', content_rowid = 'id', tokenize = 'px'
);
INSERT INTO practices_fts(practices_fts, rank) VALUES ('rank', 'bm25(0.0, 10.0, 4.0, 1.0, 3.0, 2.0)');
CREATE VIRTUAL TABLE practices_vocab USING fts5vocab(practices_fts, row);

-- the external-content sync of SQLite's docs (fts5 4.4.3): deletes pass the old values
CREATE TRIGGER practices_fts_insert AFTER INSERT ON practices BEGIN
  INSERT INTO practices_fts(rowid, lang, title, summary, body, city, organisation)
  VALUES (new.id, char(2) || coalesce(new.language, ''), new.title, new.summary, new.body,
          new.city, new.organisation);
END;
CREATE TRIGGER practices_fts_delete AFTER DELETE ON practices BEGIN
  INSERT INTO practices_fts(practices_fts, rowid, lang, title, summary, body, city, organisation)
  VALUES ('delete', old.id, char(2) || coalesce(old.language, ''), old.title, old.summary,
          old.body, old.city, old.organisation);
END;
CREATE TRIGGER practices_fts_update
AFTER UPDATE OF title, summary, body, city, organisation, language ON practices BEGIN
  INSERT INTO practices_fts(practices_fts, rowid, lang, title, summary, body, city, organisation)
  VALUES ('delete', old.id, char(2) || coalesce(old.language, ''), old.title, old.summary,
          old.body, old.city, old.organisation);
  INSERT INTO practices_fts(rowid, lang, title, summary, body, city, organisation)
  VALUES (new.id, char(2) || coalesce(new.language, ''), new.title, new.summary, new.body,
          new.city, new.organisation);
END;

-- as the bulk import does (store.c): a large hash while rebuilding writes fewer, larger segments
INSERT INTO practices_fts(practices_fts, rank) VALUES ('hashsize', 67108864);
INSERT INTO practices_fts(practices_fts) VALUES ('rebuild');
INSERT INTO practices_fts(practices_fts, rank) VALUES ('hashsize', 1048576);
