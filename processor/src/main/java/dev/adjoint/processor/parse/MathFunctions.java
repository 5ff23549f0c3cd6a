package dev.adjoint.processor.parse;

import dev.adjoint.processor.ir.Ty;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code java.lang.Math} (and {@code StrictMath}) functions the subset accepts, with their arities and the
 * result type of the overload Java picks for given argument types.
 */
final class MathFunctions {
    private MathFunctions() {}

    /** Functions of doubles whose result is a double. Int and long arguments widen to double. */
    private static final Map<String, Integer> DOUBLE_FUNCTIONS = Map.ofEntries(
            Map.entry("sin", 1), Map.entry("cos", 1), Map.entry("tan", 1),
            Map.entry("asin", 1), Map.entry("acos", 1), Map.entry("atan", 1), Map.entry("atan2", 2),
            Map.entry("sinh", 1), Map.entry("cosh", 1), Map.entry("tanh", 1),
            Map.entry("exp", 1), Map.entry("expm1", 1), Map.entry("log", 1), Map.entry("log10", 1),
            Map.entry("log1p", 1), Map.entry("sqrt", 1), Map.entry("cbrt", 1), Map.entry("pow", 2),
            Map.entry("hypot", 2), Map.entry("signum", 1), Map.entry("floor", 1), Map.entry("ceil", 1),
            Map.entry("rint", 1), Map.entry("toRadians", 1), Map.entry("toDegrees", 1));

    /** Overloaded for int, long and double: the result is the promoted argument type. */
    private static final Map<String, Integer> NUMERIC_FUNCTIONS = Map.of("abs", 1, "max", 2, "min", 2);

    /** Defined for int and long only: the result is the promoted argument type. */
    private static final Map<String, Integer> INTEGRAL_FUNCTIONS = Map.of(
            "floorDiv", 2, "floorMod", 2, "addExact", 2, "subtractExact", 2, "multiplyExact", 2,
            "negateExact", 1);

    /** Every function name this class knows. */
    static final Set<String> NAMES = Set.copyOf(union());

    private static List<String> union() {
        List<String> all = new java.util.ArrayList<>(DOUBLE_FUNCTIONS.keySet());
        all.addAll(NUMERIC_FUNCTIONS.keySet());
        all.addAll(INTEGRAL_FUNCTIONS.keySet());
        all.add("round");
        all.add("toIntExact");
        return all;
    }

    /** @return whether {@code name} is a supported function */
    static boolean isSupported(String name) {
        return NAMES.contains(name);
    }

    /** @return how many arguments the function takes */
    static int arity(String name) {
        Integer n = DOUBLE_FUNCTIONS.get(name);
        if (n == null) {
            n = NUMERIC_FUNCTIONS.get(name);
        }
        if (n == null) {
            n = INTEGRAL_FUNCTIONS.get(name);
        }
        return n == null ? 1 : n;
    }

    /**
     * The result type of the overload Java picks.
     *
     * @param name a supported function
     * @param args the argument types, of the right count
     * @return the result type, or null when no overload takes these arguments
     */
    static Ty resultType(String name, List<Ty> args) {
        for (Ty a : args) {
            if (!a.isNumeric()) {
                return null;
            }
        }
        Ty promoted = args.size() == 1 ? args.get(0) : Ty.promote(args.get(0), args.get(1));
        if (DOUBLE_FUNCTIONS.containsKey(name)) {
            return Ty.DOUBLE;
        }
        if (NUMERIC_FUNCTIONS.containsKey(name)) {
            return promoted;
        }
        if (INTEGRAL_FUNCTIONS.containsKey(name)) {
            if (promoted == Ty.DOUBLE) {
                return null;
            }
            // Since Java 9 floorMod(long, int) is the most specific overload for (long, int), and it is int.
            boolean longInt = args.size() == 2 && args.get(0) == Ty.LONG && args.get(1) == Ty.INT;
            return name.equals("floorMod") && longInt ? Ty.INT : promoted;
        }
        if (name.equals("round")) {
            // round(double) is long; an int or long argument picks round(float), which is int.
            return promoted == Ty.DOUBLE ? Ty.LONG : Ty.INT;
        }
        if (name.equals("toIntExact")) {
            return promoted == Ty.DOUBLE ? null : Ty.INT;
        }
        return null;
    }
}
