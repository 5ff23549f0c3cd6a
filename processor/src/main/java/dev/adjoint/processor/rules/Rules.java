package dev.adjoint.processor.rules;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.IrWalker;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rule table: every primitive Adjoint differentiates, with its partial derivatives written as math. The
 * transforms look rules up here and never contain one. The scalar rules are the paper's table "Review: Scalar
 * derivative rules" (Parr and Howard, The Matrix Calculus You Need For Deep Learning): constant, multiplication by
 * constant, power, sum, difference, product and chain rule; the others are the standard derivatives of
 * {@code java.lang.Math}'s functions.
 *
 * <p>Conventions at points where a function is not differentiable (documented in docs/CONVENTIONS.md):
 * <ul>
 *   <li>{@code max(a, b)}: the derivative goes to the larger argument. At a tie it goes to the inactive argument
 *       when only one is active, so {@code d/dz max(0, z)} is 0 for z ≤ 0 and 1 for z > 0, the paper's
 *       convention, whichever way round it is written; when both are active a tie goes to the first.
 *       {@code min} likewise.</li>
 *   <li>{@code abs(x)}: derivative {@code signum(x)}, so 0 at x = 0.</li>
 *   <li>{@code floor}, {@code ceil}, {@code rint}, {@code signum}, {@code round}: derivative 0 everywhere (also at
 *       their jumps).</li>
 *   <li>{@code a % b}: ∂/∂a = 1 and ∂/∂b = −trunc(a/b), the derivatives of a − b·trunc(a/b) between jumps.</li>
 *   <li>{@code pow(x, y)}: ∂/∂y = pow(x, y)·ln x, taken as 0 where x = 0; {@code hypot} and {@code atan2}: 0 at
 *       the origin.</li>
 * </ul>
 */
public final class Rules {
    private static final Map<String, Rule> MATH = new HashMap<>();
    private static final Set<String> PIECEWISE_CONSTANT = Set.of("floor", "ceil", "rint", "signum", "round");

    private Rules() {}

    private static Rule unary(String name, String math, String term) {
        return new Rule(name, List.of(math), Arrays.asList(term), List.of(false), null);
    }

    private static void math(String fn, String name, String mathText, String term) {
        MATH.put(fn, unary(name, mathText, term));
    }

    static {
        math("sin", "sine rule", "d sin(x)/dx = cos(x)", "Math.cos({0}) * {g}");
        MATH.put("cos", new Rule("cosine rule", List.of("d cos(x)/dx = -sin(x)"), List.of("Math.sin({0}) * {g}"),
                List.of(true), null));
        math("tan", "tangent rule", "d tan(x)/dx = 1 + tan(x)^2", "(1.0 + {z} * {z}) * {g}");
        math("asin", "arcsine rule", "d asin(x)/dx = 1/sqrt(1 - x^2)", "{g} / Math.sqrt(1.0 - {0} * {0})");
        MATH.put("acos", new Rule("arccosine rule", List.of("d acos(x)/dx = -1/sqrt(1 - x^2)"),
                List.of("{g} / Math.sqrt(1.0 - {0} * {0})"), List.of(true), null));
        math("atan", "arctangent rule", "d atan(x)/dx = 1/(1 + x^2)", "{g} / (1.0 + {0} * {0})");
        math("sinh", "sinh rule", "d sinh(x)/dx = cosh(x)", "Math.cosh({0}) * {g}");
        math("cosh", "cosh rule", "d cosh(x)/dx = sinh(x)", "Math.sinh({0}) * {g}");
        math("tanh", "tanh rule", "d tanh(x)/dx = 1 - tanh(x)^2", "(1.0 - {z} * {z}) * {g}");
        math("exp", "exponential rule", "d exp(x)/dx = exp(x)", "{z} * {g}");
        math("expm1", "exponential rule", "d (exp(x) - 1)/dx = exp(x)", "({z} + 1.0) * {g}");
        math("log", "logarithm rule", "d ln(x)/dx = 1/x", "{g} / {0}");
        math("log10", "logarithm rule", "d log10(x)/dx = 1/(x ln 10)", "{g} / ({0} * 2.302585092994046)");
        math("log1p", "logarithm rule", "d ln(1 + x)/dx = 1/(1 + x)", "{g} / (1.0 + {0})");
        math("sqrt", "power rule", "d sqrt(x)/dx = 1/(2 sqrt(x))", "{g} / (2.0 * {z})");
        math("cbrt", "power rule", "d cbrt(x)/dx = 1/(3 cbrt(x)^2)", "{g} / (3.0 * {z} * {z})");
        math("abs", "absolute value rule", "d |x|/dx = signum(x) (0 at x = 0)", "Math.signum({0}) * {g}");
        math("toRadians", "multiplication by constant", "d (x pi/180)/dx = pi/180", "{g} / 180.0 * Math.PI");
        math("toDegrees", "multiplication by constant", "d (x 180/pi)/dx = 180/pi", "{g} * 180.0 / Math.PI");
        MATH.put("pow", new Rule("power rule", List.of("d x^y/dx = y x^(y-1)", "d x^y/dy = x^y ln(x)"),
                List.of("{1} * Math.pow({0}, {1} - 1.0) * {g}", "({0} == 0.0 ? 0.0 : {z} * Math.log({0}) * {g})"),
                List.of(false, false), null));
        MATH.put("atan2", new Rule("atan2 rule", List.of("d atan2(y, x)/dy = x/(x^2 + y^2)", "d atan2(y, x)/dx = -y/(x^2 + y^2)"),
                List.of("({0} == 0.0 && {1} == 0.0 ? 0.0 : {1} * {g} / ({0} * {0} + {1} * {1}))",
                        "({0} == 0.0 && {1} == 0.0 ? 0.0 : {0} * {g} / ({0} * {0} + {1} * {1}))"),
                List.of(false, true), null));
        MATH.put("hypot", new Rule("hypot rule", List.of("d hypot(x, y)/dx = x/hypot(x, y)", "d hypot(x, y)/dy = y/hypot(x, y)"),
                List.of("({z} == 0.0 ? 0.0 : {0} / {z} * {g})", "({z} == 0.0 ? 0.0 : {1} / {z} * {g})"),
                List.of(false, false), null));
        MATH.put("max", new Rule("max rule", List.of("d max(a, b)/da = 1 if a is the max, else 0", "d max(a, b)/db = 1 if b is the max, else 0"),
                List.of("({0} >= {1} ? {g} : 0.0)", "({1} > {0} ? {g} : 0.0)"), List.of(false, false),
                List.of("({0} > {1} ? {g} : 0.0)", "({1} > {0} ? {g} : 0.0)")));
        MATH.put("min", new Rule("min rule", List.of("d min(a, b)/da = 1 if a is the min, else 0", "d min(a, b)/db = 1 if b is the min, else 0"),
                List.of("({0} <= {1} ? {g} : 0.0)", "({1} < {0} ? {g} : 0.0)"), List.of(false, false),
                List.of("({0} < {1} ? {g} : 0.0)", "({1} < {0} ? {g} : 0.0)")));
    }

    /** Sum rule: ∂(a + b)/∂a = 1, ∂(a + b)/∂b = 1 (the paper's Sum Rule row). */
    public static final Rule SUM = new Rule("sum rule", List.of("d(a + b)/da = 1", "d(a + b)/db = 1"),
            List.of("{g}", "{g}"), List.of(false, false), null);
    /** Difference rule: ∂(a − b)/∂a = 1, ∂(a − b)/∂b = −1 (the paper's Difference Rule row). */
    public static final Rule DIFFERENCE = new Rule("difference rule", List.of("d(a - b)/da = 1", "d(a - b)/db = -1"),
            List.of("{g}", "{g}"), List.of(false, true), null);
    /** Product rule: ∂(ab)/∂a = b, ∂(ab)/∂b = a (the paper's Product Rule row). */
    public static final Rule PRODUCT = new Rule("product rule", List.of("d(a*b)/da = b", "d(a*b)/db = a"),
            List.of("{1} * {g}", "{0} * {g}"), List.of(false, false), null);
    /** Power rule for a square written {@code x * x}: ∂(x²)/∂x = 2x (the paper's Power Rule row, n = 2). */
    public static final Rule SQUARE = new Rule("power rule", List.of("d(x*x)/dx = 2x", "d(x*x)/dx = 2x"),
            Arrays.asList("2.0 * {0} * {g}", null), List.of(false, false), null);
    /** Quotient: ∂(a/b)/∂a = 1/b, ∂(a/b)/∂b = −a/b² (the element-wise division row of the reference). */
    public static final Rule QUOTIENT = new Rule("quotient rule", List.of("d(a/b)/da = 1/b", "d(a/b)/db = -a/b^2"),
            List.of("{g} / {1}", "{g} * {0} / ({1} * {1})"), List.of(false, true), null);
    /** Remainder: a % b = a − b·trunc(a/b), so ∂/∂a = 1 and ∂/∂b = −trunc(a/b) between the jumps. */
    public static final Rule REMAINDER = new Rule("remainder rule", List.of("d(a % b)/da = 1", "d(a % b)/db = -trunc(a/b)"),
            List.of("{g}", "({0} - {0} % {1}) / {1} * {g}"), List.of(false, true), null);
    /** Multiplication by the constant −1: ∂(−a)/∂a = −1. */
    public static final Rule NEGATION = new Rule("multiplication by constant", List.of("d(-a)/da = -1"),
            List.of("{g}"), List.of(true), null);
    /** Identity ({@code +a}, a widening cast): ∂a/∂a = 1. */
    public static final Rule IDENTITY = new Rule("identity", List.of("da/da = 1"), List.of("{g}"), List.of(false), null);

    /**
     * @param e a node of an active expression
     * @return its rule, or null if Adjoint has none (a diagnostic, never a crash)
     */
    public static Rule of(Expr e) {
        if (e instanceof Expr.Binary b) {
            return switch (b.op()) {
                case ADD -> SUM;
                case SUB -> DIFFERENCE;
                case MUL -> IrWalker.same(b.left(), b.right()) ? SQUARE : PRODUCT;
                case DIV -> QUOTIENT;
                case REM -> REMAINDER;
                default -> null;
            };
        } else if (e instanceof Expr.Unary u) {
            return switch (u.op()) {
                case NEG -> NEGATION;
                case PLUS -> IDENTITY;
                default -> null;
            };
        } else if (e instanceof Expr.Cast) {
            return IDENTITY;
        } else if (e instanceof Expr.MathCall m) {
            return MATH.get(m.fn());
        }
        return null;
    }

    /** @return whether the Math function's derivative is zero wherever it exists (its result is a constant) */
    public static boolean isPiecewiseConstant(String fn) {
        return PIECEWISE_CONSTANT.contains(fn);
    }
}
