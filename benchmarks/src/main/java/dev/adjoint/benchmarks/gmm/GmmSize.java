package dev.adjoint.benchmarks.gmm;

import java.util.Optional;

/**
 * The benchmarked GMM sizes, each n = 1000 points: three ADBench inputs and one generated, larger one. Each size
 * says which of the costly contenders run in full, which on a share of the work, and which not at all (the
 * reasons are in docs/BENCHMARKS.md).
 */
public enum GmmSize {
    /** ADBench's {@code 1k/gmm_d2_K5}: d = 2, K = 5, 30 parameters. */
    D2("d2", "gmm_d2_K5", 1000, true),
    /** ADBench's {@code 1k/gmm_d10_K5}: d = 10, K = 5, 330 parameters. */
    D10("d10", "gmm_d10_K5", 1000, true),
    /** ADBench's {@code 1k/gmm_d20_K5}: d = 20, K = 5, 1155 parameters; Hipparchus on the first 100 points. */
    D20("d20", "gmm_d20_K5", 100, false),
    /** Seeded random data, d = 64, K = 10, 21,450 parameters; no Hipparchus, no reference. */
    D64K10("d64K10", null, 0, false);

    private final String label;
    private final String adbenchSet;
    private final int hipparchusPoints;
    private final boolean finiteDifferences;

    GmmSize(String label, String adbenchSet, int hipparchusPoints, boolean finiteDifferences) {
        this.label = label;
        this.adbenchSet = adbenchSet;
        this.hipparchusPoints = hipparchusPoints;
        this.finiteDifferences = finiteDifferences;
    }

    /**
     * Returns the size of a JMH parameter value.
     *
     * @param label {@code "d2"}, {@code "d10"}, {@code "d20"} or {@code "d64K10"}
     * @return the size
     * @throws IllegalArgumentException for any other label
     */
    public static GmmSize of(String label) {
        for (GmmSize s : values()) {
            if (s.label.equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no GMM size " + label);
    }

    /**
     * Returns the JMH parameter value.
     *
     * @return the label
     */
    public String label() {
        return label;
    }

    /**
     * Loads or generates the data.
     *
     * @return the arguments of the objective
     */
    public GmmData load() {
        return adbenchSet != null ? GmmData.adbench(adbenchSet) : GmmData.random(64, 10, 1000, GmmData.SEED);
    }

    /**
     * Returns ADBench's reference objective and gradient of this input, if it is one of ADBench's.
     *
     * @return the reference, or empty for a generated size
     */
    public Optional<GmmReference> reference() {
        return adbenchSet == null ? Optional.empty() : Optional.of(GmmReference.load("1k_" + adbenchSet));
    }

    /**
     * Returns how many points (the first ones) Hipparchus' forward mode runs over: all n where a gradient takes
     * under a second, a tenth at d = 20 (about 5 s for all n), none at d = 64 (its inputs alone, P variables of P
     * partials, would take 3.7 GB).
     *
     * @return the number of points, 0 if Hipparchus is not run at this size
     */
    public int hipparchusPoints() {
        return hipparchusPoints;
    }

    /**
     * Returns whether central differences are run (and checked) at this size; where they are not, their time is
     * estimated as 2P primal evaluations.
     *
     * @return whether the 2P primal evaluations are run
     */
    public boolean runsFiniteDifferences() {
        return finiteDifferences;
    }
}
