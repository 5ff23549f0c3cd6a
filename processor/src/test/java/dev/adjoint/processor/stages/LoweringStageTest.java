package dev.adjoint.processor.stages;

import static dev.adjoint.processor.stages.Stages.all;
import static dev.adjoint.processor.stages.Stages.one;
import static dev.adjoint.processor.stages.Stages.parse;
import static dev.adjoint.processor.stages.Stages.show;
import static dev.adjoint.processor.stages.Stages.showStmts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.MethodIR;
import dev.adjoint.processor.ir.Pos;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.Ty;
import dev.adjoint.processor.lower.Lowering;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lowering stage alone: a parsed (or hand-built) method in, Core IR out. */
class LoweringStageTest {

    private static Lowering.Lowered lower(String members) {
        return Lowering.lower(parse(members));
    }

    @Test
    void postIncrementInAnIndexIsEvaluatedBeforeTheWriteAndTheValue() {
        // Java evaluates the array, then the index (i++ yields the old i and increments), then the value (which
        // sees the new i), then stores
        Lowering.Lowered l = lower("@Differentiable static double f(double x, int i) {"
                + " double[] a = new double[3]; a[i++] = x + i; return a[0]; }");
        assertEquals(List.of(
                "double[] a = new double[3]",
                "int old = i",
                "i = i + 1",
                "a[old] = x + i",
                "double result = a[0]"), showStmts(l.body()));
    }

    @Test
    void anIndexIsCapturedBeforeAValueWithSideEffects() {
        // a[i] = i++ stores the old i at the old index: the array and the index are fixed before the value runs
        Lowering.Lowered l = lower("@Differentiable static double f(double x, int i) {"
                + " double[] a = new double[3]; a[i] = i++; return a[0] * x; }");
        assertEquals(List.of(
                "double[] a = new double[3]",
                "double[] tmp = a",
                "int tmp_ = i",
                "int old = i",
                "i = i + 1",
                "tmp[tmp_] = (double) old",
                "double result = a[0] * x"), showStmts(l.body()));
    }

    @Test
    void aCountedForBecomesCoreFor() {
        Lowering.Lowered l = lower("@Differentiable static double f(double x, int n) {"
                + " double s = 0; for (int k = 0; k < n; k++) s += x; return s; }");
        Core.For loop = one(l.body(), Core.For.class, f -> true);
        assertEquals("k", loop.index().name());
        assertEquals(Ty.INT, loop.index().type());
        assertEquals("0", Stages.show(loop.from()));
        assertEquals(Expr.BinOp.LT, loop.cmp());
        assertEquals("n", Stages.show(loop.bound()));
        assertEquals(1, loop.step());
        assertEquals(List.of("s = s + x"), showStmts(loop.body()));
        assertEquals(List.of(), all(l.body(), c -> c instanceof Core.While));
    }

    @Test
    void aDecrementingForWithTheIndexOnTheRightIsCountedToo() {
        Lowering.Lowered l = lower("@Differentiable static double f(double x, int n) {"
                + " double s = 0; for (int k = n; 0 <= k; k--) s += x; return s; }");
        Core.For loop = one(l.body(), Core.For.class, f -> true);
        assertEquals(Expr.BinOp.GE, loop.cmp()); // 0 <= k is k >= 0
        assertEquals("0", Stages.show(loop.bound()));
        assertEquals("n", Stages.show(loop.from()));
        assertEquals(-1, loop.step());
    }

    @Test
    void aForWhoseBodyAssignsTheBoundBecomesCoreWhile() {
        Lowering.Lowered l = lower("@Differentiable static double f(double x, int n) {"
                + " double s = 0; for (int k = 0; k < n; k++) { n = n - 1; s += x; } return s; }");
        assertEquals(List.of(), all(l.body(), c -> c instanceof Core.For));
        Core.While loop = one(l.body(), Core.While.class, w -> true);
        assertTrue(loop.testFirst());
        assertEquals("k < n", Stages.show(loop.cond()));
        assertEquals(List.of(), loop.preCond().stmts());
        assertEquals(List.of("n = n - 1", "s = s + x"), showStmts(loop.body()));
        assertEquals(List.of("k = k + 1"), showStmts(loop.update()));
        // the index is declared in a block of its own, around the loop, as Java scopes it
        Core.Block scope = one(l.body(), Core.Block.class, b -> b.stmts().contains(loop));
        assertEquals("int k = 0", show(scope.stmts().get(0)).get(0));
    }

    @Test
    void breakBecomesAFlagThatGuardsTheRestAndStopsTheLoop() {
        Lowering.Lowered l = lower("@Differentiable static double f(double x) {"
                + " double s = 0; while (true) { if (s > 10) break; s += x; } return s; }");
        assertEquals(List.of(
                "double s = 0",
                "boolean exited = false",
                "while ((!exited) && true) {",
                " body:",
                "  if (s > 10) {",
                "    exited = true",
                "  }",
                "  if (!exited) {",
                "    s = s + x",
                "  }",
                "}",
                "double result = s"), showStmts(l.body()));
        // one flag, the same symbol everywhere
        Sym exited = ((Core.Declare) l.body().stmts().get(1)).sym();
        Core.While loop = (Core.While) l.body().stmts().get(2);
        Expr.Unary notExited = (Expr.Unary) ((Expr.Binary) loop.cond()).left();
        assertSame(exited, ((Expr.Var) notExited.operand()).sym());
        assertEquals(Ty.BOOLEAN, exited.type());
    }

    @Test
    void continueResetsItsFlagAtTheTopOfEachTrip() {
        Lowering.Lowered l = lower("@Differentiable static double f(double x, int n) {"
                + " double s = 0; for (int k = 0; k < n; k++) { if (k == 2) continue; s += x; } return s; }");
        Core.For loop = one(l.body(), Core.For.class, f -> true);
        assertEquals(List.of(
                "continued = false",
                "if (k == 2) {",
                "  continued = true",
                "}",
                "if (!continued) {",
                "  s = s + x",
                "}"), showStmts(loop.body()));
    }

    @Test
    void anEarlyReturnSetsTheResultAndAFlag() {
        Lowering.Lowered l = lower("@Differentiable static double f(double x, int n) {"
                + " double s = 0; for (int k = 0; k < n; k++) { if (k == 2) return s; s += x; } return s * 2; }");
        List<String> lines = showStmts(l.body());
        assertEquals(List.of("double result = 0.0", "boolean returned = false"), lines.subList(0, 2));
        assertEquals(List.of("if (!returned) {", "  result = s * 2", "  returned = true", "}"),
                lines.subList(lines.size() - 4, lines.size()));
        // a loop a return may leave is not counted: its trips are
        Core.While loop = one(l.body(), Core.While.class, w -> true);
        assertEquals("(!returned) && (k < n)", Stages.show(loop.cond()));
        assertSame(l.result(), ((Core.Declare) l.body().stmts().get(0)).sym());
    }

    @Test
    void aConditionalWithSideEffectsBecomesAnIf() {
        Lowering.Lowered l = lower("@Differentiable static double f(double x, int i) {"
                + " double y = i > 0 ? x : i++; return y; }");
        assertEquals(List.of(
                "double choice = 0.0",
                "if (i > 0) {",
                "  choice = x",
                "} else {",
                "  int old = i",
                "  i = i + 1",
                "  choice = old", // an int assigned to the double: widened as Java widens it
                "}",
                "double y = choice",
                "double result = y"), showStmts(l.body()));
    }

    @Test
    void aForEachWalksAnIndex() {
        Lowering.Lowered l = lower("@Differentiable static double f(double[] v) {"
                + " double s = 0; for (double e : v) s += e; return s; }");
        Core.For loop = one(l.body(), Core.For.class, f -> true);
        assertEquals("eIndex", loop.index().name());
        assertEquals("v.length", Stages.show(loop.bound()));
        assertEquals(List.of("double e = v[eIndex]", "s = s + e"), showStmts(loop.body()));
    }

    // ------------------------------------------------------------------ hand-built input

    private static final Pos P = Pos.NONE;

    @Test
    void theSymbolTableContinuesAfterTheParsersIdsAndAvoidsTheUsersNames() {
        Sym x = new Sym(0, "x", Ty.DOUBLE, 0);
        Sym result = new Sym(7, "result", Ty.DOUBLE, -1); // the user's own local called result
        Sym i = new Sym(3, "i", Ty.INT, -1);
        Stmt.Block body = new Stmt.Block(List.of(
                new Stmt.Decl(result, new Expr.Var(x, P), P),
                new Stmt.Decl(i, new Expr.Lit("0", Ty.INT, P), P),
                new Stmt.ExprStmt(new Expr.Assign(new Expr.Var(result, P), Expr.AssignOp.SET,
                        new Expr.Binary(Expr.BinOp.MUL, new Expr.Var(result, P),
                                new Expr.Cast(Ty.DOUBLE, new Expr.IncDec(new Expr.Var(i, P), true, false, P), P),
                                Ty.DOUBLE, P), P), P),
                new Stmt.Return(new Expr.Var(result, P), P)), P);
        MethodIR method = new MethodIR("f", List.of(x), List.of(x), Ty.DOUBLE, body, "p.S", P);
        Lowering.Lowered l = Lowering.lower(method);
        assertEquals("result_", l.result().name());
        assertEquals(8, l.result().id()); // after the largest id the parser gave
        // the left operand is read before the right one increments i (a later operand's effects could change it)
        assertEquals(List.of(
                "double result = x",
                "int i = 0",
                "double tmp = result",
                "int old = i",
                "i = i + 1",
                "result = tmp * ((double) old)",
                "double result_ = result"), showStmts(l.body()));
        assertEquals(9, one(l.body(), Core.Declare.class, d -> d.sym().name().equals("tmp")).sym().id());
        assertEquals(10, one(l.body(), Core.Declare.class, d -> d.sym().name().equals("old")).sym().id());
        // the same table goes on handing out names and ids
        Sym next = l.symbols().fresh("old", Ty.INT);
        assertEquals("old_", next.name());
        assertEquals(11, next.id());
    }

    @Test
    void aDoWhileTestsAfterItsBody() {
        Sym x = new Sym(0, "x", Ty.DOUBLE, 0);
        Sym s = new Sym(1, "s", Ty.DOUBLE, -1);
        Stmt.Block loopBody = new Stmt.Block(List.of(new Stmt.ExprStmt(new Expr.Assign(new Expr.Var(s, P),
                Expr.AssignOp.MUL, new Expr.Var(x, P), P), P)), P);
        Stmt.Block body = new Stmt.Block(List.of(
                new Stmt.Decl(s, new Expr.Lit("1.0", Ty.DOUBLE, P), P),
                new Stmt.DoWhile(null, loopBody, new Expr.Binary(Expr.BinOp.LT, new Expr.Var(s, P),
                        new Expr.Lit("100.0", Ty.DOUBLE, P), Ty.BOOLEAN, P), P),
                new Stmt.Return(new Expr.Var(s, P), P)), P);
        Lowering.Lowered l = Lowering.lower(new MethodIR("f", List.of(x), List.of(x), Ty.DOUBLE, body, "p.S", P));
        Core.While loop = assertInstanceOf(Core.While.class, l.body().stmts().get(1));
        assertEquals(false, loop.testFirst());
        assertEquals("s < 100.0", Stages.show(loop.cond()));
        assertEquals(List.of("s = s * x"), showStmts(loop.body()));
    }

    @Test
    void aHoleInAMethodBodyIsRejectedNamingIt() {
        // a rule's hole, which no method holds, next to a side effect: no walk skips a kind it does not expect
        Sym x = new Sym(0, "x", Ty.DOUBLE, 0);
        Sym i = new Sym(1, "i", Ty.INT, -1);
        Expr withHole = new Expr.Binary(Expr.BinOp.ADD, new Expr.Cast(Ty.DOUBLE,
                new Expr.IncDec(new Expr.Var(i, P), true, false, P), P), Expr.Hole.arg(0), Ty.DOUBLE, P);
        Stmt.Block body = new Stmt.Block(List.of(
                new Stmt.Decl(i, new Expr.Lit("0", Ty.INT, P), P),
                new Stmt.Return(withHole, P)), P);
        MethodIR method = new MethodIR("f", List.of(x), List.of(x), Ty.DOUBLE, body, "p.S", P);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Lowering.lower(method));
        assertTrue(e.getMessage().contains("Hole"), e.getMessage());
    }
}
