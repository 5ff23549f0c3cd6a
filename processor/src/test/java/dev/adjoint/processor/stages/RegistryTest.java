package dev.adjoint.processor.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Pos;
import dev.adjoint.processor.ir.Ty;
import dev.adjoint.processor.rules.MathFunctions;
import dev.adjoint.processor.rules.Registry;
import dev.adjoint.processor.rules.Rule;
import dev.adjoint.processor.rules.Rules;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The registry: it resolves a call to the overload Java picks, which javac itself tells, for every supported
 * function of {@code Math} and {@code StrictMath} and every combination of {@code int}, {@code long},
 * {@code double} and {@code boolean} arguments; and every overload it knows that can carry a derivative has a rule
 * or a derivative of 0.
 */
class RegistryTest {
    private static final List<Ty> ARG_TYPES = List.of(Ty.INT, Ty.LONG, Ty.DOUBLE, Ty.BOOLEAN);
    private static final List<String> OWNERS = List.of("java.lang.Math", "java.lang.StrictMath");

    private static Callee resolve(String name, Ty... args) {
        return Registry.BUILTINS.resolve("java.lang.Math", name, List.of(args));
    }

    private static Callee callee(String name, List<Ty> params, Ty result) {
        return new Callee("java.lang.Math", name, params, result);
    }

    @Test
    void theOverloadsJavaPicks() {
        assertEquals(callee("abs", List.of(Ty.INT), Ty.INT), resolve("abs", Ty.INT));
        assertEquals(callee("abs", List.of(Ty.LONG), Ty.LONG), resolve("abs", Ty.LONG));
        assertEquals(callee("abs", List.of(Ty.DOUBLE), Ty.DOUBLE), resolve("abs", Ty.DOUBLE));
        assertEquals(callee("max", List.of(Ty.LONG, Ty.LONG), Ty.LONG), resolve("max", Ty.INT, Ty.LONG));
        assertEquals(callee("max", List.of(Ty.DOUBLE, Ty.DOUBLE), Ty.DOUBLE), resolve("max", Ty.LONG, Ty.DOUBLE));
        assertEquals(callee("round", List.of(Ty.DOUBLE), Ty.LONG), resolve("round", Ty.DOUBLE));
        // round(float), registered under the argument's type
        assertEquals(callee("round", List.of(Ty.INT), Ty.INT), resolve("round", Ty.INT));
        assertEquals(callee("floorMod", List.of(Ty.LONG, Ty.INT), Ty.INT), resolve("floorMod", Ty.LONG, Ty.INT));
        assertEquals(callee("floorMod", List.of(Ty.LONG, Ty.LONG), Ty.LONG), resolve("floorMod", Ty.INT, Ty.LONG));
        assertEquals(callee("floorDiv", List.of(Ty.LONG, Ty.INT), Ty.LONG), resolve("floorDiv", Ty.LONG, Ty.INT));
        assertEquals(callee("multiplyExact", List.of(Ty.LONG, Ty.INT), Ty.LONG),
                resolve("multiplyExact", Ty.LONG, Ty.INT));
        assertEquals(callee("toIntExact", List.of(Ty.LONG), Ty.INT), resolve("toIntExact", Ty.INT));
        assertEquals(callee("sin", List.of(Ty.DOUBLE), Ty.DOUBLE), resolve("sin", Ty.INT));
        assertEquals(callee("pow", List.of(Ty.DOUBLE, Ty.DOUBLE), Ty.DOUBLE), resolve("pow", Ty.INT, Ty.LONG));
        assertNull(resolve("floorDiv", Ty.DOUBLE, Ty.DOUBLE));
        assertNull(resolve("toIntExact", Ty.DOUBLE));
        assertNull(resolve("sin", Ty.BOOLEAN));
        assertNull(resolve("max", Ty.BOOLEAN, Ty.INT));
        assertNull(resolve("abs", Ty.BOOLEAN));
        assertNull(resolve("sin", Ty.DOUBLE, Ty.DOUBLE), "the wrong number of arguments");
        assertEquals(callee("fma", List.of(Ty.DOUBLE, Ty.DOUBLE, Ty.DOUBLE), Ty.DOUBLE),
                resolve("fma", Ty.DOUBLE, Ty.DOUBLE, Ty.DOUBLE));
        assertEquals(callee("fma", List.of(Ty.DOUBLE, Ty.DOUBLE, Ty.DOUBLE), Ty.DOUBLE),
                resolve("fma", Ty.INT, Ty.DOUBLE, Ty.LONG));
        assertNull(resolve("fma", Ty.INT, Ty.INT, Ty.LONG), "Java picks fma(float, float, float): a float");
        assertNull(resolve("ulp", Ty.DOUBLE), "a function outside the subset");
        assertNull(Registry.BUILTINS.resolve("java.lang.Integer", "max", List.of(Ty.INT, Ty.INT)));
        assertEquals(new Callee("java.lang.StrictMath", "sin", List.of(Ty.DOUBLE), Ty.DOUBLE),
                Registry.BUILTINS.resolve("java.lang.StrictMath", "sin", List.of(Ty.LONG)));
    }

    /** What javac resolved one call to: the overload's parameter and result types, or null when it rejected it. */
    private record Resolved(List<TypeKind> params, TypeKind result) {}

    @Test
    void everyFunctionAndArgumentCombinationResolvesAsJavacResolvesIt() {
        // one call per line, each with its own combination of argument types
        List<String[]> calls = new ArrayList<>(); // owner, name, arg types, in line order
        List<List<Ty>> argTypes = new ArrayList<>();
        StringBuilder src = new StringBuilder("class Calls {\n    static void f(int i, long l, double d, boolean b) {\n");
        int firstLine = 3;
        for (String owner : OWNERS) {
            for (MathFunctions.Function f : MathFunctions.ALL) {
                for (List<Ty> combo : combinations(f.arity())) {
                    List<String> args = new ArrayList<>();
                    for (Ty t : combo) {
                        args.add(switch (t) {
                            case INT -> "i";
                            case LONG -> "l";
                            case DOUBLE -> "d";
                            default -> "b";
                        });
                    }
                    src.append("        Object r").append(calls.size()).append(" = ").append(owner).append('.')
                            .append(f.name()).append('(').append(String.join(", ", args)).append(");\n");
                    calls.add(new String[] {owner, f.name()});
                    argTypes.add(combo);
                }
            }
        }
        src.append("    }\n}\n");
        Map<Integer, Resolved> byLine = javacResolutions(src.toString());

        int accepted = 0;
        int signumOfIntegers = 0;
        int fmaOfIntegers = 0;
        for (int k = 0; k < calls.size(); k++) {
            String owner = calls.get(k)[0];
            String name = calls.get(k)[1];
            List<Ty> args = argTypes.get(k);
            Resolved javac = byLine.get(firstLine + k);
            Callee ours = Registry.BUILTINS.resolve(owner, name, args);
            String call = owner + "." + name + args;
            if (javac == null) {
                assertNull(ours, () -> call + ": javac rejects it, the registry resolves " + ours);
                continue;
            }
            accepted++;
            List<Ty> params = new ArrayList<>();
            boolean floatOverload = false;
            for (int i = 0; i < args.size(); i++) {
                TypeKind p = javac.params().get(i);
                floatOverload |= p == TypeKind.FLOAT;
                // round(float) is registered under the argument's type (float is outside the subset)
                params.add(p == TypeKind.FLOAT ? args.get(i) : ty(p));
            }
            if (floatOverload && (name.equals("signum") || name.equals("fma"))) {
                // Java picks signum(float) for an int or long (and fma(float, float, float) when no argument is a
                // double): a float result, outside the subset, so the registry rejects the call (the parser reports
                // ADJ026 with the cast to write) rather than compute with the double overload, whose value has
                // another type ((float) 1 / 3 is not 1.0 / 3)
                if (name.equals("signum")) {
                    signumOfIntegers++;
                } else {
                    fmaOfIntegers++;
                }
                assertNull(ours, call);
                continue;
            }
            assertNotNull(ours, () -> call + ": javac resolves " + javac + ", the registry nothing");
            assertTrue(!floatOverload || name.equals("round"), () -> call + ": javac picks a float overload, "
                    + javac);
            Ty result = javac.result() == TypeKind.FLOAT ? null : ty(javac.result());
            assertEquals(new Callee(owner, name, params, result), ours, () -> call + ": javac picks " + javac);
        }
        assertTrue(accepted > 200, "calls javac accepts: " + accepted);
        assertEquals(4, signumOfIntegers, "signum of an int or a long, of Math and StrictMath");
        assertEquals(16, fmaOfIntegers, "fma of ints and longs (2 * 2 * 2 combinations), of Math and StrictMath");
    }

    private static List<List<Ty>> combinations(int arity) {
        List<List<Ty>> out = new ArrayList<>();
        out.add(List.of());
        for (int k = 0; k < arity; k++) {
            List<List<Ty>> longer = new ArrayList<>();
            for (List<Ty> prefix : out) {
                for (Ty a : ARG_TYPES) {
                    List<Ty> combo = new ArrayList<>(prefix);
                    combo.add(a);
                    longer.add(combo);
                }
            }
            out = longer;
        }
        return out;
    }

    private static Ty ty(TypeKind k) {
        return switch (k) {
            case INT -> Ty.INT;
            case LONG -> Ty.LONG;
            case DOUBLE -> Ty.DOUBLE;
            case BOOLEAN -> Ty.BOOLEAN;
            default -> throw new AssertionError("javac resolved to a " + k + " parameter or result");
        };
    }

    /** @return per line, the overload javac resolved the call on it to; no entry for lines with an error */
    private static Map<Integer, Resolved> javacResolutions(String source) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> collector = new DiagnosticCollector<>();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///Calls.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        JavacTask task = (JavacTask) compiler.getTask(null, null, collector, List.of("-proc:none"), null,
                List.of(file));
        Trees trees = Trees.instance(task);
        Map<Integer, Resolved> out = new HashMap<>();
        try {
            Iterable<? extends CompilationUnitTree> units = task.parse();
            task.analyze();
            for (CompilationUnitTree unit : units) {
                new TreePathScanner<Void, Void>() {
                    @Override
                    public Void visitMethodInvocation(MethodInvocationTree node, Void unused) {
                        Element e = trees.getElement(getCurrentPath());
                        int line = (int) unit.getLineMap().getLineNumber(
                                trees.getSourcePositions().getStartPosition(unit, node));
                        if (e instanceof ExecutableElement m) {
                            List<TypeKind> params = new ArrayList<>();
                            for (VariableElement p : m.getParameters()) {
                                params.add(p.asType().getKind());
                            }
                            TypeMirror result = m.getReturnType();
                            out.put(line, new Resolved(params, result.getKind()));
                        }
                        return super.visitMethodInvocation(node, unused);
                    }
                }.scan(unit, null);
            }
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        Set<Integer> errorLines = new HashSet<>();
        for (Diagnostic<? extends JavaFileObject> d : collector.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                errorLines.add((int) d.getLineNumber());
            }
        }
        assertFalse(errorLines.isEmpty(), "javac rejects some calls (booleans)");
        errorLines.forEach(out::remove);
        return out;
    }

    // ---------------------------------------------------------------- entries

    @Test
    void everyEntryThatCanCarryADerivativeHasARuleOrAZeroDerivative() {
        int floating = 0;
        for (String owner : OWNERS) {
            for (MathFunctions.Function f : MathFunctions.ALL) {
                for (List<Ty> combo : combinations(f.arity())) {
                    Callee c = Registry.BUILTINS.resolve(owner, f.name(), combo);
                    if (c == null) {
                        continue;
                    }
                    Registry.Entry e = Registry.BUILTINS.lookup(c);
                    assertNotNull(e, () -> "resolved but not registered: " + c);
                    assertEquals(c, e.callee());
                    assertSame(e.rule(), Registry.BUILTINS.rule(c));
                    assertEquals(f.piecewiseConstant(), Registry.BUILTINS.isPiecewiseConstant(c), c.signature());
                    assertTrue(e.differentiable(), c.signature());
                    if (c.result() == Ty.DOUBLE) {
                        floating++;
                        assertTrue(e.rule() != null || e.piecewiseConstant(),
                                () -> c.signature() + " has a double result, and no rule nor a zero derivative");
                        assertSame(f.rule(), e.rule(), c.signature());
                    } else {
                        assertNull(e.rule(), () -> c.signature() + ": an integer result is never active");
                    }
                }
            }
        }
        assertTrue(floating > 50, "double-valued overloads: " + floating);
    }

    @Test
    void lookupIsByTheExactOverloadAndRuleOfAnExpressionFollowsItsNode() {
        // sin(int) is a call of sin(double): the key is the declared parameter types
        assertNull(Registry.BUILTINS.lookup(callee("sin", List.of(Ty.INT), Ty.DOUBLE)));
        assertNull(Registry.BUILTINS.rule(callee("sin", List.of(Ty.INT), Ty.DOUBLE)));
        Callee sin = callee("sin", List.of(Ty.DOUBLE), Ty.DOUBLE);
        assertSame(MathFunctions.rule("sin"), Registry.BUILTINS.rule(sin));
        Expr x = new Expr.Lit("0.5", Ty.DOUBLE, Pos.NONE);
        assertSame(MathFunctions.rule("sin"), Registry.BUILTINS.rule(new Expr.MathCall(sin, List.of(x), Pos.NONE)));
        assertSame(Rules.SUM, Registry.BUILTINS.rule(new Expr.Binary(Expr.BinOp.ADD, x, x, Ty.DOUBLE, Pos.NONE)));
        assertSame(Rules.SQUARE, Registry.BUILTINS.rule(new Expr.Binary(Expr.BinOp.MUL, x, x, Ty.DOUBLE, Pos.NONE)));
        Expr y = new Expr.Lit("0.25", Ty.DOUBLE, Pos.NONE);
        assertSame(Rules.PRODUCT, Registry.BUILTINS.rule(new Expr.Binary(Expr.BinOp.MUL, x, y, Ty.DOUBLE, Pos.NONE)));
        assertNull(Registry.BUILTINS.rule(new Expr.Binary(Expr.BinOp.LT, x, y, Ty.BOOLEAN, Pos.NONE)));
        // abs(int) is registered, with no rule: its result is an int
        Registry.Entry absInt = Registry.BUILTINS.lookup(callee("abs", List.of(Ty.INT), Ty.INT));
        assertNotNull(absInt);
        assertNull(absInt.rule());
        assertNotNull(Registry.BUILTINS.rule(callee("abs", List.of(Ty.DOUBLE), Ty.DOUBLE)));
    }

    @Test
    void aSecondRegistrationOfAnOverloadReplacesTheFirst() {
        Registry r = new Registry();
        Callee f = new Callee("p.Model", "f", List.of(Ty.DOUBLE), Ty.DOUBLE);
        Rule first = Rules.IDENTITY;
        Rule second = Rules.NEGATION;
        r.register(new Registry.Entry(f, first, false));
        r.register(new Registry.Entry(f, second, false));
        assertSame(second, r.rule(f));
        assertEquals(f, r.resolve("p.Model", "f", List.of(Ty.INT)));
        Callee g = new Callee("p.Model", "f", List.of(Ty.INT), Ty.DOUBLE);
        r.register(new Registry.Entry(g, null, true));
        // f(int) is now the most specific for an int; f(double) still takes a long
        assertEquals(g, r.resolve("p.Model", "f", List.of(Ty.INT)));
        assertEquals(f, r.resolve("p.Model", "f", List.of(Ty.LONG)));
        assertTrue(r.isPiecewiseConstant(g));
        assertFalse(r.isPiecewiseConstant(f));
    }
}
