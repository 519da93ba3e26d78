-- 007: the web front end's accounts: a user can be disabled, signs in to a server-side session, and is invited by a one-time link
ALTER TABLE users ADD COLUMN disabled_at TEXT;    -- set when an admin disables the account

CREATE TABLE sessions (
  hash BLOB PRIMARY KEY,                          -- BLAKE2b of the cookie's random token (never stored)
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf TEXT NOT NULL,                             -- the synchronizer token of the session's forms
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL                        -- a fixed-width UTC timestamp: past it the session is gone
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expires_at ON sessions(expires_at);

CREATE TABLE invites (
  hash BLOB PRIMARY KEY,                          -- BLAKE2b of the link's one-time token (never stored)
  email TEXT NOT NULL COLLATE NOCASE,
  role TEXT NOT NULL CHECK (role IN ('partner', 'admin')),
  invited_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT                                    -- set once the link has made the account
) WITHOUT ROWID;
