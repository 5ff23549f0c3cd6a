package dev.adjoint.testing;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Reflective access to one {@code @Differentiable} method {@code f} of a compiled class {@code C} and to its
 * generated gradient {@code CGrad.f} (see docs/GENERATED-API.md): call {@code f}, call {@code CGrad.f} (both
 * overloads) and read {@code value()} and the accessor of each differentiated parameter.
 *
 * <p>Array arguments are deep-copied on every call, so a method that writes into its arguments cannot disturb the
 * caller's copy or a later call. Exceptions thrown by the called method are rethrown as they are (checked ones
 * wrapped in {@link IllegalStateException}).
 */
public final class Grad {
    private static final Set<String> RESERVED = Set.of("value", "toString", "hashCode", "equals", "getClass",
            "clone", "finalize", "notify", "notifyAll", "wait");

    private final Compilation compilation;
    private final Method original;
    private final Method grad;
    private final Method gradOut;
    private final Class<?> resultType;
    private final List<String> parameterNames;
    private final Map<String, Method> accessors;

    private Grad(Compilation compilation, Method original, Method grad, Method gradOut,
            List<String> parameterNames) {
        this.compilation = compilation;
        this.original = original;
        this.grad = grad;
        this.gradOut = gradOut;
        this.resultType = grad.getReturnType();
        this.parameterNames = parameterNames;
        this.accessors = findAccessors();
    }

    /**
     * The method {@code method} of the class {@code className} (binary name: {@code p.C}, or {@code p.Outer$Inner}
     * for a nested class) and its gradient in the generated class ({@code p.CGrad}, {@code p.Outer_InnerGrad}).
     *
     * @param parameterTypes the parameter types, needed only when {@code method} is overloaded
     * @throws AssertionError if either cannot be found
     */
    public static Grad of(Compilation compilation, String className, String method, Class<?>... parameterTypes) {
        Class<?> c = compilation.loadClass(className);
        Method original = find(c, method, parameterTypes.length == 0 ? null : parameterTypes, compilation);
        Class<?> g = compilation.loadClass(gradClassName(className));
        Class<?>[] types = original.getParameterTypes();
        Method grad = find(g, method, types, compilation);
        Method gradOut = null;
        Class<?>[] withOut = Arrays.copyOf(types, types.length + 1);
        withOut[types.length] = grad.getReturnType();
        try {
            gradOut = g.getMethod(method, withOut);
        } catch (NoSuchMethodException e) {
            // reported by gradInto
        }
        List<String> names = new ArrayList<>();
        for (Parameter p : original.getParameters()) {
            names.add(p.getName());   // real names when compiled with -parameters (Javac's default)
        }
        return new Grad(compilation, original, grad, gradOut, Collections.unmodifiableList(names));
    }

    /** The generated class's name for a class: {@code p.C} gives {@code p.CGrad}, {@code p.A$B} gives {@code p.A_BGrad}. */
    public static String gradClassName(String binaryName) {
        int dot = binaryName.lastIndexOf('.');
        return binaryName.substring(0, dot + 1) + binaryName.substring(dot + 1).replace('$', '_') + "Grad";
    }

    private static Method find(Class<?> c, String name, Class<?>[] types, Compilation compilation) {
        List<Method> found = new ArrayList<>();
        for (Method m : c.getDeclaredMethods()) {
            if (m.getName().equals(name) && Modifier.isStatic(m.getModifiers())
                    && (types == null || Arrays.equals(m.getParameterTypes(), types))) {
                found.add(m);
            }
        }
        if (found.size() != 1) {
            throw new AssertionError((found.isEmpty() ? "no" : "more than one") + " static method " + name
                    + (types == null ? "" : Arrays.toString(types)) + " in " + c.getName() + ": "
                    + Arrays.toString(c.getDeclaredMethods()) + "\n" + compilation.report());
        }
        Method m = found.get(0);
        m.setAccessible(true);
        return m;
    }

    private Map<String, Method> findAccessors() {
        Map<String, Method> out = new LinkedHashMap<>();
        Set<String> used = new HashSet<>(RESERVED);
        Class<?>[] types = original.getParameterTypes();
        // A parameter keeps its own name as its accessor, so the renamed ones (value -> valueGrad) step around every
        // differentiated parameter's name, before or after it (f(double value, double valueGrad) gives
        // valueGrad_() and valueGrad()), as GradClassWriter does.
        for (int i = 0; i < types.length; i++) {
            String name = parameterNames.get(i);
            if (isDifferentiable(types[i]) && !RESERVED.contains(name) && hasAccessor(name, types[i])) {
                used.add(name);
            }
        }
        for (int i = 0; i < types.length; i++) {
            if (!isDifferentiable(types[i])) {
                continue;
            }
            String name = parameterNames.get(i);
            String candidate = name;
            if (RESERVED.contains(name)) {
                candidate = name + "Grad";
                while (used.contains(candidate)) {
                    candidate += "_";
                }
            }
            try {
                Method m = resultType.getMethod(candidate);
                if (m.getReturnType() == types[i] && !Modifier.isStatic(m.getModifiers())) {
                    out.put(name, m);
                    used.add(candidate);
                }
            } catch (NoSuchMethodException e) {
                // not differentiated
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private boolean hasAccessor(String name, Class<?> type) {
        try {
            Method m = resultType.getMethod(name);
            return m.getReturnType() == type && !Modifier.isStatic(m.getModifiers());
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** Whether values of this type can be differentiated: {@code double}, {@code double[]}, {@code double[][]}. */
    public static boolean isDifferentiable(Class<?> type) {
        return type == double.class || type == double[].class || type == double[][].class;
    }

    /** The compilation the classes come from. */
    public Compilation compilation() {
        return compilation;
    }

    /** The user's method. */
    public Method original() {
        return original;
    }

    /** The generated {@code CGrad.f(params)}. */
    public Method gradMethod() {
        return grad;
    }

    /** The generated {@code CGrad.f(params, out)}, or null if it is missing. */
    public Method gradOutMethod() {
        return gradOut;
    }

    /** The result type {@code CGrad.FGradient}. */
    public Class<?> resultType() {
        return resultType;
    }

    /** The parameter names of {@code f}. */
    public List<String> parameterNames() {
        return parameterNames;
    }

    /** The names of the differentiated parameters (those with an accessor on the result type), in order. */
    public List<String> differentiated() {
        return List.copyOf(accessors.keySet());
    }

    /** The indices of the differentiated parameters, in order. */
    public int[] differentiatedIndices() {
        return accessors.keySet().stream().mapToInt(parameterNames::indexOf).toArray();
    }

    /** The accessor method of a differentiated parameter, or null. */
    public Method accessor(String parameter) {
        return accessors.get(parameter);
    }

    /** Calls {@code C.f(args)} on deep copies of the arguments. */
    public double f(Object... args) {
        return (Double) invoke(original, deepCopy(args));
    }

    /** {@code C.f} as a function of its arguments, for {@link FiniteDifferences}. */
    public ToDoubleFunction<Object[]> function() {
        return this::f;
    }

    /** Calls {@code CGrad.f(args)} on deep copies of the arguments. */
    public Result grad(Object... args) {
        return new Result(invoke(grad, deepCopy(args)));
    }

    /**
     * Calls {@code CGrad.f(args, out)} on deep copies of the arguments.
     *
     * @param out a result object from {@link #newResult()} or an earlier call, or null
     */
    public Result gradInto(Object out, Object... args) {
        if (gradOut == null) {
            throw new AssertionError("no method " + grad.getName() + "(..., " + resultType.getSimpleName()
                    + " out) in " + grad.getDeclaringClass().getName());
        }
        Object[] all = Arrays.copyOf(deepCopy(args), args.length + 1);
        all[args.length] = out instanceof Result ? ((Result) out).raw() : out;
        return new Result(invoke(gradOut, all));
    }

    /**
     * The generated {@code CGrad.fJvp(params, tangents)}: the value and the directional derivative by forward mode,
     * one tangent per differentiated parameter in parameter order.
     *
     * @throws AssertionError if it is missing
     */
    public Method jvpMethod() {
        Class<?>[] types = original.getParameterTypes();
        int[] wrt = differentiatedIndices();
        Class<?>[] all = Arrays.copyOf(types, types.length + wrt.length);
        for (int k = 0; k < wrt.length; k++) {
            all[types.length + k] = types[wrt[k]];
        }
        String name = original.getName() + "Jvp";
        for (int tries = 0; tries < 5; tries++, name += "_") {
            try {
                return grad.getDeclaringClass().getMethod(name, all);
            } catch (NoSuchMethodException e) {
                // a differentiated method of that name takes it: the JVP's name has _ appended
            }
        }
        throw new AssertionError("no method " + original.getName() + "Jvp" + Arrays.toString(all) + " in "
                + grad.getDeclaringClass().getName());
    }

    /**
     * Calls {@code CGrad.fJvp(args, tangents)} on deep copies.
     *
     * @return {value, tangent}
     */
    public double[] jvp(Object[] args, Object[] tangents) {
        Object[] all = new Object[args.length + tangents.length];
        Object[] a = deepCopy(args);
        Object[] t = deepCopy(tangents);
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(t, 0, all, a.length, t.length);
        Object r = invoke(jvpMethod(), all);
        try {
            return new double[] {(Double) r.getClass().getMethod("value").invoke(r),
                    (Double) r.getClass().getMethod("tangent").invoke(r)};
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot read the JVP result " + r.getClass().getName() + ": " + e, e);
        }
    }

    /** A fresh result object, from its public no-argument constructor. */
    public Result newResult() {
        try {
            return new Result(resultType.getConstructor().newInstance());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot create " + resultType.getName() + ": " + e, e);
        }
    }

    private static Object invoke(Method m, Object[] args) {
        return invoke(m, null, args);
    }

    /**
     * Calls {@code m} reflectively, rethrowing what it throws unwrapped (so tests see the generated code's own
     * exceptions); a call that cannot be made at all is an AssertionError.
     *
     * @param m      the method
     * @param target the receiver, or null for a static method
     * @param args   the arguments
     * @return what it returned
     */
    public static Object invoke(Method m, Object target, Object... args) {
        try {
            m.setAccessible(true);
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException(cause);
        } catch (IllegalAccessException | IllegalArgumentException e) {
            throw new AssertionError("cannot call " + m + " with " + describe(args) + ": " + e, e);
        }
    }

    /** A deep copy of the arguments: arrays (of any rank and element type) are copied, other values shared. */
    public static Object[] deepCopy(Object[] args) {
        Object[] out = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            out[i] = deepCopy(args[i]);
        }
        return out;
    }

    /** A deep copy of one value: arrays are copied recursively, other values returned as they are. */
    public static Object deepCopy(Object value) {
        if (value == null || !value.getClass().isArray()) {
            return value;
        }
        int n = Array.getLength(value);
        Object copy = Array.newInstance(value.getClass().getComponentType(), n);
        if (value.getClass().getComponentType().isPrimitive()) {
            System.arraycopy(value, 0, copy, 0, n);
        } else {
            for (int i = 0; i < n; i++) {
                Array.set(copy, i, deepCopy(Array.get(value, i)));
            }
        }
        return copy;
    }

    /** The arguments as text, arrays included. */
    public static String describe(Object[] args) {
        return Arrays.deepToString(args);
    }

    /** A result object {@code CGrad.FGradient}, read reflectively. */
    public final class Result {
        private final Object raw;

        Result(Object raw) {
            if (raw == null) {
                throw new AssertionError(grad + " returned null");
            }
            this.raw = raw;
        }

        /** The result object itself. */
        public Object raw() {
            return raw;
        }

        /** {@code value()}. */
        public double value() {
            return (Double) call("value");
        }

        /** Whether the parameter has an accessor (is differentiated). */
        public boolean has(String parameter) {
            return accessors.containsKey(parameter);
        }

        /** The accessor's value for a parameter: a {@code Double}, {@code double[]} or {@code double[][]}. */
        public Object get(String parameter) {
            Method m = accessors.get(parameter);
            if (m == null) {
                throw new AssertionError("no accessor for parameter " + parameter + " on " + resultType.getName()
                        + "; accessors: " + accessors.keySet() + ", methods: "
                        + Arrays.toString(resultType.getDeclaredMethods()));
            }
            return invoke(m);
        }

        /** ∂f/∂p for a {@code double} parameter p. */
        public double scalar(String parameter) {
            return (Double) get(parameter);
        }

        /** ∂f/∂p for a {@code double[]} parameter p (the result's own array). */
        public double[] vector(String parameter) {
            return (double[]) get(parameter);
        }

        /** ∂f/∂p for a {@code double[][]} parameter p (the result's own array). */
        public double[][] matrix(String parameter) {
            return (double[][]) get(parameter);
        }

        /** Calls a public no-argument method of the result by name. */
        public Object call(String method) {
            try {
                return invoke(resultType.getMethod(method));
            } catch (NoSuchMethodException e) {
                throw new AssertionError("no method " + method + "() on " + resultType.getName(), e);
            }
        }

        private Object invoke(Method m) {
            return Grad.invoke(m, raw);
        }

        @Override
        public String toString() {
            return raw.toString();
        }
    }
}
