package dev.adjoint.benchmarks.montecarlo;

import java.util.concurrent.TimeUnit;
import org.hipparchus.analysis.differentiation.Gradient;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Monte Carlo price of a smoothed arithmetic-average Asian call (P = 2000 paths of M = 64 Euler steps, a
 * volatility per step; 66 parameters: delta, rho and 64 vega buckets; seeded draws): the primal and each way of
 * computing its gradient, over the same draws. {@link #setup} checks every gradient against the hand-written one
 * first. Every contender runs in full (nothing estimated).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MonteCarloBenchmark {
    MonteCarloData data;
    MonteCarloGrad.PriceGradient adjointOut;
    HandMonteCarlo.Result handOut;
    double[] fdOut;

    /** Makes the data and the kept results, and checks every contender; throws if one disagrees. */
    @Setup(Level.Trial)
    public void setup() {
        data = MonteCarloData.standard();
        MonteCarloChecks.checkAll(data);
        adjointOut = new MonteCarloGrad.PriceGradient();
        handOut = new HandMonteCarlo.Result(data.steps());
        fdOut = new double[data.parameters()];
    }

    /**
     * The primal alone.
     *
     * @return the price
     */
    @Benchmark
    public double primal() {
        MonteCarloData d = data;
        return MonteCarlo.price(d.s0(), d.r(), d.sigma(), d.strike(), d.maturity(), d.width(), d.z());
    }

    /**
     * Adjoint's generated gradient, reuse form (the result object is kept).
     *
     * @return the result
     */
    @Benchmark
    public MonteCarloGrad.PriceGradient adjointReuse() {
        MonteCarloData d = data;
        return MonteCarloGrad.price(d.s0(), d.r(), d.sigma(), d.strike(), d.maturity(), d.width(), d.z(),
                adjointOut);
    }

    /**
     * Adjoint's generated gradient, allocating form.
     *
     * @return a new result
     */
    @Benchmark
    public MonteCarloGrad.PriceGradient adjointAllocating() {
        MonteCarloData d = data;
        return MonteCarloGrad.price(d.s0(), d.r(), d.sigma(), d.strike(), d.maturity(), d.width(), d.z());
    }

    /**
     * The hand-written adjoint.
     *
     * @return the result
     */
    @Benchmark
    public HandMonteCarlo.Result handWritten() {
        MonteCarloData d = data;
        return HandMonteCarlo.price(d.s0(), d.r(), d.sigma(), d.strike(), d.maturity(), d.width(), d.z(),
                handOut);
    }

    /**
     * Hipparchus' forward mode, all 2 + M parameters free at once.
     *
     * @return the price with its partials
     */
    @Benchmark
    public Gradient hipparchusForward() {
        return HipparchusMonteCarlo.price(data);
    }

    /**
     * Central finite differences, 2(2 + M) primal evaluations.
     *
     * @return the partials
     */
    @Benchmark
    public double[] finiteDifferences() {
        return FiniteDifferences.gradient(data, fdOut);
    }
}
