package dev.adjoint.processor.stages;

import static dev.adjoint.processor.stages.Stages.analyse;
import static dev.adjoint.processor.stages.Stages.one;
import static dev.adjoint.processor.stages.Stages.parse;
import static dev.adjoint.processor.stages.Stages.sym;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.processor.Pipeline;
import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.diagnostics.DiagnosticId;
import dev.adjoint.processor.diagnostics.Diagnostics;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.DerivativeRequest;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.MethodIR;
import dev.adjoint.processor.ir.Pos;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.Ty;
import dev.adjoint.processor.rules.Registry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Activity analysis alone, and its checks, on parsed and hand-built IR. */
class ActivityStageTest {

    @Test
    void anUnusedValueOfTheParameterIsVariedButNotActive() {
        Stages.Analysed a = analyse(parse("@Differentiable static double f(double x) {"
                + " double u = Math.sin(x) * Math.exp(x); return x * 2.0; }"));
        Sym u = sym(a, "u");
        Core.Declare du = one(a.body(), Core.Declare.class, d -> d.sym() == u);
        // its value depends on x (varied), but nothing the result depends on reads u (not useful)
        assertTrue(a.activity().isActive(du.init()));
        assertFalse(a.activity().isActive(u));
        assertTrue(a.activity().isActive(sym(a, "x")));
        assertTrue(a.activity().isActive(a.lowered().result()));
        assertEquals(List.of(), a.errors());
    }

    @Test
    void theSameValueIsActiveOnceTheResultReadsIt() {
        Stages.Analysed a = analyse(parse("@Differentiable static double f(double x) {"
                + " double u = Math.sin(x) * Math.exp(x); return u; }"));
        assertTrue(a.activity().isActive(sym(a, "u")));
    }

    @Test
    void aPiecewiseConstantFunctionStopsActivity() {
        Stages.Analysed a = analyse(parse("@Differentiable static double f(double x) {"
                + " double u = Math.floor(x); double v = Math.abs(x); return u * x + v; }"));
        Core.Declare du = one(a.body(), Core.Declare.class, d -> d.sym().name().equals("u"));
        Core.Declare dv = one(a.body(), Core.Declare.class, d -> d.sym().name().equals("v"));
        assertFalse(a.activity().isActive(du.init()));
        assertFalse(a.activity().isActive(sym(a, "u")));
        assertTrue(a.activity().isActive(dv.init()));
        assertTrue(a.activity().isActive(sym(a, "v")));
    }

    @Test
    void integersAndConditionsAreNeverActive() {
        Stages.Analysed a = analyse(parse("@Differentiable static double f(double x, int n) {"
                + " int k = (int) x; boolean b = x > 0; double y = b ? x : 0.0; return y + k; }"));
        assertFalse(a.activity().isActive(sym(a, "k")));
        assertFalse(a.activity().isActive(sym(a, "b")));
        assertTrue(a.activity().isActive(sym(a, "y")));
    }

    @Test
    void aCallWithAnActiveArgumentIsReported() {
        Stages.Analysed a = analyse(parse("static double g(double v) { return v; }\n"
                + "@Differentiable static double f(double x) { double c = g(2.0); double y = g(x); return y + c; }"));
        assertEquals(1, a.errors().size(), a.errors()::toString);
        assertEquals(DiagnosticId.ADJ008, a.errors().get(0).id());
        assertTrue(a.errors().get(0).detail().startsWith("g(...)"), a.errors().get(0).detail());
    }

    // ------------------------------------------------------------------ a function without a rule (ADJ022)

    private static final Pos P = Pos.NONE;
    /** An overload the registry does not have: the parser would resolve Math.sin of a long to sin(double). */
    private static final Callee SIN_OF_LONG = new Callee("java.lang.Math", "sin", List.of(Ty.LONG), Ty.DOUBLE);

    private static final Sym X = new Sym(0, "x", Ty.DOUBLE, 0);
    private static final Sym Y = new Sym(1, "y", Ty.DOUBLE, -1);
    private static final Sym RESULT = new Sym(2, "result", Ty.DOUBLE, -1);

    /** {@code double y = call; double result = y * x;} */
    private static Core.Block body(Expr call) {
        return new Core.Block(List.of(
                new Core.Declare(Y, call, P),
                new Core.Declare(RESULT, new Expr.Binary(Expr.BinOp.MUL, new Expr.Var(Y, P), new Expr.Var(X, P),
                        Ty.DOUBLE, P), P)), P);
    }

    private static Stages.Collected check(Core.Block body) {
        Stages.Collected diags = new Stages.Collected();
        Activity.analyse(body, List.of(X), List.of(X), RESULT, diags);
        return diags;
    }

    @Test
    void aFunctionWithoutARuleAndAnActiveArgumentIsReportedAtTheCall() {
        assertNull(Registry.BUILTINS.lookup(SIN_OF_LONG));
        Pos at = new Pos("the call's tree");
        Stages.Collected diags = check(body(new Expr.MathCall(SIN_OF_LONG, List.of(new Expr.Var(X, P)), at)));
        assertEquals(1, diags.errors.size(), diags.errors::toString);
        Stages.Reported r = diags.errors.get(0);
        assertEquals(DiagnosticId.ADJ022, r.id());
        assertSame(at, r.pos());
        assertEquals("Math.sin(long) has no derivative rule in Adjoint", r.detail());
        assertTrue(r.wayOut().startsWith("rewrite it with arithmetic and the supported functions; the supported "
                + "functions of Math and StrictMath are "), r.wayOut());
        assertTrue(r.wayOut().contains("sin"), r.wayOut());
    }

    @Test
    void aFunctionWithoutARuleIsReportedInsideAnExpressionToo() {
        Pos at = new Pos("the inner call");
        Expr inner = new Expr.MathCall(SIN_OF_LONG, List.of(new Expr.Var(X, P)), at);
        Callee exp = new Callee("java.lang.Math", "exp", List.of(Ty.DOUBLE), Ty.DOUBLE);
        Stages.Collected diags = check(body(new Expr.MathCall(exp, List.of(inner), P)));
        assertEquals(List.of(DiagnosticId.ADJ022), diags.errors.stream().map(Stages.Reported::id).toList());
        assertSame(at, diags.errors.get(0).pos());
    }

    @Test
    void aFunctionWithoutARuleIsFineWhenNoArgumentIsActive() {
        Stages.Collected diags = check(body(new Expr.MathCall(SIN_OF_LONG, List.of(new Expr.Lit("3L", Ty.LONG, P)),
                P)));
        assertEquals(List.of(), diags.errors);
    }

    @Test
    void aRegisteredFunctionWithAnActiveArgumentIsFine() {
        Callee sin = new Callee("java.lang.Math", "sin", List.of(Ty.DOUBLE), Ty.DOUBLE);
        assertTrue(Registry.BUILTINS.lookup(sin).differentiable());
        Stages.Collected diags = check(body(new Expr.MathCall(sin, List.of(new Expr.Var(X, P)), P)));
        assertEquals(List.of(), diags.errors);
    }

    @Test
    void thePipelineStopsAtTheDiagnosticInsteadOfFailingInTheTransform() {
        Pos at = new Pos("the call's tree");
        Sym x = new Sym(0, "x", Ty.DOUBLE, 0);
        Stmt.Block stmts = new Stmt.Block(List.of(new Stmt.Return(new Expr.Binary(Expr.BinOp.MUL,
                new Expr.MathCall(SIN_OF_LONG, List.of(new Expr.Var(x, P)), at), new Expr.Var(x, P), Ty.DOUBLE, P),
                P)), P);
        MethodIR method = new MethodIR("f", List.of(x), List.of(x), Ty.DOUBLE, stmts, "p.S", P);
        Stages.Collected diags = new Stages.Collected();
        assertNull(Pipeline.differentiate(DerivativeRequest.gradient(method), diags));
        assertEquals(List.of(DiagnosticId.ADJ022), diags.errors.stream().map(Stages.Reported::id).toList());
        assertSame(at, diags.errors.get(0).pos());
    }

    // ------------------------------------------------------------------ kinds a lowered value never holds

    @Test
    void theActivityOfAnAssignmentInsideAValueIsAnError() {
        Core.Block body = body(new Expr.Var(X, P));
        Activity activity = Activity.analyse(body, List.of(X), List.of(X), RESULT, Diagnostics.NONE);
        Expr assign = new Expr.Assign(new Expr.Var(Y, P), Expr.AssignOp.SET, new Expr.Var(X, P), P);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> activity.isActive(assign));
        assertTrue(e.getMessage().contains("Assign"), e.getMessage());
        IllegalStateException pop = assertThrows(IllegalStateException.class,
                () -> activity.isActive(new Expr.Pop(Ty.DOUBLE, P)));
        assertTrue(pop.getMessage().contains("Pop"), pop.getMessage());
    }
}
