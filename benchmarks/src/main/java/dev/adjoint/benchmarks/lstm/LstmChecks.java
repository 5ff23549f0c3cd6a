package dev.adjoint.benchmarks.lstm;

import dev.adjoint.benchmarks.Agreement;

import org.hipparchus.analysis.differentiation.Gradient;

/**
 * Every contender's gradient against the hand-written one, before anything is timed, and the hand-written one
 * against the gradient ADBench's LSTM unit test expects: relative to the largest partial of the hand-written
 * gradient, within {@link #TOLERANCE} (finite differences within {@link #FD_TOLERANCE}); the values within
 * {@link #TOLERANCE} of the primal's.
 */
public final class LstmChecks {
    /** The tolerance of the exact gradients (Adjoint's, Hipparchus'), relative. */
    public static final double TOLERANCE = 1e-9;
    /** The tolerance of central finite differences, relative. */
    public static final double FD_TOLERANCE = 1e-5;
    /** Per partial, |g − r| / max(1, |r|) against ADBench's expected gradient (as in the processor's test). */
    public static final double REFERENCE_TOLERANCE = 1e-8;
    /**
     * max |g − r| / max |r| against ADBench's expected gradient: its partials are small (at most about 0.05), so
     * the per-partial bound alone would be loose (as in the processor's test).
     */
    public static final double REFERENCE_SCALED_TOLERANCE = 1e-10;

    private LstmChecks() {}

    /**
     * Returns the largest difference of {@code actual} from {@code reference}, relative to the largest partial.
     *
     * @param reference the hand-written gradient, flat
     * @param actual the contender's partials, in the same layout
     * @return max over i of |actual[i] − reference[i]| / max over i of |reference[i]|
     */
    public static double relativeError(double[] reference, double[] actual) {
        return Agreement.relativeError(reference, actual);
    }

    /**
     * Checks one contender's gradient and value, and throws if it differs from the reference.
     *
     * @param name the contender
     * @param reference the hand-written result
     * @param value the contender's value, or NaN if it returns none
     * @param partials the contender's partials, flat
     * @param tolerance the relative tolerance
     * @return the relative error found
     */
    public static double check(String name, HandLstm.Result reference, double value, double[] partials,
            double tolerance) {
        return Agreement.check(name, reference.flat(), reference.value, value, partials, tolerance, TOLERANCE);
    }

    /**
     * Checks a gradient against ADBench's expected one, and throws if it differs.
     *
     * @param name whose gradient
     * @param partials the gradient, flat
     * @param reference ADBench's, in the same layout
     * @return max |g − r| / max |r|
     */
    public static double checkAgainstAdbench(String name, double[] partials, double[] reference) {
        if (partials.length != reference.length) {
            throw new IllegalStateException(name + ": " + partials.length + " partials, ADBench's "
                    + reference.length);
        }
        double worst = 0;
        double largest = 0;
        for (int i = 0; i < partials.length; i++) {
            double difference = Math.abs(partials[i] - reference[i]);
            if (!(difference / Math.max(1, Math.abs(reference[i])) <= REFERENCE_TOLERANCE)) {
                throw new IllegalStateException(name + ": partial " + i + " = " + partials[i]
                        + " is not ADBench's " + reference[i]);
            }
            worst = Math.max(worst, difference);
            largest = Math.max(largest, Math.abs(reference[i]));
        }
        double scaled = worst / largest;
        if (!(scaled <= REFERENCE_SCALED_TOLERANCE)) {
            throw new IllegalStateException(name + ": max |g − r| / max |r| = " + scaled + " against ADBench's, more"
                    + " than " + REFERENCE_SCALED_TOLERANCE);
        }
        return scaled;
    }

    /**
     * Runs the hand-written adjoint on the data.
     *
     * @param d the arguments
     * @return a new result
     */
    public static HandLstm.Result hand(LstmData d) {
        return HandLstm.objective(d.mainParams(), d.extraParams(), d.state(), d.sequence(),
                new HandLstm.Result(d.layers(), d.b(), d.sequence().length));
    }

    /**
     * Returns Adjoint's gradient in the flat layout.
     *
     * @param g a generated result
     * @return its partials
     */
    public static double[] flat(LstmGrad.ObjectiveGradient g) {
        return LstmData.flat(g.mainParams(), g.extraParams());
    }

    /**
     * Runs every contender once on the data and checks it; throws {@link IllegalStateException} on a mismatch.
     *
     * @param d the data (ADBench's input, whose expected gradient is {@link LstmData#referenceGradient})
     * @return the hand-written result the others were checked against
     */
    public static HandLstm.Result checkAll(LstmData d) {
        double primal = d.objective();
        HandLstm.Result hand = hand(d);
        if (!(Math.abs(hand.value - primal) <= TOLERANCE * Math.abs(primal))) {
            throw new IllegalStateException("hand-written value " + hand.value + " is not the primal's " + primal);
        }
        checkAgainstAdbench("hand-written", hand.flat(), LstmData.referenceGradient());

        LstmGrad.ObjectiveGradient reuse = LstmGrad.objective(d.mainParams(), d.extraParams(), d.state(),
                d.sequence(), new LstmGrad.ObjectiveGradient());
        check("Adjoint (reuse)", hand, reuse.value(), flat(reuse), TOLERANCE);
        LstmGrad.ObjectiveGradient alloc = LstmGrad.objective(d.mainParams(), d.extraParams(), d.state(),
                d.sequence());
        check("Adjoint (allocating)", hand, alloc.value(), flat(alloc), TOLERANCE);

        Gradient hip = HipparchusLstm.objective(d);
        check("Hipparchus", hand, hip.getValue(), hip.getGradient(), TOLERANCE);

        double[] fd = FiniteDifferences.gradient(d, new double[d.parameters()]);
        check("finite differences", hand, Double.NaN, fd, FD_TOLERANCE);
        return hand;
    }
}
