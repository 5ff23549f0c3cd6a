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

    /**
     * Checks one contender's gradient and value against the reference's, and throws if either differs.
     *
     * @param name           the contender
     * @param referenceFlat  the reference's partials, flat
     * @param referenceValue the reference's value
     * @param value          the contender's value, or NaN if it returns none
     * @param partials       the contender's partials, in the same layout
     * @param tolerance      the gradient's relative tolerance ({@link #relativeError})
     * @param valueTolerance the value's tolerance, relative to the reference's value
     * @return the gradient's relative error
     * @throws IllegalStateException if the gradient or the value is off
     */
    public static double check(String name, double[] referenceFlat, double referenceValue, double value,
            double[] partials, double tolerance, double valueTolerance) {
        double error = relativeError(referenceFlat, partials);
        if (!(error <= tolerance)) {
            throw new IllegalStateException(name + ": gradient differs from the hand-written one by " + error
                    + " (relative), more than " + tolerance);
        }
        if (!Double.isNaN(value) && !(Math.abs(value - referenceValue) <= valueTolerance * Math.abs(referenceValue))) {
            throw new IllegalStateException(name + ": value " + value + " is not the hand-written " + referenceValue);
        }
        return error;
    }
}
