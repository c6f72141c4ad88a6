-- Osprey's own per-mailbox data; a mailbox without a row here is enabled.
CREATE TABLE osprey_mailbox_options (
    email VARCHAR(255) NOT NULL,
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    PRIMARY KEY (email)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
