package dev.adjoint.benchmarks;

/** How far a contender's gradient is from the reference one, shared by the workloads' checks. */
public final class Agreement {
    private Agreement() {}

    /**
     * Returns the largest difference of {@code actual} from {@code reference}, relative to the largest partial.
     *
     * @param reference the hand-written gradient, flat
     * @param actual the contender's partials, in the same layout
     * @return max over i of |actual[i] − reference[i]| / max over i of |reference[i]|
     * @throws IllegalStateException if the lengths differ
     */
    public static double relativeError(double[] reference, double[] actual) {
        if (actual.length != reference.length) {
            throw new IllegalStateException("expected " + reference.length + " partials, got " + actual.length);
        }
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < reference.length; i++) {
            scale = Math.max(scale, Math.abs(reference[i]));
            worst = Math.max(worst, Math.abs(actual[i] - reference[i]));
        }
        return worst / scale;
    }
}
