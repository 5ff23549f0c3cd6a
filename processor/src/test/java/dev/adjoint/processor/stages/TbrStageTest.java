package dev.adjoint.processor.stages;

import static dev.adjoint.processor.stages.Stages.analyse;
import static dev.adjoint.processor.stages.Stages.assignment;
import static dev.adjoint.processor.stages.Stages.one;
import static dev.adjoint.processor.stages.Stages.parse;
import static dev.adjoint.processor.stages.Stages.sym;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.processor.analysis.AdjointPlan;
import dev.adjoint.processor.ir.Core;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The to-be-recorded analysis alone: what the forward sweep saves for the reverse sweep. */
class TbrStageTest {

    @Test
    void anOverwrittenValueThatARuleReadsIsSavedAndOneNoRuleReadsIsNot() {
        Stages.Analysed a = analyse(parse("@Differentiable static double f(double x) {"
                + " double p = x * 2.0; p = p * x;"
                + " double q = x + 1.0; q = q + x;"
                + " return p + q; }"));
        // the product rule reads p's old value (d(p*x)/dx = p), which the assignment overwrites
        Core.Assign product = assignment(a.body(), "p = p * x");
        assertTrue(a.tbr().pushes(product));
        assertEquals(Set.of(sym(a, "p"), sym(a, "x")), a.tbr().plan(product).reads());
        // the sum rule reads nothing: q's old value is never needed
        Core.Assign sum = assignment(a.body(), "q = q + x");
        assertFalse(a.tbr().pushes(sum));
        assertEquals(Set.of(), a.tbr().plan(sum).reads());
    }

    @Test
    void anAssignmentAfterAReadOfTheReverseSweepIsSaved() {
        Stages.Analysed a = analyse(parse("@Differentiable static double f(double x) {"
                + " double p = x; double y = p * x; p = 3.0 * x; return y + p; }"));
        // the reverse of y = p * x runs after the reverse of p = 3x, and reads the p that p = 3x overwrote
        assertTrue(a.tbr().pushes(assignment(a.body(), "p = 3.0 * x")));
    }

    @Test
    void inALoopAnEarlierTripsReadMakesAWriteSave() {
        String loop = "@Differentiable static double f(double x, int n) { double s = x; double acc = 0.0;"
                + " for (int k = 0; k < n; k++) { s = s + x; acc = acc + s * x; } return acc; }";
        String straight = "@Differentiable static double f(double x, int n) { double s = x; double acc = 0.0;"
                + " s = s + x; acc = acc + s * x; return acc; }";
        // the reverse of a trip's acc = acc + s * x reads s, and runs after the reverse of the next trip's s = s + x
        Stages.Analysed looped = analyse(parse(loop));
        assertTrue(looped.tbr().pushes(assignment(looped.body(), "s = s + x")));
        // once, in straight-line code, the read comes after the write in both sweeps: nothing to save
        Stages.Analysed once = analyse(parse(straight));
        assertFalse(once.tbr().pushes(assignment(once.body(), "s = s + x")));
    }

    @Test
    void aLoopLocalThatARuleReadsIsSavedAtTheEndOfItsBlock() {
        Stages.Analysed a = analyse(parse("@Differentiable static double f(double x, int n) {"
                + " double s = x; for (int k = 0; k < n; k++) { double t = s * x; s = t * t; } return s; }"));
        // the reverse of t = s * x runs after the reverse of s = t * t, and reads the s it overwrote
        Core.Assign square = assignment(a.body(), "s = t * t");
        assertTrue(a.tbr().pushes(square));
        // t is declared in the loop body and read by the reverse of s = t * t (the square rule): saved at the end of
        // the body, for the reverse sweep to take back trip by trip
        Core.For loop = one(a.body(), Core.For.class, f -> true);
        assertEquals(List.of(sym(a, "t")), a.tbr().saves(loop.body()));
        AdjointPlan plan = a.tbr().plan(square);
        assertNotNull(plan);
        assertEquals(Set.of(sym(a, "t")), plan.reads());
    }

    @Test
    void aLocalNoRuleReadsIsNotSavedAtTheEndOfItsBlock() {
        Stages.Analysed a = analyse(parse("@Differentiable static double f(double x, int n) {"
                + " double s = x; for (int k = 0; k < n; k++) { double t = s + x; s = t + 1.0; } return s; }"));
        Core.For loop = one(a.body(), Core.For.class, f -> true);
        assertEquals(List.of(), a.tbr().saves(loop.body()));
        assertFalse(a.tbr().pushes(assignment(a.body(), "s = t + 1.0")));
    }

    @Test
    void anElementWriteSavesTheOldElementWhenTheReverseSweepReadsThatArray() {
        Stages.Analysed a = analyse(parse("@Differentiable static double f(double x) {"
                + " double[] v = new double[2]; v[0] = x; double y = v[0] * x; v[0] = 2.0 * x;"
                + " double[] w = new double[2]; w[0] = x; w[0] = w[0] + x; return y + v[0] + w[0]; }"));
        // y = v[0] * x reads the element v[0] = 2x overwrites
        assertTrue(a.tbr().pushes(assignment(a.body(), "v[0] = 2.0 * x")));
        // nothing the reverse sweep reads lives in w
        assertFalse(a.tbr().pushes(assignment(a.body(), "w[0] = w[0] + x")));
    }

    @Test
    void inactiveStatementsHaveNoPlan() {
        Stages.Analysed a = analyse(parse("@Differentiable static double f(double x, int n) {"
                + " int m = n * 2; double c = 3.0; c = c * c; return x * m + c; }"));
        assertNull(a.tbr().plan(one(a.body(), Core.Declare.class, d -> d.sym().name().equals("m"))));
        assertNull(a.tbr().plan(assignment(a.body(), "c = c * c")));
        assertFalse(a.tbr().pushes(assignment(a.body(), "c = c * c")));
    }

    /**
     * GMM's inner loops in a point loop: the triangular update of qx saves nothing, because the loop before it in
     * the same trip writes every element of qx (what the reverse sweep of an earlier trip read is written again
     * first); that loop saves, since the previous trip's reads of qx precede it with nothing covering qx between.
     * The counter at is stepped back by its inverse, not saved per step. Without the covering loop, the update
     * saves.
     */
    @Test
    void aWriteAfterALoopThatCoversTheArrayInTheSameTripSavesNothing() {
        String kernel = "@Differentiable static double f(double[] q, double[] l, double[][] xs) {"
                + " int d = q.length; double[] qx = new double[d]; double total = 0.0;"
                + " for (int i = 0; i < xs.length; i++) {"
                + "   for (int j = 0; j < d; j++) { qx[j] = Math.exp(q[j]) * xs[i][j]; }"
                + "   int at = 0;"
                + "   for (int col = 0; col < d; col++) { for (int row = col + 1; row < d; row++) {"
                + "     qx[row] += l[at] * xs[i][col]; at++; } }"
                + "   for (int j = 0; j < d; j++) { total += qx[j] * qx[j]; } }"
                + " return total; }";
        Stages.Analysed a = analyse(parse(kernel));
        assertFalse(a.tbr().pushes(assignment(a.body(), "qx[row] = qx[row] + (l[at] * xs[i][col])")));
        assertTrue(a.tbr().pushes(assignment(a.body(), "qx[j] = Math.exp(q[j]) * xs[i][j]")));
        Core.Assign step = assignment(a.body(), "at = at + 1");
        assertTrue(a.tbr().pushes(step), "the reverse sweep reads at before the step");
        assertNotNull(a.tbr().inverseOf(step), "and steps it back by its inverse");

        String uncovered = kernel.replace("for (int j = 0; j < d; j++) { qx[j] = Math.exp(q[j]) * xs[i][j]; }",
                "for (int j = 1; j < d; j++) { qx[j] = Math.exp(q[j]) * xs[i][j]; }");
        Stages.Analysed b = analyse(parse(uncovered));
        assertTrue(b.tbr().pushes(assignment(b.body(), "qx[row] = qx[row] + (l[at] * xs[i][col])")),
                "a loop from 1 does not write qx[0]");
    }
}
