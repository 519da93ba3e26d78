-- 006: the outbox of notifications (written in the transaction of the change that causes them, delivered after commit), and the plugins' own rows: their key-value storage and their state
CREATE TABLE outbox (
  id TEXT PRIMARY KEY,                          -- the stable message id (a random UUID)
  kind TEXT NOT NULL CHECK (kind IN ('webhook', 'mail')),
  plugin TEXT NOT NULL,                         -- the plugin that wrote it
  event TEXT,                                   -- what caused it (practice.published, ...)
  target TEXT NOT NULL,                         -- the webhook's http(s) URL, the mail's smtp(s) URL
  headers TEXT,                                 -- webhook: "Name: value" lines, each ended by \n
  sender TEXT,                                  -- mail: the From address
  recipients TEXT,                              -- mail: the addresses, each ended by \n
  subject TEXT,                                 -- mail: the subject, one line
  body BLOB NOT NULL,                           -- webhook: the exact bytes POSTed; mail: the text
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,          -- attempts made (each one's outcome recorded)
  next_attempt_at INTEGER NOT NULL,             -- when it is due, Unix time in milliseconds
  last_error TEXT,
  created_at TEXT NOT NULL,
  delivered_at TEXT
);
-- what the deliverer looks for: the due messages, oldest due first
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE state = 'pending';

CREATE TABLE plugin_storage (
  plugin TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (plugin, key)
) WITHOUT ROWID;

CREATE TABLE plugin_state (
  name TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  reason TEXT,
  failures INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL
);
