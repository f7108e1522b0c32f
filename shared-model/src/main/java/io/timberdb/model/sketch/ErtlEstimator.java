package io.timberdb.model.sketch;

/**
 * Ertl's improved raw estimator for HyperLogLog registers (O. Ertl, <i>New cardinality estimation
 * algorithms for HyperLogLog sketches</i>, 2017, algorithm 6): from the histogram of the register
 * values it corrects both ends of the range — registers still zero (where the classic estimator
 * needs linear counting) and registers at the largest rank — so one formula serves from a few
 * values to billions, without the empirical bias tables of HyperLogLog++.
 *
 * <p>It uses only +, ×, ÷ and √, all correctly rounded in IEEE 754, so the same registers give
 * the same double on every JVM. Stateless; thread-safe.
 */
final class ErtlEstimator {

    /** α∞ = 1 / (2 ln 2), the limit of the classic bias constant as m grows. */
    private static final double ALPHA_INF = 0.7213475204444817;

    private ErtlEstimator() {
    }

    /**
     * The estimated cardinality.
     *
     * @param registers one rank per register, 0 to {@code q + 1}
     * @param q the bits of a hash after the register index
     */
    static double estimate(byte[] registers, int q) {
        int[] histogram = new int[q + 2];
        for (byte r : registers) {
            histogram[r]++;
        }
        double m = registers.length;
        double z = m * tau(1 - histogram[q + 1] / m);
        for (int k = q; k >= 1; k--) {
            z = 0.5 * (z + histogram[k]);
        }
        z += m * sigma(histogram[0] / m);
        return ALPHA_INF * m * m / z;
    }

    /** σ(x) = x + Σ_{k≥1} x^(2^k) 2^(k-1), summed until it no longer changes; ∞ at x = 1. */
    static double sigma(double x) {
        if (x == 1) {
            return Double.POSITIVE_INFINITY;
        }
        double y = 1;
        double z = x;
        double previous;
        do {
            x *= x;
            previous = z;
            z += x * y;
            y += y;
        } while (z != previous);
        return z;
    }

    /** τ(x) = (1 - x - Σ_{k≥1} (1 - x^(2^-k))² 2^-k) / 3, summed until it no longer changes. */
    static double tau(double x) {
        if (x == 0 || x == 1) {
            return 0;
        }
        double y = 1;
        double z = 1 - x;
        double previous;
        do {
            x = Math.sqrt(x);
            previous = z;
            y *= 0.5;
            z -= (1 - x) * (1 - x) * y;
        } while (z != previous);
        return z / 3;
    }
}
