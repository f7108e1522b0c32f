package io.timberdb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The quick start of the spec (../shared/SPEC.md, "Quick Start"), request by request with the
 * spec's bodies verbatim, asserting each answer. Every suite (standalone jar, local cluster,
 * containers) runs it against its public address.
 */
final class QuickStart {

    static final String CREATE = """
            {
                "name": "my-application-logs",
                "tags": {
                  "environment": "development",
                  "application": "web-service"
                },
                "retention_days": 30
              }""";

    static final String ADD_AUTH = """
            {
                "source": "web-server-01",
                "tags": {
                  "level": "info",
                  "component": "authentication",
                  "user_id": "user123",
                  "ip_address": "192.168.1.100"
                },
                "message": "User authentication successful for user123"
              }""";

    static final String ADD_DB_ERROR = """
            {
                "source": "database-01",
                "tags": {
                  "level": "error",
                  "component": "connection_pool",
                  "error_code": "CONNECTION_TIMEOUT"
                },
                "message": "Database connection timeout after 30 seconds"
              }""";

    static final String QUERY_ERRORS = """
            {
                "filter": {
                  "tags": {
                    "level": "error"
                  }
                },
                "limit": 50,
                "timeout_seconds": 30
              }""";

    static final String QUERY_SOURCE_TEXT = """
            {
                "filter": {
                  "source": "web-server-01",
                  "tags": {},
                  "message_contains": "authentication"
                },
                "limit": 100
              }""";

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    /**
     * The headers sent with every request: the bearer token, if any (the open routes do not read
     * it), and any added by {@link #withHeader}.
     */
    private final Map<String, String> headers;

    QuickStart(String base) {
        this(base, (String) null);
    }

    QuickStart(String base, String token) {
        this(base, token == null ? Map.of() : Map.of("Authorization", "Bearer " + token));
    }

    private QuickStart(String base, Map<String, String> headers) {
        this.base = base;
        this.headers = Map.copyOf(headers);
    }

    /** This client, sending {@code name: value} with every request as well ({@code X-Scope-OrgID}, say). */
    QuickStart withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new QuickStart(base, more);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
        headers.forEach(request::header);
        return request;
    }

    /** Runs the quick start; returns the ids of the two entries it added. */
    List<String> run() {
        JsonNode health = get("/health", 200);
        assertThat(health.path("status").asString()).isEqualTo("UP");
        assertThat(health.path("version").asString()).isNotBlank();
        assertThat(health.path("node_id").asString()).isNotBlank();
        assertThat(health.has("uptime_seconds")).isTrue();

        Instant before = Instant.now().minusSeconds(1);
        JsonNode partition = post("/api/v1/partitions/create", CREATE, 200);
        String id = partition.path("id").asString();
        assertThat(id).isNotBlank();
        assertThat(partition.path("name").asString()).isEqualTo("my-application-logs");
        assertThat(Instant.parse(partition.path("created_at").asString())).isAfter(before);

        List<String> added = new ArrayList<>();
        for (String entry : List.of(ADD_AUTH, ADD_DB_ERROR)) {
            JsonNode ack = post("/api/v1/partitions/" + id + "/logs", entry, 200);
            assertThat(ack.path("ids").size()).isEqualTo(1);
            added.add(ack.path("ids").get(0).asString());
        }

        JsonNode errors = post("/api/v1/query/execute", QUERY_ERRORS, 200);
        assertThat(errors.path("matched_entries").asLong()).isEqualTo(1);
        assertThat(errors.path("error").isNull()).isTrue();
        assertThat(errors.has("execution_time")).isTrue();
        assertThat(errors.path("scanned_entries").asLong()).isGreaterThanOrEqualTo(2);
        JsonNode error = errors.path("entries").get(0);
        assertThat(error.path("id").asString()).isEqualTo(added.get(1));
        assertThat(error.path("source").asString()).isEqualTo("database-01");
        assertThat(error.path("message").asString()).isEqualTo("Database connection timeout after 30 seconds");
        assertThat(error.path("tags").path("error_code").asString()).isEqualTo("CONNECTION_TIMEOUT");
        assertThat(Instant.parse(error.path("timestamp").asString())).isAfter(before);

        JsonNode auth = post("/api/v1/query/execute", QUERY_SOURCE_TEXT, 200);
        assertThat(auth.path("matched_entries").asLong()).isEqualTo(1);
        assertThat(auth.path("entries").get(0).path("id").asString()).isEqualTo(added.get(0));
        assertThat(auth.path("entries").get(0).path("message").asString())
                .isEqualTo("User authentication successful for user123");
        return added;
    }

    /** Checks an RFC 9457 problem detail as the services answer it: code, status, title, detail, and field unless null. */
    static void assertProblem(JsonNode problem, String code, String field) {
        assertThat(problem.path("code").asString()).isEqualTo(code);
        assertThat(problem.path("status").asInt()).isBetween(400, 599);
        assertThat(problem.path("title").asString()).isNotBlank();
        assertThat(problem.path("detail").asString()).isNotBlank();
        if (field != null) {
            assertThat(problem.path("field").asString()).isEqualTo(field);
        }
    }

    /** The body of a GET that must answer 200, as text (e.g. a Prometheus scrape). */
    String text(String path) {
        try {
            HttpResponse<String> response = http.send(request(path)
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET %s answered %s", path, response.body()).isEqualTo(200);
            return response.body();
        } catch (IOException e) {
            throw new AssertionError("request to " + base + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    JsonNode get(String path, int expectedStatus) {
        return send(request(path).GET(), expectedStatus);
    }

    /** POSTs JSON and returns the answer whatever its status (a problem detail carries its own). */
    JsonNode postAny(String path, String body) {
        try {
            HttpResponse<String> response = http.send(request(path)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("request to " + base + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * POSTs a query of the language to {@code /api/v1/query}: {@code {"query": text}}, with
     * {@code "cursor"} when not null.
     */
    JsonNode query(String text, String cursor, int expectedStatus) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("query", text);
        if (cursor != null) {
            body.put("cursor", cursor);
        }
        return post("/api/v1/query", JSON.writeValueAsString(body), expectedStatus);
    }

    JsonNode post(String path, String body, int expectedStatus) {
        return postAs(path, "application/json", body, expectedStatus);
    }

    JsonNode postAs(String path, String contentType, String body, int expectedStatus) {
        return send("POST", path, contentType == null ? null : new String[] {contentType, body}, expectedStatus);
    }

    /** Sends {@code method path}, with {@code typeAndBody = {content type, body}} or null for none. */
    JsonNode send(String method, String path, String[] typeAndBody, int expectedStatus) {
        HttpRequest.Builder request = request(path);
        if (typeAndBody == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", typeAndBody[0]).method(method, HttpRequest.BodyPublishers.ofString(typeAndBody[1]));
        }
        return send(request, expectedStatus);
    }

    private JsonNode send(HttpRequest.Builder request, int expectedStatus) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("%s answered %s", response.uri(), response.body())
                    .isEqualTo(expectedStatus);
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("request to " + base + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
