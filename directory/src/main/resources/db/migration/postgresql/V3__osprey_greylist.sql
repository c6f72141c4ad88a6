-- Greylisting state (filter module). Times are epoch seconds. A triplet row is keyed by the SHA-256 (hex) of
-- "client network NUL sender NUL recipient" as normalized by the greylist, so long or non-ASCII addresses never
-- hit a key-length or collation limit; the readable columns are for admins and may be truncated to 255 chars.
CREATE TABLE osprey_greylist (
    triplet VARCHAR(64) NOT NULL PRIMARY KEY,
    client_net VARCHAR(64) NOT NULL,
    sender VARCHAR(255) NOT NULL,
    recipient VARCHAR(255) NOT NULL,
    first_seen BIGINT NOT NULL,
    passed BOOLEAN NOT NULL DEFAULT FALSE,
    expires_at BIGINT NOT NULL
);
CREATE INDEX osprey_greylist_expires ON osprey_greylist (expires_at);

-- Client networks (IPv4 /24, IPv6 /64) that retried correctly once: accepted without greylisting until expires_at.
CREATE TABLE osprey_greylist_clients (
    client_net VARCHAR(64) NOT NULL PRIMARY KEY,
    expires_at BIGINT NOT NULL
);
CREATE INDEX osprey_greylist_clients_expires ON osprey_greylist_clients (expires_at);
