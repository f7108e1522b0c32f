package io.timberdb.standalone;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * The standalone serves the coordinator's partition API with its single voter and single
 * storage node: the fields of model v2, update and delete, and a replication factor above its
 * one node refused.
 */
class StandalonePartitionApiTest extends StandaloneContext {

    private static final String TENANT = "X-Scope-OrgID";

    @Test
    void createsUpdatesAndDeletesPartitionsAndRefusesMoreReplicasThanNodes() {
        awaitHealthy();

        // authentication is off: X-Scope-OrgID names the caller's tenant, which the body may repeat
        http.post().uri("/api/v1/partitions").header(TENANT, "acme").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"web\",\"shard_count\":2,\"tenant\":\"acme\"}").exchange()
                .expectStatus().isCreated()
                .expectBody()
                .jsonPath("$.tenant").isEqualTo("acme")
                .jsonPath("$.replication_factor").isEqualTo(1)
                .jsonPath("$.shards.length()").isEqualTo(2)
                .jsonPath("$.shards[1].replicas.length()").isEqualTo(1)
                .jsonPath("$.shards[1].epoch").isEqualTo(1);
        http.patch().uri("/api/v1/partitions/web").header(TENANT, "acme").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"retention_days\":3}").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.retention_days").isEqualTo(3);
        http.post().uri("/api/v1/partitions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"big\",\"replication_factor\":2}").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody()
                .jsonPath("$.code").isEqualTo("NOT_ENOUGH_STORAGE_NODES")
                .jsonPath("$.field").isEqualTo("replication_factor");
        http.delete().uri("/api/v1/partitions/web").exchange().expectStatus().isNotFound(); // the default tenant's
        http.delete().uri("/api/v1/partitions/web").header(TENANT, "acme").exchange().expectStatus().isNoContent();
        http.get().uri("/api/v1/partitions/web").header(TENANT, "acme").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("PARTITION_NOT_FOUND");
    }
}
