package dev.adjoint.benchmarks.lstm;

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
 * ADBench's LSTM objective (2 layers, 1024 characters of 14 bits, 266 parameters, ADBench's input): the primal
 * and each way of computing its gradient, over the same data. {@link #setup} checks every gradient against the
 * hand-written one first, and that one against ADBench's expected gradient.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class LstmBenchmark {
    private LstmData data;
    private double[][] main;
    private double[][] extra;
    private double[][] state;
    private double[][] sequence;
    private LstmGrad.ObjectiveGradient adjointOut;
    private HandLstm.Result handOut;
    private double[] fdOut;

    /** Reads the data, checks every contender, and makes the kept results; throws if one disagrees. */
    @Setup(Level.Trial)
    public void setup() {
        data = LstmData.standard();
        LstmChecks.checkAll(data);
        main = data.mainParams();
        extra = data.extraParams();
        state = data.state();
        sequence = data.sequence();
        adjointOut = new LstmGrad.ObjectiveGradient();
        handOut = new HandLstm.Result(data.layers(), data.b(), sequence.length);
        fdOut = new double[data.parameters()];
    }

    /**
     * The primal alone.
     *
     * @return the objective
     */
    @Benchmark
    public double primal() {
        return Lstm.objective(main, extra, state, sequence);
    }

    /**
     * Adjoint's generated gradient, reuse form (the result object is kept).
     *
     * @return the result
     */
    @Benchmark
    public LstmGrad.ObjectiveGradient adjointReuse() {
        return LstmGrad.objective(main, extra, state, sequence, adjointOut);
    }

    /**
     * Adjoint's generated gradient, allocating form.
     *
     * @return a new result
     */
    @Benchmark
    public LstmGrad.ObjectiveGradient adjointAllocating() {
        return LstmGrad.objective(main, extra, state, sequence);
    }

    /**
     * The hand-written adjoint.
     *
     * @return the result
     */
    @Benchmark
    public HandLstm.Result handWritten() {
        return HandLstm.objective(main, extra, state, sequence, handOut);
    }

    /**
     * Hipparchus' forward mode, all 266 parameters free at once.
     *
     * @return the objective with its partials
     */
    @Benchmark
    public Gradient hipparchusForward() {
        return HipparchusLstm.objective(data);
    }

    /**
     * Central finite differences, 532 primal evaluations.
     *
     * @return the partials
     */
    @Benchmark
    public double[] finiteDifferences() {
        return FiniteDifferences.gradient(data, fdOut);
    }
}
