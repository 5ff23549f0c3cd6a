package dev.adjoint.benchmarks.gmm;

import java.util.concurrent.TimeUnit;
import org.hipparchus.analysis.differentiation.Gradient;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ADBench's GMM objective (n = 1000 points; d = 2, 10, 20 with K = 5 from ADBench's files, d = 64 with K = 10
 * seeded): the primal and each way of computing its gradient, over the same data. Each state's setup checks every
 * contender against the hand-written gradient first, and that one against ADBench's reference.
 *
 * <p>The costly contenders run where they fit: Hipparchus' forward mode over all points at d = 2 and 10, over the
 * first 100 points at d = 20 (its time is to be multiplied by 10), not at d = 64; central differences in full at
 * d = 2 and 10, and estimated as 2P primal evaluations elsewhere. Each has its own state, with only those sizes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GmmBenchmark {
    /** The data of one size, checked, and the kept results of the reverse-mode contenders. */
    @State(Scope.Thread)
    public static class Problem {
        /** The size ({@link GmmSize#label}). */
        @Param({"d2", "d10", "d20", "d64K10"})
        public String size;

        GmmData data;
        GmmGrad.ObjectiveGradient adjointOut;
        HandGmm.Result handOut;

        /** Loads the data, checks every contender at this size, and makes the kept results. */
        @Setup(Level.Trial)
        public void setup() {
            GmmSize s = GmmSize.of(size);
            data = s.load();
            GmmChecks.checkAll(s, data);
            adjointOut = new GmmGrad.ObjectiveGradient();
            handOut = new HandGmm.Result(data.k(), data.d());
        }
    }

    /** The points Hipparchus runs over at one size ({@link GmmSize#hipparchusPoints}), checked. */
    @State(Scope.Thread)
    public static class ForwardProblem {
        /** The size: only those where Hipparchus runs. */
        @Param({"d2", "d10", "d20"})
        public String size;

        GmmData points;

        /** Loads the data, checks every contender at this size, and keeps Hipparchus' share of the points. */
        @Setup(Level.Trial)
        public void setup() {
            GmmSize s = GmmSize.of(size);
            GmmData data = s.load();
            GmmChecks.checkAll(s, data);
            points = data.firstPoints(s.hipparchusPoints());
        }
    }

    /** The data of one size where central differences run in full, checked. */
    @State(Scope.Thread)
    public static class DifferencesProblem {
        /** The size: only those where the 2P primal evaluations are run. */
        @Param({"d2", "d10"})
        public String size;

        GmmData data;
        double[] out;

        /** Loads the data, checks every contender at this size, and makes the kept result. */
        @Setup(Level.Trial)
        public void setup() {
            GmmSize s = GmmSize.of(size);
            data = s.load();
            GmmChecks.checkAll(s, data);
            out = new double[data.parameters()];
        }
    }

    /**
     * The primal alone.
     *
     * @param p the problem
     * @return the objective
     */
    @Benchmark
    public double primal(Problem p) {
        GmmData d = p.data;
        return Gmm.objective(d.alpha(), d.mu(), d.q(), d.l(), d.x(), d.gamma(), d.m());
    }

    /**
     * Adjoint's generated gradient, reuse form (the result object is kept).
     *
     * @param p the problem
     * @return the result
     */
    @Benchmark
    public GmmGrad.ObjectiveGradient adjointReuse(Problem p) {
        GmmData d = p.data;
        return GmmGrad.objective(d.alpha(), d.mu(), d.q(), d.l(), d.x(), d.gamma(), d.m(), p.adjointOut);
    }

    /**
     * Adjoint's generated gradient, allocating form.
     *
     * @param p the problem
     * @return a new result
     */
    @Benchmark
    public GmmGrad.ObjectiveGradient adjointAllocating(Problem p) {
        GmmData d = p.data;
        return GmmGrad.objective(d.alpha(), d.mu(), d.q(), d.l(), d.x(), d.gamma(), d.m());
    }

    /**
     * The hand-written adjoint.
     *
     * @param p the problem
     * @return the result
     */
    @Benchmark
    public HandGmm.Result handWritten(Problem p) {
        GmmData d = p.data;
        return HandGmm.objective(d.alpha(), d.mu(), d.q(), d.l(), d.x(), d.gamma(), d.m(), p.handOut);
    }

    /**
     * Hipparchus' forward mode, all P parameters free at once, over {@link GmmSize#hipparchusPoints} points.
     *
     * @param p the points
     * @return the objective of those points with its P partials
     */
    @Benchmark
    public Gradient hipparchusForward(ForwardProblem p) {
        return HipparchusGmm.objective(p.points);
    }

    /**
     * Central finite differences, 2P primal evaluations.
     *
     * @param p the problem
     * @return the partials
     */
    @Benchmark
    public double[] finiteDifferences(DifferencesProblem p) {
        return FiniteDifferences.gradient(p.data, p.out);
    }
}
