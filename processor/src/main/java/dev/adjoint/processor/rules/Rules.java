package dev.adjoint.processor.rules;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.IrWalker;
import java.util.Arrays;
import java.util.List;
import static dev.adjoint.processor.rules.Template.*;

/**
 * The rule table: every primitive Adjoint differentiates, with its partial derivatives written as math. The
 * transforms look rules up here and never contain one. The scalar rules are the paper's table "Review: Scalar
 * derivative rules" (Parr and Howard, The Matrix Calculus You Need For Deep Learning): constant, multiplication by
 * constant, power, sum, difference, product and chain rule; the others are the standard derivatives of
 * {@code java.lang.Math}'s functions, kept with the list of supported functions in {@link MathFunctions}.
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
    private Rules() {}

    /** Sum rule: ∂(a + b)/∂a = 1, ∂(a + b)/∂b = 1 (the paper's Sum Rule row). */
    public static final Rule SUM = new Rule("sum rule", List.of("d(a + b)/da = 1", "d(a + b)/db = 1"),
            List.of(g(), g()), List.of(false, false), null);
    /** Difference rule: ∂(a − b)/∂a = 1, ∂(a − b)/∂b = −1 (the paper's Difference Rule row). */
    public static final Rule DIFFERENCE = new Rule("difference rule", List.of("d(a - b)/da = 1", "d(a - b)/db = -1"),
            List.of(g(), g()), List.of(false, true), null);
    /** Product rule: ∂(ab)/∂a = b, ∂(ab)/∂b = a (the paper's Product Rule row). */
    public static final Rule PRODUCT = new Rule("product rule", List.of("d(a*b)/da = b", "d(a*b)/db = a"),
            List.of(mul(arg(1), g()), mul(arg(0), g())), List.of(false, false), null);
    /** Power rule for a square written {@code x * x}: ∂(x²)/∂x = 2x (the paper's Power Rule row, n = 2). */
    public static final Rule SQUARE = new Rule("power rule", List.of("d(x*x)/dx = 2x", "d(x*x)/dx = 2x"),
            Arrays.asList(mul(mul(num("2.0"), arg(0)), g()), null), List.of(false, false), null);
    /** Quotient: ∂(a/b)/∂a = 1/b, ∂(a/b)/∂b = −a/b² (the element-wise division row of the reference). */
    public static final Rule QUOTIENT = new Rule("quotient rule", List.of("d(a/b)/da = 1/b", "d(a/b)/db = -a/b^2"),
            List.of(div(g(), arg(1)), div(mul(g(), arg(0)), mul(arg(1), arg(1)))), List.of(false, true), null);
    /** Remainder: a % b = a − b·trunc(a/b), so ∂/∂a = 1 and ∂/∂b = −trunc(a/b) between the jumps. */
    public static final Rule REMAINDER = new Rule("remainder rule",
            List.of("d(a % b)/da = 1", "d(a % b)/db = -trunc(a/b)"),
            List.of(g(), mul(div(sub(arg(0), rem(arg(0), arg(1))), arg(1)), g())), List.of(false, true), null);
    /** Multiplication by the constant −1: ∂(−a)/∂a = −1. */
    public static final Rule NEGATION = new Rule("multiplication by constant", List.of("d(-a)/da = -1"),
            List.of(g()), List.of(true), null);
    /** Identity ({@code +a}, a widening cast): ∂a/∂a = 1. */
    public static final Rule IDENTITY = new Rule("identity", List.of("da/da = 1"), List.of(g()), List.of(false), null);

    /**
     * @param e a node of an active expression
     * @return its rule, or null if Adjoint has none (a diagnostic, never a crash)
     */
    public static Rule of(Expr e) {
        return of(e, Registry.BUILTINS);
    }

    /**
     * @param e        a node of an active expression
     * @param registry where a function's rule is looked up (the built-ins and the user's custom rules)
     * @return its rule, or null if Adjoint has none (a diagnostic, never a crash)
     */
    public static Rule of(Expr e, Registry registry) {
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
            return registry.rule(m.callee());
        }
        return null;
    }
}
