package io.timberdb.model.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.api.QueryFilter;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImpliedFilterTest {

    private static final Instant NOW = LogFixtures.NOW;

    private static QueryFilter implied(String where) {
        return ImpliedFilter.of(QueryParser.parse("SELECT * FROM * WHERE " + where).where(), NOW);
    }

    @Test
    void topLevelConjunctsBecomeTheFilter() {
        QueryFilter f = implied("source = 'web' AND tags.level = 'ERROR' AND message CONTAINS 'reset' "
                + "AND host IN ('a') AND time >= '2026-11-26T10:00:00Z' AND time < now()");
        assertThat(f.source()).isEqualTo("web");
        assertThat(f.tags()).isEqualTo(Map.of("level", "ERROR", "host", "a"));
        assertThat(f.messageContains()).isEqualTo("reset");
        assertThat(f.timeRange()).containsExactly("2026-11-26T10:00:00Z", NOW.toString());
    }

    @Test
    void inclusiveEndsAndStrictStartsMoveByOneNanosecond() {
        assertThat(implied("time <= '2026-11-26T10:00:00Z'").timeRange())
                .isEqualTo(Arrays.asList(null, "2026-11-26T10:00:00.000000001Z"));
        assertThat(implied("time > '2026-11-26T10:00:00Z'").timeRange())
                .isEqualTo(Arrays.asList("2026-11-26T10:00:00.000000001Z", null));
        assertThat(implied("time BETWEEN '2026-11-26T10:00:00Z' AND '2026-11-26T11:00:00Z'").timeRange())
                .containsExactly("2026-11-26T10:00:00Z", "2026-11-26T11:00:00.000000001Z");
        assertThat(implied("time = '2026-11-26T10:00:00Z'").timeRange())
                .containsExactly("2026-11-26T10:00:00Z", "2026-11-26T10:00:00.000000001Z");
    }

    @Test
    void rangesIntersectAndAnEmptyOneAdmitsNothing() {
        QueryFilter f = implied("time > now() - 1h AND time < now() - 2h");
        assertThat(f.from()).isEqualTo(NOW.minusSeconds(3600).plusNanos(1));
        assertThat(f.to()).isEqualTo(f.from());
    }

    @Test
    void conditionsUnderOrAndNotAndCaseInsensitiveOnesImplyNothing() {
        QueryFilter f = implied("(source = 'a' OR source = 'b') AND NOT level = 'INFO' AND message ICONTAINS 'x' "
                + "AND source != 'c' AND time != now() AND source IN ('d', 'e')");
        assertThat(f).isEqualTo(new QueryFilter(null, null, Map.of(), null));
        assertThat(ImpliedFilter.of(null, NOW)).isEqualTo(QueryFilter.ALL);
    }

    @Test
    void theFirstSourceAndTagValueAndTheLongestNeedleAreKept() {
        QueryFilter f = implied("source = 'a' AND source = 'b' AND level = 'x' AND level = 'y' "
                + "AND message CONTAINS 'ab' AND message CONTAINS 'abcd' AND message CONTAINS ''");
        assertThat(f.source()).isEqualTo("a");
        assertThat(f.tags()).isEqualTo(Map.of("level", "x"));
        assertThat(f.messageContains()).isEqualTo("abcd");
    }
}
