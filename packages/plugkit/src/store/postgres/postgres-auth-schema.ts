/**
 * plugkit's auth tables on PostgreSQL, at the schema SQLite's three steps arrive at. Times are
 * milliseconds since the epoch (bigint), like SQLite's; usernames are unique case-insensitively.
 */
export const POSTGRES_AUTH_STEPS: readonly string[] = [
  `CREATE TABLE accounts (
     id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     username      text   NOT NULL,
     password_hash text   NOT NULL,
     created_at    bigint NOT NULL
   );
   CREATE UNIQUE INDEX accounts_by_username ON accounts (lower(username));
   CREATE TABLE api_tokens (
     id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     account_id   bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
     token_hash   text   NOT NULL UNIQUE,
     label        text   NOT NULL,
     created_at   bigint NOT NULL,
     last_used_at bigint
   );
   CREATE INDEX api_tokens_by_account ON api_tokens (account_id);
   CREATE TABLE oauth_clients (
     client_id     text   PRIMARY KEY,
     client_name   text,
     redirect_uris text   NOT NULL,
     created_at    bigint NOT NULL
   );
   CREATE TABLE oauth_grants (
     id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
     client_id  text   NOT NULL,
     scope      text,
     resource   text,
     created_at bigint NOT NULL,
     revoked_at bigint
   );
   CREATE INDEX oauth_grants_by_account ON oauth_grants (account_id);
   CREATE INDEX oauth_grants_by_client ON oauth_grants (client_id);
   CREATE TABLE oauth_tokens (
     id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     grant_id           bigint NOT NULL REFERENCES oauth_grants (id) ON DELETE CASCADE,
     scope              text,
     access_token_hash  text   NOT NULL UNIQUE,
     access_expires_at  bigint NOT NULL,
     refresh_token_hash text   UNIQUE,
     refresh_expires_at bigint,
     created_at         bigint NOT NULL,
     rotated_at         bigint
   );
   CREATE INDEX oauth_tokens_by_grant ON oauth_tokens (grant_id);
   CREATE TABLE oauth_codes (
     code_hash      text   PRIMARY KEY,
     grant_id       bigint NOT NULL REFERENCES oauth_grants (id) ON DELETE CASCADE,
     redirect_uri   text   NOT NULL,
     code_challenge text,
     expires_at     bigint NOT NULL,
     used_at        bigint
   );
   CREATE INDEX oauth_codes_by_grant ON oauth_codes (grant_id);
   CREATE TABLE sign_in_devices (
     device_hash text   PRIMARY KEY,
     account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
     created_at  bigint NOT NULL
   );
   CREATE INDEX sign_in_devices_by_account ON sign_in_devices (account_id);
   CREATE TABLE throttle_events (
     id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     key text   NOT NULL,
     at  bigint NOT NULL
   );
   CREATE INDEX throttle_events_by_key ON throttle_events (key, at);
   CREATE INDEX throttle_events_by_time ON throttle_events (at);`,
];
