package dev.adjoint.processor.stages;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.IrWalker;
import dev.adjoint.processor.ir.Pos;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.Ty;
import dev.adjoint.processor.rules.MathFunctions;
import dev.adjoint.processor.rules.Rule;
import dev.adjoint.processor.rules.Rules;
import dev.adjoint.processor.rules.Template;
import dev.adjoint.testing.FiniteDifferences;
import dev.adjoint.testing.RandomPoints;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The rules stage: every derivative rule's templates, filled by {@link Template#fill} with literal operands and
 * evaluated, give the partial derivative that a central finite difference of the function measures, times the
 * seed, with the rule's sign; and what a rule says about its templates (reads, uses the result, passes the seed) is
 * what its templates do.
 */
class TemplateTest {
    /** Random points where each function is smooth: away from poles, kinks, ties and the edges of its domain. */
    private static final Map<String, Function<RandomPoints, double[]>> DOMAINS = new LinkedHashMap<>();

    static {
        DOMAINS.put("sin", r -> new double[] {r.uniform(-4, 4)});
        DOMAINS.put("cos", r -> new double[] {r.uniform(-4, 4)});
        DOMAINS.put("tan", r -> new double[] {r.uniform(-1.3, 1.3)});
        DOMAINS.put("asin", r -> new double[] {r.uniform(-0.9, 0.9)});
        DOMAINS.put("acos", r -> new double[] {r.uniform(-0.9, 0.9)});
        DOMAINS.put("atan", r -> new double[] {r.uniform(-5, 5)});
        DOMAINS.put("atan2", r -> new double[] {r.magnitude(0.2, 3), r.magnitude(0.2, 3)});
        DOMAINS.put("sinh", r -> new double[] {r.uniform(-3, 3)});
        DOMAINS.put("cosh", r -> new double[] {r.uniform(-3, 3)});
        DOMAINS.put("tanh", r -> new double[] {r.uniform(-3, 3)});
        DOMAINS.put("exp", r -> new double[] {r.uniform(-3, 3)});
        DOMAINS.put("expm1", r -> new double[] {r.uniform(-3, 3)});
        DOMAINS.put("log", r -> new double[] {r.uniform(0.1, 10)});
        DOMAINS.put("log10", r -> new double[] {r.uniform(0.1, 10)});
        DOMAINS.put("log1p", r -> new double[] {r.uniform(-0.9, 10)});
        DOMAINS.put("sqrt", r -> new double[] {r.uniform(0.1, 10)});
        DOMAINS.put("cbrt", r -> new double[] {r.magnitude(0.1, 10)});
        DOMAINS.put("pow", r -> new double[] {r.uniform(0.2, 3), r.uniform(-2.5, 2.5)});
        DOMAINS.put("hypot", r -> new double[] {r.magnitude(0.1, 3), r.magnitude(0.1, 3)});
        DOMAINS.put("abs", r -> new double[] {r.magnitude(0.1, 5)});
        DOMAINS.put("max", TemplateTest::distinctPair);
        DOMAINS.put("min", TemplateTest::distinctPair);
        DOMAINS.put("toRadians", r -> new double[] {r.uniform(-400, 400)});
        DOMAINS.put("toDegrees", r -> new double[] {r.uniform(-7, 7)});
        DOMAINS.put("fma", r -> new double[] {r.uniform(-3, 3), r.uniform(-3, 3), r.uniform(-3, 3)});
    }

    private static double[] distinctPair(RandomPoints r) {
        double a = r.uniform(-3, 3);
        double b = r.uniformAwayFrom(-3, 3, 0.05, a);
        return new double[] {a, b};
    }

    /** The operator rules, with the function each differentiates and where. */
    private record OperatorRule(String name, Rule rule, Function<double[], Double> f,
            Function<RandomPoints, double[]> domain) {}

    private static final List<OperatorRule> OPERATORS = List.of(
            new OperatorRule("a + b", Rules.SUM, a -> a[0] + a[1], r -> new double[] {r.uniform(-5, 5),
                    r.uniform(-5, 5)}),
            new OperatorRule("a - b", Rules.DIFFERENCE, a -> a[0] - a[1], r -> new double[] {r.uniform(-5, 5),
                    r.uniform(-5, 5)}),
            new OperatorRule("a * b", Rules.PRODUCT, a -> a[0] * a[1], r -> new double[] {r.uniform(-5, 5),
                    r.uniform(-5, 5)}),
            // x * x: the first operand's share is the whole derivative, 2x; the second has none
            new OperatorRule("x * x", Rules.SQUARE, a -> a[0] * a[0], r -> new double[] {r.uniform(-5, 5), 0}),
            new OperatorRule("a / b", Rules.QUOTIENT, a -> a[0] / a[1], r -> new double[] {r.uniform(-5, 5),
                    r.magnitude(0.2, 5)}),
            // away from the jumps of trunc(a/b)
            new OperatorRule("a % b", Rules.REMAINDER, a -> a[0] % a[1], TemplateTest::remainderPoint),
            new OperatorRule("-a", Rules.NEGATION, a -> -a[0], r -> new double[] {r.uniform(-5, 5)}),
            new OperatorRule("+a", Rules.IDENTITY, a -> a[0], r -> new double[] {r.uniform(-5, 5)}));

    private static double[] remainderPoint(RandomPoints r) {
        double b = r.magnitude(0.5, 3);
        double q = r.uniform(-4, 4);
        double frac = r.uniform(0.1, 0.9);
        return new double[] {(Math.floor(q) + frac) * b, b};
    }

    // ---------------------------------------------------------------- numbers

    @Test
    void everyMathRuleMatchesFiniteDifferencesForEveryArgumentAloneAndWithOthers() throws Exception {
        List<String> withRule = new ArrayList<>();
        for (MathFunctions.Function f : MathFunctions.ALL) {
            if (f.rule() == null) {
                continue;
            }
            withRule.add(f.name());
            Function<RandomPoints, double[]> domain = DOMAINS.get(f.name());
            assertNotNull(domain, () -> "no domain for " + f.name() + ": a new function needs one here");
            Method m = mathMethod(f.name(), f.arity());
            checkRule(f.name(), f.rule(), args -> invoke(m, args), domain);
        }
        assertEquals(DOMAINS.keySet(), new java.util.LinkedHashSet<>(withRule), "the functions with a rule");
    }

    @Test
    void everyOperatorRuleMatchesFiniteDifferences() {
        for (OperatorRule op : OPERATORS) {
            checkRule(op.name(), op.rule(), op.f(), op.domain());
        }
    }

    private static void checkRule(String name, Rule rule, Function<double[], Double> f,
            Function<RandomPoints, double[]> domain) {
        int arity = rule.terms().size();
        assertEquals(arity, rule.partials().size(), name);
        assertEquals(arity, rule.negated().size(), name);
        if (rule.loneTerms() != null) {
            assertEquals(arity, rule.loneTerms().size(), name);
        }
        RandomPoints r = RandomPoints.seeded(name.hashCode());
        int[] compared = new int[arity];
        for (int point = 0; point < 20; point++) {
            double[] x = domain.apply(r);
            double z = f.apply(x);
            double g = r.magnitude(0.5, 2);
            for (int k = 0; k < arity; k++) {
                final int arg = k;
                FiniteDifferences.Estimate fd = FiniteDifferences.derivative(t -> {
                    double[] moved = x.clone();
                    moved[arg] = t;
                    if (rule == Rules.SQUARE) {
                        moved[1] = t; // both operands are the same variable
                    }
                    return f.apply(moved);
                }, x[k]);
                for (boolean othersActive : new boolean[] {true, false}) {
                    Expr template = rule.term(k, othersActive);
                    if (template == null) {
                        assertTrue(rule == Rules.SQUARE && k == 1, () -> name + ": no share for argument " + arg);
                        continue;
                    }
                    double share = CoreInterpreter.evalDouble(Template.fill(template, lits(x), lit(z), lit(g)));
                    double contribution = rule.negated().get(k) ? -share : share;
                    if (!fd.reliable(1e-7)) {
                        continue;
                    }
                    boolean lone = !othersActive;
                    assertTrue(FiniteDifferences.close(g * fd.value(), contribution, 1e-7),
                            () -> name + " at " + java.util.Arrays.toString(x) + ", argument " + arg
                                    + (lone ? " alone" : "") + ": the rule gives " + contribution + " for seed " + g
                                    + ", finite differences " + g * fd.value());
                    compared[k]++;
                }
            }
        }
        for (int k = 0; k < arity; k++) {
            if (rule.terms().get(k) != null) {
                assertTrue(compared[k] >= 20, name + ": argument " + k + " compared at " + compared[k] + " points");
            }
        }
    }

    @Test
    void piecewiseConstantFunctionsHaveNoRuleAndAFlatDerivative() throws Exception {
        List<String> flat = new ArrayList<>();
        RandomPoints r = RandomPoints.seeded(3);
        for (MathFunctions.Function f : MathFunctions.ALL) {
            if (!f.piecewiseConstant()) {
                continue;
            }
            flat.add(f.name());
            assertNull(f.rule(), f.name());
            Method m = mathMethod(f.name(), 1);
            for (int i = 0; i < 10; i++) {
                // off the jumps at the integers and half-integers (and 0, for signum)
                double x = Math.floor(r.uniform(-5, 5)) + 0.25 + 0.5 * r.random().nextInt(2) - 0.01;
                FiniteDifferences.Estimate fd = FiniteDifferences.derivative(t -> invoke(m, new double[] {t}), x);
                assertEquals(0.0, fd.value(), 0.0, () -> f.name() + " at " + x);
            }
        }
        assertEquals(List.of("floor", "ceil", "rint", "round", "signum"), flat);
    }

    // ---------------------------------------------------------------- conventions at the kinks

    @Test
    void maxAndMinGiveATieToTheFirstArgumentWhenBothAreActiveAndToNeitherWhenOneIs() {
        for (String fn : List.of("max", "min")) {
            Rule rule = MathFunctions.rule(fn);
            double[] tie = {1.5, 1.5};
            assertEquals(2.0, share(rule, 0, true, tie, 1.5, 2.0), fn);
            assertEquals(0.0, share(rule, 1, true, tie, 1.5, 2.0), fn);
            assertEquals(0.0, share(rule, 0, false, tie, 1.5, 2.0), fn + " alone");
            assertEquals(0.0, share(rule, 1, false, tie, 1.5, 2.0), fn + " alone");
        }
        // the paper's relu: d/dz max(0, z) is 0 at z = 0 and 1 above
        Rule max = MathFunctions.rule("max");
        assertEquals(0.0, share(max, 1, false, new double[] {0.0, 0.0}, 0.0, 1.0));
        assertEquals(1.0, share(max, 1, false, new double[] {0.0, 1e-300}, 1e-300, 1.0));
    }

    @Test
    void theOtherKinksFollowTheDocumentedConventions() {
        assertEquals(0.0, share(MathFunctions.rule("abs"), 0, false, new double[] {0.0}, 0.0, 1.0), "abs at 0");
        Rule atan2 = MathFunctions.rule("atan2");
        Rule hypot = MathFunctions.rule("hypot");
        for (int k = 0; k < 2; k++) {
            assertEquals(0.0, share(atan2, k, true, new double[] {0.0, 0.0}, 0.0, 1.0), "atan2 at the origin");
            assertEquals(0.0, share(hypot, k, true, new double[] {0.0, 0.0}, 0.0, 1.0), "hypot at the origin");
        }
        Rule pow = MathFunctions.rule("pow");
        // d 0^y/dy is taken as 0, not 0 * -Infinity; d x^2/dx at 0 is 0
        assertEquals(0.0, share(pow, 1, true, new double[] {0.0, 2.0}, 0.0, 1.0));
        assertEquals(0.0, share(pow, 0, true, new double[] {0.0, 2.0}, 0.0, 1.0));
        assertEquals(2.0 * 0.5 * 3.0, share(pow, 0, true, new double[] {0.5, 2.0}, 0.25, 3.0), 1e-15);
    }

    private static double share(Rule rule, int k, boolean othersActive, double[] x, double z, double g) {
        return CoreInterpreter.evalDouble(Template.fill(rule.term(k, othersActive), lits(x), lit(z), lit(g)));
    }

    // ---------------------------------------------------------------- what a rule says about its templates

    @Test
    void readsUsesResultAndPassesSeedAgreeWithTheTemplates() {
        Map<String, Rule> all = new LinkedHashMap<>();
        for (MathFunctions.Function f : MathFunctions.ALL) {
            if (f.rule() != null) {
                all.put(f.name(), f.rule());
            }
        }
        for (OperatorRule op : OPERATORS) {
            all.put(op.name(), op.rule());
        }
        for (Map.Entry<String, Rule> e : all.entrySet()) {
            Rule rule = e.getValue();
            String name = e.getKey();
            int arity = rule.terms().size();
            List<Sym> argSyms = new ArrayList<>();
            List<Expr> argVars = new ArrayList<>();
            for (int k = 0; k < arity; k++) {
                Sym s = new Sym(k, "a" + k, Ty.DOUBLE, -1);
                argSyms.add(s);
                argVars.add(new Expr.Var(s, Pos.NONE));
            }
            Sym z = new Sym(100, "z", Ty.DOUBLE, -1);
            Sym g = new Sym(101, "g", Ty.DOUBLE, -1);
            boolean anyResult = false;
            for (int arg = 0; arg < arity; arg++) {
                for (boolean others : new boolean[] {true, false}) {
                    Expr template = rule.term(arg, others);
                    if (template == null) {
                        assertFalse(rule.passesSeed(arg, others), name);
                        continue;
                    }
                    Expr filled = Template.fill(template, argVars, new Expr.Var(z, Pos.NONE), new Expr.Var(g,
                            Pos.NONE));
                    for (int k = 0; k < arity; k++) {
                        assertEquals(mentions(filled, argSyms.get(k)), rule.reads(arg, others, k),
                                name + ": whether the share of argument " + arg + " reads argument " + k);
                    }
                    boolean readsZ = mentions(filled, z);
                    anyResult |= readsZ;
                    assertEquals(readsZ, rule.reads(arg, others, -1), name + ": whether it reads the result");
                    boolean isSeed = filled instanceof Expr.Var v && v.sym() == g;
                    assertEquals(isSeed, rule.passesSeed(arg, others), name + ": whether it passes the seed");
                    assertTrue(mentions(filled, g), name + ": every share is linear in the seed, so reads it");
                    int holes = countHoles(filled);
                    assertEquals(0, holes, name + ": holes left");
                    if (!readsZ) {
                        // a share that does not read the value can be filled without it
                        assertDoesNotThrow(() -> Template.fill(template, argVars, null, argVars.get(0)), name);
                    } else {
                        assertThrows(IllegalStateException.class,
                                () -> Template.fill(template, argVars, null, argVars.get(0)), name);
                    }
                }
            }
            assertEquals(anyResult, rule.usesResult(), name + ": whether the rule uses the result");
        }

        // the examples, by name
        Rule exp = MathFunctions.rule("exp");
        assertTrue(exp.usesResult());
        assertTrue(exp.reads(0, false, -1));
        assertFalse(exp.reads(0, false, 0), "exp's share is z * g");
        Rule sin = MathFunctions.rule("sin");
        assertFalse(sin.usesResult());
        assertTrue(sin.reads(0, false, 0));
        assertTrue(Rules.SUM.passesSeed(0, true) && Rules.SUM.passesSeed(1, true));
        assertTrue(Rules.DIFFERENCE.passesSeed(1, true) && Rules.DIFFERENCE.negated().get(1));
        assertFalse(Rules.PRODUCT.passesSeed(0, true));
        assertTrue(Rules.PRODUCT.reads(0, true, 1));
        assertFalse(Rules.PRODUCT.reads(0, true, 0));
        assertFalse(Rules.QUOTIENT.usesResult());
        for (String fn : List.of("tan", "tanh", "exp", "expm1", "sqrt", "cbrt", "pow", "hypot")) {
            assertTrue(MathFunctions.rule(fn).usesResult(), fn);
        }
        // max and min alone: a tie goes to the other argument, so their lone shares are templates of their own
        for (String fn : List.of("max", "min")) {
            Rule r = MathFunctions.rule(fn);
            assertNotNull(r.loneTerms(), fn);
            assertNotSame(r.term(0, true), r.term(0, false), fn);
        }
        assertNull(Rules.PRODUCT.loneTerms());
    }

    private static boolean mentions(Expr e, Sym s) {
        boolean[] found = {false};
        IrWalker.visit(e, x -> found[0] |= x instanceof Expr.Var v && v.sym() == s);
        return found[0];
    }

    private static int countHoles(Expr e) {
        int[] n = {0};
        IrWalker.visit(e, x -> n[0] += x instanceof Expr.Hole ? 1 : 0);
        return n[0];
    }

    // ---------------------------------------------------------------- helpers

    private static Method mathMethod(String name, int arity) throws NoSuchMethodException {
        Class<?>[] params = new Class<?>[arity];
        java.util.Arrays.fill(params, double.class);
        return Math.class.getMethod(name, params);
    }

    private static double invoke(Method m, double[] args) {
        try {
            Object[] boxed = new Object[args.length];
            for (int i = 0; i < args.length; i++) {
                boxed[i] = args[i];
            }
            return ((Number) m.invoke(null, boxed)).doubleValue();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Expr> lits(double[] x) {
        List<Expr> out = new ArrayList<>();
        for (double v : x) {
            out.add(lit(v));
        }
        return out;
    }

    private static Expr lit(double v) {
        return new Expr.Lit(Double.toString(v), Ty.DOUBLE, Pos.NONE);
    }
}
