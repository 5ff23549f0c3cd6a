package dev.adjoint.processor.stages;

import static dev.adjoint.processor.stages.Stages.analyse;
import static dev.adjoint.processor.stages.Stages.assignment;
import static dev.adjoint.processor.stages.Stages.one;
import static dev.adjoint.processor.stages.Stages.parse;
import static dev.adjoint.processor.stages.Stages.sym;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.processor.analysis.PointsTo;
import dev.adjoint.processor.diagnostics.DiagnosticId;
import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Pos;
import dev.adjoint.processor.ir.Sym;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Points-to analysis alone: which arrays each array expression may be, statement by statement. */
class PointsToStageTest {

    /** A buffer swap: {@code h} starts as the parameter's array and is rebound to a fresh one every trip. */
    private static final String SWAP = "@Differentiable static double f(double[] h0, int n) {"
            + " double[] h = h0; double s0 = h[0];"
            + " for (int k = 0; k < n; k++) {"
            + "   double[] next = new double[h.length];"
            + "   for (int j = 0; j < h.length; j++) { next[j] = 2.0 * h[j]; }"
            + "   h = next; }"
            + " return h[0] + s0; }";

    /** @return the abstract arrays of a set, by where they come from: {@code PARAM h0}, {@code NEW}, ... */
    private static Set<String> where(PointsTo p, BitSet locs) {
        Set<String> out = new TreeSet<>();
        for (int l = locs.nextSetBit(0); l >= 0; l = locs.nextSetBit(l + 1)) {
            PointsTo.Loc loc = p.locations().get(l);
            out.add(loc.origin() + (loc.param() == null ? "" : " " + loc.param().name()));
        }
        return out;
    }

    private static Expr var(Sym s) {
        return new Expr.Var(s, Pos.NONE);
    }

    @Test
    void aVariableReboundInALoopHoldsWhatItHeldBeforeAndWhatTheBodyLeaves() {
        Stages.Analysed a = analyse(parse(SWAP));
        PointsTo p = a.activity().pointsTo();
        Sym h = sym(a, "h");
        Sym h0 = sym(a, "h0");
        Sym next = sym(a, "next");
        // before the loop: only the parameter's array (a strong update, not everything h is ever given)
        Core.Declare s0 = one(a.body(), Core.Declare.class, d -> d.sym().name().equals("s0"));
        assertEquals(Set.of("PARAM h0"), where(p, p.objects(var(h), s0)));
        // in the loop, and after it: the parameter's array or the last trip's allocation
        Core.Assign write = assignment(a.body(), "next[j] = 2.0 * h[j]");
        assertEquals(Set.of("NEW", "PARAM h0"), where(p, p.objects(var(h), write)));
        Core.Declare result = one(a.body(), Core.Declare.class, d -> d.sym() == a.lowered().result());
        assertEquals(Set.of("NEW", "PARAM h0"), where(p, p.objects(var(h), result)));
        // next only ever holds the allocation; h0 only the parameter's own array
        assertEquals(Set.of("NEW"), where(p, p.objects(var(next), write)));
        assertEquals(Set.of("NEW"), where(p, p.everHeld(next)));
        assertEquals(Set.of("PARAM h0"), where(p, p.everHeld(h0)));
        assertEquals(Set.of("NEW", "PARAM h0"), where(p, p.everHeld(h)));
        // so the write into next is never a write into the parameter's array
        assertFalse(p.mayAlias(var(next), var(h0), write));
        assertTrue(p.mayAlias(var(h), var(h0), write));
    }

    @Test
    void theSwapWritesNoParameterArrayAndEverythingOnThePathIsActive() {
        Stages.Analysed a = analyse(parse(SWAP));
        assertEquals(List.of(), a.errors());
        assertTrue(a.activity().isActive(sym(a, "h")));
        assertTrue(a.activity().isActive(sym(a, "next")));
        assertTrue(a.activity().isActive(sym(a, "h0")));
    }

    @Test
    void aWriteThroughAnAliasOfTheParameterIsReported() {
        Stages.Analysed a = analyse(parse("@Differentiable static double f(double[] h0, double x) {"
                + " double[] h = h0; h[0] = x; return h[0] * h0[1]; }"));
        assertEquals(List.of(DiagnosticId.ADJ010), a.errors().stream().map(Stages.Reported::id).toList());
        assertTrue(a.errors().get(0).detail().contains("belongs to parameter 'h0'"), a.errors().get(0).detail());
    }

    @Test
    void theRowsOfAMatrixParameterAreItsRowsLocation() {
        Stages.Analysed a = analyse(parse("@Differentiable static double f(double[][] m) {"
                + " double[] r = m[0]; double[] own = new double[2]; own[0] = r[0]; return own[0] + r[1]; }"));
        PointsTo p = a.activity().pointsTo();
        Core.Assign write = assignment(a.body(), "own[0] = r[0]");
        assertEquals(Set.of("PARAM_ROWS m"), where(p, p.objects(var(sym(a, "r")), write)));
        assertEquals(Set.of("NEW"), where(p, p.objects(var(sym(a, "own")), write)));
        assertEquals(Set.of("PARAM m", "PARAM_ROWS m"), where(p, p.reachableObjects(var(sym(a, "m")), write)));
        assertEquals(List.of(), a.errors());
    }

    @Test
    void branchesJoin() {
        Stages.Analysed a = analyse(parse("@Differentiable static double f(double[] u, double[] v, double x) {"
                + " double[] w = u; if (x > 0) { w = v; } double y = w[0] * x; return y; }"));
        PointsTo p = a.activity().pointsTo();
        Core.Declare y = one(a.body(), Core.Declare.class, d -> d.sym().name().equals("y"));
        assertEquals(Set.of("PARAM u", "PARAM v"), where(p, p.objects(var(sym(a, "w")), y)));
        // and the locations of u and v stay apart
        assertFalse(p.mayAlias(var(sym(a, "u")), var(sym(a, "v")), y));
    }
}
