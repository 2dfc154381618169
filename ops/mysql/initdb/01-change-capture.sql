-- The MySQL sink's change capture reads the binary log as a replica would (row-based with full row images, MySQL 8's
-- defaults): rows operators write into node_region and domain_origin, and probes agents append, flow into the plane.
GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'arcturus'@'%';
FLUSH PRIVILEGES;
