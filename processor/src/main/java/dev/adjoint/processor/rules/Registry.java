package dev.adjoint.processor.rules;

import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Ty;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The derivative registry: every function Adjoint knows, keyed by its overload (owner, name, parameter types), with
 * its result type and its derivative. It types calls (the parser resolves an overload here, as Java would) and
 * differentiates them (the transforms look the rule up here), so the two can never disagree. The built-ins are the
 * overloads of {@code java.lang.Math} and {@code java.lang.StrictMath} in {@link MathFunctions}; user-declared rules
 * and the derivatives of other differentiated methods are registered here too.
 */
public final class Registry {
    /**
     * One registered function.
     *
     * @param callee            the overload
     * @param rule              its derivative rule; null when it needs none (an integer result is never active) or
     *                          when it is piecewise constant
     * @param piecewiseConstant whether its derivative is 0 wherever it exists (floor, signum, ...)
     * @param loops             whether lowering replaces the call by its loops, which are then differentiated
     *                          statement by statement (the paper's vector operations, {@code dev.adjoint.Vectors},
     *                          and the JDK's array operations, {@code Arrays.fill}, ...): its derivative is its
     *                          definition's
     */
    public record Entry(Callee callee, Rule rule, boolean piecewiseConstant, boolean loops, Calls calls) {
        public Entry(Callee callee, Rule rule, boolean piecewiseConstant, boolean loops) {
            this(callee, rule, piecewiseConstant, loops, null);
        }

        public Entry(Callee callee, Rule rule, boolean piecewiseConstant) {
            this(callee, rule, piecewiseConstant, false, null);
        }

        /** @return whether an active argument can pass through it: it has a rule, or its derivative is 0 */
        public boolean differentiable() {
            return rule != null || calls != null || piecewiseConstant || loops
                    || callee.result() != null && !callee.result().isFloating();
        }
    }

    /**
     * The derivative of a method with array parameters, which no rule template can carry: calls of its pullback and
     * its pushforward, with the adjoint and tangent arrays of the caller's arrays as arguments (docs/GENERATED-API.md:
     * the signature of a custom rule, and of the entry points Adjoint generates).
     *
     * @param pullback    {@code (params..., double yBar, xBar for each array parameter...)}, adding ȳ·∂f/∂x into
     *                    each array adjoint and returning the scalar parameters' ({@code double}, {@code double[]} or
     *                    nothing)
     * @param pushforward {@code (params..., a tangent for each double, double[] and double[][] parameter...)},
     *                    returning the result's tangent
     */
    public record Calls(Callee pullback, Callee pushforward) {}

    /** @return whether a parameter type carries a derivative: {@code double}, {@code double[]}, {@code double[][]} */
    public static boolean differentiable(Ty t) {
        return t == Ty.DOUBLE || t == Ty.DOUBLE_ARRAY || t == Ty.DOUBLE_MATRIX;
    }

    /** @return the entry's calls when it has them (see {@link Calls}), else null */
    public Calls calls(Callee c) {
        Entry e = lookup(c);
        return e == null ? null : e.calls();
    }

    /** The paper's vector operations, lowered to their loops: name and parameter types. */
    private static final List<Callee> VECTOR_OPERATIONS = vectorOperations();

    private static List<Callee> vectorOperations() {
        String owner = "dev.adjoint.Vectors";
        List<Ty> vv = List.of(Ty.DOUBLE_ARRAY, Ty.DOUBLE_ARRAY);
        List<Ty> vs = List.of(Ty.DOUBLE_ARRAY, Ty.DOUBLE);
        List<Ty> v = List.of(Ty.DOUBLE_ARRAY);
        return List.of(new Callee(owner, "dot", vv, Ty.DOUBLE), new Callee(owner, "sum", v, Ty.DOUBLE),
                new Callee(owner, "add", vv, Ty.DOUBLE_ARRAY), new Callee(owner, "subtract", vv, Ty.DOUBLE_ARRAY),
                new Callee(owner, "multiply", vv, Ty.DOUBLE_ARRAY), new Callee(owner, "divide", vv, Ty.DOUBLE_ARRAY),
                new Callee(owner, "addScalar", vs, Ty.DOUBLE_ARRAY), new Callee(owner, "scale", vs, Ty.DOUBLE_ARRAY),
                new Callee(owner, "relu", v, Ty.DOUBLE_ARRAY),
                new Callee(owner, "matVec", List.of(Ty.DOUBLE_MATRIX, Ty.DOUBLE_ARRAY), Ty.DOUBLE_ARRAY));
    }

    /**
     * The JDK's array operations on the subset's arrays, lowered to the loops they are (the same elements copied or
     * stored, so the same values): {@code java.util.Arrays.fill}, {@code copyOf} and {@code copyOfRange},
     * {@code System.arraycopy}, and an array's {@code clone()} (its receiver the first parameter, owner
     * {@link #ARRAY_CLONE_OWNER}). {@code fill} and {@code arraycopy} return nothing: their result is null, and the
     * parser takes them only as statements. On a {@code double[][]} they copy or store rows, as Java does: the
     * copy's rows are the original's, which the analyses then see shared.
     */
    private static final List<Callee> ARRAY_OPERATIONS = arrayOperations();

    /** The owner of an array's {@code clone()} in the registry (an array's own method, as {@code Object.clone}). */
    public static final String ARRAY_CLONE_OWNER = "java.lang.Object";

    private static List<Callee> arrayOperations() {
        List<Callee> out = new ArrayList<>();
        String arrays = "java.util.Arrays";
        for (Ty a : List.of(Ty.DOUBLE_ARRAY, Ty.INT_ARRAY, Ty.DOUBLE_MATRIX)) {
            Ty e = a.element();
            out.add(new Callee(arrays, "fill", List.of(a, e), null));
            out.add(new Callee(arrays, "fill", List.of(a, Ty.INT, Ty.INT, e), null));
            out.add(new Callee(arrays, "copyOf", List.of(a, Ty.INT), a));
            out.add(new Callee(arrays, "copyOfRange", List.of(a, Ty.INT, Ty.INT), a));
            out.add(new Callee("java.lang.System", "arraycopy", List.of(a, Ty.INT, a, Ty.INT, Ty.INT), null));
            out.add(new Callee(ARRAY_CLONE_OWNER, "clone", List.of(a), a));
        }
        return out;
    }

    /** @return whether the call is one lowering replaces by its loops */
    public boolean lowersToLoops(Callee c) {
        Entry e = lookup(c);
        return e != null && e.loops();
    }

    private record Key(String owner, String name, List<Ty> params) {}

    /**
     * The runtime class whose {@code of} marks a value as constant ({@code dev.adjoint.WithoutDerivative}): its
     * result has no derivative by declaration, and it returns a fresh copy of an array.
     */
    public static final String WITHOUT_DERIVATIVE = "dev.adjoint.WithoutDerivative";

    /** @return whether the call is {@code WithoutDerivative.of}: a value without its derivative, arrays copied */
    public static boolean isWithoutDerivative(Callee c) {
        return c.owner().equals(WITHOUT_DERIVATIVE);
    }

    /** The functions of {@code java.lang.Math} and {@code java.lang.StrictMath}. */
    public static final Registry BUILTINS = builtins();

    private final Map<Key, Entry> entries = new LinkedHashMap<>();
    private final Map<String, List<Entry>> overloads = new LinkedHashMap<>();

    /**
     * @return a registry with the built-ins and {@code extra} (the user's custom rules), an entry of {@code extra}
     *     replacing a built-in of the same overload
     */
    public static Registry withBuiltins(List<Entry> extra) {
        Registry r = builtins();
        extra.forEach(r::register);
        return r;
    }

    /** @return a copy of this registry with {@code extra} too, each replacing an entry of the same overload */
    public Registry with(List<Entry> extra) {
        Registry r = new Registry();
        entries.values().forEach(r::register);
        extra.forEach(r::register);
        return r;
    }

    /** Registers a function; a second registration of the same overload replaces the first. */
    public void register(Entry e) {
        Callee c = e.callee();
        Entry old = entries.put(new Key(c.owner(), c.name(), c.params()), e);
        List<Entry> list = overloads.computeIfAbsent(c.owner() + "." + c.name(), k -> new ArrayList<>());
        if (old != null) {
            list.remove(old);
        }
        list.add(e);
    }

    /** @return the entry of exactly this overload, or null */
    public Entry lookup(Callee c) {
        return entries.get(new Key(c.owner(), c.name(), c.params()));
    }

    /** @return the derivative rule of the overload, or null when it has none */
    public Rule rule(Callee c) {
        Entry e = lookup(c);
        return e == null ? null : e.rule();
    }

    /** @return whether the overload's derivative is zero wherever it exists (its result is a constant) */
    public boolean isPiecewiseConstant(Callee c) {
        Entry e = lookup(c);
        return e != null && e.piecewiseConstant();
    }

    /**
     * The overload Java picks among those registered: applicable by widening (JLS 15.12.2.2), then the most
     * specific.
     *
     * @return the overload, or null when none takes these arguments or the one Java picks is outside the subset
     *     (its result is not a type of the subset: {@code Math.signum(int)} is a {@code float}); an array
     *     operation that returns nothing ({@code Arrays.fill}) has a null result
     */
    public Callee resolve(String owner, String name, List<Ty> args) {
        List<Entry> applicable = new ArrayList<>();
        for (Entry e : overloads.getOrDefault(owner + "." + name, List.of())) {
            List<Ty> params = e.callee().params();
            boolean ok = params.size() == args.size();
            for (int i = 0; ok && i < args.size(); i++) {
                ok = widens(args.get(i), params.get(i));
            }
            if (ok) {
                applicable.add(e);
            }
        }
        for (Entry c : applicable) {
            boolean mostSpecific = true;
            for (Entry d : applicable) {
                for (int i = 0; i < args.size() && mostSpecific; i++) {
                    mostSpecific = widens(c.callee().params().get(i), d.callee().params().get(i));
                }
            }
            if (mostSpecific) {
                // a null result: outside the subset, except for the array operations that return nothing
                return c.callee().result() == null && !c.loops() ? null : c.callee();
            }
        }
        return null;
    }

    /** @return whether a value of type {@code from} is passed to a parameter of type {@code to} by widening */
    private static boolean widens(Ty from, Ty to) {
        if (from == to) {
            return true;
        }
        return switch (from) {
            case INT -> to == Ty.LONG || to == Ty.DOUBLE;
            case LONG -> to == Ty.DOUBLE;
            default -> false;
        };
    }

    private static Registry builtins() {
        Registry r = new Registry();
        for (Callee c : VECTOR_OPERATIONS) {
            r.register(new Entry(c, null, false, true));
        }
        for (Callee c : ARRAY_OPERATIONS) {
            r.register(new Entry(c, null, false, true));
        }
        for (String owner : List.of("java.lang.Math", "java.lang.StrictMath")) {
            for (MathFunctions.Function f : MathFunctions.ALL) {
                if (f.name().equals("signum")) {
                    // Java picks signum(float) for an int or a long: a float, outside the subset, so registered
                    // without a result and rejected (signum(double) would compute with another type)
                    for (Ty t : List.of(Ty.INT, Ty.LONG)) {
                        r.register(new Entry(new Callee(owner, f.name(), List.of(t), null), null, true));
                    }
                }
                if (f.name().equals("fma")) {
                    // likewise Java picks fma(float, float, float) when no argument is a double: registered
                    // without a result (every int and long combination widens to it), so rejected
                    r.register(new Entry(new Callee(owner, f.name(), List.of(Ty.LONG, Ty.LONG, Ty.LONG), null), null,
                            false));
                }
                for (List<Ty> sig : overloadsOf(f)) {
                    Ty result = MathFunctions.resultType(f.name(), sig);
                    boolean floating = result == Ty.DOUBLE;
                    r.register(new Entry(new Callee(owner, f.name(), sig, result), floating ? f.rule() : null,
                            f.piecewiseConstant()));
                }
            }
        }
        return r;
    }

    /**
     * The parameter lists of a function's overloads in the subset. {@code round(float)}, which Java picks for an
     * integer argument, is registered under the argument's type ({@code float} is outside the subset).
     */
    private static List<List<Ty>> overloadsOf(MathFunctions.Function f) {
        List<Ty> integral = List.of(Ty.INT, Ty.LONG);
        List<Ty> numeric = List.of(Ty.INT, Ty.LONG, Ty.DOUBLE);
        List<List<Ty>> out = new ArrayList<>();
        switch (f.typing()) {
            case DOUBLE -> out.add(java.util.Collections.nCopies(f.arity(), Ty.DOUBLE));
            case PROMOTED, ROUND -> numeric.forEach(t -> out.add(f.arity() == 1 ? List.of(t) : List.of(t, t)));
            case TO_INT -> out.add(List.of(Ty.LONG));
            case INTEGRAL -> {
                integral.forEach(t -> out.add(f.arity() == 1 ? List.of(t) : List.of(t, t)));
                // Java 9 added floorDiv(long, int), floorMod(long, int) and multiplyExact(long, int)
                if (f.name().equals("floorDiv") || f.name().equals("floorMod") || f.name().equals("multiplyExact")) {
                    out.add(List.of(Ty.LONG, Ty.INT));
                }
            }
        }
        return out;
    }

    /**
     * @param e a node of an active expression
     * @return its rule, or null if Adjoint has none (a diagnostic, never a crash)
     */
    public Rule rule(Expr e) {
        return e instanceof Expr.MathCall m ? rule(m.callee()) : Rules.of(e);
    }
}
