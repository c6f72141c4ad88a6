-- The tables the mail path reads, in the shape of the ISPmail guide, so an existing ISPmail database works as is.
CREATE TABLE IF NOT EXISTS virtual_domains (
    id SERIAL PRIMARY KEY,
    name VARCHAR(255) NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS virtual_users (
    id SERIAL PRIMARY KEY,
    domain_id INT NOT NULL REFERENCES virtual_domains (id) ON DELETE CASCADE,
    email VARCHAR(255) NOT NULL UNIQUE,
    password VARCHAR(255) NOT NULL,
    quota BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS virtual_aliases (
    id SERIAL PRIMARY KEY,
    domain_id INT NOT NULL REFERENCES virtual_domains (id) ON DELETE CASCADE,
    source VARCHAR(255) NOT NULL,
    destination VARCHAR(255) NOT NULL
);
CREATE INDEX IF NOT EXISTS virtual_users_email_lower ON virtual_users (lower(email));
CREATE INDEX IF NOT EXISTS virtual_aliases_source_lower ON virtual_aliases (lower(source));
