package io.timberdb.model.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

class HyperLogLogTest {

    /** The documented bound: three standard errors, 2.4%. */
    private static final double BOUND = 3 * HyperLogLog.STANDARD_ERROR;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 10, 1_000, HyperLogLog.EXACT_LIMIT})
    void countsExactlyUpToTheExactLimit(int n) {
        HyperLogLog sketch = sketch("user-", n);
        sketch.merge(sketch("user-", n / 2)); // values seen again count once
        assertThat(sketch.isExact()).isTrue();
        assertThat(sketch.estimate()).isEqualTo(n);
    }

    @ParameterizedTest
    @ValueSource(ints = {HyperLogLog.EXACT_LIMIT + 1, 2_000, 10_000, 40_000, 100_000, 1_000_000})
    void estimatesWithinThreeStandardErrorsPastTheExactLimit(int n) {
        HyperLogLog sketch = sketch("user-", n);
        assertThat(sketch.isExact()).isFalse();
        assertThat(relativeError(sketch.estimate(), n)).isLessThanOrEqualTo(BOUND);
    }

    @Test
    void isNearlyUnbiasedWhereTheClassicEstimatorSwitchesToLinearCounting() {
        // 2.5 m (about 41,000) is where the classic estimator leaves linear counting for its biased raw form
        double sum = 0;
        int sets = 16;
        for (int s = 0; s < sets; s++) {
            sum += (sketch("set" + s + "-", 41_000).estimate() - 41_000) / 41_000.0;
        }
        // the mean of 16 errors has a standard error of a quarter of one; a bias would stand out
        assertThat(sum / sets).isCloseTo(0, within(3 * HyperLogLog.STANDARD_ERROR / 4));
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 5_000, 200_000})
    void mergingPartsInAnyOrderGivesTheSketchOfTheUnion(int n) {
        Random random = new Random(n);
        HyperLogLog whole = sketch("v", n);
        for (int round = 0; round < 5; round++) {
            List<HyperLogLog> parts = new ArrayList<>();
            for (int p = 0; p < 1 + random.nextInt(5); p++) {
                parts.add(new HyperLogLog());
            }
            for (int i = 0; i < n; i++) {
                parts.get(random.nextInt(parts.size())).add("v" + i);
                if (random.nextInt(10) == 0) { // some values are in several parts
                    parts.get(random.nextInt(parts.size())).add("v" + i);
                }
            }
            Collections.shuffle(parts, random);
            HyperLogLog merged = new HyperLogLog();
            parts.forEach(merged::merge);
            assertThat(merged).isEqualTo(whole);
            assertThat(merged.estimate()).isEqualTo(whole.estimate());
            assertThat(merged.toBase64()).isEqualTo(whole.toBase64());
        }
    }

    @Test
    void mergeLeavesItsArgumentAsItWas() {
        HyperLogLog small = sketch("a", 10);
        HyperLogLog large = sketch("b", 10_000);
        HyperLogLog target = small.copy();
        target.merge(large);
        large.merge(small.copy());
        assertThat(small).isEqualTo(sketch("a", 10));
        assertThat(target).isEqualTo(large);
        assertThat(target.estimate()).isGreaterThan(HyperLogLog.EXACT_LIMIT);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, HyperLogLog.EXACT_LIMIT, HyperLogLog.EXACT_LIMIT + 1, 100_000})
    void roundTripsThroughBytesBase64AndJson(int n) {
        HyperLogLog sketch = sketch("user-", n);
        assertThat(HyperLogLog.fromBytes(sketch.toBytes())).isEqualTo(sketch);
        assertThat(HyperLogLog.fromBase64(sketch.toBase64())).isEqualTo(sketch);
        JsonMapper json = JsonMapper.builder().build();
        String text = json.writeValueAsString(sketch);
        assertThat(text).isEqualTo('"' + sketch.toBase64() + '"');
        HyperLogLog read = json.readValue(text, HyperLogLog.class);
        assertThat(read).isEqualTo(sketch);
        assertThat(read.estimate()).isEqualTo(sketch.estimate());
        read.add("one more"); // what was read is a working sketch
        assertThat(read.estimate()).isGreaterThanOrEqualTo(sketch.estimate());
    }

    @Test
    void neitherFormSerializesToMoreThanTheLimitsBytes() {
        assertThat(sketch("x", HyperLogLog.EXACT_LIMIT).toBytes()).hasSize(12_297);
        assertThat(sketch("x", HyperLogLog.EXACT_LIMIT + 1).toBytes()).hasSize(12_293);
        assertThat(sketch("x", 10).toBytes()).hasSize(89);
    }

    static HyperLogLog sketch(String prefix, int n) {
        HyperLogLog sketch = new HyperLogLog();
        for (int i = 0; i < n; i++) {
            sketch.add(prefix + i);
        }
        return sketch;
    }

    private static double relativeError(long estimate, long n) {
        return Math.abs((double) estimate - n) / n;
    }
}
