package dev.adjoint.benchmarks.gmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hipparchus.analysis.differentiation.Gradient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The checks the benchmark's setups run, on the benchmarked data, with the numbers asserted here. */
class GmmChecksTest {
    @ParameterizedTest
    @CsvSource({"d2, 2, 5, 30", "d10, 10, 5, 330", "d20, 20, 5, 1155", "d64K10, 64, 10, 21450"})
    void everyContenderAgreesWithTheHandWrittenAdjoint(String label, int dimension, int components,
            int parameters) {
        GmmSize size = GmmSize.of(label);
        GmmData d = size.load();
        assertEquals(dimension, d.d());
        assertEquals(components, d.k());
        assertEquals(1000, d.n());
        assertEquals(parameters, d.parameters());

        HandGmm.Result hand = GmmChecks.checkAll(size, d);
        double primal = d.objective();
        assertEquals(primal, hand.value, 1e-12 * Math.abs(primal));
        double[] handFlat = hand.flat();
        assertEquals(parameters, handFlat.length);

        GmmGrad.ObjectiveGradient adjoint = GmmGrad.objective(d.alpha(), d.mu(), d.q(), d.l(), d.x(), d.gamma(),
                d.m());
        assertEquals(primal, adjoint.value(), 0.0, "the value is the primal's, bit for bit");
        double adjointError = GmmChecks.relativeError(handFlat, GmmChecks.flat(adjoint));
        assertTrue(adjointError <= 1e-12, "Adjoint against the hand-written adjoint: " + adjointError);

        if (size.hipparchusPoints() > 0) {
            GmmData points = d.firstPoints(size.hipparchusPoints());
            Gradient hip = HipparchusGmm.objective(points);
            assertEquals(parameters, hip.getFreeParameters());
            double hipError = GmmChecks.relativeError(GmmChecks.hand(points).flat(), hip.getGradient());
            assertTrue(hipError <= 1e-9, "Hipparchus: " + hipError);
        }
    }

    @ParameterizedTest
    @CsvSource({"d2, -5240.59056254964707", "d10, -31302.5409109107131", "d20, -121408.566502591304"})
    void theHandWrittenAdjointIsAdbenchsReference(String label, double adbenchObjective) {
        GmmSize size = GmmSize.of(label);
        GmmData d = size.load();
        GmmReference reference = size.reference().orElseThrow();
        assertEquals(adbenchObjective, reference.objective(), 0.0, "ADBench's F file");
        assertEquals(d.parameters(), reference.gradient().length, "ADBench's J file");
        // ADBench's prior has the other sign: the translation changes the numbers by far more than the tolerance
        assertTrue(Math.abs(GmmReference.wishartTerm(d)) > 10, "W = " + GmmReference.wishartTerm(d));

        HandGmm.Result hand = GmmChecks.hand(d);
        double f = reference.objectiveOfGmm(d);
        assertEquals(f, hand.value, 1e-12 * Math.abs(f));
        double[] g = hand.flat();
        double[] r = reference.gradientOfGmm(d);
        for (int i = 0; i < g.length; i++) {
            assertEquals(r[i], g[i], 1e-10 * Math.max(1, Math.abs(r[i])), "partial " + i);
        }
        assertTrue(GmmChecks.checkAgainstAdbench(d, hand, reference) <= 1e-10);
    }

    @Test
    void theGeneratedSizeHasNoReference() {
        assertTrue(GmmSize.D64K10.reference().isEmpty());
        assertEquals(0, GmmSize.D64K10.hipparchusPoints());
    }

    @Test
    void finiteDifferencesAgreeOnTheSmallestSize() {
        GmmData d = GmmSize.D2.load();
        HandGmm.Result hand = GmmChecks.hand(d);
        double[] fd = FiniteDifferences.gradient(d, new double[d.parameters()]);
        double error = GmmChecks.relativeError(hand.flat(), fd);
        assertTrue(error <= 1e-5, "finite differences: " + error);
        assertTrue(error > 0, "finite differences are not exact: " + error);
        assertEquals(hand.value, d.objective(), 0.0, "the parameters are restored");
    }

    /** ADBench's inputs all have γ = 1 and m = 0; the prior's other terms, on a small problem. */
    @Test
    void theHandWrittenAdjointHasThePriorsOtherTerms() {
        GmmData r = GmmData.random(3, 4, 20, 7);
        GmmData d = new GmmData(r.alpha(), r.mu(), r.q(), r.l(), r.x(), 0.7, 2);
        assertEquals(40, d.parameters());
        HandGmm.Result hand = GmmChecks.hand(d);
        assertEquals(d.objective(), hand.value, 1e-12 * Math.abs(hand.value));
        double fdError = GmmChecks.relativeError(hand.flat(), FiniteDifferences.gradient(d, new double[40]));
        assertTrue(fdError <= 1e-6, "finite differences: " + fdError);
        GmmGrad.ObjectiveGradient adjoint = GmmGrad.objective(d.alpha(), d.mu(), d.q(), d.l(), d.x(), 0.7, 2);
        double adjointError = GmmChecks.relativeError(hand.flat(), GmmChecks.flat(adjoint));
        assertTrue(adjointError <= 1e-12, "Adjoint: " + adjointError);
    }

    @Test
    void aWrongGradientIsCaught() {
        GmmData d = GmmSize.D2.load();
        HandGmm.Result hand = GmmChecks.hand(d);
        double[] wrong = hand.flat();
        wrong[7] *= 1 + 1e-6;
        wrong[7] += 1e-6;
        assertThrows(IllegalStateException.class,
                () -> GmmChecks.check("wrong", hand, Double.NaN, wrong, GmmChecks.TOLERANCE));
        assertThrows(IllegalStateException.class,
                () -> GmmChecks.check("wrong value", hand, hand.value * (1 + 1e-6), hand.flat(),
                        GmmChecks.TOLERANCE));
        GmmChecks.check("right", hand, hand.value, hand.flat(), GmmChecks.TOLERANCE);
    }

    @Test
    void aWrongHandWrittenGradientIsCaughtByAdbenchsReference() {
        GmmData d = GmmSize.D10.load();
        GmmReference reference = GmmSize.D10.reference().orElseThrow();
        HandGmm.Result hand = GmmChecks.hand(d);
        hand.l[3][17] *= 1 + 1e-6;
        hand.l[3][17] += 1e-6;
        assertThrows(IllegalStateException.class, () -> GmmChecks.checkAgainstAdbench(d, hand, reference));
        HandGmm.Result wrongValue = GmmChecks.hand(d);
        wrongValue.value += 1e-6 * Math.abs(wrongValue.value);
        assertThrows(IllegalStateException.class, () -> GmmChecks.checkAgainstAdbench(d, wrongValue, reference));
    }

    @ParameterizedTest
    @ValueSource(strings = {"d2", "d20"})
    void theBenchmarkSetupsCheckAndKeepTheData(String label) {
        GmmBenchmark bench = new GmmBenchmark();
        GmmBenchmark.Problem p = new GmmBenchmark.Problem();
        p.size = label;
        p.setup();
        assertEquals(p.data.objective(), bench.primal(p), 0.0);
        assertEquals(bench.primal(p), bench.adjointReuse(p).value(), 0.0);
        assertSame(p.adjointOut, bench.adjointReuse(p));
        assertSame(p.handOut, bench.handWritten(p));
        assertEquals(bench.handWritten(p).alpha[1], bench.adjointAllocating(p).alpha()[1],
                1e-12 * Math.abs(p.handOut.alpha[1]));

        GmmBenchmark.ForwardProblem f = new GmmBenchmark.ForwardProblem();
        f.size = label;
        f.setup();
        assertEquals(GmmSize.of(label).hipparchusPoints(), f.points.n());
        assertEquals(label.equals("d2") ? 1000 : 100, f.points.n());
        assertEquals(p.data.parameters(), bench.hipparchusForward(f).getFreeParameters());
    }

    @Test
    void theFiniteDifferencesSetupChecksAndKeepsTheData() {
        GmmBenchmark.DifferencesProblem p = new GmmBenchmark.DifferencesProblem();
        p.size = "d2";
        p.setup();
        double[] fd = new GmmBenchmark().finiteDifferences(p);
        assertSame(p.out, fd);
        assertTrue(GmmChecks.relativeError(GmmChecks.hand(p.data).flat(), fd) <= 1e-5);
    }
}
