package dev.adjoint.benchmarks.perceptron;

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
 * A two-layer perceptron's mini-batch loss (B = 128 samples, n = 64 inputs, h = 32 tanh units, o = 10 linear
 * outputs, mean squared error; P = 2410 parameters; seeded): the primal and each way of computing its gradient,
 * over the same data. {@link #setup} checks every gradient against the hand-written one first.
 *
 * <p>Hipparchus' forward mode runs over the first {@link #HIPPARCHUS_SAMPLES} samples only (with everything that
 * does not depend on the samples: making the P variables), so its time is to be multiplied by
 * B / {@link #HIPPARCHUS_SAMPLES} = 8; over the whole batch one call takes seconds and allocates about 12 GB.
 * Making the variables is 47 MB of the 1.53 GB that a call over 16 samples allocates (3 %), so the × 8 overstates
 * the whole batch by about 3 %. Central differences run in full: 2P = 4820 primal evaluations, over a second per
 * call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PerceptronBenchmark {
    /** The samples Hipparchus runs over, the first of the batch: an eighth of it. */
    public static final int HIPPARCHUS_SAMPLES = 16;

    PerceptronData data;
    PerceptronData hipparchusData;
    PerceptronGrad.LossGradient adjointOut;
    HandPerceptron.Result handOut;
    double[] fdOut;

    /** Makes the data and the kept results, and checks every contender; throws if one disagrees. */
    @Setup(Level.Trial)
    public void setup() {
        data = PerceptronData.standard();
        PerceptronChecks.checkAll(data, HIPPARCHUS_SAMPLES);
        hipparchusData = data.firstSamples(HIPPARCHUS_SAMPLES);
        adjointOut = new PerceptronGrad.LossGradient();
        handOut = new HandPerceptron.Result(data.inputs(), data.hidden(), data.outputs());
        fdOut = new double[data.parameters()];
    }

    /**
     * The primal alone.
     *
     * @return the loss
     */
    @Benchmark
    public double primal() {
        PerceptronData d = data;
        return Perceptron.loss(d.W1(), d.b1(), d.W2(), d.b2(), d.X(), d.Y());
    }

    /**
     * Adjoint's generated gradient, reuse form (the result object is kept).
     *
     * @return the result
     */
    @Benchmark
    public PerceptronGrad.LossGradient adjointReuse() {
        PerceptronData d = data;
        return PerceptronGrad.loss(d.W1(), d.b1(), d.W2(), d.b2(), d.X(), d.Y(), adjointOut);
    }

    /**
     * Adjoint's generated gradient, allocating form.
     *
     * @return a new result
     */
    @Benchmark
    public PerceptronGrad.LossGradient adjointAllocating() {
        PerceptronData d = data;
        return PerceptronGrad.loss(d.W1(), d.b1(), d.W2(), d.b2(), d.X(), d.Y());
    }

    /**
     * The hand-written adjoint.
     *
     * @return the result
     */
    @Benchmark
    public HandPerceptron.Result handWritten() {
        PerceptronData d = data;
        return HandPerceptron.loss(d.W1(), d.b1(), d.W2(), d.b2(), d.X(), d.Y(), handOut);
    }

    /**
     * Hipparchus' forward mode, all P parameters free at once, over the first {@link #HIPPARCHUS_SAMPLES} samples.
     *
     * @return the loss of those samples with its P partials
     */
    @Benchmark
    public Gradient hipparchusForward() {
        return HipparchusPerceptron.loss(hipparchusData);
    }

    /**
     * Central finite differences, 2P primal evaluations.
     *
     * @return the partials
     */
    @Benchmark
    public double[] finiteDifferences() {
        return FiniteDifferences.gradient(data, fdOut);
    }
}
