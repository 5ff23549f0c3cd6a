package dev.adjoint.benchmarks.montecarlo;

import dev.adjoint.benchmarks.Agreement;

import org.hipparchus.analysis.differentiation.Gradient;

/**
 * Every contender's gradient against the hand-written one, before anything is timed: relative to the largest
 * partial of the hand-written gradient, within {@link #TOLERANCE} (finite differences within
 * {@link #FD_TOLERANCE}); the values within {@link #TOLERANCE} of the primal's.
 */
public final class MonteCarloChecks {
    /** The tolerance of the exact gradients (Adjoint's, Hipparchus'), relative. */
    public static final double TOLERANCE = 1e-9;
    /** The tolerance of central finite differences, relative. */
    public static final double FD_TOLERANCE = 1e-5;

    private MonteCarloChecks() {}

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
    public static double check(String name, HandMonteCarlo.Result reference, double value, double[] partials,
            double tolerance) {
        return Agreement.check(name, reference.flat(), reference.value, value, partials, tolerance, TOLERANCE);
    }

    /**
     * Runs the hand-written adjoint on the data.
     *
     * @param d the arguments
     * @return a new result
     */
    public static HandMonteCarlo.Result hand(MonteCarloData d) {
        return HandMonteCarlo.price(d.s0(), d.r(), d.sigma(), d.strike(), d.maturity(), d.width(), d.z(),
                new HandMonteCarlo.Result(d.steps()));
    }

    /**
     * Returns Adjoint's gradient in the flat layout.
     *
     * @param g a generated result
     * @return its partials
     */
    public static double[] flat(MonteCarloGrad.PriceGradient g) {
        return MonteCarloData.flat(g.s0(), g.r(), g.sigma());
    }

    /**
     * Runs Adjoint's generated gradient, allocating form, on the data.
     *
     * @param d the arguments
     * @return a new result
     */
    public static MonteCarloGrad.PriceGradient adjoint(MonteCarloData d) {
        return MonteCarloGrad.price(d.s0(), d.r(), d.sigma(), d.strike(), d.maturity(), d.width(), d.z());
    }

    /**
     * Runs every contender once on the data and checks it; throws {@link IllegalStateException} on a mismatch.
     *
     * @param d the data
     * @return the hand-written result the others were checked against
     */
    public static HandMonteCarlo.Result checkAll(MonteCarloData d) {
        double primal = d.price();
        HandMonteCarlo.Result hand = hand(d);
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

        MonteCarloGrad.PriceGradient reuse = MonteCarloGrad.price(d.s0(), d.r(), d.sigma(), d.strike(),
                d.maturity(), d.width(), d.z(), new MonteCarloGrad.PriceGradient());
        check("Adjoint (reuse)", hand, reuse.value(), flat(reuse), TOLERANCE);
        MonteCarloGrad.PriceGradient alloc = adjoint(d);
        check("Adjoint (allocating)", hand, alloc.value(), flat(alloc), TOLERANCE);

        Gradient hip = HipparchusMonteCarlo.price(d);
        check("Hipparchus", hand, hip.getValue(), hip.getGradient(), TOLERANCE);

        double[] fd = FiniteDifferences.gradient(d, new double[d.parameters()]);
        check("finite differences", hand, Double.NaN, fd, FD_TOLERANCE);
        return hand;
    }
}
