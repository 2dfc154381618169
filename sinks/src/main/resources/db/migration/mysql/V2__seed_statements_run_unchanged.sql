-- Seed 000's own INSERT statements (and a monitoring agent that writes the seed's columns) must run unchanged against
-- these tables: every column the seed does not name is nullable or has a default, and the seed's constraints hold.
-- Rows the plane writes always fill the extra columns; a row with them empty was written by someone else, which is
-- how the change capture (sinks, mysql.capture) tells an operator's row from the sink's own.

-- node_region: the seed's UNIQUE ip. node_id is NULL until the plane has taken the row in (the capture registers it,
-- the sink writes the id back). Nodes that shared an address (behind one NAT) had a row each; the first registered
-- keeps it (the mirror is rebuilt from Kafka, and the sink keeps that rule from now on).
DELETE later FROM node_region later JOIN node_region earlier ON later.ip = earlier.ip AND later.id > earlier.id;

ALTER TABLE node_region
    MODIFY node_id VARCHAR(255) NULL COMMENT 'Arcturus node id (the Kafka key); NULL until the plane has taken the row in',
    MODIFY created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) COMMENT 'Registration time, UTC',
    ADD COLUMN role VARCHAR(16) NULL COMMENT 'CONTROLLER, PROXY or MEASUREMENT; NULL: not said' AFTER description,
    DROP KEY ix_node_region_ip,
    ADD UNIQUE KEY uq_node_region_ip (ip);

ALTER TABLE system_info
    MODIFY event_id CHAR(36) NULL COMMENT 'Event id of the sample; NULL for a row an agent wrote directly',
    MODIFY node_id VARCHAR(255) NULL,
    MODIFY logical_cores INT NULL;

ALTER TABLE region_probe_info
    MODIFY event_id CHAR(36) NULL COMMENT 'Event id of the probe round; NULL for a row an agent wrote directly',
    MODIFY source_node_id VARCHAR(255) NULL,
    MODIFY target_port INT NULL,
    MODIFY samples INT NULL COMMENT 'TCP-connect samples in the round',
    MODIFY lost INT NULL COMMENT 'Samples that did not connect';

ALTER TABLE network_metrics
    MODIFY link_key VARCHAR(511) NULL COMMENT '<sourceNodeId>|<destinationNodeId>, the Kafka key',
    MODIFY loss_ratio FLOAT NOT NULL DEFAULT 0,
    MODIFY updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)
        COMMENT 'When the plane computed this metric, UTC';

ALTER TABLE domain_origin
    MODIFY origin_port INT NOT NULL DEFAULT 443,
    MODIFY created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)
        COMMENT 'When the mapping was last set, UTC';
