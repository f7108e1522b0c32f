package io.timberdb.bench.query;

import io.timberdb.bench.Args;
import io.timberdb.bench.Summaries;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Times the queries of a query file against one target — TimberDB or ClickHouse — the same way for
 * both: each query is sent {@code --warmup} times untimed, then {@code --runs} times, one at a time,
 * and the wall time from sending the request to having read the whole answer is recorded; the
 * median, minimum and maximum are reported with the answer's size, so that the two targets' answers
 * can be checked against each other.
 *
 * <p>The query file has one query per line, {@code name<TAB>target<TAB>text}, where target is
 * {@code timberdb} or {@code clickhouse}; {@code #} starts a comment line; {@code ${var}} in a text
 * is replaced by {@code --var var=value}. A TimberDB text that starts with <code>{</code> is the
 * JSON form ({@code POST /api/v1/query/execute}), any other is the query language
 * ({@code POST /api/v1/query}). A ClickHouse text is SQL, answered as {@code TSV}.
 *
 * <p>A TimberDB query that the server does not understand yet (404 or 400 on the route) is
 * reported as {@code unsupported} with the server's reason; the other queries still run.
 */
public final class QueryBench {

    static final String USAGE = """
            usage: QueryBench --target timberdb|clickhouse --url http://127.0.0.1:PORT --queries FILE [options]
              --partition NAME   TimberDB: ${partition} in the texts [bench]
              --var NAME=VALUE   a value for ${NAME} in the texts; repeat as --var a=1,b=2
              --only LIST        comma-separated query names to run [all of the target's]
              --warmup N         untimed runs per query [1]
              --runs N           timed runs per query [5]
              --timeout SECONDS  per request [300]
              --summary-file F   also write the results as properties (q.<name>.median_ms, …)
            """;

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One query of the file for this target. */
    record Query(String name, String text) {
    }

    /** What the runs of one query gave. */
    record Result(String name, String status, String detail, long[] millis, long rows, long matched) {

        long median() {
            return millis[millis.length / 2];
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI base;
    private final boolean timberdb;
    private final Duration timeout;

    QueryBench(URI base, boolean timberdb, Duration timeout) {
        this.base = base;
        this.timberdb = timberdb;
        this.timeout = timeout;
    }

    public static void main(String[] argv) {
        try {
            System.exit(run(argv));
        } catch (IllegalArgumentException e) {
            System.err.println("QueryBench: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        }
    }

    static int run(String[] argv) {
        Args args = Args.parse(argv, List.of());
        if (args.has("help")) {
            System.out.print(USAGE);
            return 0;
        }
        String target = args.required("target");
        if (!target.equals("timberdb") && !target.equals("clickhouse")) {
            throw new IllegalArgumentException("--target must be timberdb or clickhouse");
        }
        URI base = URI.create(args.required("url"));
        Summaries.requireLoopback(base);
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("partition", args.get("partition", "bench"));
        for (String pair : args.get("var", "").split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                vars.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        List<String> only = args.has("only") ? Arrays.asList(args.required("only").split(",")) : List.of();
        int warmup = (int) args.longValue("warmup", 1);
        int runs = (int) args.longValue("runs", 5);
        Duration timeout = Duration.ofSeconds(args.longValue("timeout", 300));
        String summaryFile = args.get("summary-file", null);
        List<Query> queries = read(Path.of(args.required("queries")), target, vars, only);
        args.rejectUnknown();
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be at least 1");
        }

        QueryBench bench = new QueryBench(base, target.equals("timberdb"), timeout);
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("target", target);
        summary.put("runs", Integer.toString(runs));
        int failed = 0;
        for (int q = 0; q < queries.size(); q++) {
            Query query = queries.get(q);
            Result r = bench.measure(query, warmup, runs, q + 1, queries.size());
            String key = "q." + r.name() + ".";
            summary.put(key + "status", r.status());
            if (r.status().equals("ok")) {
                summary.put(key + "median_ms", Long.toString(r.median()));
                summary.put(key + "min_ms", Long.toString(r.millis()[0]));
                summary.put(key + "max_ms", Long.toString(r.millis()[r.millis().length - 1]));
                summary.put(key + "rows", Long.toString(r.rows()));
                summary.put(key + "matched", Long.toString(r.matched()));
                System.out.printf(Locale.ROOT, "  %-28s median %,7d ms (min %,d, max %,d); %,d rows%s%n", r.name(), r.median(),
                        r.millis()[0], r.millis()[r.millis().length - 1], r.rows(),
                        r.matched() >= 0 ? ", " + String.format(Locale.ROOT, "%,d", r.matched()) + " matched" : "");
            } else {
                summary.put(key + "detail", r.detail().replace('\n', ' '));
                System.out.printf(Locale.ROOT, "  %-28s %s: %s%n", r.name(), r.status(), r.detail());
                failed += r.status().equals("failed") ? 1 : 0;
            }
        }
        System.out.printf(Locale.ROOT, "done %s: %d queries, %d failed%n", target, queries.size(), failed);
        if (summaryFile != null) {
            Summaries.write(Path.of(summaryFile), summary);
        }
        return failed == 0 ? 0 : 1;
    }

    /** The target's queries of the file, variables substituted, in file order. */
    static List<Query> read(Path file, String target, Map<String, String> vars, List<String> only) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        List<Query> queries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split("\t", 3);
            if (cells.length != 3) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected name<TAB>target<TAB>text");
            }
            if (cells[1].equals(target) && (only.isEmpty() || only.contains(cells[0]))) {
                queries.add(new Query(cells[0], substitute(cells[2], vars, file + ":" + (i + 1))));
            }
        }
        return queries;
    }

    static String substitute(String text, Map<String, String> vars, String where) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = vars.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException(where + ": no value for ${" + m.group(1) + "}; pass --var "
                        + m.group(1) + "=…");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    private Result measure(Query query, int warmup, int runs, int index, int total) {
        long[] millis = new long[runs];
        Answer last = null;
        for (int i = 0; i < warmup + runs; i++) {
            boolean timed = i >= warmup;
            System.out.printf(Locale.ROOT, "\r[%d/%d] %s: %s %d/%d   ", index, total, query.name(), timed ? "run" : "warm-up",
                    timed ? i - warmup + 1 : i + 1, timed ? runs : warmup);
            long start = System.nanoTime();
            Answer answer;
            try {
                answer = send(query.text());
            } catch (IOException e) {
                System.out.println();
                return new Result(query.name(), "failed", e.toString(), null, 0, 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            if (answer.unsupported() != null) {
                System.out.println();
                return new Result(query.name(), "unsupported", answer.unsupported(), null, 0, 0);
            }
            if (answer.failure() != null) {
                System.out.println();
                return new Result(query.name(), "failed", answer.failure(), null, 0, 0);
            }
            if (timed) {
                millis[i - warmup] = elapsed;
            }
            last = answer;
        }
        System.out.println();
        Arrays.sort(millis);
        return new Result(query.name(), "ok", "", millis, last.rows(), last.matched());
    }

    /** A target's answer: its size, or why it was refused. {@code matched} is -1 when the target does not say. */
    record Answer(long rows, long matched, String unsupported, String failure) {
    }

    private Answer send(String text) throws IOException, InterruptedException {
        HttpRequest request;
        if (!timberdb) {
            request = HttpRequest.newBuilder(base.resolve("/?default_format=TSV")).timeout(timeout)
                    .POST(HttpRequest.BodyPublishers.ofString(text)).build();
        } else {
            boolean jsonForm = text.startsWith("{");
            String body = jsonForm ? text : JSON.writeValueAsString(Map.of("query", text));
            request = HttpRequest.newBuilder(base.resolve(jsonForm ? "/api/v1/query/execute" : "/api/v1/query"))
                    .timeout(timeout).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        }
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        String body = response.body();
        if (response.statusCode() != 200) {
            String why = response.statusCode() + ": " + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
            boolean unsupported = timberdb && (response.statusCode() == 404 || response.statusCode() == 400);
            return unsupported ? new Answer(0, 0, why, null) : new Answer(0, 0, null, why);
        }
        if (!timberdb) {
            long rows = body.isEmpty() ? 0 : body.chars().filter(c -> c == '\n').count();
            // a count answers one number: that is what matched, to check TimberDB's matched_entries against
            String single = body.strip();
            long matched = rows == 1 && single.matches("[0-9]{1,18}") ? Long.parseLong(single) : -1;
            return new Answer(rows, matched, null, null);
        }
        JsonNode answer = JSON.readTree(body);
        JsonNode rows = answer.has("rows") ? answer.path("rows") : answer.path("entries");
        long matched = answer.has("matched_entries") ? answer.path("matched_entries").asLong()
                : rows.size() == 1 && rows.get(0).size() == 1 && rows.get(0).get(0).isIntegralNumber()
                        ? rows.get(0).get(0).asLong() : -1; // a count
        return new Answer(rows.size(), matched, null, null);
    }
}
