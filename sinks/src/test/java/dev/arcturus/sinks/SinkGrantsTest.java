package dev.arcturus.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcturus.bus.BusAccess;
import dev.arcturus.bus.BusPrincipal;
import dev.arcturus.sinks.mongo.MongoSink;
import dev.arcturus.sinks.mongo.MongoTopics;
import dev.arcturus.sinks.mysql.MySqlSink;
import dev.arcturus.sinks.mysql.MySqlTopics;
import org.junit.jupiter.api.Test;

/** Each sink's principal may read exactly the topics the sink mirrors, write none, and is named like its group. */
class SinkGrantsTest {
    @Test
    void shouldGrantEachSinkExactlyTheTopicsItMirrors() {
        final BusAccess.Access mysql = BusAccess.of(BusPrincipal.named(MySqlSink.DEFAULT_NAME));
        assertThat(mysql.reads()).containsExactlyInAnyOrderElementsOf(MySqlTopics.catalogue().all());
        // Its change capture writes what operators and agents put into MySQL: registrations, probes, origins.
        final MySqlTopics catalogue = MySqlTopics.catalogue();
        assertThat(mysql.writes()).containsExactlyInAnyOrder(catalogue.registrations(), catalogue.systemInfo(),
                catalogue.probes(), catalogue.origins());
        final BusAccess.Access mongo = BusAccess.of(BusPrincipal.named(MongoSink.DEFAULT_NAME));
        assertThat(mongo.reads()).containsExactlyInAnyOrderElementsOf(MongoTopics.catalogue().all());
        assertThat(mongo.writes()).isEmpty();
    }
}
