-- 009: the reason a moderator gave with a rejection, kept with the practice so that its partner sees it on /my (cleared when it is published)
ALTER TABLE practices ADD COLUMN status_reason TEXT;
