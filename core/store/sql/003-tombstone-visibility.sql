-- 003: a tombstone says whether its practice was ever published; only those are shown to the public (tombstones from before cannot tell, and stay public so harvesters miss no deletion)
ALTER TABLE tombstones ADD COLUMN public INTEGER NOT NULL DEFAULT 1;
