-- Idempotency keys for offline phone clients: a phone queues its reports and ledger changes while it has
-- no connection and sends them again when it is back, so one request may arrive twice (the first answer
-- was lost on the way back). A request that carries an `Idempotency-Key` header is remembered here under
-- (user, key): a repeat gets the stored answer instead of being applied a second time
-- (server/src/plugins/idempotency.ts).
--
-- Not a record of anything: rows are working data, deleted when a request fails (so the client may
-- retry with the same key) and purged after 7 days; hence no append-only trigger.
CREATE TABLE idempotency_keys (
  -- keys are per user: two phones that happen to pick the same key do not see each other's answers
  user_id        integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- visible ASCII only (a header value), long enough to be unique, short enough to index
  key            text NOT NULL CHECK (key ~ '^[!-~]{8,200}$'),
  method         text NOT NULL CHECK (method IN ('POST', 'PUT', 'PATCH', 'DELETE')),
  -- the route's URL pattern (/api/ledgers/:id), not the URL: the params are part of request_hash
  route          text NOT NULL CHECK (length(route) BETWEEN 1 AND 500),
  -- sha256 (hex) of the params, the query and the body, with the bytes of uploaded files
  request_hash   text NOT NULL CHECK (request_hash ~ '^[0-9a-f]{64}$'),
  -- null while the first request is still being handled (the key is claimed, the answer not known yet)
  status_code    integer CHECK (status_code BETWEEN 200 AND 299),
  response_body  text,
  content_type   text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key),
  CHECK ((status_code IS NULL) = (response_body IS NULL))
);
-- the purge of keys older than 7 days
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
