package dev.adjoint.benchmarks.neuron;

import java.util.concurrent.TimeUnit;
import org.hipparchus.analysis.differentiation.Gradient;
import org.hipparchus.analysis.differentiation.GradientField;
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
 * The neuron's MSE loss (N = 10,000 samples, n = 100 features, seeded): the primal and each way of computing its
 * gradient, over the same data. {@link #setup} checks every gradient against the hand-written one first.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class NeuronBenchmark {
    private double[][] X;
    private double[] y;
    private double[] w;
    private double b;
    private NeuronGrad.LossGradient adjointOut;
    private HandNeuron.Result handOut;
    private GradientField field;
    private double[] fdOut;

    /** Makes the data and the kept results, and checks every contender; throws if one disagrees. */
    @Setup(Level.Trial)
    public void setup() {
        NeuronData d = NeuronData.standard();
        NeuronChecks.checkAll(d);
        X = d.X();
        y = d.y();
        w = d.w();
        b = d.b();
        adjointOut = new NeuronGrad.LossGradient();
        handOut = new HandNeuron.Result(w.length);
        field = HipparchusNeuron.field(w.length);
        fdOut = new double[w.length + 1];
    }

    /**
     * The primal alone.
     *
     * @return C
     */
    @Benchmark
    public double primal() {
        return Neuron.loss(w, b, X, y);
    }

    /**
     * Adjoint's generated gradient, reuse form (the result object is kept).
     *
     * @return the result
     */
    @Benchmark
    public NeuronGrad.LossGradient adjointReuse() {
        return NeuronGrad.loss(w, b, X, y, adjointOut);
    }

    /**
     * Adjoint's generated gradient, allocating form.
     *
     * @return a new result
     */
    @Benchmark
    public NeuronGrad.LossGradient adjointAllocating() {
        return NeuronGrad.loss(w, b, X, y);
    }

    /**
     * The hand-written adjoint.
     *
     * @return the result
     */
    @Benchmark
    public HandNeuron.Result handWritten() {
        return HandNeuron.loss(w, b, X, y, handOut);
    }

    /**
     * Hipparchus' forward mode, n + 1 free parameters at once.
     *
     * @return C with its partials
     */
    @Benchmark
    public Gradient hipparchusForward() {
        return HipparchusNeuron.loss(field, w, b, X, y);
    }

    /**
     * Central finite differences, 2(n + 1) primal evaluations.
     *
     * @return the partials
     */
    @Benchmark
    public double[] finiteDifferences() {
        return FiniteDifferences.gradient(w, b, X, y, fdOut);
    }
}
