-- Staff sign in with the NHS account they already have (issue 37). An account is linked to the
-- provider's (issuer, subject) the first time it signs in by matching the invited email; after
-- that the subject alone finds it. An admin may set an account to sign in by NHS account only.
ALTER TABLE users ADD COLUMN oidc_issuer TEXT;
ALTER TABLE users ADD COLUMN oidc_subject TEXT;
ALTER TABLE users ADD COLUMN nhs_only INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX users_oidc_subject ON users(oidc_issuer, oidc_subject);
-- A sign-in on its way to the provider: its state (hashed), nonce and PKCE verifier, used once.
CREATE TABLE oidc_sign_ins (
  state_hash TEXT PRIMARY KEY,
  nonce TEXT NOT NULL,
  verifier TEXT NOT NULL,
  next TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
