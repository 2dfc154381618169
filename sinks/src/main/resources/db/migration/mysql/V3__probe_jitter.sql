-- Jitter (ProbeJitter: the mean absolute difference of consecutive successful connect times) and the samples it was
-- computed from, for each probe round and each link.
ALTER TABLE region_probe_info
    ADD COLUMN tcp_jitter_us BIGINT NULL COMMENT 'Jitter of the round, microseconds; NULL with fewer than two connects'
        AFTER tcp_delay_us,
    ADD COLUMN rtt_samples_us VARCHAR(2048) NULL
        COMMENT 'Each sample of the round in order: connect time in microseconds, or an empty entry when lost'
        AFTER tcp_jitter_us;

ALTER TABLE network_metrics
    ADD COLUMN link_jitter FLOAT NULL COMMENT 'Jitter of the recent connect times, ms' AFTER link_latency;
