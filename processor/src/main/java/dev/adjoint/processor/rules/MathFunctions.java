package dev.adjoint.processor.rules;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Ty;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.adjoint.processor.rules.Template.*;

/**
 * The one list of the {@code java.lang.Math} (and {@code StrictMath}) functions Adjoint accepts, each with its
 * arity, how its result type follows from its arguments' and its derivative rule. The parser accepts exactly these,
 * the transforms differentiate them by these rules, ADJ022's message names them from here, and tests check that the
 * README and docs/DIAGNOSTICS.md list the same names.
 *
 * <p>A function with a {@code double} result has a rule, or is piecewise constant (derivative 0 wherever it
 * exists); one with an integer result needs none, since an integer value is never active.
 */
public final class MathFunctions {
    /** How a function's result type follows from its argument types. */
    public enum Typing {
        /** A double; int and long arguments widen to double. */
        DOUBLE,
        /** Overloaded for int, long and double: the promoted argument type. */
        PROMOTED,
        /** Defined for int and long only: the promoted argument type. */
        INTEGRAL,
        /** {@code round}: long for a double argument; int for an int or long one (Java picks round(float)). */
        ROUND,
        /** {@code toIntExact}: an int, from an int or long. */
        TO_INT
    }

    /**
     * One supported function.
     *
     * @param name              its name, e.g. {@code atan2}
     * @param arity             how many arguments it takes
     * @param typing            how its result type follows from its arguments'
     * @param rule              its derivative rule, or null when it needs none
     * @param piecewiseConstant whether its derivative is 0 wherever it exists (floor, signum, ...)
     */
    public record Function(String name, int arity, Typing typing, Rule rule, boolean piecewiseConstant) {}

    private static final Map<String, Function> BY_NAME = new LinkedHashMap<>();

    private MathFunctions() {}

    private static void rule(String fn, int arity, Typing typing, Rule rule) {
        BY_NAME.put(fn, new Function(fn, arity, typing, rule, false));
    }

    private static void unary(String fn, String ruleName, String math, Expr term) {
        rule(fn, 1, Typing.DOUBLE, new Rule(ruleName, List.of(math), Arrays.asList(term), List.of(false), null));
    }

    private static void constant(String fn, Typing typing) {
        BY_NAME.put(fn, new Function(fn, 1, typing, null, true));
    }

    private static void integral(String fn, int arity, Typing typing) {
        BY_NAME.put(fn, new Function(fn, arity, typing, null, false));
    }

    static {
        // the order of the README's list
        unary("sin", "sine rule", "d sin(x)/dx = cos(x)", mul(math("cos", arg(0)), g()));
        rule("cos", 1, Typing.DOUBLE, new Rule("cosine rule", List.of("d cos(x)/dx = -sin(x)"),
                List.of(mul(math("sin", arg(0)), g())), List.of(true), null));
        unary("tan", "tangent rule", "d tan(x)/dx = 1 + tan(x)^2", mul(add(num("1.0"), mul(z(), z())), g()));
        unary("asin", "arcsine rule", "d asin(x)/dx = 1/sqrt(1 - x^2)",
                div(g(), math("sqrt", sub(num("1.0"), mul(arg(0), arg(0))))));
        rule("acos", 1, Typing.DOUBLE, new Rule("arccosine rule", List.of("d acos(x)/dx = -1/sqrt(1 - x^2)"),
                List.of(div(g(), math("sqrt", sub(num("1.0"), mul(arg(0), arg(0)))))), List.of(true), null));
        unary("atan", "arctangent rule", "d atan(x)/dx = 1/(1 + x^2)",
                div(g(), add(num("1.0"), mul(arg(0), arg(0)))));
        // at the origin atan2 has no derivative; 0 is the convention
        Expr origin = and(eq(arg(0), num("0.0")), eq(arg(1), num("0.0")));
        Expr squares = add(mul(arg(0), arg(0)), mul(arg(1), arg(1)));
        rule("atan2", 2, Typing.DOUBLE, new Rule("atan2 rule",
                List.of("d atan2(y, x)/dy = x/(x^2 + y^2)", "d atan2(y, x)/dx = -y/(x^2 + y^2)"),
                List.of(when(origin, num("0.0"), div(mul(arg(1), g()), squares)),
                        when(origin, num("0.0"), div(mul(arg(0), g()), squares))),
                List.of(false, true), null));
        unary("sinh", "sinh rule", "d sinh(x)/dx = cosh(x)", mul(math("cosh", arg(0)), g()));
        unary("cosh", "cosh rule", "d cosh(x)/dx = sinh(x)", mul(math("sinh", arg(0)), g()));
        unary("tanh", "tanh rule", "d tanh(x)/dx = 1 - tanh(x)^2", mul(sub(num("1.0"), mul(z(), z())), g()));
        unary("exp", "exponential rule", "d exp(x)/dx = exp(x)", mul(z(), g()));
        unary("expm1", "exponential rule", "d (exp(x) - 1)/dx = exp(x)", mul(add(z(), num("1.0")), g()));
        unary("log", "logarithm rule", "d ln(x)/dx = 1/x", div(g(), arg(0)));
        unary("log10", "logarithm rule", "d log10(x)/dx = 1/(x ln 10)",
                div(g(), mul(arg(0), num("2.302585092994046"))));
        unary("log1p", "logarithm rule", "d ln(1 + x)/dx = 1/(1 + x)", div(g(), add(num("1.0"), arg(0))));
        unary("sqrt", "power rule", "d sqrt(x)/dx = 1/(2 sqrt(x))", div(g(), mul(num("2.0"), z())));
        unary("cbrt", "power rule", "d cbrt(x)/dx = 1/(3 cbrt(x)^2)", div(g(), mul(mul(num("3.0"), z()), z())));
        // d x^y/dy = x^y ln x is taken as 0 at x = 0, where ln x is -Inf
        rule("pow", 2, Typing.DOUBLE, new Rule("power rule", List.of("d x^y/dx = y x^(y-1)", "d x^y/dy = x^y ln(x)"),
                List.of(mul(mul(arg(1), math("pow", arg(0), sub(arg(1), num("1.0")))), g()),
                        when(eq(arg(0), num("0.0")), num("0.0"), mul(mul(z(), math("log", arg(0))), g()))),
                List.of(false, false), null));
        Expr atOrigin = eq(z(), num("0.0"));
        rule("hypot", 2, Typing.DOUBLE, new Rule("hypot rule",
                List.of("d hypot(x, y)/dx = x/hypot(x, y)", "d hypot(x, y)/dy = y/hypot(x, y)"),
                List.of(when(atOrigin, num("0.0"), mul(div(arg(0), z()), g())),
                        when(atOrigin, num("0.0"), mul(div(arg(1), z()), g()))),
                List.of(false, false), null));
        rule("abs", 1, Typing.PROMOTED, new Rule("absolute value rule", List.of("d |x|/dx = signum(x) (0 at x = 0)"),
                List.of(mul(math("signum", arg(0)), g())), List.of(false), null));
        // ties go to the first argument when both are active, to the inactive one when only one is
        rule("max", 2, Typing.PROMOTED, new Rule("max rule",
                List.of("d max(a, b)/da = 1 if a is the max, else 0", "d max(a, b)/db = 1 if b is the max, else 0"),
                List.of(when(ge(arg(0), arg(1)), g(), num("0.0")), when(gt(arg(1), arg(0)), g(), num("0.0"))),
                List.of(false, false),
                List.of(when(gt(arg(0), arg(1)), g(), num("0.0")), when(gt(arg(1), arg(0)), g(), num("0.0")))));
        rule("min", 2, Typing.PROMOTED, new Rule("min rule",
                List.of("d min(a, b)/da = 1 if a is the min, else 0", "d min(a, b)/db = 1 if b is the min, else 0"),
                List.of(when(le(arg(0), arg(1)), g(), num("0.0")), when(lt(arg(1), arg(0)), g(), num("0.0"))),
                List.of(false, false),
                List.of(when(lt(arg(0), arg(1)), g(), num("0.0")), when(lt(arg(1), arg(0)), g(), num("0.0")))));
        constant("floor", Typing.DOUBLE);
        constant("ceil", Typing.DOUBLE);
        constant("rint", Typing.DOUBLE);
        constant("round", Typing.ROUND);
        constant("signum", Typing.DOUBLE);
        unary("toRadians", "multiplication by constant", "d (x pi/180)/dx = pi/180", mul(div(g(), num("180.0")), pi()));
        unary("toDegrees", "multiplication by constant", "d (x 180/pi)/dx = 180/pi", div(mul(g(), num("180.0")), pi()));
        // fma(a, b, c) = a * b + c rounded once: its value is Math.fma's own, its partials those of a * b + c
        rule("fma", 3, Typing.DOUBLE, new Rule("fused multiply-add rule",
                List.of("d fma(a, b, c)/da = b", "d fma(a, b, c)/db = a", "d fma(a, b, c)/dc = 1"),
                List.of(mul(arg(1), g()), mul(arg(0), g()), g()), List.of(false, false, false), null));
        integral("toIntExact", 1, Typing.TO_INT);
        integral("floorDiv", 2, Typing.INTEGRAL);
        integral("floorMod", 2, Typing.INTEGRAL);
        integral("addExact", 2, Typing.INTEGRAL);
        integral("subtractExact", 2, Typing.INTEGRAL);
        integral("multiplyExact", 2, Typing.INTEGRAL);
        integral("negateExact", 1, Typing.INTEGRAL);
    }

    /** Every supported function, in the README's order. */
    /**
     * Functions whose recomputation costs more than a value's round trip through the tape (a push in the forward
     * sweep and a pop in the reverse): about ten to a hundred cycles each, against a few.
     */
    public static final Set<String> EXPENSIVE = Set.of("exp", "expm1", "log", "log10", "log1p", "pow", "sin", "cos",
            "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "cbrt", "hypot");

    /** {@code Math} functions that never throw, whatever their arguments. */
    public static final Set<String> TOTAL = Set.of("abs", "sqrt", "cbrt", "exp", "expm1", "log", "log10", "log1p",
            "pow", "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "hypot", "min",
            "max", "signum", "floor", "ceil", "rint", "round", "toRadians", "toDegrees", "copySign", "ulp", "fma",
            "scalb", "getExponent", "nextUp", "nextDown", "nextAfter", "IEEEremainder");

    /** @return whether a call is of a {@code java.lang.Math} or {@code java.lang.StrictMath} function (not a user's rule) */
    public static boolean isJdkMath(Expr.MathCall c) {
        return c.owner().equals("java.lang.Math") || c.owner().equals("java.lang.StrictMath");
    }

    public static final List<Function> ALL = List.copyOf(BY_NAME.values());

    /** @return the names of the supported functions, in the README's order */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        for (Function f : ALL) {
            names.add(f.name());
        }
        return Collections.unmodifiableList(names);
    }

    /** @return the function of that name, or null when it is not supported */
    public static Function named(String name) {
        return BY_NAME.get(name);
    }

    /** @return whether {@code name} is a supported function */
    public static boolean isSupported(String name) {
        return BY_NAME.containsKey(name);
    }

    /** @return how many arguments the supported function {@code name} takes */
    public static int arity(String name) {
        return BY_NAME.get(name).arity();
    }

    /** @return the function's derivative rule, or null when it needs none (or is not supported) */
    public static Rule rule(String name) {
        Function f = BY_NAME.get(name);
        return f == null ? null : f.rule();
    }

    /** @return whether the function's derivative is zero wherever it exists */
    public static boolean isPiecewiseConstant(String name) {
        Function f = BY_NAME.get(name);
        return f != null && f.piecewiseConstant();
    }

    /**
     * The result type of the overload Java picks.
     *
     * @param name a supported function
     * @param args the argument types, of the right count
     * @return the result type, or null when no overload takes these arguments
     */
    public static Ty resultType(String name, List<Ty> args) {
        for (Ty a : args) {
            if (!a.isNumeric()) {
                return null;
            }
        }
        Ty promoted = args.get(0);
        for (Ty a : args) {
            promoted = Ty.promote(promoted, a);
        }
        switch (BY_NAME.get(name).typing()) {
            case DOUBLE:
                return Ty.DOUBLE;
            case PROMOTED:
                return promoted;
            case INTEGRAL: {
                if (promoted == Ty.DOUBLE) {
                    return null;
                }
                // Since Java 9 floorMod(long, int) is the most specific overload for (long, int), and it is int.
                boolean longInt = args.size() == 2 && args.get(0) == Ty.LONG && args.get(1) == Ty.INT;
                return name.equals("floorMod") && longInt ? Ty.INT : promoted;
            }
            case ROUND:
                // round(double) is long; an int or long argument picks round(float), which is int.
                return promoted == Ty.DOUBLE ? Ty.LONG : Ty.INT;
            default: // TO_INT
                return promoted == Ty.DOUBLE ? null : Ty.INT;
        }
    }

    /** @return the names, space-separated, for a message: {@code sin cos tan ...} */
    public static String namesText() {
        return String.join(" ", names());
    }
}
