package dev.adjoint.benchmarks.gmm;

import dev.adjoint.benchmarks.Agreement;

import org.hipparchus.analysis.differentiation.Gradient;

/**
 * Every contender's gradient against the hand-written one, before anything is timed, and the hand-written one
 * against ADBench's reference where the input is ADBench's: relative to the largest partial of the hand-written
 * gradient, within {@link #TOLERANCE} (finite differences within {@link #FD_TOLERANCE}); the values within
 * {@link #TOLERANCE} of the primal's.
 */
public final class GmmChecks {
    /** The tolerance of the exact gradients (Adjoint's, Hipparchus'), relative. */
    public static final double TOLERANCE = 1e-9;
    /** The tolerance of central finite differences, relative. */
    public static final double FD_TOLERANCE = 1e-5;
    /** Per partial, |g − r| / max(1, |r|) against ADBench's reference gradient (as in the processor's test). */
    public static final double REFERENCE_J_TOLERANCE = 1e-8;
    /** |F − r| / |r| against ADBench's reference objective. */
    public static final double REFERENCE_F_TOLERANCE = 1e-12;

    private GmmChecks() {}

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
    public static double check(String name, HandGmm.Result reference, double value, double[] partials,
            double tolerance) {
        return Agreement.check(name, reference.flat(), reference.value, value, partials, tolerance, TOLERANCE);
    }

    /**
     * Checks the hand-written gradient and value against ADBench's reference, translated to this objective's
     * convention ({@link GmmReference}), and throws if they differ.
     *
     * @param d the arguments
     * @param hand the hand-written result at them
     * @param reference ADBench's reference at them
     * @return the largest per-partial error, |g − r| / max(1, |r|)
     */
    public static double checkAgainstAdbench(GmmData d, HandGmm.Result hand, GmmReference reference) {
        double f = reference.objectiveOfGmm(d);
        double fError = Math.abs(hand.value - f) / Math.abs(f);
        if (!(fError <= REFERENCE_F_TOLERANCE)) {
            throw new IllegalStateException("hand-written value " + hand.value + " is not ADBench's " + f
                    + " (relative error " + fError + ")");
        }
        double[] g = hand.flat();
        double[] r = reference.gradientOfGmm(d);
        double worst = 0;
        for (int i = 0; i < g.length; i++) {
            double e = Math.abs(g[i] - r[i]) / Math.max(1, Math.abs(r[i]));
            if (!(e <= REFERENCE_J_TOLERANCE)) {
                throw new IllegalStateException("hand-written partial " + i + " = " + g[i] + " is not ADBench's "
                        + r[i] + " (error " + e + ")");
            }
            worst = Math.max(worst, e);
        }
        return worst;
    }

    /**
     * Runs the hand-written adjoint on the data.
     *
     * @param d the arguments
     * @return a new result
     */
    public static HandGmm.Result hand(GmmData d) {
        return HandGmm.objective(d.alpha(), d.mu(), d.q(), d.l(), d.x(), d.gamma(), d.m(),
                new HandGmm.Result(d.k(), d.d()));
    }

    /**
     * Returns Adjoint's gradient in the flat layout.
     *
     * @param g a generated result
     * @return its partials
     */
    public static double[] flat(GmmGrad.ObjectiveGradient g) {
        return GmmData.flat(g.alpha(), g.mu(), g.q(), g.l());
    }

    /**
     * Runs every contender that runs at this size once on its data and checks it; throws
     * {@link IllegalStateException} on a mismatch. Hipparchus is checked on the points it is timed on
     * ({@link GmmSize#hipparchusPoints}), against the hand-written gradient of those points.
     *
     * @param size the size
     * @param d its data
     * @return the hand-written result the others were checked against
     */
    public static HandGmm.Result checkAll(GmmSize size, GmmData d) {
        double primal = d.objective();
        HandGmm.Result hand = hand(d);
        if (!(Math.abs(hand.value - primal) <= TOLERANCE * Math.abs(primal))) {
            throw new IllegalStateException("hand-written value " + hand.value + " is not the primal's " + primal);
        }
        double[] handFlat = hand.flat();
        double scale = 0;
        for (double g : handFlat) {
            scale = Math.max(scale, Math.abs(g));
        }
        if (!(scale > 1e-3)) {
            throw new IllegalStateException("the gradient is too small to check anything: " + scale);
        }
        size.reference().ifPresent(r -> checkAgainstAdbench(d, hand, r));

        GmmGrad.ObjectiveGradient reuse = GmmGrad.objective(d.alpha(), d.mu(), d.q(), d.l(), d.x(), d.gamma(),
                d.m(), new GmmGrad.ObjectiveGradient());
        check("Adjoint (reuse)", hand, reuse.value(), flat(reuse), TOLERANCE);
        GmmGrad.ObjectiveGradient alloc = GmmGrad.objective(d.alpha(), d.mu(), d.q(), d.l(), d.x(), d.gamma(),
                d.m());
        check("Adjoint (allocating)", hand, alloc.value(), flat(alloc), TOLERANCE);

        if (size.hipparchusPoints() > 0) {
            GmmData points = d.firstPoints(size.hipparchusPoints());
            HandGmm.Result handPoints = points == d ? hand : hand(points);
            Gradient hip = HipparchusGmm.objective(points);
            check("Hipparchus", handPoints, hip.getValue(), hip.getGradient(), TOLERANCE);
        }
        if (size.runsFiniteDifferences()) {
            double[] fd = FiniteDifferences.gradient(d, new double[d.parameters()]);
            check("finite differences", hand, Double.NaN, fd, FD_TOLERANCE);
        }
        return hand;
    }
}
