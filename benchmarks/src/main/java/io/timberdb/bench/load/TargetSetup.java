package io.timberdb.bench.load;

import io.timberdb.bench.data.GeneratedEntry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a load needs on the target before it starts (TimberDB's partition, ClickHouse's table),
 * and what a TimberDB partition holds.
 *
 * <p>Thread-safe (HttpClient is).
 */
final class TargetSetup {

    /** The one value of a {@code count(*)} query's answer: {@code "rows":[[N]]}. */
    private static final Pattern COUNT = Pattern.compile("\"rows\"\\s*:\\s*\\[\\[(\\d+)");

    private final HttpClient http;
    private final Duration timeout;

    TargetSetup(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    /** Creates a TimberDB partition (an existing one is fine), with its compression when given. */
    void createPartition(URI base, String partition, String compression, String level) {
        StringBuilder body = new StringBuilder("{\"name\":\"").append(jsonText(partition)).append('"');
        if (compression != null) {
            body.append(",\"compression\":\"").append(jsonText(compression)).append('"');
        }
        if (level != null) {
            body.append(",\"compression_level\":").append(Integer.parseInt(level.trim()));
        }
        body.append('}');
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v1/partitions/create")).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        HttpResponse<String> response = send(request, "creating partition " + partition);
        if (response.statusCode() == 200 || response.statusCode() == 201) {
            System.out.println("created partition " + partition + ": " + abbreviate(response.body()));
        } else if (response.statusCode() == 409) {
            System.out.println("partition " + partition + " exists already");
        } else {
            throw new LoadFailed("creating partition " + partition + " answered " + response.statusCode() + ": "
                    + abbreviate(response.body()));
        }
    }

    /** The number of entries {@code partition} holds, by a {@code SELECT count(*)} query. */
    long count(URI base, String partition) {
        String query = "{\"query\":\"SELECT count(*) FROM \\\"" + jsonText(partition) + "\\\"\"}";
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v1/query")).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(query)).build();
        HttpResponse<String> response = send(request, "counting partition " + partition);
        Matcher m = COUNT.matcher(response.body());
        if (response.statusCode() != 200 || !m.find()) {
            throw new LoadFailed("counting partition " + partition + " answered " + response.statusCode() + ": "
                    + abbreviate(response.body()));
        }
        return Long.parseLong(m.group(1));
    }

    /** Creates the benchmark table in ClickHouse ({@link GeneratedEntry#CLICKHOUSE_TABLE_DDL}) and its database. */
    void createClickHouseTable(URI base, String table) {
        int dot = table.indexOf('.');
        if (dot > 0) {
            clickhouse(base, "CREATE DATABASE IF NOT EXISTS " + table.substring(0, dot));
        }
        clickhouse(base, String.format(Locale.ROOT, GeneratedEntry.CLICKHOUSE_TABLE_DDL, table));
        System.out.println("table " + table + " is ready");
    }

    private void clickhouse(URI base, String statement) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/")).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(statement)).build();
        HttpResponse<String> response = send(request, "ClickHouse request '" + statement + "'");
        if (response.statusCode() != 200) {
            throw new LoadFailed("ClickHouse answered " + response.statusCode() + " to '" + statement + "': "
                    + abbreviate(response.body()));
        }
    }

    private HttpResponse<String> send(HttpRequest request, String what) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new LoadFailed(what + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadFailed("interrupted");
        }
    }

    private static String jsonText(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** At most 500 characters of an answer, for messages. */
    static String abbreviate(String s) {
        String t = s.strip();
        return t.length() <= 500 ? t : t.substring(0, 500) + "…";
    }
}
