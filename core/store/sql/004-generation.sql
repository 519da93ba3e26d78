-- 004: a change counter of what searches read, bumped by every write to practices or their tags
CREATE TABLE generation (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  value INTEGER NOT NULL
);
INSERT INTO generation (id, value) VALUES (1, 1);

-- row triggers: a transaction that writes several rows bumps it several times, which is harmless
CREATE TRIGGER generation_practices_insert AFTER INSERT ON practices BEGIN
  UPDATE generation SET value = value + 1 WHERE id = 1;
END;
CREATE TRIGGER generation_practices_update AFTER UPDATE ON practices BEGIN
  UPDATE generation SET value = value + 1 WHERE id = 1;
END;
CREATE TRIGGER generation_practices_delete AFTER DELETE ON practices BEGIN
  UPDATE generation SET value = value + 1 WHERE id = 1;
END;
CREATE TRIGGER generation_tags_insert AFTER INSERT ON practice_tags BEGIN
  UPDATE generation SET value = value + 1 WHERE id = 1;
END;
CREATE TRIGGER generation_tags_update AFTER UPDATE ON practice_tags BEGIN
  UPDATE generation SET value = value + 1 WHERE id = 1;
END;
CREATE TRIGGER generation_tags_delete AFTER DELETE ON practice_tags BEGIN
  UPDATE generation SET value = value + 1 WHERE id = 1;
END;
