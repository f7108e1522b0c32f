package io.timberdb.standalone.engine;

import static io.timberdb.standalone.engine.DifferentialData.pick;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random query texts over {@link DifferentialData}'s pools: WHERE conditions of every kind,
 * nested under AND, OR and NOT, often with the top-level conjuncts that storage prunes with
 * (time range, source, tag equality, case-sensitive CONTAINS); entry queries with both orders and
 * projections; aggregating queries with bins, keys, every aggregate, ORDER BY and LIMIT.
 */
final class RandomQueries {

    private static final String[] FROM = {"gen", "hub", "gen, hub", "*"};
    private static final String[] TIME_OPS = {"=", "!=", "<", "<=", ">", ">="};
    // count_distinct(id) and (message) pass the sketch's exact limit over most of the data: its register form
    private static final String[] AGGREGATES = {"count(*)", "count(level)", "count_distinct(source)",
        "count_distinct(tags.pid)", "count_distinct(id)", "count_distinct(message)", "min(latency_ms)", "max(latency_ms)",
        "sum(latency_ms)", "avg(latency_ms)", "percentile(latency_ms, 50)", "percentile(latency_ms, 99.9)",
        "percentile(latency_ms, 0)", "top(level, 2)", "top(source, 3)"};
    private static final String[] KEYS = {"bin(time, 10m)", "source", "level", "tags.host"};

    private final Random random;
    private final List<Instant> times;

    /** @param times timestamps of the entries, so that time conditions often hit one exactly */
    RandomQueries(Random random, List<Instant> times) {
        this.random = random;
        this.times = times;
    }

    String next() {
        return random.nextInt(5) < 3 ? entryQuery() : aggregateQuery();
    }

    private String entryQuery() {
        String select = switch (random.nextInt(4)) {
            case 0 -> "time, source, tags.level, message";
            case 1 -> "id, latency_ms";
            default -> "*";
        };
        String order = switch (random.nextInt(3)) {
            case 0 -> " ORDER BY time ASC";
            case 1 -> " ORDER BY time DESC";
            default -> "";
        };
        return "SELECT " + select + " FROM " + pick(random, FROM) + where() + order + limit();
    }

    private String aggregateQuery() {
        List<String> keys = new ArrayList<>();
        for (String key : KEYS) {
            if (random.nextInt(3) == 0) {
                keys.add(key);
            }
        }
        List<String> aggregates = new ArrayList<>();
        for (String a : AGGREGATES) {
            if (random.nextInt(4) == 0) {
                aggregates.add(a);
            }
        }
        if (aggregates.isEmpty()) {
            aggregates.add(pick(random, AGGREGATES));
        }
        List<String> select = new ArrayList<>();
        keys.stream().filter(k -> random.nextInt(4) > 0).forEach(select::add);
        select.addAll(aggregates);
        String query = "SELECT " + String.join(", ", select) + " FROM " + pick(random, FROM) + where();
        if (!keys.isEmpty()) {
            query += " GROUP BY " + String.join(", ", keys);
        }
        List<String> orderable = new ArrayList<>(aggregates.stream().filter(a -> !a.startsWith("top")).toList());
        if (keys.contains("bin(time, 10m)")) {
            orderable.add("time");
        }
        if (!orderable.isEmpty() && random.nextBoolean()) {
            query += " ORDER BY " + orderable.get(random.nextInt(orderable.size())) + (random.nextBoolean() ? " DESC" : " ASC");
        }
        return query + limit();
    }

    private String limit() {
        return switch (random.nextInt(4)) {
            case 0 -> "";
            case 1 -> " LIMIT " + (1 + random.nextInt(5));
            default -> " LIMIT " + (1 + random.nextInt(300));
        };
    }

    private String where() {
        int conjuncts = random.nextInt(4);
        if (conjuncts == 0) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < conjuncts; i++) {
            parts.add(random.nextBoolean() ? prunable() : condition(2));
        }
        return " WHERE " + String.join(" AND ", parts);
    }

    /** A condition storage can prune with when it stands at the top. */
    private String prunable() {
        return switch (random.nextInt(5)) {
            case 0 -> "time " + pick(random, new String[] {">", ">=", "<", "<="}) + " " + time();
            case 1 -> "time BETWEEN " + time() + " AND " + time();
            case 2 -> "source = '" + pick(random, DifferentialData.SOURCES) + "'";
            case 3 -> "level = '" + pick(random, DifferentialData.LEVELS) + "'";
            default -> "message CONTAINS '" + pick(random, DifferentialData.WORDS) + "'";
        };
    }

    private String condition(int depth) {
        if (depth > 0 && random.nextInt(3) == 0) {
            return switch (random.nextInt(3)) {
                case 0 -> "(" + condition(depth - 1) + " AND " + condition(depth - 1) + ")";
                case 1 -> "(" + condition(depth - 1) + " OR " + condition(depth - 1) + ")";
                default -> "NOT " + condition(depth - 1);
            };
        }
        return switch (random.nextInt(12)) {
            case 0 -> "time " + pick(random, TIME_OPS) + " " + time();
            case 1 -> "time " + (random.nextBoolean() ? "NOT " : "") + "BETWEEN " + time() + " AND " + time();
            case 2 -> "time > now() - " + (1 + random.nextInt(120)) + "m";
            case 3 -> "source " + pick(random, new String[] {"=", "!="}) + " '" + pick(random, DifferentialData.SOURCES) + "'";
            case 4 -> "source " + (random.nextBoolean() ? "NOT " : "") + "IN ('" + pick(random, DifferentialData.SOURCES)
                    + "', '" + pick(random, DifferentialData.SOURCES) + "')";
            case 5 -> "source " + pick(random, new String[] {"LIKE 'web-%'", "LIKE 'hdfs-__-_'", "~ '^sshd'", "!~ '-1$'"});
            case 6 -> pick(random, new String[] {"EXISTS level", "EXISTS tags.host", "NOT EXISTS latency_ms",
                "tags.host = 'a'", "level != 'INFO'", "latency_ms = '12'", "tags.pid LIKE '24%'"});
            case 7 -> "message " + (random.nextBoolean() ? "CONTAINS" : "ICONTAINS") + " '" + substring() + "'";
            case 8, 9 -> "message MATCHES '" + search() + "'";
            case 10 -> "message ~ '" + pick(random, new String[] {"blk_-?[0-9]+", "(?i)^exception", "port [0-9]{5}",
                "error$"}) + "'";
            default -> "id " + pick(random, new String[] {"LIKE '%7'", "CONTAINS '00'", "= 'g000001'"});
        };
    }

    private String substring() {
        String word = pick(random, DifferentialData.WORDS);
        return switch (random.nextInt(4)) {
            case 0 -> word.substring(0, Math.min(word.length(), 1 + random.nextInt(4)));
            case 1 -> word.toUpperCase(java.util.Locale.ROOT);
            case 2 -> word + " " + pick(random, DifferentialData.WORDS);
            default -> word;
        };
    }

    private String search() {
        String a = pick(random, DifferentialData.WORDS);
        String b = pick(random, DifferentialData.WORDS);
        return switch (random.nextInt(9)) {
            case 0 -> a;
            case 1 -> "\"" + a + " " + b + "\"";
            case 2 -> a + " OR " + b;
            case 3 -> a + " NOT " + b;
            case 4 -> a.substring(0, Math.min(3, a.length())) + "*";
            case 5 -> "pasword~1";
            case 6 -> a + " NEAR/2 " + b;
            case 7 -> pick(random, new String[] {"blk", "173.234.31.2", "\"connection reset\"", "user admin"});
            default -> a + " " + b;
        };
    }

    private String time() {
        Instant t = times.get(random.nextInt(times.size()));
        return "'" + (random.nextInt(3) == 0 ? t.plusMillis(random.nextInt(2000) - 1000) : t) + "'";
    }
}
