-- Accounts, server-side sessions and sign-in throttling.
CREATE TABLE users (
  id              serial PRIMARY KEY,
  login           text NOT NULL UNIQUE CHECK (login ~ '^[a-z0-9_.-]{3,64}$'),
  display_name    text NOT NULL,
  role            text NOT NULL CHECK (role IN ('admin', 'supervisor', 'inspector', 'viewer')),
  -- supervisors act for a person record: their cells are that person's current responsibilities
  person_id       integer REFERENCES people (id),
  -- scrypt$N$r$p$salt$hash (base64); never the password itself
  password_hash   text NOT NULL,
  is_demo         boolean NOT NULL DEFAULT false,
  disabled        boolean NOT NULL DEFAULT false,
  failed_signins  integer NOT NULL DEFAULT 0,
  locked_until    timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (role <> 'supervisor' OR person_id IS NOT NULL)
);

CREATE TABLE sessions (
  -- SHA-256 of the bearer token; the token itself is only ever in the client's cookie
  id          text PRIMARY KEY,
  user_id     integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

ALTER TABLE flags ADD CONSTRAINT flags_reported_by_fkey FOREIGN KEY (reported_by) REFERENCES users (id);
