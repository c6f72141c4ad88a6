-- Osprey's own per-mailbox data; a mailbox without a row here is enabled.
CREATE TABLE osprey_mailbox_options (
    email VARCHAR(255) NOT NULL PRIMARY KEY,
    enabled BOOLEAN NOT NULL DEFAULT TRUE
);
