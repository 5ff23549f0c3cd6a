package dev.adjoint.benchmarks.perceptron;

import dev.adjoint.benchmarks.Agreement;

import org.hipparchus.analysis.differentiation.Gradient;

/**
 * Every contender's gradient against the hand-written one, before anything is timed: relative to the largest
 * partial of the hand-written gradient, within {@link #TOLERANCE} (finite differences within
 * {@link #FD_TOLERANCE}); the values within {@link #TOLERANCE} of the primal's.
 */
public final class PerceptronChecks {
    /** The tolerance of the exact gradients (Adjoint's, Hipparchus'), relative. */
    public static final double TOLERANCE = 1e-9;
    /** The tolerance of central finite differences, relative. */
    public static final double FD_TOLERANCE = 1e-5;

    private PerceptronChecks() {}

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
    public static double check(String name, HandPerceptron.Result reference, double value, double[] partials,
            double tolerance) {
        return Agreement.check(name, reference.flat(), reference.value, value, partials, tolerance, TOLERANCE);
    }

    /**
     * Runs the hand-written adjoint on the data.
     *
     * @param d the arguments
     * @return a new result
     */
    public static HandPerceptron.Result hand(PerceptronData d) {
        return HandPerceptron.loss(d.W1(), d.b1(), d.W2(), d.b2(), d.X(), d.Y(),
                new HandPerceptron.Result(d.inputs(), d.hidden(), d.outputs()));
    }

    /**
     * Returns Adjoint's gradient in the flat layout.
     *
     * @param g a generated result
     * @return its partials
     */
    public static double[] flat(PerceptronGrad.LossGradient g) {
        return PerceptronData.flat(g.W1(), g.b1(), g.W2(), g.b2());
    }

    /**
     * Runs every contender once on the data and checks it; throws {@link IllegalStateException} on a mismatch.
     * Hipparchus is checked on the samples it is timed on (the first {@code hipparchusSamples}), against the
     * hand-written gradient of those samples; central differences on the whole batch.
     *
     * @param d the data
     * @param hipparchusSamples how many of the batch's samples Hipparchus runs over
     * @return the hand-written result the others were checked against
     */
    public static HandPerceptron.Result checkAll(PerceptronData d, int hipparchusSamples) {
        double primal = d.loss();
        HandPerceptron.Result hand = hand(d);
        if (!(Math.abs(hand.value - primal) <= TOLERANCE * Math.abs(primal))) {
            throw new IllegalStateException("hand-written value " + hand.value + " is not the primal's " + primal);
        }
        double scale = 0;
        for (double g : hand.flat()) {
            scale = Math.max(scale, Math.abs(g));
        }
        if (!(scale > 1e-3)) {
            throw new IllegalStateException("the gradient is too small to check anything: " + scale);
        }

        PerceptronGrad.LossGradient reuse = PerceptronGrad.loss(d.W1(), d.b1(), d.W2(), d.b2(), d.X(), d.Y(),
                new PerceptronGrad.LossGradient());
        check("Adjoint (reuse)", hand, reuse.value(), flat(reuse), TOLERANCE);
        PerceptronGrad.LossGradient alloc = PerceptronGrad.loss(d.W1(), d.b1(), d.W2(), d.b2(), d.X(), d.Y());
        check("Adjoint (allocating)", hand, alloc.value(), flat(alloc), TOLERANCE);

        PerceptronData samples = d.firstSamples(hipparchusSamples);
        HandPerceptron.Result handSamples = samples == d ? hand : hand(samples);
        Gradient hip = HipparchusPerceptron.loss(samples);
        check("Hipparchus", handSamples, hip.getValue(), hip.getGradient(), TOLERANCE);

        double[] fd = FiniteDifferences.gradient(d, new double[d.parameters()]);
        check("finite differences", hand, Double.NaN, fd, FD_TOLERANCE);
        return hand;
    }
}
