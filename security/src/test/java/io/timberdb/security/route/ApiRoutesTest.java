package io.timberdb.security.route;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

class ApiRoutesTest {

    @Test
    void mapsEachRouteToItsScopeAndTheProbesToOpen() {
        assertThat(ApiRoutes.classify(HttpMethod.POST, "/api/v1/partitions/web/logs")).contains(Access.anyOf(Scopes.LOGS_WRITE));
        assertThat(ApiRoutes.classify(HttpMethod.POST, "/web/_bulk")).contains(Access.anyOf(Scopes.LOGS_WRITE));
        assertThat(ApiRoutes.classify(HttpMethod.POST, "/api/v1/query/q1/cancel")).contains(Access.anyOf(Scopes.LOGS_READ));
        assertThat(ApiRoutes.classify(HttpMethod.PATCH, "/api/v1/partitions/web")).contains(Access.anyOf(Scopes.ADMIN));
        assertThat(ApiRoutes.classify(HttpMethod.GET, "/api/v1/partitions/web")).get().extracting(Access::scopes)
                .isEqualTo(Scopes.ALL);
        assertThat(ApiRoutes.classify(HttpMethod.GET, "/api/v1/cluster")).contains(Access.anyOf(Scopes.ADMIN));
        assertThat(ApiRoutes.classify(HttpMethod.GET, "/actuator/health/readiness")).contains(Access.OPEN);
        assertThat(ApiRoutes.classify(HttpMethod.GET, "/actuator/prometheus")).contains(Access.OPEN);
        assertThat(ApiRoutes.classify(HttpMethod.POST, "/actuator/prometheus")).contains(Access.anyOf(Scopes.ADMIN));
        assertThat(ApiRoutes.classify(HttpMethod.GET, "/actuator/info")).contains(Access.anyOf(Scopes.ADMIN));
        assertThat(ApiRoutes.classify(HttpMethod.POST, "/internal/v1/shards/p/0/entries")).contains(Access.INTERNAL);
        assertThat(ApiRoutes.classify(HttpMethod.GET, "/no/such/route")).isEmpty();
    }
}
