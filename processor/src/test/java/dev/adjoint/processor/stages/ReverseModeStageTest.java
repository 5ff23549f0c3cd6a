package dev.adjoint.processor.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.IrWalker;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.Ty;
import dev.adjoint.processor.transform.Gradient;
import dev.adjoint.testing.FiniteDifferences;
import dev.adjoint.testing.RandomPoints;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The transform stage on small methods: {@code Pipeline.differentiate} of a parsed method, with the sweeps checked
 * as IR (which nodes, which rules, what is saved and how the reverse sweep finds its way back), and run by
 * {@link CoreInterpreter} against finite differences of the forward sweep.
 */
class ReverseModeStageTest {
    private static final String SOURCE = """
            @Differentiable static double product(double x) {
                double y = Math.sin(x) * Math.exp(x);
                return y;
            }

            @Differentiable static double dead(double x) {
                double u = Math.sin(x) * Math.exp(x);
                double y = x * x;
                return y;
            }

            @Differentiable static double overwritten(double x, int n) {
                double s = x;
                for (int i = 0; i < n; i++) {
                    s = Math.sin(s);
                }
                return s;
            }

            @Differentiable static double doubling(double x) {
                double s = x;
                while (s < 10.0) {
                    s = s * 2.0;
                }
                return s;
            }

            @Differentiable static double testedByAssignment(double x) {
                double s = x;
                while ((s = s * 1.5) < 10.0) {
                    s = s + x;
                }
                return s;
            }

            @Differentiable static double doLoop(double x) {
                double s = x;
                do {
                    s = s * 1.5 + Math.sin(s) + 2.0;
                } while (s < 5.0);
                return s;
            }

            @Differentiable static double branch(double x) {
                double y;
                if (x > 0) {
                    y = Math.sin(x);
                } else {
                    y = Math.cos(x);
                }
                return y;
            }

            @Differentiable static double oneSided(double x) {
                double y = x;
                if (x > 0) {
                    y = Math.sin(y);
                }
                return y;
            }

            @Differentiable static double throwing(double x) {
                double y;
                if (x > 0) {
                    y = Math.sin(x);
                } else {
                    throw new IllegalArgumentException("not positive");
                }
                return y;
            }

            @Differentiable static double chain(double x) {
                double y;
                if (x > 1) {
                    y = Math.sin(x);
                } else if (x > 0) {
                    y = Math.cos(x);
                } else {
                    y = x * x;
                }
                return y;
            }

            @Differentiable static double quotient(double x) {
                double y = 1.0 / (1.0 + x * x);
                return y;
            }

            @Differentiable static double weights(double[] w, double x) {
                double s = 0;
                for (int i = 0; i < w.length; i++) {
                    s += w[i] * w[i] * x;
                }
                return s;
            }
            """;

    /** The corpus, parsed and differentiated once. */
    private static DerivativeIrHarness.Parsed parsed;

    private static Gradient gradient(String method) {
        if (parsed == null) {
            parsed = DerivativeIrHarness.differentiate(SOURCE);
        }
        return parsed.gradient(method);
    }

    // ---------------------------------------------------------------- straight-line code

    @Test
    void productSharesFlowThroughTemporaryAdjointsToTheFunctionsRules() {
        Gradient g = gradient("product");
        Sym x = param(g, 0);
        Sym xBar = g.adjoints().get(x);
        assertNotNull(xBar, "x is active");
        List<Core.Accumulate> intoX = accumulatesInto(g.reverse(), xBar);
        assertEquals(List.of("sine rule", "exponential rule"), rules(intoX));

        // each product share is a temporary adjoint, declared with the product rule's partial
        List<Core.Declare> shares = new ArrayList<>();
        forEachNode(g.reverse(), c -> {
            if (c instanceof Core.Declare d && d.origin() != null) {
                shares.add(d);
            }
        });
        assertEquals(2, shares.size(), () -> "product shares: " + shares);
        assertEquals("product rule", shares.get(0).origin().rule());
        assertEquals("d(a*b)/da = b", shares.get(0).origin().partial());
        assertEquals("product rule", shares.get(1).origin().rule());
        assertEquals("d(a*b)/db = a", shares.get(1).origin().partial());
        String first = g.symbols().name(shares.get(0).sym());
        String second = g.symbols().name(shares.get(1).sym());
        assertTrue(first.matches("t[0-9]+Bar") && second.matches("t[0-9]+Bar") && !first.equals(second),
                () -> "temporary adjoints " + first + ", " + second);
        // the sine's share reads the first temporary adjoint, the exponential's the second
        assertTrue(reads(intoX.get(0).term(), shares.get(0).sym()), () -> "sine share: " + intoX.get(0));
        assertTrue(reads(intoX.get(1).term(), shares.get(1).sym()), () -> "exponential share: " + intoX.get(1));
        // the exponential rule reads the function's value, which the forward sweep stored: exp and sin are not
        // called again (the product rule reads both), only the sine's derivative is
        assertFalse(callsFunction(intoX.get(1).term(), "exp"), () -> "exp recomputed: " + intoX.get(1));
        assertTrue(callsFunction(intoX.get(0).term(), "cos"), () -> "sine share: " + intoX.get(0));
        assertEquals(0, countCalls(g.reverse(), "exp"), "exp is stored by the forward sweep, not recomputed");
        assertEquals(0, countCalls(g.reverse(), "sin"), "sin is stored by the forward sweep, not recomputed");
        assertEquals(1, countCalls(g.forward(), "exp"), "the forward sweep evaluates exp once");
        assertFalse(g.usesTape(), "at the top level the stored values stay in the forward sweep's temporaries");

        for (double at : new double[] {-1.3, 0.0, 0.4, 2.5}) {
            CoreInterpreter run = CoreInterpreter.run(g, at);
            assertClose(Math.cos(at) * Math.exp(at) + Math.sin(at) * Math.exp(at), run.adjoint(g, x), at);
        }
    }

    @Test
    void aDeadLocalHasNoAdjointAndNoReverseWork() {
        Gradient g = gradient("dead");
        forEachNode(g.reverse(), c -> {
            for (Expr e : exprsOf(c)) {
                IrWalker.visit(e, n -> {
                    if (n instanceof Expr.Var v) {
                        assertFalse(v.sym().name().equals("u") || v.sym().name().startsWith("uBar"),
                                () -> "the reverse sweep mentions " + v.sym() + " in " + c);
                    }
                    assertFalse(n instanceof Expr.MathCall m && (m.fn().equals("sin") || m.fn().equals("exp")),
                            () -> "the reverse sweep computes " + n);
                });
            }
            if (c instanceof Core.Declare d) {
                assertFalse(d.sym().name().startsWith("u"), () -> "declares " + d.sym());
            }
            if (c instanceof Core.Note n && n.says() instanceof Core.Says.SourceOf s
                    && s.stmt() instanceof Core.Declare d) {
                assertFalse(d.sym().name().equals("u"), "undoes the dead statement");
            }
        });
        // y's share still arrives, by the power rule
        Sym x = param(g, 0);
        assertEquals(List.of("power rule"), rules(accumulatesInto(g.reverse(), g.adjoints().get(x))));
        assertFalse(g.usesTape());
        assertClose(2 * 1.7, CoreInterpreter.run(g, 1.7).adjoint(g, x), 1.7);
    }

    @Test
    void theTemporaryAdjointOfADenominatorIsNegatedSoThatItIsTheDerivative() {
        Gradient g = gradient("quotient");
        Core.Declare share = null;
        for (Core c : g.reverse().stmts()) {
            if (c instanceof Core.Declare d && d.origin() != null) {
                assertNull(share, "one temporary adjoint");
                share = d;
            }
        }
        assertNotNull(share, () -> "no temporary adjoint in " + g.reverse());
        assertEquals("quotient rule", share.origin().rule());
        assertEquals("d(a/b)/db = -a/b^2", share.origin().partial());
        assertEquals("t1Bar", g.symbols().name(share.sym()));
        Expr.Unary neg = assertInstanceOf(Expr.Unary.class, share.init(), "the share is negated in place");
        assertEquals(Expr.UnOp.NEG, neg.op());
        // and then added, not subtracted: the sign is in the temporary
        Sym x = param(g, 0);
        List<Core.Accumulate> intoX = accumulatesInto(g.reverse(), g.adjoints().get(x));
        assertEquals(List.of("power rule"), rules(intoX));
        assertFalse(intoX.get(0).subtract());

        for (double at : new double[] {-2.0, -0.3, 0.0, 0.8, 3.0}) {
            CoreInterpreter run = CoreInterpreter.run(g, at);
            double t1 = 1.0 + at * at;
            // t1Bar = d(result)/d(t1) = -1/t1^2, sign included
            assertClose(-1.0 / (t1 * t1), (Double) run.env.get(share.sym()), at);
            assertClose(-2.0 * at / (t1 * t1), run.adjoint(g, x), at);
        }
    }

    @Test
    void anArrayElementsAdjointIsAccumulatedInPlace() {
        Gradient g = gradient("weights");
        Sym w = param(g, 0);
        Sym x = param(g, 1);
        Sym wBar = g.adjoints().get(w);
        assertNotNull(wBar);
        List<Core.Accumulate> intoW = new ArrayList<>();
        // the loop's trips are independent (s += w[i] * w[i]): each is reversed in the forward sweep, right after it
        for (Core sweep : List.of(g.forward(), g.reverse())) {
            forEachNode(sweep, c -> {
                if (c instanceof Core.Accumulate a && a.adjoint() instanceof Expr.ArrayLoad al
                        && al.array() instanceof Expr.Var v && v.sym() == wBar) {
                    intoW.add(a);
                }
            });
        }
        assertEquals(List.of("power rule"), rules(intoW));
        double[] at = {0.5, -1.5, 2.0};
        CoreInterpreter run = CoreInterpreter.run(g, at, 0.75);
        double[] wGrad = (double[]) run.env.get(wBar);
        for (int i = 0; i < at.length; i++) {
            assertClose(2 * at[i] * 0.75, wGrad[i], at[i]);
        }
        assertClose(0.25 + 2.25 + 4.0, run.adjoint(g, x), 0.75);
    }

    // ---------------------------------------------------------------- loops

    @Test
    void anOverwrittenScalarInACountedLoopIsSavedAndRestoredAndTheLoopRunsBackwards() {
        Gradient g = gradient("overwritten");
        Core.For fwd = only(g.forward(), Core.For.class);
        assertEquals(1, fwd.step());
        List<Core> body = fwd.body().stmts();
        Core.Save save = assertInstanceOf(Core.Save.class, body.get(0), () -> "forward body: " + body);
        Sym s = assertInstanceOf(Expr.Var.class, save.value()).sym();
        assertEquals("s", s.name());
        Core.Assign assign = assertInstanceOf(Core.Assign.class, body.get(1));
        assertSame(s, ((Expr.Var) assign.target()).sym(), "the value is saved before it is overwritten");
        // a counted loop stores no trip count
        forEachNode(g.forward(), c -> assertFalse(c instanceof Core.Save sv && sv.value().type() == Ty.INT,
                () -> "a trip count is saved: " + c));

        Core.For rev = only(g.reverse(), Core.For.class);
        assertEquals(-1, rev.step());
        assertSame(fwd.index(), rev.index());
        assertEquals(Expr.BinOp.GE, rev.cmp());
        Expr.Binary last = assertInstanceOf(Expr.Binary.class, rev.from(), "from n - 1");
        assertEquals(Expr.BinOp.SUB, last.op());
        assertSame(param(g, 1), ((Expr.Var) last.left()).sym());
        assertEquals("1", ((Expr.Lit) last.right()).text());
        assertEquals("0", ((Expr.Lit) rev.bound()).text());
        List<Core> back = withoutNotes(rev.body());
        Core.Restore restore = assertInstanceOf(Core.Restore.class, back.get(0), () -> "reverse body: " + back);
        assertSame(s, ((Expr.Var) restore.target()).sym());
        assertFalse(restore.declare(), "s is a top-level local, in scope");
        Core.Assign scale = assertInstanceOf(Core.Assign.class, back.get(1), "the adjoint is scaled in place");
        assertEquals("sine rule", scale.origin().rule());
        assertTrue(g.usesTape());

        Sym x = param(g, 0);
        for (int n = 0; n <= 3; n++) {
            double at = 0.9;
            CoreInterpreter run = CoreInterpreter.run(g, at, n);
            double v = at;
            double d = 1;
            for (int k = 0; k < n; k++) {
                d *= Math.cos(v);
                v = Math.sin(v);
            }
            assertClose(d, run.adjoint(g, x), n);
        }
    }

    @Test
    void aWhileLoopCountsItsTripsAndTheReverseRunsThemBack() {
        Gradient g = gradient("doubling");
        List<Core> fwd = g.forward().stmts();
        int at = indexOf(fwd, Core.While.class);
        Core.Declare trips = assertInstanceOf(Core.Declare.class, fwd.get(at - 1), () -> "forward: " + fwd);
        assertEquals(Ty.INT, trips.sym().type());
        assertEquals("0", ((Expr.Lit) trips.init()).text());
        Core.While loop = (Core.While) fwd.get(at);
        Core.Assign count = assertInstanceOf(Core.Assign.class, loop.body().stmts().get(0));
        assertSame(trips.sym(), ((Expr.Var) count.target()).sym());
        Expr.Binary plus = assertInstanceOf(Expr.Binary.class, count.value());
        assertEquals(Expr.BinOp.ADD, plus.op());
        Core.Save save = assertInstanceOf(Core.Save.class, fwd.get(at + 1), "the count is saved after the loop");
        assertSame(trips.sym(), ((Expr.Var) save.value()).sym());

        Core.For rev = only(g.reverse(), Core.For.class);
        Expr.Pop pop = assertInstanceOf(Expr.Pop.class, rev.from(), "the reverse runs the saved number of trips");
        assertEquals(Ty.INT, pop.type());
        assertEquals(Expr.BinOp.GT, rev.cmp());
        assertEquals("0", ((Expr.Lit) rev.bound()).text());
        assertEquals(-1, rev.step());

        Sym x = param(g, 0);
        for (double x0 : new double[] {0.3, 1.1, 4.0, 9.0, 12.0}) {
            int k = 0;
            for (double v = x0; v < 10.0; v *= 2.0) {
                k++;
            }
            assertClose(Math.pow(2, k), CoreInterpreter.run(g, x0).adjoint(g, x), x0);
        }
    }

    @Test
    void aWhileLoopWhoseTestAssignsUndoesOneMoreTestThanBody() {
        Gradient g = gradient("testedByAssignment");
        List<Core> rev = g.reverse().stmts();
        int at = indexOf(rev, Core.While.class);
        Core.Declare left = assertInstanceOf(Core.Declare.class, rev.get(at - 1), () -> "reverse: " + rev);
        assertInstanceOf(Expr.Pop.class, left.init());
        Core.While back = (Core.While) rev.get(at);
        assertTrue(back.testFirst());
        assertFalse(back.preCond().stmts().isEmpty(), "the test's own reverse runs before the count is tested");
        assertEquals(List.of("product rule"), rules(accumulatesOrScalings(back.preCond())));

        Sym x = param(g, 0);
        checkAgainstFiniteDifferences(g, x0 -> CoreInterpreter.value(g, x0),
                x0 -> CoreInterpreter.run(g, x0).adjoint(g, x), new double[] {0.2, 1.0, 3.3, 7.5, 12.0});
    }

    @Test
    void aDoLoopCountsItsTripsAndRestoresEachTripsValue() {
        Gradient g = gradient("doLoop");
        Core.While loop = only(g.forward(), Core.While.class);
        assertFalse(loop.testFirst());
        Core.For rev = only(g.reverse(), Core.For.class);
        assertInstanceOf(Expr.Pop.class, rev.from());
        assertInstanceOf(Core.Restore.class, withoutNotes(rev.body()).get(0));
        Sym x = param(g, 0);
        checkAgainstFiniteDifferences(g, x0 -> CoreInterpreter.value(g, x0),
                x0 -> CoreInterpreter.run(g, x0).adjoint(g, x), new double[] {0.1, 0.7, 2.2, 4.0, 6.0});
    }

    // ---------------------------------------------------------------- branches

    @Test
    void anIfWithWorkOnBothSidesRecordsTheBranchTaken() {
        Gradient g = gradient("branch");
        Core.If fwd = only(g.forward(), Core.If.class);
        assertSavesLiteral(fwd.then(), "true", Ty.BOOLEAN);
        assertSavesLiteral(fwd.otherwise(), "false", Ty.BOOLEAN);
        Core.If rev = only(g.reverse(), Core.If.class);
        Expr.Pop pop = assertInstanceOf(Expr.Pop.class, rev.cond());
        assertEquals(Ty.BOOLEAN, pop.type());
        Sym xBar = g.adjoints().get(param(g, 0));
        assertEquals(List.of("sine rule"), rules(accumulatesInto(rev.then(), xBar)));
        assertEquals(List.of("cosine rule"), rules(accumulatesInto(rev.otherwise(), xBar)));
        assertTrue(accumulatesInto(rev.otherwise(), xBar).get(0).subtract(), "-sin(x) is subtracted");

        Sym x = param(g, 0);
        assertClose(Math.cos(0.6), CoreInterpreter.run(g, 0.6).adjoint(g, x), 0.6);
        assertClose(Math.sin(0.6), CoreInterpreter.run(g, -0.6).adjoint(g, x), -0.6);
    }

    @Test
    void anIfWithoutElseStillRecordsTheBranch() {
        Gradient g = gradient("oneSided");
        Core.If fwd = only(g.forward(), Core.If.class);
        assertSavesLiteral(fwd.then(), "true", Ty.BOOLEAN);
        assertEquals(1, fwd.otherwise().stmts().size(), () -> "else: " + fwd.otherwise());
        assertSavesLiteral(fwd.otherwise(), "false", Ty.BOOLEAN);
        Core.If rev = only(g.reverse(), Core.If.class);
        assertInstanceOf(Expr.Pop.class, rev.cond());
        assertTrue(rev.otherwise().stmts().isEmpty());
        Sym x = param(g, 0);
        assertClose(Math.cos(0.6), CoreInterpreter.run(g, 0.6).adjoint(g, x), 0.6);
        assertClose(1.0, CoreInterpreter.run(g, -0.6).adjoint(g, x), -0.6);
    }

    @Test
    void aBranchThatThrowsIsNotRecorded() {
        Gradient g = gradient("throwing");
        forEachNode(g.forward(), c -> assertFalse(c instanceof Core.Save, () -> "saves: " + c));
        assertFalse(g.usesTape());
        forEachNode(g.reverse(), c -> assertFalse(c instanceof Core.If, "the reverse takes the only way through"));
        Sym x = param(g, 0);
        assertEquals(List.of("sine rule"), rules(accumulatesInto(g.reverse(), g.adjoints().get(x))));
        assertClose(Math.cos(0.6), CoreInterpreter.run(g, 0.6).adjoint(g, x), 0.6);
        try {
            CoreInterpreter.run(g, -1.0);
            fail("the forward sweep throws for x <= 0");
        } catch (CoreInterpreter.Thrown expected) {
            assertTrue(expected.getMessage().contains("IllegalArgumentException"), expected.getMessage());
        }
    }

    @Test
    void anElseIfChainRecordsTheArmAndTheReverseIsASwitch() {
        Gradient g = gradient("chain");
        List<Core> fwd = g.forward().stmts();
        Core.If first = (Core.If) fwd.get(indexOf(fwd, Core.If.class));
        assertSavesLiteral(first.then(), "0", Ty.INT);
        Core.If second = assertInstanceOf(Core.If.class, first.otherwise().stmts().get(0), "a flat chain");
        assertEquals(1, first.otherwise().stmts().size());
        assertSavesLiteral(second.then(), "1", Ty.INT);
        assertSavesLiteral(second.otherwise(), "2", Ty.INT);

        Core.Switch sw = only(g.reverse(), Core.Switch.class);
        Expr.Pop pop = assertInstanceOf(Expr.Pop.class, sw.selector());
        assertEquals(Ty.INT, pop.type());
        assertEquals(3, sw.cases().size());
        Sym x = param(g, 0);
        Sym xBar = g.adjoints().get(x);
        assertEquals(List.of("sine rule"), rules(accumulatesInto(sw.cases().get(0), xBar)));
        assertEquals(List.of("cosine rule"), rules(accumulatesInto(sw.cases().get(1), xBar)));
        assertEquals(List.of("power rule"), rules(accumulatesInto(sw.cases().get(2), xBar)));
        forEachNode(g.reverse(), c -> assertFalse(c instanceof Core.If, "no if in the reverse: " + c));

        assertClose(Math.cos(1.5), CoreInterpreter.run(g, 1.5).adjoint(g, x), 1.5);
        assertClose(-Math.sin(0.5), CoreInterpreter.run(g, 0.5).adjoint(g, x), 0.5);
        assertClose(-1.0, CoreInterpreter.run(g, -0.5).adjoint(g, x), -0.5);
    }

    // ---------------------------------------------------------------- every method

    @Test
    void everyAccumulateNamesItsRuleAndNoHoleOrStrayTapeNodeIsLeft() {
        gradient("product");
        int accumulates = 0;
        for (Map.Entry<String, Gradient> e : parsed.gradients().entrySet()) {
            Gradient g = e.getValue();
            String m = e.getKey();
            int[] n = {0};
            // the reverse sweep, and the reverses of trips that the forward sweep runs right after them
            List<Core> reverses = new ArrayList<>(List.of(g.reverse()));
            Core forward = withoutTripReverses(g.forward(), reverses);
            for (Core r : reverses) {
                forEachNode(r, c -> {
                    if (c instanceof Core.Accumulate a) {
                        n[0]++;
                        assertNotNull(a.origin(), () -> m + ": an accumulate without its rule: " + a);
                        assertFalse(a.origin().rule().isEmpty() || a.origin().partial().isEmpty(), m);
                    }
                    assertFalse(c instanceof Core.Save, () -> m + ": the reverse sweep saves: " + c);
                    noHoles(m, c);
                });
            }
            accumulates += n[0];
            forEachNode(forward, c -> {
                assertFalse(c instanceof Core.Restore || c instanceof Core.Accumulate || c instanceof Core.Zero
                        || c instanceof Core.Switch, () -> m + ": the forward sweep has " + c);
                for (Expr x : exprsOf(c)) {
                    IrWalker.visit(x, y -> assertFalse(y instanceof Expr.Pop, () -> m + ": a pop in the forward: "
                            + c));
                }
                noHoles(m, c);
            });
            // a derivative uses the tape exactly when it saves
            boolean[] saves = {false};
            forEachNode(g.forward(), c -> saves[0] |= c instanceof Core.Save);
            assertEquals(saves[0], g.usesTape(), m);
        }
        assertTrue(accumulates >= 20, "the corpus accumulates: " + accumulates);
    }

    @Test
    void everyScalarGradientAgreesWithFiniteDifferencesOfTheForwardSweep() {
        RandomPoints points = RandomPoints.seeded(7);
        int compared = 0;
        for (String m : List.of("product", "dead", "quotient", "branch", "oneSided", "chain", "doubling", "doLoop",
                "testedByAssignment")) {
            Gradient g = gradient(m);
            Sym x = param(g, 0);
            // the loops end for a positive x only
            boolean loops = m.equals("doubling") || m.equals("doLoop") || m.equals("testedByAssignment");
            double[] at = new double[8];
            for (int k = 0; k < at.length; k++) {
                at[k] = loops ? points.uniform(0.1, 9.0) : points.uniformAwayFrom(-3.0, 3.0, 0.05, 0.0, 1.0);
            }
            compared += checkAgainstFiniteDifferences(g, x0 -> CoreInterpreter.value(g, x0),
                    x0 -> CoreInterpreter.run(g, x0).adjoint(g, x), at);
        }
        assertTrue(compared >= 50, "reliable comparisons: " + compared);
    }

    // ---------------------------------------------------------------- helpers

    /** @return how many points were compared (those where the finite difference is reliable) */
    private static int checkAgainstFiniteDifferences(Gradient g, DoubleUnaryOperator value,
            DoubleUnaryOperator adjoint, double[] at) {
        int compared = 0;
        for (double x0 : at) {
            FiniteDifferences.Estimate fd = FiniteDifferences.derivative(value, x0);
            if (!fd.reliable(1e-6)) {
                continue; // near a jump of the loop count
            }
            double ad = adjoint.applyAsDouble(x0);
            assertTrue(FiniteDifferences.close(fd.value(), ad, 1e-6), () -> g.request().method().name() + " at "
                    + x0 + ": reverse " + ad + ", finite differences " + fd);
            compared++;
        }
        assertTrue(compared > 0, "no reliable point");
        return compared;
    }

    private static void assertClose(double expected, double actual, Object at) {
        assertTrue(FiniteDifferences.close(expected, actual, 1e-12), () -> "at " + at + ": expected " + expected
                + ", got " + actual);
    }

    private static void assertSavesLiteral(Core.Block b, String text, Ty type) {
        Core last = b.stmts().get(b.stmts().size() - 1);
        Core.Save save = assertInstanceOf(Core.Save.class, last, () -> "the block ends with " + last);
        Expr.Lit lit = assertInstanceOf(Expr.Lit.class, save.value());
        assertEquals(text, lit.text());
        assertEquals(type, lit.type());
    }

    private static void noHoles(String method, Core c) {
        for (Expr e : exprsOf(c)) {
            IrWalker.visit(e, x -> assertFalse(x instanceof Expr.Hole, () -> method + ": a hole in " + c));
        }
    }

    private static Sym param(Gradient g, int k) {
        return g.request().method().params().get(k);
    }

    private static List<String> rules(List<? extends Core> nodes) {
        List<String> out = new ArrayList<>();
        for (Core c : nodes) {
            if (c instanceof Core.Accumulate a) {
                out.add(a.origin().rule());
            } else if (c instanceof Core.Assign a) {
                out.add(a.origin().rule());
            }
        }
        return out;
    }

    private static List<Core.Accumulate> accumulatesInto(Core.Block b, Sym adjoint) {
        List<Core.Accumulate> out = new ArrayList<>();
        forEachNode(b, c -> {
            if (c instanceof Core.Accumulate a && a.adjoint() instanceof Expr.Var v && v.sym() == adjoint) {
                out.add(a);
            }
        });
        return out;
    }

    /** The accumulates and the in-place scalings of adjoints (an assign with a rule). */
    private static List<Core> accumulatesOrScalings(Core.Block b) {
        List<Core> out = new ArrayList<>();
        forEachNode(b, c -> {
            if (c instanceof Core.Accumulate || c instanceof Core.Assign a && a.origin() != null) {
                out.add(c);
            }
        });
        return out;
    }

    private static <T extends Core> T only(Core.Block b, Class<T> kind) {
        List<T> found = new ArrayList<>();
        forEachNode(b, c -> {
            if (kind.isInstance(c)) {
                found.add(kind.cast(c));
            }
        });
        assertEquals(1, found.size(), () -> "one " + kind.getSimpleName() + " in " + b);
        return found.get(0);
    }

    private static int indexOf(List<Core> stmts, Class<? extends Core> kind) {
        for (int i = 0; i < stmts.size(); i++) {
            if (kind.isInstance(stmts.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no " + kind.getSimpleName() + " in " + stmts);
    }

    private static List<Core> withoutNotes(Core.Block b) {
        List<Core> out = new ArrayList<>();
        for (Core c : b.stmts()) {
            if (!(c instanceof Core.Note)) {
                out.add(c);
            }
        }
        return out;
    }

    private static boolean reads(Expr e, Sym s) {
        boolean[] found = {false};
        IrWalker.visit(e, x -> found[0] |= x instanceof Expr.Var v && v.sym() == s);
        return found[0];
    }

    private static boolean callsFunction(Expr e, String fn) {
        boolean[] found = {false};
        IrWalker.visit(e, x -> found[0] |= x instanceof Expr.MathCall m && m.fn().equals(fn));
        return found[0];
    }

    private static int countCalls(Core.Block b, String fn) {
        int[] n = {0};
        forEachNode(b, c -> {
            for (Expr e : exprsOf(c)) {
                IrWalker.visit(e, x -> n[0] += x instanceof Expr.MathCall m && m.fn().equals(fn) ? 1 : 0);
            }
        });
        return n[0];
    }

    /** Every statement of a derivative's IR, parents first, into the cases of switches (not into notes). */
    /**
     * @return {@code c} without the blocks that reverse a trip right after it runs (each follows a
     *     {@link Core.Says.TripReversed} note), which go into {@code reverses}
     */
    static Core withoutTripReverses(Core c, List<Core> reverses) {
        if (c instanceof Core.Block b) {
            List<Core> kept = new ArrayList<>();
            boolean next = false;
            for (Core s : b.stmts()) {
                if (next) {
                    reverses.add(s);
                } else {
                    kept.add(withoutTripReverses(s, reverses));
                }
                next = s instanceof Core.Note note && note.says() instanceof Core.Says.TripReversed;
            }
            return new Core.Block(kept, b.pos());
        } else if (c instanceof Core.For f) {
            return new Core.For(f.index(), f.from(), f.cmp(), f.bound(), f.step(),
                    (Core.Block) withoutTripReverses(f.body(), reverses), f.pos());
        }
        return c;
    }

    static void forEachNode(Core c, Consumer<Core> action) {
        action.accept(c);
        if (c instanceof Core.Block b) {
            b.stmts().forEach(s -> forEachNode(s, action));
        } else if (c instanceof Core.If i) {
            forEachNode(i.then(), action);
            forEachNode(i.otherwise(), action);
        } else if (c instanceof Core.For f) {
            forEachNode(f.body(), action);
        } else if (c instanceof Core.While w) {
            forEachNode(w.preCond(), action);
            forEachNode(w.body(), action);
            forEachNode(w.update(), action);
        } else if (c instanceof Core.Switch s) {
            s.cases().forEach(k -> forEachNode(k, action));
        }
    }

    /** The expressions a statement holds itself (not those of nested statements). */
    static List<Expr> exprsOf(Core c) {
        if (c instanceof Core.Declare d) {
            return List.of(d.init());
        } else if (c instanceof Core.Assign a) {
            return List.of(a.target(), a.value());
        } else if (c instanceof Core.Eval e) {
            return List.of(e.call());
        } else if (c instanceof Core.If i) {
            return List.of(i.cond());
        } else if (c instanceof Core.For f) {
            return List.of(f.from(), f.bound());
        } else if (c instanceof Core.While w) {
            return List.of(w.cond());
        } else if (c instanceof Core.Save s) {
            return List.of(s.value());
        } else if (c instanceof Core.Restore r) {
            return List.of(r.target());
        } else if (c instanceof Core.Accumulate a) {
            return List.of(a.adjoint(), a.term());
        } else if (c instanceof Core.Zero z) {
            return List.of(z.adjoint());
        } else if (c instanceof Core.Switch s) {
            return List.of(s.selector());
        } else if (c instanceof Core.Note n && n.says() instanceof Core.Says.Unchanged u) {
            return List.of(u.adjoint());
        }
        return List.of();
    }
}
