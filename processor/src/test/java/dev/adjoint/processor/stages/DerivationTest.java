package dev.adjoint.processor.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.processor.explain.Derivation;
import dev.adjoint.processor.explain.Formula;
import dev.adjoint.processor.rules.Registry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The explanation's derivation (explain.Derivation) of the paper's scalar worked examples (Parr and Howard, sections
 * "Derivatives of single-variable functions" and "The chain rules"): its intermediate variables and their rules, and
 * the substituted, simplified result, which must be the paper's closed form, both as printed and in value at seeded
 * random points.
 */
class DerivationTest {
    /** The neuron's loss of the README, C(w, b) = 1/N Σᵢ (yᵢ − max(0, w·xᵢ + b))². */
    private static final String NEURON = """
                @Differentiable(wrt = {"w", "b"})
                static double f(double[] w, double b, double[][] X, double[] y) {
                    double cost = 0;
                    for (int i = 0; i < X.length; i++) {
                        double z = b;
                        for (int j = 0; j < w.length; j++) {
                            z += w[j] * X[i][j];
                        }
                        double a = Math.max(0, z);
                        double e = y[i] - a;
                        cost += e * e;
                    }
                    return cost / X.length;
                }""";

    private static Derivation derive(String members) {
        return Derivation.ofStatements(Stages.parse(members), Registry.BUILTINS);
    }

    /** Checks a printed closed form, and its value against {@code expected} at 20 seeded points. */
    private static void closedForm(Derivation d, String param, String printed,
            Function<Map<String, Double>, Double> expected, String... names) {
        assertNull(d.whyNot(), d.whyNot());
        assertEquals(printed, Formula.text(d.gradient().get(param)), "d/d" + param);
        SplittableRandom r = new SplittableRandom(param.hashCode() * 31L + printed.hashCode());
        for (int k = 0; k < 20; k++) {
            Map<String, Double> at = new java.util.HashMap<>();
            for (String n : names) {
                at.put(n, r.nextDouble(-2, 2));
            }
            double want = expected.apply(at);
            Map<String, double[]> scalars = new java.util.HashMap<>();
            at.forEach((n, v) -> scalars.put(n, new double[] {v}));
            double got = value(d.gradient().get(param), scalars, Map.of(), -1)[0];
            assertEquals(want, got, 1e-12 * Math.max(1, Math.abs(want)), "d/d" + param + " at " + at);
        }
    }

    @Test
    void threeXSquaredYHasTheGradientSixXYAndThreeXSquared() {
        Derivation d = derive("""
                @Differentiable
                static double f(double x, double y) {
                    return 3 * x * x * y;
                }""");
        closedForm(d, "x", "6·x·y", at -> 6 * at.get("x") * at.get("y"), "x", "y");
        closedForm(d, "y", "3·x²", at -> 3 * at.get("x") * at.get("x"), "x", "y");
        assertEquals("3·x²·y", Formula.text(d.value()));
    }

    @Test
    void sinOfXSquaredIsTwoXCosXSquaredThroughTwoIntermediateVariables() {
        Derivation d = derive("""
                @Differentiable
                static double f(double x) {
                    return Math.sin(x * x);
                }""");
        closedForm(d, "x", "2·x·cos(x²)", at -> 2 * at.get("x") * Math.cos(at.get("x") * at.get("x")), "x");
        // the paper's steps: u1 = x², u2 = sin(u1); du1/dx = 2x (power rule), du2/du1 = cos(u1)
        List<String> steps = new ArrayList<>();
        for (Derivation.Intermediate u : d.steps()) {
            steps.add(u.name() + " = " + Formula.text(u.op()));
        }
        assertEquals(List.of("u1 = x²", "u2 = sin(u1)"), steps);
        Derivation.Partial square = d.steps().get(0).partials().get(0);
        assertEquals("x", square.operand());
        assertEquals("2·x", Formula.text(square.value()));
        assertEquals("power rule", square.rule());
        Derivation.Partial sine = d.steps().get(1).partials().get(0);
        assertEquals("u1", sine.operand());
        assertEquals("cos(u1)", Formula.text(sine.value()));
        assertEquals("sine rule", sine.rule());
        assertEquals("cos(u1)·du1/dx", Formula.text(d.steps().get(1).chain().get("x")));
    }

    @Test
    void xPlusXSquaredIsOnePlusTwoX() {
        Derivation d = derive("""
                @Differentiable
                static double f(double x) {
                    return x + x * x;
                }""");
        closedForm(d, "x", "1 + 2·x", at -> 1 + 2 * at.get("x"), "x");
    }

    @Test
    void aDenominatorOfSeveralFactorsIsWrittenInParentheses() {
        // x/(y·z): 1/(y·z), never 1/y·z, which reads as z/y
        Derivation d = derive("""
                @Differentiable
                static double f(double x, double y, double z) {
                    return x / (y * z);
                }""");
        closedForm(d, "x", "1/(y·z)", at -> 1 / (at.get("y") * at.get("z")), "x", "y", "z");
        closedForm(d, "z", "−x/(y·z²)", at -> -at.get("x") / (at.get("y") * at.get("z") * at.get("z")), "x", "y", "z");
    }

    @Test
    void xTimesXSquaredIsThreeXSquaredByTheProductRule() {
        // the paper's product-rule example, y = x·x²: dy/dx = x·2x + x²·1 = 3x²
        Derivation d = derive("""
                @Differentiable
                static double f(double x) {
                    return x * (x * x);
                }""");
        closedForm(d, "x", "3·x²", at -> 3 * at.get("x") * at.get("x"), "x");
        List<String> partials = new ArrayList<>();
        for (Derivation.Intermediate u : d.steps()) {
            for (Derivation.Partial p : u.partials()) {
                partials.add("∂" + u.name() + "/∂" + p.operand() + " = " + Formula.text(p.value()) + " (" + p.rule()
                        + ")");
            }
        }
        assertEquals(List.of("∂u1/∂x = 2·x (power rule)", "∂u2/∂x = u1 (product rule)", "∂u2/∂u1 = x (product rule)"),
                partials);
        assertEquals("x³", Formula.text(d.value()));
    }

    @Test
    void sinOfXPlusXSquaredKeepsTheSumAsOneFactor() {
        Derivation d = derive("""
                @Differentiable
                static double f(double x) {
                    double u1 = x * x;
                    double u2 = x + u1;
                    return Math.sin(u2);
                }""");
        closedForm(d, "x", "cos(x + x²)·(1 + 2·x)",
                at -> Math.cos(at.get("x") + at.get("x") * at.get("x")) * (1 + 2 * at.get("x")), "x");
    }

    @Test
    void aQuotientAndADifferenceCollectLikeTerms() {
        // f = (x·y − y) / y = x − 1: df/dx = 1, df/dy = 0 after simplification
        Derivation d = derive("""
                @Differentiable
                static double f(double x, double y) {
                    return (x * y - y) / y;
                }""");
        assertNull(d.whyNot(), d.whyNot());
        assertNotNull(d.gradient().get("x"));
        assertEquals("0", Formula.text(d.gradient().get("y")));
        assertEquals("1", Formula.text(d.gradient().get("x")));
    }

    private static Derivation deriveStatements(String members) {
        return Derivation.ofStatements(Stages.parse(members), Registry.BUILTINS);
    }

    @Test
    void theAffineFunctionWDotXPlusBHasTheGradientsXTransposedAndOne() {
        // the paper's "vector sum reduction" section: ∂(w·x + b)/∂w = xᵀ (1×n, numerator layout), ∂/∂b = 1
        Derivation d = deriveStatements("""
                @Differentiable(wrt = {"w", "b"})
                static double f(double[] w, double[] x, double b) {
                    return dev.adjoint.Vectors.dot(w, x) + b;
                }""");
        assertNull(d.whyNot(), d.whyNot());
        assertEquals("xᵀ", Formula.text(d.gradient().get("w")));
        assertEquals("1", Formula.text(d.gradient().get("b")));
        assertEquals("u1 = w·x", d.steps().get(0).name() + " = " + Formula.text(d.steps().get(0).op()));
        assertEquals("dot product rule", d.steps().get(0).partials().get(0).rule());
        SplittableRandom r = new SplittableRandom(7);
        for (int trial = 0; trial < 10; trial++) {
            double[] w = {r.nextDouble(-1, 1), r.nextDouble(-1, 1), r.nextDouble(-1, 1)};
            double[] x = {r.nextDouble(-1, 1), r.nextDouble(-1, 1), r.nextDouble(-1, 1)};
            double[] dw = value(d.gradient().get("w"), Map.of("w", w, "x", x), Map.of(), -1);
            assertEquals(x.length, dw.length);
            for (int k = 0; k < x.length; k++) {
                assertEquals(x[k], dw[k], 0, "∂(w·x + b)/∂w" + k + " is x" + k);
            }
        }
    }

    @Test
    void theNeuronsActivationMaxZeroWDotXPlusBHasThePapersPiecewiseGradient() {
        // ∂/∂w max(0, w·x + b) = xᵀ where w·x + b > 0, 0 elsewhere (the paper's kink convention: 0 at the kink)
        Derivation d = deriveStatements("""
                @Differentiable(wrt = {"w", "b"})
                static double f(double[] w, double[] x, double b) {
                    double z = dev.adjoint.Vectors.dot(w, x) + b;
                    return Math.max(0, z);
                }""");
        assertNull(d.whyNot(), d.whyNot());
        // (the normal form writes a sum's terms by degree, then by name: b + w·x is the paper's w·x + b)
        assertEquals("xᵀ if b + w·x > 0; 0 otherwise", Formula.text(d.gradient().get("w")));
        assertEquals("1 if b + w·x > 0; 0 otherwise", Formula.text(d.gradient().get("b")));
        // against central differences of max(0, w·x + b), away from the kink
        SplittableRandom r = new SplittableRandom(11);
        for (int trial = 0; trial < 20; trial++) {
            double[] w = {r.nextDouble(-1, 1), r.nextDouble(-1, 1)};
            double[] x = {r.nextDouble(-1, 1), r.nextDouble(-1, 1)};
            double b = r.nextDouble(-1, 1);
            Map<String, double[]> at = Map.of("w", w, "x", x, "b", new double[] {b});
            double[] dw = value(d.gradient().get("w"), at, Map.of(), -1);
            double db = value(d.gradient().get("b"), at, Map.of(), -1)[0];
            double h = 1e-7;
            double z = w[0] * x[0] + w[1] * x[1] + b;
            if (Math.abs(z) < 1e-3) {
                continue;
            }
            for (int k = 0; k < 2; k++) {
                double[] up = w.clone();
                double[] down = w.clone();
                up[k] += h;
                down[k] -= h;
                double fd = (relu(up, x, b) - relu(down, x, b)) / (2 * h);
                assertEquals(fd, dw.length == 1 ? dw[0] : dw[k], 1e-6, "∂/∂w" + k + " at z = " + z);
            }
            assertEquals((relu(w, x, b + h) - relu(w, x, b - h)) / (2 * h), db, 1e-6, "∂/∂b at z = " + z);
        }
    }

    private static double relu(double[] w, double[] x, double b) {
        return Math.max(0, w[0] * x[0] + w[1] * x[1] + b);
    }

    @Test
    void theRectifierOfAScalarAgreesWithItsDerivativeEverywhereButTheKink() {
        Derivation d = derive("""
                @Differentiable
                static double f(double x, double y) {
                    return Math.max(0, 2 * x * y + 1);
                }""");
        closedForm(d, "x", "2·(y if 1 + 2·x·y > 0; 0 otherwise)",
                at -> 2 * at.get("x") * at.get("y") + 1 > 0 ? 2 * at.get("y") : 0, "x", "y");
    }

    @Test
    void theNeuronsMeanSquaredErrorIsTwoOverNTimesTheSumOfErrorTimesInput() {
        // the paper's gradient of C(w, b) = 1/N Σᵢ (yᵢ − max(0, w·xᵢ + b))²: where the activation is positive,
        // ∂C/∂w = 2/N Σᵢ (w·xᵢ + b − yᵢ) xᵢᵀ and ∂C/∂b = 2/N Σᵢ (w·xᵢ + b − yᵢ); 0 where it is not
        Derivation d = deriveStatements(NEURON);
        assertNull(d.whyNot(), d.whyNot());
        assertEquals("2·Σᵢ((b + w·xᵢ − yᵢ)·xᵢᵀ if b + w·xᵢ > 0; 0 otherwise)/N", Formula.text(d.gradient().get("w")));
        assertEquals("2·Σᵢ(b + w·xᵢ − yᵢ if b + w·xᵢ > 0; 0 otherwise)/N", Formula.text(d.gradient().get("b")));
    }

    /**
     * Evaluates a vector formula: scalars as {@code double[1]}, a vector or row vector as its elements; names from
     * {@code at}; in a Σᵢ, a name ending in ᵢ is row or element i of {@code rows}' array of that name.
     */
    private static double[] value(Formula f, Map<String, double[]> at, Map<String, double[][]> rows, int i) {
        if (f instanceof Formula.Num n) {
            return new double[] {n.value()};
        } else if (f instanceof Formula.Name n) {
            if (n.name().endsWith("ᵢ")) {
                return rows.get(n.name().substring(0, n.name().length() - 1))[i];
            }
            return at.get(n.name());
        } else if (f instanceof Formula.Sum s) {
            double[] out = null;
            for (Formula t : s.terms()) {
                double[] v = value(t, at, rows, i);
                out = out == null ? v.clone() : combine(out, v, Double::sum);
            }
            return out;
        } else if (f instanceof Formula.Product p) {
            double[] out = {p.coefficient()};
            for (Formula x : p.factors()) {
                out = combine(out, value(x, at, rows, i), (a, b) -> a * b);
            }
            return out;
        } else if (f instanceof Formula.Power p) {
            return new double[] {Math.pow(value(p.base(), at, rows, i)[0], p.exponent())};
        } else if (f instanceof Formula.Transpose t) {
            return value(t.vector(), at, rows, i);
        } else if (f instanceof Formula.Dot d) {
            double[] a = value(d.left(), at, rows, i);
            double[] b = value(d.right(), at, rows, i);
            double s = 0;
            for (int k = 0; k < a.length; k++) {
                s += a[k] * b[k];
            }
            return new double[] {s};
        } else if (f instanceof Formula.Compare c) {
            double a = value(c.left(), at, rows, i)[0];
            double b = value(c.right(), at, rows, i)[0];
            return new double[] {c.op().equals(">") ? (a > b ? 1 : 0) : Double.NaN};
        } else if (f instanceof Formula.Cases c) {
            return value(c.test(), at, rows, i)[0] != 0 ? value(c.then(), at, rows, i)
                    : value(c.otherwise(), at, rows, i);
        } else if (f instanceof Formula.SumOver so) {
            double[] out = {0};
            int n = rows.values().iterator().next().length;
            for (int k = 0; k < n; k++) {
                out = combine(out, value(so.body(), at, rows, k), Double::sum);
            }
            return out;
        } else if (f instanceof Formula.Apply a) {
            double u = value(a.args().get(0), at, rows, i)[0];
            double v = a.args().size() > 1 ? value(a.args().get(1), at, rows, i)[0] : Double.NaN;
            return new double[] {switch (a.fn()) {
                case "sin" -> Math.sin(u);
                case "cos" -> Math.cos(u);
                case "exp" -> Math.exp(u);
                case "log" -> Math.log(u);
                case "max" -> Math.max(u, v);
                default -> throw new IllegalArgumentException("cannot evaluate " + a.fn());
            }};
        }
        throw new IllegalArgumentException("cannot evaluate " + Formula.text(f));
    }

    /** Element-wise, a length-1 operand broadcast. */
    private static double[] combine(double[] a, double[] b, java.util.function.DoubleBinaryOperator op) {
        int n = Math.max(a.length, b.length);
        double[] out = new double[n];
        for (int k = 0; k < n; k++) {
            out[k] = op.applyAsDouble(a[a.length == 1 ? 0 : k], b[b.length == 1 ? 0 : k]);
        }
        return out;
    }

    @Test
    void theNeuronsClosedFormGradientAgreesWithCentralDifferencesOfTheLoss() {
        Derivation d = deriveStatements(NEURON);
        SplittableRandom r = new SplittableRandom(20261203L);
        for (int trial = 0; trial < 10; trial++) {
            int n = 3;
            int samples = 7;
            double[] w = new double[n];
            double[][] x = new double[samples][n];
            double[] y = new double[samples];
            for (int k = 0; k < n; k++) {
                w[k] = r.nextDouble(-1, 1);
            }
            for (int s = 0; s < samples; s++) {
                for (int k = 0; k < n; k++) {
                    x[s][k] = r.nextDouble(-1, 1);
                }
                y[s] = r.nextDouble(-1, 1);
            }
            double b = r.nextDouble(-0.5, 0.5);
            Map<String, double[]> at = Map.of("w", w, "b", new double[] {b}, "N", new double[] {samples});
            Map<String, double[][]> rows = Map.of("x", x, "y", column(y));
            double[] dw = value(d.gradient().get("w"), at, rows, -1);
            double db = value(d.gradient().get("b"), at, rows, -1)[0];
            double h = 1e-6;
            for (int k = 0; k < n; k++) {
                double[] up = w.clone();
                double[] down = w.clone();
                up[k] += h;
                down[k] -= h;
                double fd = (mse(up, b, x, y) - mse(down, b, x, y)) / (2 * h);
                // (a zero row vector, where no sample's activation is positive, evaluates as the scalar 0)
                assertEquals(fd, dw.length == 1 ? dw[0] : dw[k], 1e-6, "∂C/∂w" + k + ", trial " + trial);
            }
            assertEquals((mse(w, b + h, x, y) - mse(w, b - h, x, y)) / (2 * h), db, 1e-6, "∂C/∂b, trial " + trial);
        }
    }

    private static double[][] column(double[] y) {
        double[][] out = new double[y.length][];
        for (int k = 0; k < y.length; k++) {
            out[k] = new double[] {y[k]};
        }
        return out;
    }

    private static double mse(double[] w, double b, double[][] x, double[] y) {
        double cost = 0;
        for (int i = 0; i < x.length; i++) {
            double z = b;
            for (int j = 0; j < w.length; j++) {
                z += w[j] * x[i][j];
            }
            double e = y[i] - Math.max(0, z);
            cost += e * e;
        }
        return cost / x.length;
    }

    @Test
    void aLoopIsNotDerivedInClosedFormAndSaysSo() {
        Derivation d = derive("""
                @Differentiable
                static double f(double[] x) {
                    double s = 0;
                    for (int i = 0; i < x.length; i++) {
                        s += x[i] * x[i];
                    }
                    return s;
                }""");
        assertTrue(d.whyNot() != null && d.whyNot().contains("straight-line"), String.valueOf(d.whyNot()));
    }

    /** A method with a loop and a branch, derived statement by statement ({@link Derivation.Local}). */
    private static final String LOOP_AND_BRANCH = """
            @Differentiable
            static double f(double[] x, double a) {
                double s = 0;
                for (int i = 0; i < x.length; i++) {
                    s += x[i] * x[i] / (1 + a * a);
                }
                double t = Math.sin(a * s);
                if (t > 0) {
                    t = t * Math.exp(-a);
                } else {
                    t = Math.max(0, s - t);
                }
                return t + s;
            }""";

    @Test
    void aLoopAndABranchAreDerivedOneStatementAtATimeWithWhereEachRuns() {
        Derivation d = derive(LOOP_AND_BRANCH);
        assertNotNull(d.whyNot());
        List<String> got = new ArrayList<>();
        for (Derivation.Local l : d.locals()) {
            StringBuilder b = new StringBuilder(l.target() + " = " + Formula.text(l.value()) + " [" + l.where() + "]");
            l.local().forEach((v, f) -> b.append("; ∂/∂").append(v).append(" = ").append(Formula.text(f)));
            got.add(b.toString());
        }
        assertEquals(List.of(
                "s = 0 []",
                "s = s + x[i]²/(1 + a²) [in each trip of the loop over i]; ∂/∂s = 1; ∂/∂x[i] = 2·x[i]/(1 + a²); "
                        + "∂/∂a = −2·a·x[i]²/(1 + a²)²",
                "t = sin(a·s) []; ∂/∂a = s·cos(a·s); ∂/∂s = a·cos(a·s)",
                "t = t·exp(−a) [when t > 0]; ∂/∂t = exp(−a); ∂/∂a = −t·exp(−a)",
                "t = max(0, s − t) [when not (t > 0)]; ∂/∂s = 1 if s − t > 0; 0 otherwise; "
                        + "∂/∂t = −(1 if s − t > 0; 0 otherwise)",
                "f = s + t []; ∂/∂t = 1; ∂/∂s = 1"), got);
        assertEquals(List.of("for i", "if t > 0"), d.groups().stream().map(Derivation.Group::label).toList());
        assertEquals(List.of(-1, 0, -1, 1, 1, -1), d.locals().stream().map(Derivation.Local::group).toList());
        assertTrue(d.locals().get(1).accumulates() && !d.locals().get(2).accumulates());
    }

    @Test
    void eachStatementsPartialsAgreeWithCentralDifferencesOfItsValue() {
        Derivation d = derive(LOOP_AND_BRANCH);
        SplittableRandom r = new SplittableRandom(12);
        int checked = 0;
        for (Derivation.Local l : d.locals()) {
            for (int k = 0; k < 10; k++) {
                Map<String, double[]> at = new java.util.HashMap<>();
                for (String v : List.of("s", "x[i]", "a", "t")) {
                    at.put(v, new double[] {r.nextDouble(-2, 2)});
                }
                for (Map.Entry<String, Formula> e : l.local().entrySet()) {
                    double h = 1e-6;
                    double x0 = at.get(e.getKey())[0];
                    at.put(e.getKey(), new double[] {x0 + h});
                    double up = value(l.value(), at, Map.of(), -1)[0];
                    at.put(e.getKey(), new double[] {x0 - h});
                    double down = value(l.value(), at, Map.of(), -1)[0];
                    at.put(e.getKey(), new double[] {x0});
                    double fd = (up - down) / (2 * h);
                    double want = value(e.getValue(), at, Map.of(), -1)[0];
                    assertEquals(want, fd, 1e-6 * Math.max(1, Math.abs(want)), l.target() + " = "
                            + Formula.text(l.value()) + ", d/d" + e.getKey() + " at " + describe(at));
                    checked++;
                }
            }
        }
        assertEquals(10 * (3 + 2 + 2 + 2 + 2), checked);
    }

    @Test
    void nestedLoopsAreNamedTogetherAndACallIsLeftToItsOwnSection() {
        Derivation d = derive("""
                @Differentiable
                static double f(double[][] w, double[] x) {
                    double s = 0;
                    for (int i = 0; i < w.length; i++) {
                        for (int j = 0; j < x.length; j++) {
                            if (x[j] > 0) {
                                s += w[i][j] * x[j];
                            }
                        }
                        s = g(s);
                    }
                    return s;
                }

                static double g(double s) {
                    return s * s;
                }""");
        Derivation.Local inner = d.locals().get(1);
        assertEquals("in each trip of the loops over i, j, when x[j] > 0", inner.where());
        assertEquals("x[j]", Formula.text(inner.local().get("w[i][j]")));
        assertEquals("w[i][j]", Formula.text(inner.local().get("x[j]")));
        Derivation.Local call = d.locals().get(2);
        assertEquals("s", call.target());
        assertTrue(call.note() != null && call.note().contains("it calls g"), call.note());
        assertEquals(List.of("for i"), d.groups().stream().map(Derivation.Group::label).toList());
    }

    @Test
    void dataThatIsNotDifferentiatedGetsNoShare() {
        Derivation d = derive("""
                @Differentiable(wrt = "p")
                static double f(double[] p, double[] t, double[] y) {
                    double s = 0;
                    for (int i = 0; i < t.length; i++) {
                        double r = p[0] * t[i] - y[i];
                        s += r * r;
                    }
                    return s;
                }""");
        Derivation.Local r = d.locals().get(1);
        assertEquals("r", r.target());
        assertEquals(List.of("p[0]"), List.copyOf(r.local().keySet()));
        assertEquals("t[i]", Formula.text(r.local().get("p[0]")));
    }

    private static String describe(Map<String, double[]> at) {
        StringBuilder b = new StringBuilder();
        at.forEach((k, v) -> b.append(k).append('=').append(v[0]).append(' '));
        return b.toString();
    }
}
