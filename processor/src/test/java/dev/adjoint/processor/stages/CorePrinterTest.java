package dev.adjoint.processor.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.processor.emit.CorePrinter;
import dev.adjoint.processor.emit.ExprPrinter;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.BinOp;
import dev.adjoint.processor.ir.Expr.UnOp;
import dev.adjoint.processor.ir.Names;
import dev.adjoint.processor.ir.Origin;
import dev.adjoint.processor.ir.Pos;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.SymbolTable;
import dev.adjoint.processor.ir.Ty;
import dev.adjoint.processor.rules.MathFunctions;
import dev.adjoint.processor.rules.Template;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The emit stage on hand-built IR: what {@link CorePrinter} and {@link ExprPrinter} write for each node. */
class CorePrinterTest {
    private final SymbolTable symbols = new SymbolTable(new Names(), 1000);
    private final Map<String, Sym> syms = new HashMap<>();
    private final ExprPrinter exprs = new ExprPrinter("p", Set.of(), Set.of(), symbols, "tape");
    private final CorePrinter printer = new CorePrinter(exprs);

    // ---------------------------------------------------------------- expressions

    @Test
    void parenthesesFollowPrecedenceAndNeverReassociate() {
        assertEquals("a - (b - c)", print(sub(d("a"), sub(d("b"), d("c")))));
        assertEquals("a - b - c", print(sub(sub(d("a"), d("b")), d("c"))));
        assertEquals("a + (b + c)", print(add(d("a"), add(d("b"), d("c")))));
        assertEquals("a + b + c", print(add(add(d("a"), d("b")), d("c"))));
        assertEquals("(a + b) * c", print(mul(add(d("a"), d("b")), d("c"))));
        assertEquals("a + b * c", print(add(d("a"), mul(d("b"), d("c")))));
        assertEquals("a * (b * c)", print(mul(d("a"), mul(d("b"), d("c")))));
        assertEquals("a * (b / c)", print(mul(d("a"), div(d("b"), d("c")))));
        assertEquals("a / b * c", print(mul(div(d("a"), d("b")), d("c"))));
        assertEquals("a / (b * c)", print(div(d("a"), mul(d("b"), d("c")))));
        assertEquals("(a - b) % c", print(bin(BinOp.REM, sub(d("a"), d("b")), d("c"), Ty.DOUBLE)));
        assertEquals("-(a * b)", print(neg(mul(d("a"), d("b")))));
        assertEquals("-a * b", print(mul(neg(d("a")), d("b"))));
        assertEquals("a * -b", print(mul(d("a"), neg(d("b")))));
        assertEquals("a - -b", print(sub(d("a"), neg(d("b")))));
        assertEquals("a + b < c * 2.0", print(bin(BinOp.LT, add(d("a"), d("b")), mul(d("c"), lit("2.0")),
                Ty.BOOLEAN)));
        assertEquals("(i + j) * 2", print(bin(BinOp.MUL, bin(BinOp.ADD, i("i"), i("j"), Ty.INT), ilit("2"), Ty.INT)));
        assertEquals("i << j + 1", print(bin(BinOp.SHL, i("i"), bin(BinOp.ADD, i("j"), ilit("1"), Ty.INT), Ty.INT)));
        assertEquals("(i & j) == 0", print(bin(BinOp.EQ, bin(BinOp.BITAND, i("i"), i("j"), Ty.INT), ilit("0"),
                Ty.BOOLEAN)));
        assertEquals("p && q || r", print(bin(BinOp.OR, bin(BinOp.AND, b("p"), b("q"), Ty.BOOLEAN), b("r"),
                Ty.BOOLEAN)));
        assertEquals("p && (q || r)", print(bin(BinOp.AND, b("p"), bin(BinOp.OR, b("q"), b("r"), Ty.BOOLEAN),
                Ty.BOOLEAN)));
    }

    @Test
    void signsAreNeverWrittenTogether() {
        assertEquals("-(-x)", print(neg(neg(d("x")))));
        assertEquals("-(-1.0)", print(neg(lit("-1.0"))));
        assertEquals("-(+x)", print(neg(new Expr.Unary(UnOp.PLUS, d("x"), Ty.DOUBLE, Pos.NONE))));
        assertEquals("+(-x)", print(new Expr.Unary(UnOp.PLUS, neg(d("x")), Ty.DOUBLE, Pos.NONE)));
        assertEquals("-x", print(neg(d("x"))));
        // a negative literal as an operand binds like a unary minus
        assertEquals("-2.0 * x", print(mul(lit("-2.0"), d("x"))));
        assertEquals("x - -2.0", print(sub(d("x"), lit("-2.0"))));
        assertEquals("-(a * b) * c", print(mul(neg(mul(d("a"), d("b"))), d("c"))));
    }

    @Test
    void aNegatedEqualityIsTheFlippedComparison() {
        assertEquals("a != b", print(not(bin(BinOp.EQ, d("a"), d("b"), Ty.BOOLEAN))));
        assertEquals("a == b", print(not(bin(BinOp.NE, d("a"), d("b"), Ty.BOOLEAN))));
        assertEquals("!(a < b)", print(not(bin(BinOp.LT, d("a"), d("b"), Ty.BOOLEAN))));
        assertEquals("!p", print(not(b("p"))));
        assertEquals("!(p && q)", print(not(bin(BinOp.AND, b("p"), b("q"), Ty.BOOLEAN))));
        // the flipped comparison binds as a comparison, not as a unary operator
        assertEquals("a != b && p", print(bin(BinOp.AND, not(bin(BinOp.EQ, d("a"), d("b"), Ty.BOOLEAN)), b("p"),
                Ty.BOOLEAN)));
        assertEquals("p == (a != b)", print(bin(BinOp.EQ, b("p"), not(bin(BinOp.EQ, d("a"), d("b"), Ty.BOOLEAN)),
                Ty.BOOLEAN)));
    }

    @Test
    void conditionalsCastsAndTapeReads() {
        Expr cond = new Expr.Cond(bin(BinOp.GT, d("a"), d("b"), Ty.BOOLEAN), d("a"), d("b"), Ty.DOUBLE, Pos.NONE);
        assertEquals("a > b ? a : b", print(cond));
        assertEquals("c + (a > b ? a : b)", print(add(d("c"), cond)));
        Expr nested = new Expr.Cond(b("p"), d("a"), new Expr.Cond(b("q"), d("b"), d("c"), Ty.DOUBLE, Pos.NONE),
                Ty.DOUBLE, Pos.NONE);
        assertEquals("p ? a : q ? b : c", print(nested));
        Expr inThen = new Expr.Cond(b("p"), new Expr.Cond(b("q"), d("b"), d("c"), Ty.DOUBLE, Pos.NONE), d("a"),
                Ty.DOUBLE, Pos.NONE);
        assertEquals("p ? (q ? b : c) : a", print(inThen));
        assertEquals("(double) (i + j)", print(new Expr.Cast(Ty.DOUBLE, bin(BinOp.ADD, i("i"), i("j"), Ty.INT),
                Pos.NONE)));
        assertEquals("(int) a * 2", print(bin(BinOp.MUL, new Expr.Cast(Ty.INT, d("a"), Pos.NONE), ilit("2"),
                Ty.INT)));
        assertEquals("tape.popDouble()", print(new Expr.Pop(Ty.DOUBLE, Pos.NONE)));
        assertEquals("tape.popBoolean()", print(new Expr.Pop(Ty.BOOLEAN, Pos.NONE)));
        assertEquals("tape.popLong()", print(new Expr.Pop(Ty.LONG, Pos.NONE)));
        assertEquals("(double[]) tape.popRef()", print(new Expr.Pop(Ty.DOUBLE_ARRAY, Pos.NONE)));
        assertEquals("(double[][]) tape.popRef()", print(new Expr.Pop(Ty.DOUBLE_MATRIX, Pos.NONE)));
        assertEquals("((double[]) tape.popRef())[i]", print(new Expr.ArrayLoad(new Expr.Pop(Ty.DOUBLE_ARRAY,
                Pos.NONE), i("i"), Pos.NONE)));
        assertEquals("((int[]) tape.popRef()).length", print(new Expr.Length(new Expr.Pop(Ty.INT_ARRAY, Pos.NONE),
                Pos.NONE)));
        assertEquals("m[i][j + 1]", print(new Expr.ArrayLoad(new Expr.ArrayLoad(var("m", Ty.DOUBLE_MATRIX), i("i"),
                Pos.NONE), bin(BinOp.ADD, i("j"), ilit("1"), Ty.INT), Pos.NONE)));
        assertEquals("new double[n][]", print(new Expr.NewArray(Ty.DOUBLE_MATRIX, List.of(i("n")), Pos.NONE)));
        assertEquals("new double[][] {{a}, {b, c}}", print(new Expr.ArrayInit(Ty.DOUBLE_MATRIX, List.of(
                new Expr.ArrayInit(Ty.DOUBLE_ARRAY, List.of(d("a")), Pos.NONE),
                new Expr.ArrayInit(Ty.DOUBLE_ARRAY, List.of(d("b"), d("c")), Pos.NONE)), Pos.NONE)));
        assertThrows(IllegalStateException.class, () -> print(add(d("a"), Template.arg(0))), "an unfilled hole");
    }

    @Test
    void javaLangMathIsWrittenMathUnlessTheGeneratedFileShadowsIt() {
        Expr call = Template.math("sin", d("a"));
        Expr pi = new Expr.StaticField("java.lang.Math", "PI", Ty.DOUBLE, Pos.NONE);
        assertEquals("Math.sin(a)", print(call));
        assertEquals("Math.PI", print(pi));
        assertEquals("StrictMath.cos(a)", print(new Expr.MathCall(new Callee("java.lang.StrictMath", "cos",
                List.of(Ty.DOUBLE), Ty.DOUBLE), List.of(d("a")), Pos.NONE)));
        ExprPrinter shadowed = new ExprPrinter("p", Set.of("Math"), Set.of(), symbols, "tape");
        assertEquals("java.lang.Math.sin(a)", shadowed.print(call));
        assertEquals("java.lang.Math.PI", shadowed.print(pi));
        ExprPrinter obscured = new ExprPrinter("p", Set.of(), Set.of("Math"), symbols, "tape");
        assertEquals("java.lang.Math.sin(a)", obscured.print(call), "a variable named Math obscures the class");
        // the user's classes: by simple name in the generated class's package, else by canonical name
        Callee own = new Callee("p.Model", "scale", List.of(Ty.DOUBLE), Ty.DOUBLE);
        assertEquals("Model.scale(a)", print(new Expr.Call(own, List.of(d("a")), Pos.NONE)));
        Callee nested = new Callee("p.Outer.Inner", "scale", List.of(Ty.DOUBLE), Ty.DOUBLE);
        assertEquals("Outer.Inner.scale(a)", print(new Expr.Call(nested, List.of(d("a")), Pos.NONE)));
        assertEquals("p.Outer.Inner.scale(a)", new ExprPrinter("p", Set.of("Outer"), Set.of(), symbols, "tape")
                .print(new Expr.Call(nested, List.of(d("a")), Pos.NONE)));
        Callee other = new Callee("q.Other", "scale", List.of(Ty.DOUBLE), Ty.DOUBLE);
        assertEquals("q.Other.scale(a)", print(new Expr.Call(other, List.of(d("a")), Pos.NONE)));
        assertEquals("Math.max(a, b + c)", print(Template.math("max", d("a"), add(d("b"), d("c")))));
    }

    @Test
    void variablesAreWrittenByTheirNameInGeneratedCode() {
        Sym s = sym("s", Ty.DOUBLE);
        symbols.rename(s, "s_");
        assertEquals("s_ * 2.0", print(mul(d("s"), lit("2.0"))));
        assertEquals("s_ = tape.popDouble();\n", statements(new Core.Restore(d("s"), false, Pos.NONE)));
    }

    // ---------------------------------------------------------------- derivative statements

    @Test
    void anAccumulateCarriesItsRuleAsAComment() {
        Origin product = new Origin("product rule", "d(a*b)/da = b");
        assertEquals("xBar += t2 * yBar; // product rule: d(a*b)/da = b\n",
                statements(new Core.Accumulate(d("xBar"), mul(d("t2"), d("yBar")), false, product, Pos.NONE)));
        assertEquals("xBar -= Math.sin(x) * yBar; // cosine rule: d cos(x)/dx = -sin(x)\n",
                statements(new Core.Accumulate(d("xBar"), mul(Template.math("sin", d("x")), d("yBar")), true,
                        MathFunctions.rule("cos").origin(0), Pos.NONE)));
        assertEquals("wBar[i] += yBar; // identity: dx/dx = 1\n", statements(new Core.Accumulate(
                new Expr.ArrayLoad(var("wBar", Ty.DOUBLE_ARRAY), i("i"), Pos.NONE), d("yBar"), false,
                Origin.IDENTITY, Pos.NONE)));
        // a conditional share reads as one term
        Expr share = new Expr.Cond(bin(BinOp.GE, d("a"), d("b"), Ty.BOOLEAN), d("g"), lit("0.0"), Ty.DOUBLE,
                Pos.NONE);
        Origin max = MathFunctions.rule("max").origin(0);
        assertEquals("aBar += (a >= b ? g : 0.0); // " + max + "\n",
                statements(new Core.Accumulate(d("aBar"), share, false, max, Pos.NONE)));
        assertEquals("double t1Bar = (a >= b ? g : 0.0); // " + max + "\n",
                statements(new Core.Declare(sym("t1Bar", Ty.DOUBLE), share, max, Pos.NONE)));
        // a primal conditional is not a derivative term
        assertEquals("double m = a >= b ? g : 0.0;\n", statements(new Core.Declare(sym("m", Ty.DOUBLE), share,
                Pos.NONE)));
        assertEquals("double t1Bar_ = -(yBar * 1.0 / (t1 * t1)); // quotient rule: d(a/b)/db = -a/b^2\n",
                statements(new Core.Declare(sym("t1Bar_", Ty.DOUBLE), neg(div(mul(d("yBar"), lit("1.0")),
                        mul(d("t1"), d("t1")))), new Origin("quotient rule", "d(a/b)/db = -a/b^2"), Pos.NONE)));
        assertEquals("sBar = Math.cos(s) * sBar; // sine rule: d sin(x)/dx = cos(x)\n",
                statements(new Core.Assign(d("sBar"), mul(Template.math("cos", d("s")), d("sBar")),
                        MathFunctions.rule("sin").origin(0), Pos.NONE)));
        assertEquals("sBar = 0.0;\n", statements(new Core.Zero(d("sBar"), Pos.NONE)));
    }

    @Test
    void savesAndRestoresAreTapeCallsOfTheValuesKind() {
        assertEquals("tape.pushDouble(s);\n", statements(new Core.Save(d("s"), Pos.NONE)));
        assertEquals("tape.pushInt(trips1);\n", statements(new Core.Save(i("trips1"), Pos.NONE)));
        assertEquals("tape.pushLong(big);\n", statements(new Core.Save(var("big", Ty.LONG), Pos.NONE)));
        assertEquals("tape.pushBoolean(true);\n", statements(new Core.Save(new Expr.Lit("true", Ty.BOOLEAN,
                Pos.NONE), Pos.NONE)));
        assertEquals("tape.pushRef(w);\n", statements(new Core.Save(var("w", Ty.DOUBLE_ARRAY), Pos.NONE)));
        assertEquals("double[] w = (double[]) tape.popRef();\n", statements(new Core.Restore(var("w",
                Ty.DOUBLE_ARRAY), true, Pos.NONE)));
        assertEquals("double[][] m = (double[][]) tape.popRef();\n", statements(new Core.Restore(var("m",
                Ty.DOUBLE_MATRIX), true, Pos.NONE)));
        assertEquals("w = (double[]) tape.popRef();\n", statements(new Core.Restore(var("w", Ty.DOUBLE_ARRAY),
                false, Pos.NONE)));
        assertEquals("double s = tape.popDouble();\n", statements(new Core.Restore(d("s"), true, Pos.NONE)));
        assertEquals("big = tape.popLong();\n", statements(new Core.Restore(var("big", Ty.LONG), false, Pos.NONE)));
        assertEquals("w[i] = tape.popDouble();\n", statements(new Core.Restore(new Expr.ArrayLoad(var("w",
                Ty.DOUBLE_ARRAY), i("i"), Pos.NONE), false, Pos.NONE)));
        ExprPrinter other = new ExprPrinter("p", Set.of(), Set.of(), symbols, "tape_");
        assertEquals("tape_.pushDouble(s);\n", new CorePrinter(other).statements(block(new Core.Save(d("s"),
                Pos.NONE))).toString());
    }

    @Test
    void aSwitchWritesOnlyItsNonEmptyCases() {
        Core.Switch sw = new Core.Switch(new Expr.Pop(Ty.INT, Pos.NONE), List.of(
                block(new Core.Zero(d("aBar"), Pos.NONE)), block(), block(new Core.Zero(d("bBar"), Pos.NONE)),
                block()), Pos.NONE);
        assertEquals("""
                switch (tape.popInt()) {
                  case 0 -> {
                    aBar = 0.0;
                  }
                  case 2 -> {
                    bBar = 0.0;
                  }
                }
                """, statements(sw));
    }

    @Test
    void notesAreComments() {
        Core.Declare source = new Core.Declare(sym("y", Ty.DOUBLE), Template.math("sin", d("x")), Pos.NONE);
        assertEquals("// double y = Math.sin(x)\n", statements(new Core.Note(new Core.Says.SourceOf(source),
                Pos.NONE)));
        Core.Assign assign = new Core.Assign(d("s"), add(d("s"), d("x")), Pos.NONE);
        assertEquals("// s = s + x\n", statements(new Core.Note(new Core.Says.SourceOf(assign), Pos.NONE)));
        assertEquals("// save for the reverse sweep: s, w\n", statements(new Core.Note(new Core.Says.Saved(
                List.of(sym("s", Ty.DOUBLE), sym("w", Ty.DOUBLE_ARRAY))), Pos.NONE)));
        assertEquals("// sBar is unchanged: sum rule: d(a + b)/da = 1\n", statements(new Core.Note(
                new Core.Says.Unchanged(d("sBar"), new Origin("sum rule", "d(a + b)/da = 1")), Pos.NONE)));
    }

    // ---------------------------------------------------------------- control flow

    @Test
    void anElseHoldingOnlyAnIfIsWrittenElseIf() {
        Core.If inner = new Core.If(bin(BinOp.GT, d("x"), lit("0.0"), Ty.BOOLEAN), block(new Core.Zero(d("bBar"),
                Pos.NONE)), block(new Core.Zero(d("cBar"), Pos.NONE)), Pos.NONE);
        Core.If chain = new Core.If(bin(BinOp.GT, d("x"), lit("1.0"), Ty.BOOLEAN), block(new Core.Zero(d("aBar"),
                Pos.NONE)), block(inner), Pos.NONE);
        assertEquals("""
                if (x > 1.0) {
                  aBar = 0.0;
                } else if (x > 0.0) {
                  bBar = 0.0;
                } else {
                  cBar = 0.0;
                }
                """, statements(chain));
        // an else with more than the if keeps its block
        Core.If notAChain = new Core.If(b("p"), block(new Core.Zero(d("aBar"), Pos.NONE)), block(inner,
                new Core.Zero(d("dBar"), Pos.NONE)), Pos.NONE);
        assertEquals("""
                if (p) {
                  aBar = 0.0;
                } else {
                  if (x > 0.0) {
                    bBar = 0.0;
                  } else {
                    cBar = 0.0;
                  }
                  dBar = 0.0;
                }
                """, statements(notAChain));
        // an empty else is not written
        assertEquals("""
                if (tape.popBoolean()) {
                  aBar = 0.0;
                }
                """, statements(new Core.If(new Expr.Pop(Ty.BOOLEAN, Pos.NONE), block(new Core.Zero(d("aBar"),
                Pos.NONE)), block(), Pos.NONE)));
    }

    @Test
    void loops() {
        Core.Block body = block(new Core.Assign(d("s"), mul(d("s"), lit("2.0")), Pos.NONE));
        Expr test = bin(BinOp.LT, d("s"), lit("10.0"), Ty.BOOLEAN);
        assertEquals("""
                do {
                  s = s * 2.0;
                } while (s < 10.0);
                """, statements(new Core.While(block(), test, body, block(), false, Pos.NONE)));
        assertEquals("""
                while (s < 10.0) {
                  s = s * 2.0;
                  k++;
                }
                """, statements(new Core.While(block(), test, body, block(new Core.Assign(i("k"),
                bin(BinOp.ADD, i("k"), ilit("1"), Ty.INT), Pos.NONE)), true, Pos.NONE)));
        Core.Block pre = block(new Core.Assign(b("more"), test, Pos.NONE));
        assertEquals("""
                while (true) {
                  more = s < 10.0;
                  if (!more) {
                    break;
                  }
                  s = s * 2.0;
                  remaining--;
                }
                """, statements(new Core.While(pre, b("more"), body, block(new Core.Assign(i("remaining"),
                bin(BinOp.SUB, i("remaining"), ilit("1"), Ty.INT), Pos.NONE)), true, Pos.NONE)));
        // the test that ends the loop, negated: a != is written ==
        assertEquals("""
                while (true) {
                  more = s < 10.0;
                  if (remaining == 0) {
                    break;
                  }
                }
                """, statements(new Core.While(pre, bin(BinOp.NE, i("remaining"), ilit("0"), Ty.BOOLEAN), block(),
                block(), true, Pos.NONE)));
        Sym index = sym("i", Ty.INT);
        assertEquals("""
                for (int i = n - 1; i >= 0; i--) {
                  s = s * 2.0;
                }
                """, statements(new Core.For(index, bin(BinOp.SUB, i("n"), ilit("1"), Ty.INT), BinOp.GE, ilit("0"), -1,
                body, Pos.NONE)));
        assertEquals("""
                for (int remaining1 = tape.popInt(); remaining1 > 0; remaining1--) {
                }
                """, statements(new Core.For(sym("remaining1", Ty.INT), new Expr.Pop(Ty.INT, Pos.NONE), BinOp.GT,
                ilit("0"), -1, block(), Pos.NONE)));
    }

    @Test
    void onlyTheTransformsOwnCountersAreStepped() {
        Core.Assign count = new Core.Assign(i("trips1"), bin(BinOp.ADD, i("trips1"), ilit("1"), Ty.INT), Pos.NONE);
        assertEquals("trips1++;\n", statements(count));
        // the user's own i = i + 1 (it has a position) is written as the user wrote it
        Core.Assign users = new Core.Assign(i("i"), bin(BinOp.ADD, i("i"), ilit("1"), Ty.INT), new Pos("i = i + 1"));
        assertEquals("i = i + 1;\n", statements(users));
        Core.Assign plusTwo = new Core.Assign(i("k"), bin(BinOp.ADD, i("k"), ilit("2"), Ty.INT), Pos.NONE);
        assertEquals("k = k + 2;\n", statements(plusTwo));
        Core.Assign fromOther = new Core.Assign(i("k"), bin(BinOp.ADD, i("j"), ilit("1"), Ty.INT), Pos.NONE);
        assertEquals("k = j + 1;\n", statements(fromOther));
    }

    @Test
    void declarationsEvaluationsThrowsAndRuntimeHelpers() {
        assertEquals("double y = 0.0;\n", statements(new Core.Declare(sym("y", Ty.DOUBLE), lit("0.0"), Pos.NONE)));
        assertEquals("int[] idx = new int[] {1, 2};\n", statements(new Core.Declare(sym("idx", Ty.INT_ARRAY),
                new Expr.ArrayInit(Ty.INT_ARRAY, List.of(ilit("1"), ilit("2")), Pos.NONE), Pos.NONE)));
        Callee like = new Callee("dev.adjoint.runtime.Buffers", "like", List.of(Ty.DOUBLE_ARRAY), Ty.DOUBLE_ARRAY);
        assertEquals("double[] wBar = dev.adjoint.runtime.Buffers.like(w);\n", statements(new Core.Declare(
                sym("wBar", Ty.DOUBLE_ARRAY), new Expr.Call(like, List.of(var("w", Ty.DOUBLE_ARRAY)), Pos.NONE),
                Pos.NONE)));
        Callee log = new Callee("p.Log", "record", List.of(Ty.DOUBLE), Ty.DOUBLE);
        assertEquals("Log.record(x);\n", statements(new Core.Eval(new Expr.Call(log, List.of(d("x")), Pos.NONE),
                Pos.NONE)));
        assertEquals("throw new IllegalArgumentException(\"x\");\n", statements(new Core.Throw(
                "new IllegalArgumentException(\"x\")", Pos.NONE)));
        assertEquals("{\n  y = 1.0;\n}\n", statements(block(new Core.Assign(d("y"), lit("1.0"), Pos.NONE))));
    }

    // ---------------------------------------------------------------- helpers

    private String print(Expr e) {
        return exprs.print(e);
    }

    private String statements(Core c) {
        return printer.statements(block(c)).toString();
    }

    private static Core.Block block(Core... stmts) {
        return new Core.Block(new ArrayList<>(List.of(stmts)), Pos.NONE);
    }

    private Sym sym(String name, Ty type) {
        return syms.computeIfAbsent(name, n -> new Sym(syms.size(), n, type, -1));
    }

    private Expr var(String name, Ty type) {
        return new Expr.Var(sym(name, type), Pos.NONE);
    }

    private Expr d(String name) {
        return var(name, Ty.DOUBLE);
    }

    private Expr i(String name) {
        return var(name, Ty.INT);
    }

    private Expr b(String name) {
        return var(name, Ty.BOOLEAN);
    }

    private static Expr lit(String text) {
        return new Expr.Lit(text, Ty.DOUBLE, Pos.NONE);
    }

    private static Expr ilit(String text) {
        return new Expr.Lit(text, Ty.INT, Pos.NONE);
    }

    private static Expr bin(BinOp op, Expr l, Expr r, Ty type) {
        return new Expr.Binary(op, l, r, type, Pos.NONE);
    }

    private static Expr add(Expr l, Expr r) {
        return bin(BinOp.ADD, l, r, Ty.DOUBLE);
    }

    private static Expr sub(Expr l, Expr r) {
        return bin(BinOp.SUB, l, r, Ty.DOUBLE);
    }

    private static Expr mul(Expr l, Expr r) {
        return bin(BinOp.MUL, l, r, Ty.DOUBLE);
    }

    private static Expr div(Expr l, Expr r) {
        return bin(BinOp.DIV, l, r, Ty.DOUBLE);
    }

    private static Expr neg(Expr e) {
        return new Expr.Unary(UnOp.NEG, e, Ty.DOUBLE, Pos.NONE);
    }

    private static Expr not(Expr e) {
        return new Expr.Unary(UnOp.NOT, e, Ty.BOOLEAN, Pos.NONE);
    }
}
