package dev.adjoint.benchmarks.neuron;

import org.hipparchus.analysis.differentiation.Gradient;

/**
 * Every contender's gradient against the hand-written one, before anything is timed: relative to the largest
 * partial of the hand-written gradient, within {@link #TOLERANCE} (finite differences within
 * {@link #FD_TOLERANCE}); the values within {@link #TOLERANCE} of the primal's.
 */
public final class NeuronChecks {
    /** The tolerance of the exact gradients (Adjoint's, Hipparchus'), relative. */
    public static final double TOLERANCE = 1e-9;
    /** The tolerance of central finite differences, relative. */
    public static final double FD_TOLERANCE = 1e-5;

    private NeuronChecks() {}

    /**
     * Returns the largest relative difference of {@code actual} (n + 1 partials, b's last) from the reference.
     *
     * @param reference the hand-written gradient
     * @param actual the contender's partials
     * @return max over k of |actual[k] − reference[k]| / max over k of |reference[k]|
     */
    public static double relativeError(HandNeuron.Result reference, double[] actual) {
        int n = reference.w.length;
        if (actual.length != n + 1) {
            throw new IllegalStateException("expected " + (n + 1) + " partials, got " + actual.length);
        }
        double scale = Math.abs(reference.b);
        for (double g : reference.w) {
            scale = Math.max(scale, Math.abs(g));
        }
        double worst = Math.abs(actual[n] - reference.b);
        for (int j = 0; j < n; j++) {
            worst = Math.max(worst, Math.abs(actual[j] - reference.w[j]));
        }
        return worst / scale;
    }

    /**
     * Returns w's and b's partials as one array, b's last.
     *
     * @param w ∂C/∂w
     * @param b ∂C/∂b
     * @return n + 1 partials
     */
    public static double[] flat(double[] w, double b) {
        double[] all = java.util.Arrays.copyOf(w, w.length + 1);
        all[w.length] = b;
        return all;
    }

    /**
     * Checks one contender's gradient and value, and throws if it differs from the reference.
     *
     * @param name the contender
     * @param reference the hand-written result
     * @param value the contender's value, or NaN if it returns none
     * @param partials the contender's n + 1 partials
     * @param tolerance the relative tolerance
     * @return the relative error found
     */
    public static double check(String name, HandNeuron.Result reference, double value, double[] partials,
            double tolerance) {
        double error = relativeError(reference, partials);
        if (!(error <= tolerance)) {
            throw new IllegalStateException(name + ": gradient differs from the hand-written one by " + error
                    + " (relative), more than " + tolerance);
        }
        if (!Double.isNaN(value) && !(Math.abs(value - reference.value) <= TOLERANCE * Math.abs(reference.value))) {
            throw new IllegalStateException(name + ": value " + value + " is not the hand-written " + reference.value);
        }
        return error;
    }

    /**
     * Runs every contender once on the data and checks it; throws {@link IllegalStateException} on a mismatch.
     *
     * @param d the data
     * @return the hand-written result the others were checked against
     */
    public static HandNeuron.Result checkAll(NeuronData d) {
        double[] w = d.w();
        double b = d.b();
        double primal = Neuron.loss(w, b, d.X(), d.y());
        HandNeuron.Result hand = HandNeuron.loss(w, b, d.X(), d.y(), new HandNeuron.Result(w.length));
        if (!(Math.abs(hand.value - primal) <= TOLERANCE * Math.abs(primal))) {
            throw new IllegalStateException("hand-written value " + hand.value + " is not the primal's " + primal);
        }
        double scale = Math.abs(hand.b);
        for (double g : hand.w) {
            scale = Math.max(scale, Math.abs(g));
        }
        if (!(scale > 1e-3)) {
            throw new IllegalStateException("the gradient is too small to check anything: " + scale);
        }

        NeuronGrad.LossGradient reuse = NeuronGrad.loss(w, b, d.X(), d.y(), new NeuronGrad.LossGradient());
        check("Adjoint (reuse)", hand, reuse.value(), flat(reuse.w(), reuse.b()), TOLERANCE);
        NeuronGrad.LossGradient alloc = NeuronGrad.loss(w, b, d.X(), d.y());
        check("Adjoint (allocating)", hand, alloc.value(), flat(alloc.w(), alloc.b()), TOLERANCE);

        Gradient hip = HipparchusNeuron.loss(HipparchusNeuron.field(w.length), w, b, d.X(), d.y());
        check("Hipparchus", hand, hip.getValue(), hip.getGradient(), TOLERANCE);

        double[] fd = FiniteDifferences.gradient(w.clone(), b, d.X(), d.y(), new double[w.length + 1]);
        check("finite differences", hand, Double.NaN, fd, FD_TOLERANCE);
        return hand;
    }
}
