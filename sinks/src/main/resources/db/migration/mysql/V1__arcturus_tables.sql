-- The Arcturus Scheduling Plane's five tables (seed 000), kept in step from Kafka by the MySQL sink.
-- Column names and meanings are the seed's, so its dashboards and queries keep working. Widened where the seed was
-- too narrow: IPv6 addresses (45 chars), DNS names (253), milliseconds in every time. Added: the Kafka entity key
-- (node_id, link_key) or event id each row comes from, which makes replays idempotent, and the indexes the seed's
-- queries need.

CREATE TABLE node_region (
    id INT AUTO_INCREMENT PRIMARY KEY,
    node_id VARCHAR(255) NOT NULL COMMENT 'Arcturus node id (the Kafka key)',
    ip VARCHAR(45) NOT NULL COMMENT 'Node IP address',
    region VARCHAR(64) NOT NULL COMMENT 'Node region identifier',
    hostname VARCHAR(253) COMMENT 'Node hostname',
    description VARCHAR(255) COMMENT 'Node description',
    created_at DATETIME(3) NOT NULL COMMENT 'Registration time, UTC',
    UNIQUE KEY uq_node_region_node_id (node_id),
    -- Not unique, unlike the seed: nodes behind one NAT share a public address.
    KEY ix_node_region_ip (ip),
    KEY ix_node_region_region (region)
);

CREATE TABLE system_info (
    id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    event_id CHAR(36) NOT NULL COMMENT 'Event id of the sample (idempotent replay)',
    node_id VARCHAR(255) NOT NULL,
    ip VARCHAR(45) NOT NULL,
    cpu_cores INT NOT NULL,
    logical_cores INT NOT NULL,
    cpu_model_name VARCHAR(255) NOT NULL,
    cpu_mhz FLOAT NOT NULL,
    cpu_cache_size INT NOT NULL,
    cpu_usage FLOAT NOT NULL,
    memory_total BIGINT UNSIGNED NOT NULL,
    memory_available BIGINT UNSIGNED NOT NULL,
    memory_used BIGINT UNSIGNED NOT NULL,
    memory_used_percent FLOAT NOT NULL,
    disk_device VARCHAR(255) NOT NULL,
    disk_total BIGINT UNSIGNED NOT NULL,
    disk_free BIGINT UNSIGNED NOT NULL,
    disk_used BIGINT UNSIGNED NOT NULL,
    disk_used_percent FLOAT NOT NULL,
    network_interface_name VARCHAR(255) NOT NULL,
    network_bytes_sent BIGINT UNSIGNED NOT NULL,
    network_bytes_recv BIGINT UNSIGNED NOT NULL,
    network_packets_sent BIGINT UNSIGNED NOT NULL,
    network_packets_recv BIGINT UNSIGNED NOT NULL,
    hostname VARCHAR(255) NOT NULL,
    os VARCHAR(255) NOT NULL,
    platform VARCHAR(255) NOT NULL,
    platform_version VARCHAR(255) NOT NULL,
    uptime BIGINT UNSIGNED NOT NULL,
    load1 FLOAT NOT NULL,
    load5 FLOAT NOT NULL,
    load15 FLOAT NOT NULL,
    timestamp DATETIME(3) NOT NULL COMMENT 'Sample time, UTC',
    created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    UNIQUE KEY uq_system_info_event (event_id),
    KEY ix_system_info_ip_time (ip, timestamp),
    KEY ix_system_info_node_time (node_id, timestamp),
    KEY ix_system_info_time (timestamp)
);

CREATE TABLE region_probe_info (
    id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    event_id CHAR(36) NOT NULL COMMENT 'Event id of the probe round (idempotent replay)',
    source_node_id VARCHAR(255) NOT NULL,
    source_ip VARCHAR(45) NOT NULL,
    source_region VARCHAR(64) NOT NULL,
    target_node_id VARCHAR(255) NULL,
    target_ip VARCHAR(45) NOT NULL,
    target_region VARCHAR(64) NOT NULL,
    target_port INT NOT NULL,
    tcp_delay INT NULL COMMENT 'Median TCP connect time in ms (the seed column); NULL when every sample was lost',
    tcp_delay_us BIGINT NULL COMMENT 'Median TCP connect time in microseconds',
    samples INT NOT NULL COMMENT 'TCP-connect samples in the round',
    lost INT NOT NULL COMMENT 'Samples that did not connect',
    probe_time DATETIME(3) NOT NULL COMMENT 'Round time, UTC',
    UNIQUE KEY uq_region_probe_event (event_id),
    KEY ix_region_probe_pair_time (source_ip, target_ip, probe_time),
    KEY ix_region_probe_regions_time (source_region, target_region, probe_time),
    KEY ix_region_probe_time (probe_time)
);

CREATE TABLE network_metrics (
    id INT AUTO_INCREMENT PRIMARY KEY,
    link_key VARCHAR(511) NOT NULL COMMENT '<sourceNodeId>|<destinationNodeId>, the Kafka key',
    source_ip VARCHAR(45) NOT NULL,
    destination_ip VARCHAR(45) NOT NULL,
    link_latency FLOAT NOT NULL COMMENT 'Robust round-trip estimate, ms',
    cpu_mean FLOAT NOT NULL,
    cpu_variance FLOAT NOT NULL,
    virtual_queue_cpu_mean FLOAT NOT NULL,
    virtual_queue_cpu_variance FLOAT NOT NULL,
    C INT COMMENT 'Destination spare capacity: (100 - cpu) x logical cores',
    link_score DOUBLE NULL,
    loss_ratio FLOAT NOT NULL,
    updated_at DATETIME(3) NOT NULL COMMENT 'When the plane computed this metric, UTC (from the record, not the write)',
    UNIQUE KEY uq_network_metrics_link (link_key),
    KEY ix_network_metrics_pair (source_ip, destination_ip)
);

CREATE TABLE domain_origin (
    domain VARCHAR(253) PRIMARY KEY,
    origin_ip VARCHAR(45) NOT NULL,
    origin_port INT NOT NULL,
    created_at DATETIME(3) NOT NULL COMMENT 'When the mapping was last set, UTC'
);
