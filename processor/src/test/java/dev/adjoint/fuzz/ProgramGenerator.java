package dev.adjoint.fuzz;

import dev.adjoint.testing.RandomPoints;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Writes random {@code @Differentiable} methods inside the supported subset, the many ways people write numeric
 * code: straight-line math with every supported {@code Math} function, nested if/else, every loop form with fixed
 * and data-dependent trip counts, loop conditions with side effects ({@code n++ < N}, {@code --n > 0},
 * {@code a && n++ < N}, {@code a || k++ % 2 == 0}, {@code ?:} whose arms count, a guarded {@code x[n++]}, a
 * differentiated variable assigned in the condition), (labeled) break/continue, early returns, {@code ?:}, compound
 * assignments, increments, local {@code double[]}/{@code double[][]} overwritten many times, array variables rebound
 * (layer loops {@code h = next}, ping-pong buffers swapped, a second name for a local array, a local matrix of a
 * parameter's rows), parameters' arrays read at computed indices, int locals as indices, enhanced for, {@code var},
 * casts, static final constants and helper calls with inactive arguments.
 *
 * <p>About half the programs also have 1 to 3 generated helper methods ({@link #helperCount}): static, private,
 * package-private or public, in the fuzz class or in a second (package-private, final) top-level class of the same
 * file; parameters double, int, double[] (some written into), now and then double[][] or boolean; results double,
 * int or double[] (a new array, or one of its arguments). Their bodies come from the same statement machinery
 * (with early returns, loops returning from inside, assignments to their parameters); each may call the helpers
 * before it, and {@code f} calls them from expressions, loop conditions (often the right of {@code &&}), {@code ?:}
 * arms, array writes and loops, with differentiated and constant arguments. Arguments are kept inside the callee's
 * parameters' bounds, so its result stays inside its own. Now and then one helper is recursive (depth bounded by
 * an int parameter); it is called with constant arguments only (see {@link #argument}).
 *
 * <p>A program is a pure function of its seed: {@link #generate(long)} returns the same source for the same seed.
 *
 * <p>Values are kept bounded so that finite differences mean something: every double expression carries a bound on
 * its magnitude (given the parameters' domain, |p| ≤ 1.5); arguments of exp/sinh/cosh are squashed, domain-restricted
 * functions get arguments they accept ({@code log(1 + v*v)}, {@code sqrt(abs(v) + 0.1)}, {@code asin(tanh(v) * 0.9)},
 * {@code pow(abs(v) + 0.5, y)}), assignments inside loops are squashed or scaled back to the variable's bound, and
 * accumulators ({@code +=}, {@code ++}) are only read through a squashing function. Array indices are proven in range
 * from static ranges of int expressions, or reduced with {@code %}, {@code floorMod} or {@code min}.
 */
public final class ProgramGenerator {
    /** The package of every generated program. */
    public static final String PACKAGE = "fuzz";
    /** The name of the differentiated method. */
    public static final String METHOD = "f";
    /** Parameters' domain: scalars and array elements are drawn from [−DOMAIN, DOMAIN). */
    static final double DOMAIN = 1.5;

    /** The kind of a parameter. */
    public enum Kind { DOUBLE, VECTOR, MATRIX, INT, INT_ARRAY, BOOLEAN }

    /** A parameter of the generated method; {@code length}/{@code cols} are the shapes its arguments get. */
    public record Param(String name, Kind kind, int length, int cols) {}

    /**
     * A generated program.
     *
     * @param differentiated the differentiated parameters, in order (the {@code wrt}, or every double, double[] and
     *                       double[][] parameter)
     * @param outputs        0 for a {@code double} method, else the length of the {@code double[]} it returns
     * @param calls          the generated helpers and f's calls to them
     * @param switches       the switches written (in f and in the helpers), and their forms
     */
    public record Program(long seed, String className, String source, List<Param> params,
            List<String> differentiated, int outputs, Calls calls, Switches switches) {
        /** The qualified (binary) name of the class. */
        public String qualifiedName() {
            return PACKAGE + "." + className;
        }

        /** Whether {@code f} returns {@code double[]} (checked as a Jacobian) rather than {@code double}. */
        public boolean vector() {
            return outputs > 0;
        }

        /** Arguments for one point, drawn from the parameters' domains. */
        public Object[] point(RandomPoints r) {
            Object[] args = new Object[params.size()];
            for (int i = 0; i < args.length; i++) {
                Param p = params.get(i);
                switch (p.kind()) {
                    case DOUBLE:
                        args[i] = r.uniform(-DOMAIN, DOMAIN);
                        break;
                    case VECTOR:
                        args[i] = r.vector(p.length(), -DOMAIN, DOMAIN);
                        break;
                    case MATRIX:
                        args[i] = r.matrix(p.length(), p.cols(), -DOMAIN, DOMAIN);
                        break;
                    case INT:
                        args[i] = r.integer(1, MAX_INT_PARAM);
                        break;
                    case INT_ARRAY:
                        args[i] = r.integers(p.length(), 0, MAX_INT_ELEMENT);
                        break;
                    default:
                        args[i] = r.bool();
                        break;
                }
            }
            return args;
        }
    }

    /**
     * The generated helper methods of a program and the calls {@code f}'s own body makes to them (calls inside
     * helpers not counted).
     *
     * @param helpers        helper methods generated (0 to 3)
     * @param inOtherClass   of those, in the second top-level class of the file
     * @param calls          call sites in f
     * @param activeCalls    of those, with an argument that reads a differentiated parameter or a double/array local
     *                       (nearly all of which depend on the parameters; an over-estimate of active calls)
     * @param paramCalls     of those, with an argument that names a differentiated parameter itself (an
     *                       under-estimate of active calls)
     * @param recursiveCalls call sites of a recursive helper
     * @param writeCalls     call sites of a helper that writes into an array argument
     * @param activeRecursiveCalls of the recursive helper's call sites, those with an argument that reads a
     *                       differentiated parameter or a double/array local (differentiated through its generated
     *                       pullback and pushforward)
     */
    public record Calls(int helpers, int inOtherClass, int calls, int activeCalls, int paramCalls,
            int recursiveCalls, int writeCalls, int activeRecursiveCalls) {}

    /**
     * The switches of a program ({@link #hasSwitches}): how many, and which forms, selectors and contexts it has.
     *
     * @param count switch statements and expressions written, in f and in its helpers
     * @param forms the forms among them
     */
    public record Switches(int count, Set<SwitchForm> forms) {}

    /** A form of switch, a selector, or a place a switch is in (see {@link Switches}). */
    public enum SwitchForm {
        /** A colon-form switch statement. */
        COLON,
        /** A colon case that falls through into the next (statement or expression). */
        FALL_THROUGH,
        /** A break that leaves a switch statement from inside an if in a case. */
        EARLY_BREAK,
        /** An arrow-form switch statement. */
        ARROW,
        /** A switch statement without default. */
        NO_DEFAULT,
        /** A default that is not the last case. */
        DEFAULT_NOT_LAST,
        /** Several labels for one case ({@code case 1, 2} or {@code case 1: case 2:}). */
        SEVERAL_LABELS,
        /** A static final int constant as a label. */
        CONSTANT_LABEL,
        /** A colon case's local assigned and read in a later case (a switch block is one scope). */
        SHARED_LOCAL,
        /** {@code double y;} then a switch statement that assigns y in every case. */
        ASSIGNED_IN_EVERY_CASE,
        /** A switch statement as a method's last statement, every case returning. */
        ALL_CASES_RETURN,
        /** A labeled switch statement. */
        LABELED,
        /** A switch expression as a declaration's initializer. */
        EXPR_DECLARATION,
        /** A switch expression as the value of an assignment (=, *=, +=, -=, to a local or an element). */
        EXPR_ASSIGNMENT,
        /** A switch expression returned. */
        EXPR_RETURN,
        /** An arrow case giving a value ({@code case 1 -> e;}). */
        EXPR_ARROW_VALUE,
        /** An arrow case's block with yield. */
        EXPR_BLOCK_YIELD,
        /** A yield inside an if of a case, before its last yield. */
        EXPR_EARLY_YIELD,
        /** A colon-form switch expression with yield. */
        EXPR_COLON_YIELD,
        /** A switch inside a loop. */
        IN_LOOP,
        /** A continue of the loop around a switch, from inside a case. */
        CONTINUE_LOOP,
        /** A labeled break of a loop around a switch, from inside a case. */
        BREAK_LOOP,
        /** An int local or parameter as the selector. */
        SELECTOR_INT,
        /** A loop's index as the selector (an int of known range inside a loop). */
        SELECTOR_INDEX,
        /** A double truncated by (int) as the selector. */
        SELECTOR_CAST,
        /** {@code Math.floorMod(i, k)} as the selector. */
        SELECTOR_FLOOR_MOD,
        /** An array's length as the selector. */
        SELECTOR_LENGTH,
        /** A selector with a side effect ({@code k++ % 3}). */
        SELECTOR_COUNTING,
        /** A loop in a case. */
        CASE_LOOP,
        /** A helper call in a case. */
        CASE_CALL,
        /** An array element written in a case. */
        CASE_ARRAY_WRITE,
        /** A switch in a generated helper. */
        IN_HELPER,
        /** A switch inside a case of another switch. */
        NESTED
    }

    static final int MAX_INT_PARAM = 4;
    static final int MAX_INT_ELEMENT = 5;
    /** Above this many iterations (product of the enclosing loops' trip bounds) no further loop is nested. */
    private static final int MAX_TRIPS = 240;
    /** The largest bound a bounded local ever gets. */
    private static final double VAR_CAP = 4;
    /** Sub-expressions larger than this are scaled back. */
    private static final double EXPR_CAP = 12;
    /** An "unknown but non-negative" int range. */
    private static final int UNKNOWN = Integer.MAX_VALUE;

    // ------------------------------------------------------------------ model

    private enum T { DOUBLE, INT, BOOLEAN, VECTOR, MATRIX }

    /** A variable in scope. */
    private static final class Var {
        final String name;
        final T type;
        /** Doubles: bound of |value|; arrays: bound of |element|. */
        final double bound;
        /** Doubles/arrays written with += and ++: read only through a squash. */
        final boolean acc;
        /** Ints: largest value (UNKNOWN if mutated); all ints are ≥ 0. */
        final int max;
        /** Arrays: length (rows for matrices), columns. */
        final int length;
        final int cols;
        final boolean param;
        /** May be assigned (false for loop counters, guards and loop-condition variables). */
        boolean writable;
        /** Arrays: the length written as code ({@code x.length}, {@code 4}). */
        final String lengthCode;
        /** A parameter left out of wrt and never written: it may be passed to helpers. */
        final boolean inactive;

        Var(String name, T type, double bound, boolean acc, int max, int length, int cols, boolean param,
                boolean writable, String lengthCode) {
            this(name, type, bound, acc, max, length, cols, param, writable, lengthCode, false);
        }

        Var(String name, T type, double bound, boolean acc, int max, int length, int cols, boolean param,
                boolean writable, String lengthCode, boolean inactive) {
            this.inactive = inactive;
            this.name = name;
            this.type = type;
            this.bound = bound;
            this.acc = acc;
            this.max = max;
            this.length = length;
            this.cols = cols;
            this.param = param;
            this.writable = writable;
            this.lengthCode = lengthCode;
        }
    }

    /** A double expression with a bound of its magnitude. */
    private record E(String code, double bound, boolean integral) {
        E(String code, double bound) {
            this(code, bound, false);
        }
    }

    /** A non-negative int expression with its largest value. */
    private record I(String code, int max) {}

    /** An enclosing loop, or switch statement (which {@code break} leaves and {@code continue} passes through). */
    private record Loop(String label, boolean isFor, boolean isSwitch) {
        Loop(String label, boolean isFor) {
            this(label, isFor, false);
        }
    }

    // ------------------------------------------------------------------ state

    private final long seed;
    private final SplittableRandom rnd;
    // out, scopes, loops, constantVars, trips, statements and statementBudget are the method being written's: a
    // helper's body is written with them put aside (see writeHelper)
    private StringBuilder out = new StringBuilder();
    private Deque<List<Var>> scopes = new ArrayDeque<>();
    private List<Loop> loops = new ArrayList<>();
    private final List<Param> params = new ArrayList<>();
    private final List<String> constants = new ArrayList<>();
    private List<Var> constantVars = new ArrayList<>();
    private final boolean staticImports;
    private final boolean preferVar;
    private final boolean bracesAlways;
    private final int incStyle;
    private String indent = "        ";
    private int names;
    /** How deep index expressions nest inside index expressions (bounded, to end the recursion). */
    private int exprNest;
    private int trips = 1;
    private int statements;
    private int statementBudget;
    /** The differentiated parameters when not all are (@Differentiable(wrt = ...)), else null. */
    private List<String> wrt;
    private boolean usesWeight;
    private boolean usesWrap;
    private boolean usesBump;
    /** {@code f} returns {@code double[]}: about 1 program in 5, decided apart from {@link #rnd}. */
    private final boolean vectorResult;
    /** The length of every array {@code f} returns (vector programs). */
    private int resultLength;
    /** A result array declared at the top of the body that the statements write into, or null. */
    private Var resultVar;
    /** The class name of the program, and of its second top-level class (helpers only). */
    private final String cls;
    private String otherName;
    /** The generated helper methods, in order: each may call those before it; f may call them all. */
    private final List<Helper> helpers = new ArrayList<>();
    /** The helper being written, or null while f is. */
    private Helper current;
    /** The prefix of the fuzz class's own members (weight, wrap, bump, constants) where code is: "" or "P1.". */
    private String home = "";
    /** Above 0 while code is written that may be thrown away (options not picked): no helper calls there. */
    private int speculative;
    /** Calls being written inside calls' arguments. */
    private int callNest;
    /** Characters of helper code inlined into the method being written, by its calls (see Helper#cost). */
    private int inlined;
    /** Statistics of f's calls (see Calls). */
    private int fCalls;
    private int fActiveCalls;
    private int fParamCalls;
    private int fRecursiveCalls;
    private int fActiveRecursiveCalls;
    private int fWriteCalls;
    /** The program writes switches (about 2 in 5), decided apart from {@link #rnd} ({@link #hasSwitches}). */
    private final boolean switches;
    /** Above 0 while a switch expression's cases are written: no return, no jump out of it. */
    private int inSwitchExpression;
    /** Switches being written around the code being written. */
    private int switchNest;
    /** Names declared directly in the colon cases written so far: in scope (unassigned) in the cases after them. */
    private final List<String> reserved = new ArrayList<>();
    /**
     * The arrays the switch expressions being written are assigned into, the enclosing ones' too: their cases must
     * not rebind them (a nested switch expression's cases are cases of the outer one as well).
     */
    private final List<Var> noRebind = new ArrayList<>();
    private int switchCount;
    private final Set<SwitchForm> switchForms = EnumSet.noneOf(SwitchForm.class);

    private ProgramGenerator(long seed) {
        this.seed = seed;
        this.cls = className(seed);
        // from its own stream, so that the programs that stay scalar are what they were before vector programs
        this.vectorResult = isVector(seed);
        this.switches = hasSwitches(seed);
        this.rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 0x5DEECE66DL);
        this.staticImports = rnd.nextInt(6) == 0;
        this.preferVar = rnd.nextInt(4) == 0;
        this.bracesAlways = rnd.nextBoolean();
        this.incStyle = rnd.nextInt(4);
        this.statementBudget = 8 + rnd.nextInt(22);
    }

    /** The program of a seed; the same seed gives the same program. */
    public static Program generate(long seed) {
        return new ProgramGenerator(seed).program();
    }

    /** Whether a seed's program returns {@code double[]} (about 1 in 5). */
    public static boolean isVector(long seed) {
        return new SplittableRandom(seed ^ 0x3C6EF372FE94F82BL).nextInt(5) == 0;
    }

    /**
     * Whether a seed's program writes switch statements and expressions (about 2 in 5); from its own stream, so that
     * the programs without switches are what they were before the generator wrote switches.
     */
    public static boolean hasSwitches(long seed) {
        return new SplittableRandom(seed ^ 0x1B873593CC9E2D51L).nextInt(5) < 2;
    }

    /** The class name of a seed's program. */
    public static String className(long seed) {
        return seed < 0 ? "Pm" + Long.toString(-seed).replace('-', '_') : "P" + seed;
    }

    private Program program() {
        scopes.push(new ArrayList<>());
        declareParams();
        declareConstants();
        List<Var> top = scopes.peek();
        StringBuilder sig = new StringBuilder();
        for (Param p : params) {
            if (sig.length() > 0) {
                sig.append(", ");
            }
            sig.append(javaType(p.kind())).append(' ').append(p.name());
        }
        scopes.push(new ArrayList<>());
        if (vectorResult) {
            resultLength = chooseResultLength();
        }
        // the helpers first (f calls them); a program without helpers draws nothing here, so it is what it was
        // before there were helpers
        int helperCount = helperCount(seed);
        if (helperCount > 0) {
            writeHelpers(helperCount);
            // the helpers' code is inlined where f calls them: f's own body is shorter, so that a program with
            // helpers takes about as long to compile and check as one without
            statementBudget = Math.max(6, statementBudget / 2);
        }
        if (vectorResult && chance(30)) {
            declareResult();
        }
        // the body
        while (statements < statementBudget) {
            statement(0);
        }
        if (!helpers.isEmpty()) {
            callUncalled();
        }
        String reduction = !vectorResult && hasReduction(seed) ? reductionLoop() : null;
        if (vectorResult) {
            vectorFinalReturn();
        } else if (switches && chance(12)) {
            finalSwitchReturn();
        } else {
            String ret = finalReturn();
            if (reduction != null) {
                ret = ret + " + " + reduction;
            }
            out.append(indent).append("return ").append(ret).append(";\n");
        }
        scopes.pop();
        scopes.pop();

        StringBuilder src = new StringBuilder();
        src.append("package ").append(PACKAGE).append(";\n\n");
        src.append("import dev.adjoint.Differentiable;\n");
        if (staticImports) {
            src.append("import static java.lang.Math.*;\n");
        }
        src.append("\n/** Fuzz program, seed ").append(seed).append(". */\n");
        src.append(rnd.nextBoolean() ? "final class " : "class ").append(cls).append(" {\n");
        for (String c : constants) {
            src.append("    ").append(c).append('\n');
        }
        if (!constants.isEmpty()) {
            src.append('\n');
        }
        for (Helper h : helpers) {
            if (!h.other && h.beforeF) {
                src.append(h.source).append('\n');
            }
        }
        src.append("    ").append(differentiableAnnotation()).append('\n');
        src.append(vectorResult ? "    static double[] " : "    static double ").append(METHOD).append('(').append(sig).append(") {\n");
        src.append(out);
        src.append("    }\n");
        if (usesWeight) {
            src.append("\n    static double weight(int i) {\n        return 1.0 / (1 + i);\n    }\n");
        }
        if (usesWrap) {
            src.append("\n    static int wrap(int i, int n) {\n        return ((i % n) + n) % n;\n    }\n");
        }
        if (usesBump) {
            src.append("\n    static double bump(double t) {\n        return Math.exp(-t * t);\n    }\n");
        }
        for (Helper h : helpers) {
            if (!h.other && !h.beforeF) {
                src.append('\n').append(h.source);
            }
        }
        src.append("}\n");
        boolean second = false;
        for (Helper h : helpers) {
            second |= h.other;
        }
        if (second) {
            // the second top-level class of the file: package-private and final, as a utility class is written
            src.append("\nfinal class ").append(otherName).append(" {\n");
            boolean first = true;
            if (privateConstructor) {
                src.append("    private ").append(otherName).append("() {}\n");
                first = false;
            }
            for (Helper h : helpers) {
                if (h.other) {
                    src.append(first ? "" : "\n").append(h.source);
                    first = false;
                }
            }
            src.append("}\n");
        }
        if (top.isEmpty()) {
            throw new AssertionError();
        }
        List<String> differentiated = new ArrayList<>();
        for (Param p : params) {
            boolean numeric = p.kind() == Kind.DOUBLE || p.kind() == Kind.VECTOR || p.kind() == Kind.MATRIX;
            if (numeric && (wrt == null || wrt.contains(p.name()))) {
                differentiated.add(p.name());
            }
        }
        int inOther = 0;
        for (Helper h : helpers) {
            inOther += h.other ? 1 : 0;
        }
        return new Program(seed, cls, src.toString(), List.copyOf(params), List.copyOf(differentiated),
                vectorResult ? resultLength : 0, new Calls(helpers.size(), inOther, fCalls, fActiveCalls,
                        fParamCalls, fRecursiveCalls, fWriteCalls, fActiveRecursiveCalls), new Switches(switchCount,
                        Set.copyOf(switchForms)));
    }

    private String differentiableAnnotation() {
        if (wrt == null) {
            return "@Differentiable";
        }
        StringBuilder b = new StringBuilder("@Differentiable(wrt = ");
        if (wrt.size() == 1 && chance(50)) {
            b.append('"').append(wrt.get(0)).append('"');
        } else {
            b.append('{');
            for (int i = 0; i < wrt.size(); i++) {
                b.append(i > 0 ? ", " : "").append('"').append(wrt.get(i)).append('"');
            }
            b.append('}');
        }
        return b.append(')').toString();
    }

    private static String javaType(Kind k) {
        switch (k) {
            case DOUBLE: return "double";
            case VECTOR: return "double[]";
            case MATRIX: return "double[][]";
            case INT: return "int";
            case INT_ARRAY: return "int[]";
            default: return "boolean";
        }
    }

    private void declareParams() {
        String[] scalarNames = {"a", "b", "y", "theta", "z"};
        int scalars = rnd.nextInt(4);   // 0..3
        boolean vector = rnd.nextInt(4) != 0;
        boolean vector2 = rnd.nextInt(5) == 0;
        boolean matrix = rnd.nextInt(4) == 0;
        if (scalars == 0 && !vector && !matrix) {
            scalars = 1;
        }
        List<Param> ps = new ArrayList<>();
        for (int i = 0; i < scalars; i++) {
            ps.add(new Param(scalarNames[i], Kind.DOUBLE, 0, 0));
        }
        if (vector) {
            ps.add(new Param("x", Kind.VECTOR, 2 + rnd.nextInt(5), 0));
        }
        if (vector2) {
            ps.add(new Param("w", Kind.VECTOR, 2 + rnd.nextInt(4), 0));
        }
        if (matrix) {
            ps.add(new Param("m", Kind.MATRIX, 2 + rnd.nextInt(2), 2 + rnd.nextInt(3)));
        }
        if (rnd.nextInt(3) == 0) {
            ps.add(new Param("n", Kind.INT, 0, 0));
        }
        if (rnd.nextInt(6) == 0) {
            ps.add(new Param("idx", Kind.INT_ARRAY, 2 + rnd.nextInt(3), 0));
        }
        if (rnd.nextInt(8) == 0) {
            ps.add(new Param("flag", Kind.BOOLEAN, 0, 0));
        }
        // shuffle a little: people put ints first or last
        if (rnd.nextInt(3) == 0 && ps.size() > 1) {
            ps.add(0, ps.remove(ps.size() - 1));
        }
        params.addAll(ps);
        List<String> differentiable = new ArrayList<>();
        for (Param p : ps) {
            if (p.kind() == Kind.DOUBLE || p.kind() == Kind.VECTOR || p.kind() == Kind.MATRIX) {
                differentiable.add(p.name());
            }
        }
        if (differentiable.size() > 1 && chance(20)) {
            wrt = new ArrayList<>();
            for (String d : differentiable) {
                if (chance(50)) {
                    wrt.add(d);
                }
            }
            if (wrt.isEmpty()) {
                wrt.add(differentiable.get(rnd.nextInt(differentiable.size())));
            }
        }
        for (Param p : ps) {
            boolean inactive = wrt != null && !wrt.contains(p.name());
            switch (p.kind()) {
                case DOUBLE:
                    declare(new Var(p.name(), T.DOUBLE, DOMAIN, false, 0, 0, 0, true, !inactive, null, inactive));
                    break;
                case VECTOR:
                    declare(new Var(p.name(), T.VECTOR, DOMAIN, false, 0, p.length(), 0, true, false,
                            p.name() + ".length"));
                    break;
                case MATRIX:
                    declare(new Var(p.name(), T.MATRIX, DOMAIN, false, 0, p.length(), p.cols(), true, false,
                            p.name() + ".length"));
                    break;
                case INT:
                    declare(new Var(p.name(), T.INT, 0, false, MAX_INT_PARAM, 0, 0, true, false, null));
                    break;
                case INT_ARRAY:
                    // int[] is read as idx[k]; modelled specially in intLeaf
                    break;
                default:
                    declare(new Var(p.name(), T.BOOLEAN, 0, false, 0, 0, 0, true, false, null));
                    break;
            }
        }
    }

    private Param intArrayParam() {
        if (current != null) {
            return null;   // f's parameter: not in a helper
        }
        for (Param p : params) {
            if (p.kind() == Kind.INT_ARRAY) {
                return p;
            }
        }
        return null;
    }

    private void declareConstants() {
        int n = rnd.nextInt(3);
        String[] dnames = {"ALPHA", "DECAY", "SCALE"};
        double[] dvals = {0.3, 0.85, 1.25, 0.5, 0.125, 2.0};
        for (int i = 0; i < n; i++) {
            double v = dvals[rnd.nextInt(dvals.length)];
            String vis = rnd.nextInt(3) == 0 ? "private " : "";
            constants.add(vis + "static final double " + dnames[i] + " = " + lit(v) + ";");
            constantVars.add(new Var(dnames[i], T.DOUBLE, v, false, 0, 0, 0, false, false, null));
        }
        if (rnd.nextBoolean()) {
            int v = 2 + rnd.nextInt(4);
            constants.add((rnd.nextBoolean() ? "private " : "") + "static final int STEPS = " + v + ";");
            constantVars.add(new Var("STEPS", T.INT, 0, false, v, 0, 0, false, false, null));
        }
        if (rnd.nextInt(5) == 0) {
            // not a compile-time constant, so it must be accessible
            constants.add("static final double ROOT2 = Math.sqrt(2.0);");
            constantVars.add(new Var("ROOT2", T.DOUBLE, 1.415, false, 0, 0, 0, false, false, null));
        }
    }

    // ------------------------------------------------------------------ scopes and names

    private void declare(Var v) {
        scopes.peek().add(v);
    }

    private List<Var> visible(T type) {
        List<Var> vs = new ArrayList<>();
        for (List<Var> s : scopes) {
            for (Var v : s) {
                if (v.type == type) {
                    vs.add(v);
                }
            }
        }
        for (Var v : constantVars) {
            if (v.type == type) {
                vs.add(v);
            }
        }
        return vs;
    }

    private boolean inScope(String name) {
        if (reserved.contains(name)) {
            return true;   // a colon case's local, in scope in the cases after it
        }
        for (List<Var> s : scopes) {
            for (Var v : s) {
                if (v.name.equals(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    private String fresh(String... bases) {
        String base = bases[rnd.nextInt(bases.length)];
        return base + (++names);
    }

    /** A loop counter's name: i, j, k ... when free in this scope, else numbered. */
    private String counterName() {
        for (String c : new String[] {"i", "j", "k", "l", "q"}) {
            if (!inScope(c)) {
                return c;
            }
        }
        return "i" + (++names);
    }

    private <X> X pick(List<X> xs) {
        return xs.get(rnd.nextInt(xs.size()));
    }

    private boolean chance(int percent) {
        return rnd.nextInt(100) < percent;
    }

    private void line(String s) {
        out.append(indent).append(s).append('\n');
    }

    private void open() {
        indent = indent + "    ";
        scopes.push(new ArrayList<>());
    }

    private void close() {
        indent = indent.substring(4);
        scopes.pop();
    }

    private String math(String fn) {
        if (staticImports && chance(70)) {
            return fn;
        }
        return chance(5) ? "StrictMath." + fn : "Math." + fn;
    }

    private static String lit(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 100) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        String s = Double.toString(v);
        return s;
    }

    private String constLit(double v) {
        if (v == Math.rint(v) && chance(30)) {
            return Integer.toString((int) v);   // int literal in a double context
        }
        return lit(v);
    }

    private String inc(String v) {
        switch (chance(50) ? incStyle : rnd.nextInt(4)) {
            case 0: return v + "++";
            case 1: return "++" + v;
            case 2: return v + " += 1";
            default: return v + " = " + v + " + 1";
        }
    }

    // ------------------------------------------------------------------ int expressions (all ≥ 0)

    private I intLeaf() {
        if (!helpers.isEmpty()) {
            I call = intCall();
            if (call != null) {
                return call;
            }
        }
        List<I> options = new ArrayList<>();
        for (Var v : visible(T.INT)) {
            if (v.max == UNKNOWN) {
                int m = 2 + rnd.nextInt(5);
                options.add(new I(v.name + " % " + m, m - 1));
            } else {
                options.add(new I(v.name, v.max));
            }
        }
        for (Var v : visible(T.VECTOR)) {
            options.add(new I(v.lengthCode, v.length));
        }
        Param ia = intArrayParam();
        if (ia != null && chance(50)) {
            int k = rnd.nextInt(ia.length());
            options.add(new I(ia.name() + "[" + k + "]", MAX_INT_ELEMENT));
        }
        options.add(new I(Integer.toString(rnd.nextInt(6)), 5));
        I chosen = pick(options);
        if (chosen.code().matches("\\d+")) {
            return new I(chosen.code(), Integer.parseInt(chosen.code()));
        }
        return chosen;
    }

    private I intExpr(int depth) {
        if (depth <= 0 || chance(40)) {
            return intLeaf();
        }
        I a = intExpr(depth - 1);
        switch (rnd.nextInt(8)) {
            case 0: {
                I b = intExpr(depth - 1);
                return bounded(new I(a.code() + " + " + b.code(), a.max() + b.max()));
            }
            case 1: {
                int c = 2 + rnd.nextInt(3);
                return bounded(new I("(" + a.code() + ") * " + c, a.max() * c));
            }
            case 2: {
                int c = 2 + rnd.nextInt(5);
                return new I("(" + a.code() + ") % " + c, Math.min(a.max(), c - 1));
            }
            case 3: {
                I b = intExpr(depth - 1);
                return new I(math("max") + "(" + a.code() + ", " + b.code() + ")", Math.max(a.max(), b.max()));
            }
            case 4: {
                I b = intExpr(depth - 1);
                return new I(math("min") + "(" + a.code() + ", " + b.code() + ")", Math.min(a.max(), b.max()));
            }
            case 5: {
                if (exprNest > 1) {
                    return intLeaf();
                }
                // data dependent: truncation of a double
                E e = wrap(doubleExpr(depth - 1), 3);
                int k = 1 + rnd.nextInt(3);
                if (e.integral()) {
                    return intLeaf();
                }
                if (chance(25)) {
                    // through a long
                    return new I("(int) " + math("round") + "(" + math("abs") + "(" + e.code() + "))",
                            (int) Math.round(e.bound()));
                }
                return new I("(int) (" + math("abs") + "(" + e.code() + ") * " + k + ")", (int) (e.bound() * k));
            }
            case 6: {
                I b = intExpr(depth - 1);
                return new I(math("abs") + "(" + a.code() + " - " + parenInt(b.code()) + ")", Math.max(a.max(), b.max()));
            }
            default: {
                I b = intExpr(depth - 1);
                int c = 3 + rnd.nextInt(5);
                return new I(math("floorMod") + "(" + a.code() + " - " + parenInt(b.code()) + ", " + c + ")", c - 1);
            }
        }
    }

    private static String parenInt(String code) {
        return code.matches("[A-Za-z_0-9.\\[\\]]+") ? code : "(" + code + ")";
    }

    private I bounded(I e) {
        if (e.max() > 1000) {
            return new I("(" + e.code() + ") % 7", 6);
        }
        return e;
    }

    /** An index into an array of the given (known) length whose length is written {@code lengthCode}. */
    private String index(int length, String lengthCode) {
        exprNest++;
        try {
            return indexOf(length, lengthCode, exprNest > 1 ? intLeaf() : intExpr(2));
        } finally {
            exprNest--;
        }
    }

    private String indexOf(int length, String lengthCode, I e) {
        if (e.max() < length && chance(85)) {
            return e.code();
        }
        switch (rnd.nextInt(5)) {
            case 0:
                return "(" + e.code() + ") % " + lengthCode;
            case 1:
                return math("floorMod") + "(" + e.code() + ", " + lengthCode + ")";
            case 2:
                return math("min") + "(" + e.code() + ", " + lengthCode + " - 1)";
            case 3:
                usesWrap = true;
                return home + "wrap(" + e.code() + ", " + lengthCode + ")";
            default:
                return "(" + e.code() + ") % " + length;
        }
    }

    // ------------------------------------------------------------------ double expressions

    private E doubleLeaf() {
        if (!helpers.isEmpty()) {
            E call = callLeaf();
            if (call != null) {
                return call;
            }
        }
        // the options not picked are thrown away: no calls in them (they would be counted, and cost budget)
        speculative++;
        try {
            return pickLeaf();
        } finally {
            speculative--;
        }
    }

    private E pickLeaf() {
        List<E> options = new ArrayList<>();
        for (Var v : visible(T.DOUBLE)) {
            E read = v.acc ? squash(new E(v.name, 1e9)) : new E(v.name, v.bound);
            options.add(read);
            if (!isConstant(v)) {
                options.add(read);
            }
            if (v.param) {
                options.add(read);
            }
        }
        for (Var v : visible(T.VECTOR)) {
            E read = new E(v.name + "[" + index(v.length, v.lengthCode) + "]", v.bound);
            options.add(v.acc ? squash(new E(read.code(), 1e9)) : read);
            options.add(v.acc ? squash(new E(read.code(), 1e9)) : read);
        }
        for (Var v : visible(T.MATRIX)) {
            String row = index(v.length, v.lengthCode);
            String col = index(v.cols, chance(50) ? v.name + "[0].length" : v.name + "[" + row + "].length");
            E read = new E(v.name + "[" + row + "][" + col + "]", v.bound);
            options.add(v.acc ? squash(new E(read.code(), 1e9)) : read);
        }
        double c = new double[] {0.5, 1.0, 2.0, 0.25, 0.1, 3.0, 0.75, 1.5, 0.3}[rnd.nextInt(9)];
        String cl = constLit(c);
        options.add(new E(cl, c, !cl.contains(".")));
        if (chance(20)) {
            options.add(new E("Math.PI", 3.15));
        }
        if (chance(30)) {
            List<Var> ints = visible(T.INT);
            if (!ints.isEmpty()) {
                Var v = pick(ints);
                if (v.max != UNKNOWN) {
                    if (chance(50)) {
                        options.add(new E("(double) " + v.name, v.max));
                    } else {
                        options.add(new E(v.name + " * 0.25", v.max * 0.25));
                    }
                }
            }
        }
        if (chance(15)) {
            I i = intExpr(1);
            options.add(new E(home + "weight(" + i.code() + ")", 1));
        }
        if (chance(8)) {
            I i = intExpr(1);
            options.add(new E(home + "bump(" + i.code() + " * 0.5)", 1));
        }
        for (Var v : visible(T.DOUBLE)) {
            if (v.inactive && chance(50)) {
                options.add(new E(home + "bump(" + v.name + ")", 1));
            }
        }
        E e = pick(options);
        usesWeight |= e.code().startsWith(home + "weight(");
        usesBump |= e.code().startsWith(home + "bump(");
        if (Double.isNaN(e.bound()) || e.bound() > EXPR_CAP) {
            return wrap(e, 4);
        }
        return e;
    }

    /** A read of an accumulator, squashed to a bounded value. */
    private E squash(E e) {
        switch (rnd.nextInt(4)) {
            case 0: return new E(math("tanh") + "(" + e.code() + " * 0.1)", 1);
            case 1: return new E(math("sin") + "(" + e.code() + ")", 1);
            case 2: return new E(math("atan") + "(" + e.code() + ")", 1.571);
            default: return new E("0.5 * " + math("tanh") + "(" + e.code() + ")", 0.5);
        }
    }

    /** The expression, brought back to |value| ≤ bound. */
    private E wrap(E e, double bound) {
        if (e.bound() <= bound) {
            return e;
        }
        E w = squashTo(e, bound);
        if (w.bound() > bound) {
            double s = scale(bound / w.bound());
            return new E("(" + w.code() + ") * " + s, w.bound() * s);
        }
        return w;
    }

    private E squashTo(E e, double bound) {
        boolean small = e.code().length() < 50;
        switch (rnd.nextInt(small ? 7 : 4)) {
            case 0:
                return new E(lit(Math.min(bound, 2)) + " * " + math("tanh") + "(" + e.code() + ")", Math.min(bound, 2));
            case 1:
                return new E(math("sin") + "(" + e.code() + ")", 1);
            case 2:
                return new E(math("atan") + "(" + e.code() + ")", 1.571);
            case 3: {
                double s = scale(bound / e.bound());
                return new E("(" + e.code() + ") * " + s, e.bound() * s);
            }
            case 4:
                return new E("(" + e.code() + ") / (1.0 + " + math("abs") + "(" + e.code() + "))", 1);
            case 5: {
                String b = lit(Math.floor(bound));
                return new E(math("max") + "(-" + b + ", " + math("min") + "(" + b + ", " + e.code() + "))",
                        Math.floor(bound));
            }
            default:
                return new E("(" + e.code() + ") / " + math("sqrt") + "(1.0 + (" + e.code() + ") * (" + e.code()
                        + "))", 1);
        }
    }

    /** A power of two at most {@code r}. */
    private static double scale(double r) {
        double s = 1;
        while (s > r) {
            s /= 2;
        }
        return s;
    }

    private E doubleExpr(int depth) {
        if (depth <= 0 || chance(25)) {
            return doubleLeaf();
        }
        int choice = rnd.nextInt(100);
        if (choice < 12) {
            E a = doubleExpr(depth - 1);
            E b = doubleExpr(depth - 1);
            String op = chance(50) ? " + " : " - ";
            return new E(a.code() + op + paren(b, op.equals(" - ")), a.bound() + b.bound(),
                    a.integral() && b.integral());
        }
        if (choice < 22) {
            E a = doubleExpr(depth - 1);
            E b = doubleExpr(depth - 1);
            E p = new E(paren(a, true) + " * " + paren(b, true), a.bound() * b.bound(), a.integral() && b.integral());
            return p.bound() > EXPR_CAP ? wrap(p, 4) : p;
        }
        if (choice < 28) {
            E a = doubleExpr(depth - 1);
            String d = denominator(depth - 1);
            return new E(paren(a, true) + " / " + d, a.bound(), a.integral() && d.matches("[0-9]+"));
        }
        if (choice < 31) {
            E a = doubleExpr(depth - 1);
            return new E("-" + paren(a, true), a.bound(), a.integral());
        }
        if (choice < 36) {
            String c = condition(depth - 1);
            E a = doubleExpr(depth - 1);
            E b = doubleExpr(depth - 1);
            return new E("(" + c + " ? " + a.code() + " : " + b.code() + ")", Math.max(a.bound(), b.bound()),
                    a.integral() && b.integral());
        }
        if (choice < 38) {
            // a step: truncation through an int cast, or floor/ceil/rint
            E a = wrap(doubleExpr(depth - 1), 3);
            switch (rnd.nextInt(4)) {
                case 0: return new E("(double) (int) (" + a.code() + " * 2.0) * 0.25 + " + paren(a, true),
                        a.bound() * 1.5 + 1);
                case 1: return new E(math("floor") + "(" + a.code() + ") + " + paren(a, true), 2 * a.bound() + 1);
                case 2: return new E(math("ceil") + "(" + a.code() + " * 0.5) * " + paren(a, true),
                        a.bound() * (a.bound() + 1));
                default: return new E(math("rint") + "(" + a.code() + ") - " + paren(a, true), 2 * a.bound() + 1);
            }
        }
        return mathCall(depth);
    }

    private String paren(E e, boolean tight) {
        String c = e.code();
        if (!tight || isAtomic(c)) {
            return c;
        }
        return "(" + c + ")";
    }

    private static boolean isAtomic(String c) {
        if (c.matches("[A-Za-z_][A-Za-z_0-9.]*(\\[[^\\[\\]]*\\])*") || c.matches("[0-9.]+")) {
            return true;
        }
        // a call f(...) spanning the whole expression
        int open = c.indexOf('(');
        if (open > 0 && c.endsWith(")") && c.substring(0, open).matches("[A-Za-z_][A-Za-z_0-9.]*")) {
            int depth = 0;
            for (int i = open; i < c.length(); i++) {
                char ch = c.charAt(i);
                if (ch == '(') {
                    depth++;
                } else if (ch == ')') {
                    depth--;
                    if (depth == 0 && i != c.length() - 1) {
                        return false;
                    }
                }
            }
            return true;
        }
        return false;
    }

    /** A denominator of magnitude ≥ 1. */
    private String denominator(int depth) {
        E b = doubleExpr(Math.max(0, depth - 1));
        String bc = b.code();
        boolean small = bc.length() < 50;
        switch (rnd.nextInt(small ? 6 : 4)) {
            case 0: return new String[] {"2.0", "3", "4.0", "1.5"}[rnd.nextInt(4)];
            case 1: return "(2.0 + " + math("cos") + "(" + bc + "))";
            case 2: return "(1.5 + " + math("abs") + "(" + bc + "))";
            case 3: return math("hypot") + "(" + bc + ", 1.0)";
            case 4: return "(1.0 + " + paren(b, true) + " * " + paren(b, true) + ")";
            default: return math("sqrt") + "(1.0 + " + paren(b, true) + " * " + paren(b, true) + ")";
        }
    }

    /** The expression moved away from 0: {@code e + c} or {@code e - c} with c > its bound. */
    private String shifted(E e) {
        return e.code() + (chance(50) ? " + " : " - ") + lit(Math.ceil(e.bound() + 0.5));
    }

    private E mathCall(int depth) {
        E a = doubleExpr(depth - 1);
        String ac = a.code();
        boolean small = ac.length() < 45;
        String[] fns = {"sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "exp", "expm1",
            "log", "log10", "log1p", "sqrt", "cbrt", "pow", "hypot", "abs", "max", "min", "signum", "toRadians",
            "toDegrees"};
        String fn = fns[rnd.nextInt(fns.length)];
        switch (fn) {
            case "sin":
            case "cos":
                return new E(math(fn) + "(" + ac + ")", 1);
            case "tan":
                if (chance(50)) {
                    return new E(math("tan") + "(" + math("tanh") + "(" + ac + "))", 1.56);
                }
                E t = wrap(a, 1.2);
                return new E(math("tan") + "(" + t.code() + ")", Math.tan(Math.min(t.bound(), 1.2)) + 0.01);
            case "asin":
                if (chance(50)) {
                    return new E(math("asin") + "(" + math("tanh") + "(" + ac + ") * 0.9)", 1.571);
                }
                return new E(math("asin") + "(0.95 * " + math("sin") + "(" + ac + "))", 1.571);
            case "acos":
                if (chance(50) || !small) {
                    return new E(math("acos") + "(" + math("tanh") + "(" + ac + ") * 0.9)", 3.15);
                }
                return new E(math("acos") + "(" + paren(a, true) + " / (1.0 + " + math("abs") + "(" + ac + ")))", 3.15);
            case "atan":
                return new E(math("atan") + "(" + ac + ")", 1.571);
            case "atan2": {
                E b = doubleExpr(depth - 1);
                if (chance(50) && b.code().length() < 45) {
                    return new E(math("atan2") + "(" + ac + ", 1.0 + " + paren(b, true) + " * " + paren(b, true) + ")",
                            1.571);
                }
                // one argument kept away from 0: atan2 has no derivative at the origin (atan2(u - u, 0) would be 0/0)
                return new E(math("atan2") + "(" + shifted(a) + ", " + b.code() + ")", 3.15);
            }
            case "sinh":
            case "cosh":
            case "exp":
            case "expm1": {
                E s = wrap(a, 2.5);
                if (fn.equals("exp") && chance(30) && small) {
                    return new E(math("exp") + "(-" + paren(a, true) + " * " + paren(a, true) + ")", 1);
                }
                double bd = fn.equals("sinh") || fn.equals("cosh") ? Math.cosh(s.bound()) : Math.exp(s.bound());
                return new E(math(fn) + "(" + s.code() + ")", bd);
            }
            case "tanh":
                return new E(math("tanh") + "(" + ac + ")", 1);
            case "log":
                switch (small ? rnd.nextInt(3) : 2) {
                    case 0:
                        return new E(math("log") + "(1.0 + " + paren(a, true) + " * " + paren(a, true) + ")",
                                Math.log(1 + a.bound() * a.bound()));
                    case 1:
                        return new E(math("log") + "(" + math("abs") + "(" + ac + ") + 0.5)",
                                Math.max(0.7, Math.log(a.bound() + 0.5)));
                    default:
                        return new E(math("log") + "(2.0 + " + math("sin") + "(" + ac + "))", 1.1);
                }
            case "log10":
                if (chance(50) && small) {
                    return new E(math("log10") + "(1.0 + " + paren(a, true) + " * " + paren(a, true) + ")",
                            Math.log10(1 + a.bound() * a.bound()));
                }
                return new E(math("log10") + "(" + math("abs") + "(" + ac + ") + 0.1)",
                        Math.max(1, Math.log10(a.bound() + 0.1)));
            case "log1p":
                switch (small ? rnd.nextInt(3) : 1) {
                    case 0:
                        return new E(math("log1p") + "(" + paren(a, true) + " * " + paren(a, true) + ")",
                                Math.log1p(a.bound() * a.bound()));
                    case 1:
                        return new E(math("log1p") + "(0.9 * " + math("tanh") + "(" + ac + "))", 2.31);
                    default: {
                        E s = wrap(a, 2.5);
                        // softplus: log(1 + e^s) ≤ max(s, 0) + log 2
                        return new E(math("log1p") + "(" + math("exp") + "(" + s.code() + "))", s.bound() + 0.7);
                    }
                }
            case "sqrt":
                switch (small ? rnd.nextInt(3) : 0) {
                    case 0:
                        return new E(math("sqrt") + "(" + math("abs") + "(" + ac + ") + 0.1)", Math.sqrt(a.bound() + 0.1));
                    case 1:
                        return new E(math("sqrt") + "(" + paren(a, true) + " * " + paren(a, true) + " + 0.25)",
                                a.bound() + 0.5);
                    default:
                        return new E(math("sqrt") + "(1.0 + " + paren(a, true) + " * " + paren(a, true) + ")",
                                a.bound() + 1);
                }
            case "cbrt": {
                // never at 0, where the derivative is infinite (cbrt(u - u) would give ∞ · 0)
                String shift = lit(Math.ceil(a.bound() + 0.5));
                return new E(math("cbrt") + "(" + ac + (chance(50) ? " + " : " - ") + shift + ")",
                        Math.cbrt(a.bound() + Math.ceil(a.bound() + 0.5)));
            }
            case "pow": {
                switch (rnd.nextInt(4)) {
                    case 0: {
                        E base = wrap(a, 2);
                        E y = wrap(doubleExpr(depth - 1), 2);
                        double bd = Math.max(Math.pow(base.bound() + 0.5, y.bound()), Math.pow(0.5, -y.bound()));
                        return new E(math("pow") + "(" + math("abs") + "(" + base.code() + ") + 0.5, " + y.code() + ")", bd);
                    }
                    case 1: {
                        E base = wrap(a, 2);
                        int k = 2 + rnd.nextInt(2);
                        String ks = chance(50) ? Integer.toString(k) : lit(k);
                        return new E(math("pow") + "(" + base.code() + ", " + ks + ")", Math.pow(base.bound(), k));
                    }
                    case 2: {
                        E y = wrap(a, 2.5);
                        return new E(math("pow") + "(2.0, " + y.code() + ")", Math.pow(2, y.bound()));
                    }
                    default: {
                        if (!small) {
                            return new E(math("pow") + "(" + math("cos") + "(" + ac + ") + 1.5, 1.5)", 3.96);
                        }
                        return new E(math("pow") + "(" + paren(a, true) + " * " + paren(a, true) + " + 1.0, 0.5)",
                                a.bound() + 1);
                    }
                }
            }
            case "hypot": {
                E b = doubleExpr(depth - 1);
                // as atan2: hypot has no derivative at the origin
                return chance(50)
                        ? new E(math("hypot") + "(" + shifted(a) + ", " + b.code() + ")", 2 * a.bound() + b.bound() + 1)
                        : new E(math("hypot") + "(" + ac + ", " + shifted(b) + ")", a.bound() + 2 * b.bound() + 1);
            }
            case "abs":
                return new E(math("abs") + "(" + ac + ")", a.bound(), a.integral());
            case "max":
            case "min": {
                E b = doubleExpr(depth - 1);
                return new E(math(fn) + "(" + ac + ", " + b.code() + ")", Math.max(a.bound(), b.bound()),
                        a.integral() && b.integral());
            }
            case "signum": {
                E b = doubleLeaf();
                // signum of an int is Java's signum(float), outside the subset (ADJ026): cast as its way out says
                String arg = a.integral() ? "(double) " + paren(a, true) : ac;
                return new E(math("signum") + "(" + arg + ") * " + paren(b, true), b.bound());
            }
            case "toRadians":
                return new E(math("toRadians") + "(" + ac + ")", a.bound() * 0.0175);
            default: {
                E s = wrap(a, 0.1);
                return new E(math("toDegrees") + "(" + s.code() + ")", s.bound() * 57.3);
            }
        }
    }

    // ------------------------------------------------------------------ conditions

    private String condition(int depth) {
        int c = rnd.nextInt(100);
        if (c < 45 || depth <= 0) {
            E a = doubleExpr(Math.min(depth, 1));
            String rhs;
            if (chance(50)) {
                rhs = paren(doubleExpr(Math.min(depth, 1)), false);
            } else {
                rhs = new String[] {"0", "0.0", "0.5", "-0.25", "1.0"}[rnd.nextInt(5)];
            }
            String op = new String[] {"<", "<=", ">", ">="}[rnd.nextInt(4)];
            return a.code() + " " + op + " " + rhs;
        }
        if (c < 60) {
            List<Var> counters = mutableInts();
            if (!counters.isEmpty() && chance(25)) {
                return countingTest(pick(counters));
            }
            List<Var> ints = visible(T.INT);
            if (!ints.isEmpty()) {
                Var v = pick(ints);
                if (chance(50)) {
                    return v.name + " % 2 == 0";
                }
                I o = intExpr(1);
                return v.name + " " + new String[] {"<", ">", "!=", "=="}[rnd.nextInt(4)] + " " + o.code();
            }
            return condition(0);
        }
        if (c < 70) {
            List<Var> bs = visible(T.BOOLEAN);
            if (!bs.isEmpty()) {
                return (chance(30) ? "!" : "") + pick(bs).name;
            }
            return condition(0);
        }
        if (c < 80) {
            return "!(" + condition(depth - 1) + ")";
        }
        String op = chance(50) ? " && " : " || ";
        return "(" + condition(depth - 1) + ")" + op + "(" + condition(depth - 1) + ")";
    }

    /** The int locals that may be mutated anywhere: non-negative, range unknown, read only through {@code %}. */
    private List<Var> mutableInts() {
        List<Var> vs = new ArrayList<>();
        for (Var v : visible(T.INT)) {
            if (v.writable && v.max == UNKNOWN) {
                vs.add(v);
            }
        }
        return vs;
    }

    /** A test that counts as a side effect ({@code k++ % 2 == 0}); it only ever increases {@code v}. */
    private String countingTest(Var v) {
        switch (rnd.nextInt(4)) {
            case 0: return v.name + "++ % 2 == 0";
            case 1: return "++" + v.name + " % 3 != 0";
            case 2: return "(" + v.name + " += 2) % 5 < 3";
            default: return v.name + "++ % 3 == 1";
        }
    }

    // ------------------------------------------------------------------ statements

    private void statement(int depth) {
        statements++;
        if (!helpers.isEmpty() && chance(current == null ? 9 : 6) && callStatement(depth)) {
            return;
        }
        if (switches && depth < 3 && chance(current == null ? 13 : 10)) {
            switchStatement(depth);
            return;
        }
        int c = rnd.nextInt(100);
        boolean canNest = depth < 3;
        if (depth > 0 && c < 53 && chance(45)) {
            // inside blocks, mostly update what is already there: values flow to the result
            int u = rnd.nextInt(3);
            if (u == 0) {
                assignDouble();
            } else if (u == 1) {
                compound();
            } else {
                arrayWrite();
            }
            return;
        }
        if (c < 14) {
            declareDouble();
        } else if (c < 22) {
            assignDouble();
        } else if (c < 28) {
            compound();
        } else if (c < 31) {
            declareAccumulator();
        } else if (c < 35) {
            declareInt();
        } else if (c < 37) {
            declareBoolean();
        } else if (c < 43) {
            localVector();
        } else if (c < 47) {
            localMatrix();
        } else if (c < 53) {
            arrayWrite();
        } else if (c < 62 && canNest) {
            ifStatement(depth);
        } else if (c < 74 && canNest) {
            forLoop(depth);
        } else if (c < 78 && canNest) {
            enhancedFor(depth);
        } else if (c < 84 && canNest) {
            dataDependentLoop(depth);
        } else if (c < 88 && !loops.isEmpty()) {
            jump();
        } else if (c < 91) {
            earlyReturn();
        } else if (c < 93 && canNest) {
            line("{");
            open();
            statement(depth + 1);
            statement(depth + 1);
            close();
            line("}");
        } else if (c < 95) {
            newtonIteration();
        } else if (c < 98 && canNest) {
            sideEffectLoop(depth);
        } else {
            declareDouble();
        }
    }

    private void body(int depth, int min, int max) {
        int n = min + rnd.nextInt(max - min + 1);
        for (int i = 0; i < n; i++) {
            statement(depth + 1);
        }
    }

    private String doubleDecl() {
        if (preferVar ? chance(70) : chance(15)) {
            return "var";
        }
        return chance(10) ? "final double" : "double";
    }

    private void declareDouble() {
        E e = doubleExpr(1 + rnd.nextInt(3));
        double bound = Math.min(VAR_CAP, Math.max(1, e.bound()));
        E v = wrap(e, bound);
        String name = fresh("t", "u", "v", "s", "h", "g", "r");
        String type = doubleDecl();
        if (type.equals("var") && v.integral()) {
            type = "double";
        }
        Var var = new Var(name, T.DOUBLE, Math.max(bound, v.bound()), false, 0, 0, 0, false, !type.startsWith("final"), null);
        if (chance(8) && !type.startsWith("final")) {
            // declared first, assigned on both branches
            line("double " + name + ";");
            line("if (" + condition(1) + ") {");
            line("    " + name + " = " + v.code() + ";");
            line("} else {");
            line("    " + name + " = " + wrap(doubleExpr(2), var.bound).code() + ";");
            line("}");
        } else if (chance(6) && !type.equals("var")) {
            String other = fresh("p", "q");
            E w = wrap(doubleExpr(1), var.bound);
            line(type + " " + name + " = " + v.code() + ", " + other + " = " + w.code() + ";");
            declare(new Var(other, T.DOUBLE, var.bound, false, 0, 0, 0, false, !type.startsWith("final"), null));
        } else {
            line(type + " " + name + " = " + v.code() + ";");
        }
        declare(var);
    }

    private void declareAccumulator() {
        String name = fresh("sum", "acc", "total", "energy");
        E init = chance(50) ? new E(chance(50) ? "0" : "0.0", 0) : wrap(doubleExpr(1), 2);
        line((preferVar && !init.integral() && !init.code().matches("-?[0-9]+") ? "var " : "double ") + name + " = " + init.code() + ";");
        declare(new Var(name, T.DOUBLE, 1e9, true, 0, 0, 0, false, true, null));
    }

    private void assignDouble() {
        List<Var> vs = new ArrayList<>();
        for (Var v : visible(T.DOUBLE)) {
            if (v.writable && !v.acc && !isConstant(v)) {
                vs.add(v);
            }
        }
        if (vs.isEmpty()) {
            declareDouble();
            return;
        }
        Var v = pick(vs);
        E e = wrap(doubleExpr(1 + rnd.nextInt(3)), v.bound);
        if (chance(20) && e.code().length() < 60) {
            // relaxation: v = (1 - c) v + c e
            line(v.name + " = 0.5 * " + v.name + " + 0.5 * " + paren(e, true) + ";");
        } else {
            line(v.name + " = " + e.code() + ";");
        }
    }

    private boolean isConstant(Var v) {
        return constantVars.contains(v);
    }

    private void compound() {
        List<Var> accs = new ArrayList<>();
        List<Var> bounded = new ArrayList<>();
        for (Var v : visible(T.DOUBLE)) {
            if (!v.writable || isConstant(v)) {
                continue;
            }
            (v.acc ? accs : bounded).add(v);
        }
        if (!accs.isEmpty() && (bounded.isEmpty() || chance(60))) {
            Var v = pick(accs);
            switch (rnd.nextInt(6)) {
                case 0: line(v.name + " += " + doubleExpr(2).code() + ";"); break;
                case 1: line(v.name + " -= " + doubleExpr(2).code() + ";"); break;
                case 2: {
                    E e = doubleExpr(1);
                    line(v.name + " += " + paren(e, true) + " * " + paren(e, true) + ";");
                    break;
                }
                case 3: line((chance(50) ? v.name + "++" : "++" + v.name) + ";"); break;
                case 4: line((chance(50) ? v.name + "--" : "--" + v.name) + ";"); break;
                default: line(v.name + " = " + v.name + " + " + paren(doubleExpr(2), true) + ";"); break;
            }
            return;
        }
        if (bounded.isEmpty()) {
            declareAccumulator();
            return;
        }
        Var v = pick(bounded);
        switch (rnd.nextInt(5)) {
            case 0: line(v.name + " *= " + new String[] {"0.9", "0.5", "-0.75"}[rnd.nextInt(3)] + ";"); break;
            case 1: line(v.name + " *= " + math("cos") + "(" + doubleExpr(2).code() + ");"); break;
            case 2: line(v.name + " *= " + math("tanh") + "(" + doubleExpr(2).code() + ");"); break;
            case 3: line(v.name + " /= " + denominator(2) + ";"); break;
            default: {
                // += followed by a squash back into range
                line(v.name + " += " + wrap(doubleExpr(2), 1).code() + ";");
                line(v.name + " = " + wrap(new E(v.name, v.bound + 1), v.bound).code() + ";");
                break;
            }
        }
    }

    private void declareInt() {
        String name = fresh("k", "m", "p", "off", "pos");
        if (chance(35)) {
            // mutable: non-negative, range unknown
            I init = intExpr(1);
            line((chance(30) ? "var " : "int ") + name + " = " + init.code() + ";");
            Var v = new Var(name, T.INT, 0, false, UNKNOWN, 0, 0, false, true, null);
            declare(v);
            return;
        }
        I init = intExpr(2);
        line((preferVar && chance(50) ? "var " : "int ") + name + " = " + init.code() + ";");
        declare(new Var(name, T.INT, 0, false, init.max(), 0, 0, false, false, null));
    }

    private void mutateInt() {
        List<Var> vs = mutableInts();
        if (vs.isEmpty()) {
            return;
        }
        Var v = pick(vs);
        switch (rnd.nextInt(4)) {
            case 0: line(inc(v.name) + ";"); break;
            case 1: line(v.name + " += " + intLeaf().code() + ";"); break;
            case 2: line(v.name + " = (" + v.name + " * 3 + 1) % 7;"); break;
            default: line(v.name + " = " + intExpr(1).code() + ";"); break;
        }
    }

    private void declareBoolean() {
        String name = fresh("pos", "big", "inside", "odd");
        line((chance(20) ? "var " : "boolean ") + name + " = " + condition(2) + ";");
        declare(new Var(name, T.BOOLEAN, 0, false, 0, 0, 0, false, false, null));
    }

    private void localVector() {
        if (chance(30) && rebinding()) {
            return;
        }
        String name = fresh("buf", "tmp", "state", "c", "d", "work");
        List<Var> vecs = visible(T.VECTOR);
        List<Var> mats = visible(T.MATRIX);
        if (!mats.isEmpty() && chance(15)) {
            // a read-only view of a row
            Var m = pick(mats);
            String r = fresh("row");
            line((preferVar ? "var " : "double[] ") + r + " = " + m.name + "[" + index(m.length, m.lengthCode) + "];");
            declare(new Var(r, T.VECTOR, m.bound, m.acc, 0, m.cols, 0, true, false, r + ".length"));
            return;
        }
        int len;
        String lenCode;
        boolean acc = chance(25);
        double bound = acc ? 1e9 : 2 + rnd.nextInt(3);
        if (!vecs.isEmpty() && chance(50)) {
            Var src = pick(vecs);
            len = src.length;
            lenCode = src.lengthCode;
            if (chance(30)) {
                len += 1;
                lenCode = src.lengthCode + " + 1";
            }
        } else {
            len = 2 + rnd.nextInt(4);
            lenCode = Integer.toString(len);
        }
        String type = preferVar && chance(60) ? "var" : "double[]";
        if (chance(20) && !acc) {
            // an initializer
            StringBuilder init = new StringBuilder();
            int n = 2 + rnd.nextInt(3);
            for (int i = 0; i < n; i++) {
                init.append(i > 0 ? ", " : "").append(wrap(doubleExpr(1), bound).code());
            }
            if (type.equals("var")) {
                line("var " + name + " = new double[] {" + init + "};");
            } else {
                line("double[] " + name + " = {" + init + "};");
            }
            declare(new Var(name, T.VECTOR, bound, false, 0, n, 0, false, false, name + ".length"));
            return;
        }
        line(type + " " + name + " = new double[" + lenCode + "];");
        Var v = new Var(name, T.VECTOR, bound, acc, 0, len, 0, false, false, name + ".length");
        if (chance(60) && trips * len <= MAX_TRIPS) {
            // fill it
            String i = counterName();
            line("for (int " + i + " = 0; " + i + " < " + name + ".length; " + inc(i) + ") {");
            open();
            declare(new Var(i, T.INT, 0, false, len - 1, 0, 0, false, false, null));
            E e = wrap(doubleExpr(2), Math.min(bound, VAR_CAP));
            line(name + "[" + i + "] = " + e.code() + ";");
            close();
            line("}");
        }
        declare(v);
    }

    private void localMatrix() {
        String name = fresh("grid", "mat", "g", "table");
        int rows = 2 + rnd.nextInt(3);
        int cols = 2 + rnd.nextInt(3);
        boolean acc = chance(25);
        double bound = acc ? 1e9 : 3;
        line((preferVar && chance(50) ? "var " : "double[][] ") + name + " = new double[" + rows + "][" + cols + "];");
        if (chance(60) && trips * rows * cols <= MAX_TRIPS) {
            String r = counterName();
            line("for (int " + r + " = 0; " + r + " < " + name + ".length; " + inc(r) + ") {");
            open();
            declare(new Var(r, T.INT, 0, false, rows - 1, 0, 0, false, false, null));
            String c = counterName();
            line("for (int " + c + " = 0; " + c + " < " + name + "[" + r + "].length; " + inc(c) + ") {");
            open();
            declare(new Var(c, T.INT, 0, false, cols - 1, 0, 0, false, false, null));
            line(name + "[" + r + "][" + c + "] = " + wrap(doubleExpr(2), 3).code() + ";");
            close();
            line("}");
            close();
            line("}");
        }
        declare(new Var(name, T.MATRIX, bound, acc, 0, rows, cols, false, false, name + ".length"));
    }

    // ------------------------------------------------------------------ array variables rebound

    /**
     * Array variables that are rebound as the program runs: a layer loop ({@code h = x; ... h = next;}), ping-pong
     * buffers swapped in a loop ({@code t = a; a = b; b = t;}), a second name for a local array, a local matrix of
     * row references into a matrix parameter. A variable that may hold a parameter's array is read-only.
     *
     * @return false when nothing fits here (too many trips)
     */
    private boolean rebinding() {
        switch (rnd.nextInt(10)) {
            case 0: case 1: case 2: case 3:
                return layerLoop();
            case 4: case 5: case 6:
                return pingPong();
            case 7: case 8:
                return secondName();
            default:
                return rowReferences();
        }
    }

    /** The bound of a loop over layers or steps, as written, and its largest trip count (at least 1). */
    private record Steps(String bound, int trips) {
        String header(String counter, String increment) {
            return "for (int " + counter + " = 0; " + counter + " < " + bound + "; " + increment + ") {";
        }
    }

    /** A constant number of steps, or a count that may be 0 ({@code n - 1}); 0 to 3 steps. */
    private Steps steps() {
        Var n = null;
        for (Var v : visible(T.INT)) {
            if (v.param) {
                n = v;
            }
        }
        if (n != null && chance(40)) {
            return new Steps(n.name + " - 1", Math.max(1, n.max - 1));
        }
        int k = rnd.nextInt(4);
        return new Steps(Integer.toString(k), Math.max(1, k));
    }

    /** {@code double[] h = src; for (...) { double[] next = new double[h.length]; next[i] = ...h...; h = next; }} */
    private boolean layerLoop() {
        List<Var> sources = new ArrayList<>();
        sources.addAll(visible(T.VECTOR));
        int len = 2 + rnd.nextInt(4);
        boolean fresh = sources.isEmpty() || chance(30);
        Var src = fresh ? null : pick(sources);
        if (src != null) {
            len = src.length;
        }
        String l = counterName();
        Steps st = steps();
        int steps = st.trips();
        if (trips * steps * len > MAX_TRIPS) {
            return false;
        }
        String h = fresh("h", "layer", "state");
        double bound = 2 + rnd.nextInt(3);
        String type = preferVar && chance(60) ? "var" : "double[]";
        boolean readOnly;
        double hBound;
        if (src == null) {
            line(type + " " + h + " = new double[" + len + "];");
            String i = counterName();
            line("for (int " + i + " = 0; " + i + " < " + h + ".length; " + inc(i) + ") {");
            open();
            declare(new Var(i, T.INT, 0, false, len - 1, 0, 0, false, false, null));
            line(h + "[" + i + "] = " + wrap(doubleExpr(2), bound).code() + ";");
            close();
            line("}");
            readOnly = false;
            hBound = bound;
        } else {
            line(type + " " + h + " = " + src.name + ";");
            // h may still hold src's array after the loop (a parameter's, or one whose bound is src's): read-only
            readOnly = true;
            hBound = Math.max(bound, src.bound);
        }
        Var hv = new Var(h, T.VECTOR, src != null && src.acc ? 1e9 : hBound, src != null && src.acc, 0, len, 0,
                readOnly, false, h + ".length");
        declare(hv);
        line(st.header(l, inc(l)));
        open();
        declare(new Var(l, T.INT, 0, false, steps - 1, 0, 0, false, false, null));
        int saved = trips;
        trips *= steps;
        String next = fresh("next", "out", "layerOut");
        line((type.equals("var") ? "var" : "double[]") + " " + next + " = new double[" + h + ".length];");
        String i = counterName();
        line("for (int " + i + " = 0; " + i + " < " + next + ".length; " + inc(i) + ") {");
        open();
        declare(new Var(i, T.INT, 0, false, len - 1, 0, 0, false, false, null));
        String neighbour = h + "[(" + i + " + 1) % " + h + ".length]";
        E mix = wrap(doubleExpr(1), 2);
        String read = hv.acc ? squash(new E(h + "[" + i + "]", 1e9)).code() : h + "[" + i + "]";
        double readBound = hv.acc ? 1.571 : hv.bound;
        E value = wrap(new E(math("tanh") + "(" + read + " * 0.5 + " + paren(mix, true) + ") + 0.25 * "
                + (hv.acc ? squash(new E(neighbour, 1e9)).code() : neighbour), 1 + 0.25 * readBound), bound);
        line(next + "[" + i + "] = " + value.code() + ";");
        close();
        line("}");
        if (chance(40)) {
            loops.add(new Loop(null, true));
            statement(3); // a statement of the layer, reading h or next
            loops.remove(loops.size() - 1);
        }
        if (chance(20)) {
            line("if (" + condition(1) + ") {");
            line("    " + h + " = " + next + ";");
            line("}");
        } else {
            line(h + " = " + next + ";");
        }
        trips = saved;
        close();
        line("}");
        return true;
    }

    /** Two buffers, one read and one written per sweep, swapped after each sweep. */
    private boolean pingPong() {
        int len = 2 + rnd.nextInt(4);
        List<Var> vecs = visible(T.VECTOR);
        Var src = vecs.isEmpty() || chance(30) ? null : pick(vecs);
        if (src != null) {
            len = src.length;
        }
        String s = counterName();
        Steps st = steps();
        int steps = st.trips();
        if (trips * steps * len > MAX_TRIPS) {
            return false;
        }
        double bound = 2 + rnd.nextInt(2);
        String a = fresh("cur", "u", "front");
        String b = fresh("nxt", "v", "back");
        String type = preferVar && chance(60) ? "var" : "double[]";
        line(type + " " + a + " = new double[" + len + "];");
        line(type + " " + b + " = new double[" + a + ".length];");
        if (src != null || chance(50)) {
            String i = counterName();
            line("for (int " + i + " = 0; " + i + " < " + a + ".length; " + inc(i) + ") {");
            open();
            declare(new Var(i, T.INT, 0, false, len - 1, 0, 0, false, false, null));
            String init = src == null ? wrap(doubleExpr(2), bound).code()
                    : src.acc ? squash(new E(src.name + "[" + i + "]", 1e9)).code()
                    : wrap(new E(src.name + "[" + i + "]", src.bound), bound).code();
            line(a + "[" + i + "] = " + init + ";");
            close();
            line("}");
        }
        Var av = new Var(a, T.VECTOR, bound, false, 0, len, 0, false, false, a + ".length");
        Var bv = new Var(b, T.VECTOR, bound, false, 0, len, 0, false, false, b + ".length");
        declare(av);
        declare(bv);
        boolean whileLoop = chance(25);
        String counter = s;
        if (whileLoop) {
            line("int " + counter + " = 0;");
            declare(new Var(counter, T.INT, 0, false, steps, 0, 0, false, false, null));
            line("while (" + counter + " < " + st.bound() + ") {");
        } else {
            line(st.header(counter, inc(counter)));
        }
        open();
        if (whileLoop) {
            line(inc(counter) + ";"); // first: a continue in the sweep must not skip it
        } else {
            declare(new Var(counter, T.INT, 0, false, steps - 1, 0, 0, false, false, null));
        }
        int saved = trips;
        trips *= steps;
        boolean swapFirst = chance(25);
        if (swapFirst) {
            swap(a, b, type);
        }
        String i = counterName();
        line("for (int " + i + " = 0; " + i + " < " + b + ".length; " + inc(i) + ") {");
        open();
        declare(new Var(i, T.INT, 0, false, len - 1, 0, 0, false, false, null));
        String left = a + "[(" + i + " + " + a + ".length - 1) % " + a + ".length]";
        String right = a + "[(" + i + " + 1) % " + a + ".length]";
        E force = wrap(doubleExpr(1), 1);
        String update;
        switch (rnd.nextInt(3)) {
            case 0:
                // a relaxation step: the mean of the neighbours, nudged
                update = "0.5 * (" + left + " + " + right + ") + 0.25 * " + paren(force, true);
                break;
            case 1:
                // an explicit step of u' = (neighbours - 2u) - u^3 + f
                update = a + "[" + i + "] + 0.1 * (" + left + " - 2 * " + a + "[" + i + "] + " + right + " - "
                        + a + "[" + i + "] * " + a + "[" + i + "] * " + a + "[" + i + "] + " + paren(force, true) + ")";
                break;
            default:
                update = math("tanh") + "(" + a + "[" + i + "] * " + paren(force, true) + " + 0.5 * " + right + ")";
                break;
        }
        line(b + "[" + i + "] = " + wrap(new E(update, 3 * bound + 2), bound).code() + ";");
        close();
        line("}");
        if (chance(30)) {
            loops.add(new Loop(null, !whileLoop));
            statement(3);
            loops.remove(loops.size() - 1);
        }
        if (!swapFirst) {
            if (chance(15)) {
                line("if (" + condition(1) + ") {");
                open();
                swap(a, b, type);
                close();
                line("}");
            } else {
                swap(a, b, type);
            }
        }
        trips = saved;
        close();
        line("}");
        return true;
    }

    private void swap(String a, String b, String type) {
        String t = fresh("t", "swap", "tmp");
        line((type.equals("var") ? "var" : "double[]") + " " + t + " = " + a + ";");
        line(a + " = " + b + ";");
        line(b + " = " + t + ";");
    }

    /** {@code double[] view = buf;}: both names write and read one local array. */
    private boolean secondName() {
        List<Var> writable = new ArrayList<>();
        for (Var v : visible(T.VECTOR)) {
            if (!v.param) {
                writable.add(v);
            }
        }
        if (writable.isEmpty()) {
            return false;
        }
        Var v = pick(writable);
        String name = fresh("view", "alias", "same");
        line((preferVar && chance(60) ? "var " : "double[] ") + name + " = " + v.name + ";");
        declare(new Var(name, T.VECTOR, v.bound, v.acc, 0, v.length, 0, false, false, name + ".length"));
        return true;
    }

    /** A local matrix whose rows are the rows of a matrix parameter, in another order (read-only). */
    private boolean rowReferences() {
        List<Var> mats = new ArrayList<>();
        for (Var m : visible(T.MATRIX)) {
            if (m.param) {
                mats.add(m);
            }
        }
        if (mats.isEmpty() || trips * mats.get(0).length > MAX_TRIPS) {
            return false;
        }
        Var m = pick(mats);
        String rows = fresh("rows", "picked", "order");
        line((preferVar && chance(50) ? "var " : "double[][] ") + rows + " = new double[" + m.lengthCode + "][];");
        String k = counterName();
        int shift = 1 + rnd.nextInt(m.length);
        line("for (int " + k + " = 0; " + k + " < " + rows + ".length; " + inc(k) + ") {");
        line("    " + rows + "[" + k + "] = " + m.name + "[(" + k + " + " + shift + ") % " + m.lengthCode + "];");
        line("}");
        if (chance(50)) {
            // swap two of the references
            String t = fresh("t", "swap");
            line("double[] " + t + " = " + rows + "[0];");
            line(rows + "[0] = " + rows + "[" + (m.length - 1) + "];");
            line(rows + "[" + (m.length - 1) + "] = " + t + ";");
        }
        declare(new Var(rows, T.MATRIX, m.bound, m.acc, 0, m.length, m.cols, true, false, rows + ".length"));
        return true;
    }

    private void arrayWrite() {
        List<Var> arrays = new ArrayList<>();
        for (Var v : visible(T.VECTOR)) {
            if (!v.param) {
                arrays.add(v);
            }
        }
        for (Var v : visible(T.MATRIX)) {
            if (!v.param) {
                arrays.add(v);
            }
        }
        if (arrays.isEmpty()) {
            if (chance(50)) {
                mutateInt();
            }
            localVector();
            return;
        }
        Var a = pick(arrays);
        if (resultVar != null && chance(30)) {
            a = resultVar;   // the statements build the result
        }
        if (a.type == T.VECTOR && chance(8) && !noRebind.contains(a)) {
            // a fresh array for the same name
            line(a.name + " = new double[" + (chance(50) ? a.name + ".length" : Integer.toString(a.length)) + "];");
            return;
        }
        String target;
        if (a.type == T.VECTOR) {
            target = a.name + "[" + index(a.length, a.lengthCode) + "]";
        } else {
            target = a.name + "[" + index(a.length, a.lengthCode) + "][" + index(a.cols, a.cols + "") + "]";
        }
        if (a.acc) {
            switch (rnd.nextInt(4)) {
                case 0: line(target + " += " + doubleExpr(2).code() + ";"); break;
                case 1: line(target + " -= " + doubleExpr(2).code() + ";"); break;
                case 2: line(target + "++;"); break;
                default: line(target + " = " + wrap(doubleExpr(2), 3).code() + ";"); break;
            }
        } else {
            switch (rnd.nextInt(4)) {
                case 0: line(target + " *= " + math("cos") + "(" + doubleExpr(1).code() + ");"); break;
                case 1: line(target + " /= " + denominator(1) + ";"); break;
                default: line(target + " = " + wrap(doubleExpr(1 + rnd.nextInt(3)), a.bound).code() + ";"); break;
            }
        }
        if (chance(30)) {
            mutateInt();
        }
    }

    private void ifStatement(int depth) {
        line("if (" + condition(2) + ") {");
        open();
        body(depth, 1, 3);
        close();
        int shape = rnd.nextInt(3);
        if (shape == 0) {
            line("}");
        } else if (shape == 1) {
            line("} else {");
            open();
            body(depth, 1, 3);
            close();
            line("}");
        } else {
            line("} else if (" + condition(2) + ") {");
            open();
            body(depth, 1, 2);
            close();
            line("} else {");
            open();
            body(depth, 1, 2);
            close();
            line("}");
        }
    }

    private String label() {
        return chance(25) ? fresh("outer", "scan", "sweep") : null;
    }

    private void loopHeader(String label, String header) {
        if (label != null) {
            line(label + ":");
        }
        line(header);
    }

    private void forLoop(int depth) {
        String i = counterName();
        List<Var> vecs = visible(T.VECTOR);
        List<Var> ints = visible(T.INT);
        String header;
        int max;
        int trip;
        int form = rnd.nextInt(6);
        if (form <= 1 && !vecs.isEmpty()) {
            Var v = pick(vecs);
            trip = v.length;
            max = v.length - 1;
            if (form == 0) {
                header = "for (int " + i + " = 0; " + i + " < " + v.lengthCode + "; " + inc(i) + ") {";
            } else {
                header = "for (int " + i + " = " + v.lengthCode + " - 1; " + i + " >= 0; " + i + "--) {";
            }
        } else if (form == 2) {
            int n = 2 + rnd.nextInt(5);
            trip = (n + 1) / 2;
            max = n - 1;
            header = "for (int " + i + " = 0; " + i + " < " + n + "; " + i + " += 2) {";
        } else if (form == 3 && !ints.isEmpty()) {
            Var n = pick(ints);
            if (n.max == UNKNOWN || n.max > 8) {
                int c = 2 + rnd.nextInt(4);
                trip = c;
                max = c;
                header = "for (int " + i + " = 1; " + i + " <= " + c + "; " + inc(i) + ") {";
            } else {
                trip = Math.max(1, n.max);
                max = Math.max(0, n.max - 1);
                header = "for (int " + i + " = 0; " + i + " < " + n.name + "; " + inc(i) + ") {";
            }
        } else {
            int n = 2 + rnd.nextInt(5);
            trip = n;
            max = n - 1;
            header = "for (int " + i + " = 0; " + i + " < " + n + "; " + inc(i) + ") {";
        }
        if (trips * trip > MAX_TRIPS) {
            statement(depth + 1);
            return;
        }
        String label = label();
        loopHeader(label, header);
        open();
        declare(new Var(i, T.INT, 0, false, max, 0, 0, false, false, null));
        int saved = trips;
        trips *= trip;
        loops.add(new Loop(label, true));
        body(depth, 1, 4);
        loops.remove(loops.size() - 1);
        trips = saved;
        close();
        line("}");
    }

    private void enhancedFor(int depth) {
        List<Var> vecs = visible(T.VECTOR);
        List<Var> mats = visible(T.MATRIX);
        if (!mats.isEmpty() && chance(35)) {
            Var m = pick(mats);
            if (trips * m.length * m.cols > MAX_TRIPS) {
                statement(depth + 1);
                return;
            }
            String row = fresh("row");
            String e = fresh("e", "val");
            String label = label();
            loopHeader(label, "for (" + (chance(30) ? "var" : "double[]") + " " + row + " : " + m.name + ") {");
            open();
            declare(new Var(row, T.VECTOR, m.bound, m.acc, 0, m.cols, 0, true, false, row + ".length"));
            loops.add(new Loop(label, false));
            int saved = trips;
            trips *= m.length;
            line("for (" + (chance(30) ? "var" : "double") + " " + e + " : " + row + ") {");
            open();
            trips *= m.cols;
            loops.add(new Loop(null, false));
            declare(new Var(e, T.DOUBLE, m.bound, m.acc, 0, 0, 0, false, false, null));
            body(depth, 1, 3);
            loops.remove(loops.size() - 1);
            close();
            line("}");
            loops.remove(loops.size() - 1);
            trips = saved;
            close();
            line("}");
            return;
        }
        if (vecs.isEmpty()) {
            forLoop(depth);
            return;
        }
        Var v = pick(vecs);
        if (trips * v.length > MAX_TRIPS) {
            statement(depth + 1);
            return;
        }
        String e = fresh("xi", "e", "val");
        String label = label();
        loopHeader(label, "for (" + (chance(30) ? "var" : chance(10) ? "final double" : "double") + " " + e + " : "
                + v.name + ") {");
        open();
        declare(new Var(e, T.DOUBLE, v.bound, v.acc, 0, 0, 0, false, false, null));
        int saved = trips;
        trips *= v.length;
        loops.add(new Loop(label, false));
        body(depth, 1, 3);
        loops.remove(loops.size() - 1);
        trips = saved;
        close();
        line("}");
    }

    private void dataDependentLoop(int depth) {
        int maxIt = 3 + rnd.nextInt(6);
        if (trips * maxIt > MAX_TRIPS) {
            statement(depth + 1);
            return;
        }
        String it = fresh("it", "iter", "count");
        int form = rnd.nextInt(4);
        int saved = trips;
        if (form == 0) {
            // while over a growing quantity
            String s = fresh("s", "level");
            double lim = 1.5 + rnd.nextInt(3) * 0.5;
            E init = wrap(doubleExpr(1), 1);
            line("int " + it + " = 0;");
            line("double " + s + " = " + init.code() + ";");
            Var sv = new Var(s, T.DOUBLE, lim + 0.6, false, 0, 0, 0, false, false, null);
            declare(sv);
            String label = label();
            loopHeader(label, "while (" + s + " < " + lit(lim) + " && " + it + " < " + maxIt + ") {");
            open();
            declare(new Var(it, T.INT, 0, false, maxIt, 0, 0, false, false, null));
            line(inc(it) + ";");
            trips *= maxIt;
            loops.add(new Loop(label, false));
            body(depth, 1, 3);
            loops.remove(loops.size() - 1);
            line(s + " += 0.25 + 0.25 * " + math("abs") + "(" + math("sin") + "(" + doubleExpr(1).code() + "));");
            close();
            line("}");
        } else if (form == 1) {
            line("int " + it + " = 0;");
            String label = label();
            loopHeader(label, "do {");
            open();
            declare(new Var(it, T.INT, 0, false, maxIt, 0, 0, false, false, null));
            line(inc(it) + ";");
            trips *= maxIt;
            loops.add(new Loop(label, false));
            body(depth, 1, 3);
            loops.remove(loops.size() - 1);
            close();
            line("} while (" + it + " < " + maxIt + " && (" + condition(1) + "));");
        } else if (form == 2) {
            line("int " + it + " = 0;");
            String label = label();
            loopHeader(label, "while (true) {");
            open();
            declare(new Var(it, T.INT, 0, false, maxIt, 0, 0, false, false, null));
            line("if (" + it + "++ >= " + maxIt + ") {");
            line("    break;");
            line("}");
            trips *= maxIt;
            loops.add(new Loop(label, false));
            body(depth, 1, 3);
            loops.remove(loops.size() - 1);
            line("if (" + condition(1) + ") break;");
            close();
            line("}");
        } else {
            // trip count computed from the data
            String steps = fresh("steps", "nIter");
            E e = wrap(doubleExpr(1), 2);
            line("int " + steps + " = 1 + (int) (" + math("abs") + "(" + e.code() + ") * 2);");
            int max = 1 + (int) (e.bound() * 2);
            if (trips * max > MAX_TRIPS) {
                declare(new Var(steps, T.INT, 0, false, max, 0, 0, false, false, null));
                return;
            }
            declare(new Var(steps, T.INT, 0, false, max, 0, 0, false, false, null));
            String c = counterName();
            String label = label();
            loopHeader(label, "for (int " + c + " = 0; " + c + " < " + steps + "; " + inc(c) + ") {");
            open();
            declare(new Var(c, T.INT, 0, false, max - 1, 0, 0, false, false, null));
            trips *= max;
            loops.add(new Loop(label, true));
            body(depth, 1, 3);
            loops.remove(loops.size() - 1);
            close();
            line("}");
        }
        trips = saved;
    }

    /**
     * A loop whose condition (or update) has side effects, the ways people write counting loops:
     * {@code while (n++ < N)}, {@code do ... while (--n > 0)}, {@code for (int c = 0; c++ < N; )},
     * {@code for (...; ...; k += c++)}, {@code a && n++ < N}, {@code a || k++ % 2 == 0},
     * {@code (a ? n++ : (n += 2)) < N}, a guarded read {@code n < x.length && x[n++] < B}, a differentiated variable
     * assigned in the condition. Every
     * condition bounds the trips by a counter that only grows (or only shrinks to 0); the counters stay
     * non-negative and are read inside the loop and after it (as ints of unknown range, through {@code %}).
     */
    private void sideEffectLoop(int depth) {
        int[] before = callMark();
        I n = tripBound();
        String cnt = fresh("cnt", "n", "seen");
        int form = rnd.nextInt(10);
        // the largest number of trips, and the counter's start
        int most = n.max() + 1;
        String start = "0";
        String header;
        String footer = "}";
        boolean isFor = false;
        Var forIndex = null;
        String label = label();
        switch (form) {
            case 0: // while (cnt++ < N), while (++cnt <= N)
                header = "while (" + (chance(50) ? cnt + "++ < " + n.code() : "++" + cnt + " <= " + n.code()) + ") {";
                break;
            case 1: { // counting down to 0: while (cnt-- > 1), while (--cnt > 0)
                start = n.max() == 0 ? "1" : "1 + " + parenInt(n.code());
                header = "while (" + (chance(50) ? cnt + "-- > 1" : "--" + cnt + " > 0") + ") {";
                break;
            }
            case 2: // do ... while (cnt++ < N), do ... while (++cnt < N)
                header = "do {";
                footer = "} while (" + (chance(50) ? cnt + "++ < " + n.code() : "++" + cnt + " < " + n.code()) + ");";
                break;
            case 3: // do ... while (--cnt > 0), do ... while (cnt-- > 1)
                start = n.max() == 0 ? "1" : "1 + " + parenInt(n.code());
                header = "do {";
                footer = "} while (" + (chance(50) ? "--" + cnt + " > 0" : cnt + "-- > 1") + ");";
                break;
            case 4: { // for with a counting condition or an update that needs a temporary
                isFor = true;
                String c = counterName();
                int shape = rnd.nextInt(4);
                if (shape == 0) {
                    header = "for (int " + c + " = 0; " + c + "++ < " + n.code() + "; ) {";
                    forIndex = new Var(c, T.INT, 0, false, n.max(), 0, 0, false, false, null);
                } else if (shape == 1) {
                    header = "for (int " + c + " = 0; ++" + c + " <= " + n.code() + "; ) {";
                    forIndex = new Var(c, T.INT, 0, false, n.max(), 0, 0, false, false, null);
                } else if (shape == 2) {
                    header = "for (; " + cnt + "++ < " + n.code() + "; ) {";
                } else {
                    // cnt += c++: the update reads the old c
                    header = "for (int " + c + " = 0; " + c + " < " + n.code() + "; " + cnt + " += " + c + "++) {";
                    forIndex = new Var(c, T.INT, 0, false, Math.max(0, n.max() - 1), 0, 0, false, false, null);
                }
                break;
            }
            case 5: { // &&: the right side counts, and runs only when the left is true
                Var v = plainVector();
                if (v != null && chance(50)) {
                    most = v.length + 1;
                    String b = new String[] {"1.0", "0.5", "-0.25", "0.0"}[rnd.nextInt(4)];
                    String test = cnt + " < " + v.lengthCode + " && " + v.name + "[" + cnt + "++] "
                            + (chance(50) ? "<" : ">") + " " + b;
                    if (chance(50)) {
                        header = "while (" + test + ") {";
                    } else {
                        header = "do {";
                        footer = "} while (" + test + ");";
                    }
                } else if (chance(50)) {
                    header = "while ((" + condition(1) + ") && " + cnt + "++ < " + n.code() + ") {";
                } else {
                    header = "do {";
                    footer = "} while ((" + condition(1) + ") && ++" + cnt + " < " + n.code() + ");";
                }
                break;
            }
            case 6: { // ||: the right side counts, and runs only when the left is false
                Var v = plainVector();
                if (v != null && chance(40)) {
                    most = v.length + 1;
                    header = "while (!(" + cnt + " >= " + v.lengthCode + " || " + v.name + "[" + cnt + "++] > "
                            + new String[] {"1.0", "0.5", "-0.5"}[rnd.nextInt(3)] + ")) {";
                } else if (chance(50)) {
                    Var bumped = mutableCounter();
                    header = "while (" + cnt + "++ < " + n.code() + " && ((" + condition(1) + ") || " + bumped.name
                            + "++ % 2 == 0)) {";
                } else {
                    header = "do {";
                    footer = "} while (!((" + condition(1) + ") || " + cnt + "++ >= " + n.code() + "));";
                }
                break;
            }
            case 7: { // ?: whose arms count
                String choice = "(" + condition(1) + " ? " + cnt + "++ : (" + cnt + " += 2))";
                if (chance(50)) {
                    header = "while (" + choice + " < " + n.code() + ") {";
                } else {
                    header = "do {";
                    footer = "} while ((" + condition(1) + " ? ++" + cnt + " : " + cnt + "++) < " + n.code() + ");";
                }
                break;
            }
            default: { // a differentiated variable assigned in the condition
                // s++ < lim leaves s below lim + 2; s += (at most 0.5) < lim below lim + 0.5
                String s = fresh("level", "s");
                boolean unit = chance(35);
                double lim = unit ? 1.5 : 1.5 + rnd.nextInt(3) * 0.5;
                E init = wrap(doubleExpr(1), 1);
                String grow = unit ? s + "++"
                        : "(" + s + " += 0.25 + 0.25 * " + math("abs") + "(" + math("sin") + "("
                                + doubleExpr(1).code() + ")))";
                line("double " + s + " = " + init.code() + ";");
                declare(new Var(s, T.DOUBLE, lim + (unit ? 2.1 : 0.6), false, 0, 0, 0, false, false, null));
                String test = grow + " < " + lit(lim) + " && " + cnt + "++ < " + n.code();
                if (chance(60)) {
                    header = "while (" + test + ") {";
                } else {
                    header = "do {";
                    footer = "} while (" + test + ");";
                }
                break;
            }
        }
        if (trips * most > MAX_TRIPS) {
            callReset(before);   // the header, with any calls in it, is not written
            statement(depth + 1);
            return;
        }
        line("int " + cnt + " = " + start + ";");
        Var counter = new Var(cnt, T.INT, 0, false, UNKNOWN, 0, 0, false, false, null);
        declare(counter);
        loopHeader(label, header);
        open();
        if (forIndex != null) {
            declare(forIndex);
        }
        int saved = trips;
        trips *= most;
        loops.add(new Loop(label, isFor));
        body(depth, 1, 3);
        loops.remove(loops.size() - 1);
        trips = saved;
        close();
        line(footer);
        // after the loop the counter may change like any int
        counter.writable = true;
    }

    /** The bound of a counting loop: a constant (0 included), an int parameter or local of known range, a length. */
    private I tripBound() {
        List<I> options = new ArrayList<>();
        int c = rnd.nextInt(7);
        options.add(new I(Integer.toString(c), c));
        for (Var v : visible(T.INT)) {
            if (v.max != UNKNOWN && v.max <= 8) {
                options.add(new I(v.name, v.max));
            }
        }
        for (Var v : visible(T.VECTOR)) {
            options.add(new I(v.lengthCode, v.length));
        }
        return pick(options);
    }

    /** A vector whose elements may be read directly (not an accumulator), or null. */
    private Var plainVector() {
        List<Var> vs = new ArrayList<>();
        for (Var v : visible(T.VECTOR)) {
            if (!v.acc) {
                vs.add(v);
            }
        }
        return vs.isEmpty() ? null : pick(vs);
    }

    /** A mutable int to count with: an existing one, or a new one declared here. */
    private Var mutableCounter() {
        List<Var> vs = mutableInts();
        if (!vs.isEmpty() && chance(50)) {
            return pick(vs);
        }
        String name = fresh("hits", "k");
        line("int " + name + " = 0;");
        Var v = new Var(name, T.INT, 0, false, UNKNOWN, 0, 0, false, true, null);
        declare(v);
        return v;
    }

    private void jump() {
        Loop target = null;
        int at = loops.size() - 1;
        // a labeled enclosing loop other than the innermost
        for (int k = loops.size() - 2; k >= 0; k--) {
            if (loops.get(k).label() != null && chance(60)) {
                target = loops.get(k);
                at = k;
                break;
            }
        }
        String kind = chance(50) ? "break" : "continue";
        // a continue goes to a loop: not to a switch, and not through one when no loop is around it
        int loop = innermostLoop();
        if (kind.equals("continue") && (target != null ? target.isSwitch() : loop < 0)) {
            kind = "break";
        }
        if (target == null && kind.equals("continue")) {
            at = loop;
        }
        if (loops.get(at).isSwitch()) {
            switchForms.add(SwitchForm.EARLY_BREAK);
        } else if (switchAbove(at)) {
            switchForms.add(kind.equals("continue") ? SwitchForm.CONTINUE_LOOP : SwitchForm.BREAK_LOOP);
        }
        String what = kind + (target == null ? "" : " " + target.label()) + ";";
        if (!bracesAlways && chance(50)) {
            line("if (" + condition(1) + ") " + what);
        } else {
            line("if (" + condition(1) + ") {");
            open();
            if (chance(40)) {
                if (kind.equals("continue")) {
                    // a local declared right before a continue (in a do-while, under a constant condition, with a
                    // switch expression declaring a local after the loop) makes javac 17.0.15 write an inconsistent
                    // stack map (VerifyError; JDK 25's javac is right): a block of its own keeps the fuzzer off it
                    line("{");
                    open();
                    statement(3);
                    close();
                    line("}");
                } else {
                    statement(3);
                }
            }
            line(what);
            close();
            line("}");
        }
    }

    private void earlyReturn() {
        if (inSwitchExpression > 0) {
            declareDouble();   // a return cannot leave a switch expression
            return;
        }
        if (switches && chance(25)) {
            line("if (" + condition(1) + ") {");
            open();
            returnSwitch();
            close();
            line("}");
            return;
        }
        if (current != null) {
            line("if (" + condition(1) + ") {");
            line("    return " + helperValue() + ";");
            line("}");
            return;
        }
        if (vectorResult) {
            line("if (" + condition(1) + ") {");
            line("    return " + vectorValue() + ";");
            line("}");
            return;
        }
        E e = wrap(doubleExpr(2), VAR_CAP);
        line("if (" + condition(1) + ") {");
        line("    return " + e.code() + ";");
        line("}");
    }

    private void newtonIteration() {
        // square root of c = 1 + v^2 by Newton's method, stopping when converged
        String z = fresh("root");
        String c = fresh("target");
        String it = counterName();
        if (trips * 30 > MAX_TRIPS * 4) {
            declareDouble();
            return;
        }
        E v = wrap(doubleExpr(1), 2);
        line("double " + c + " = 1.0 + " + paren(v, true) + " * " + paren(v, true) + ";");
        line("double " + z + " = " + c + ";");
        line("for (int " + it + " = 0; " + it + " < 30; " + inc(it) + ") {");
        String nextName = fresh("next");
        line("    double " + nextName + " = 0.5 * (" + z + " + " + c + " / " + z + ");");
        line("    if (" + math("abs") + "(" + nextName + " - " + z + ") < 1e-12) {");
        line("        " + z + " = " + nextName + ";");
        line("        break;");
        line("    }");
        line("    " + z + " = " + nextName + ";");
        line("}");
        declare(new Var(c, T.DOUBLE, 5, false, 0, 0, 0, false, false, null));
        declare(new Var(z, T.DOUBLE, 2.3, false, 0, 0, 0, false, false, null));
    }

    private String finalReturn() {
        List<String> terms = new ArrayList<>();
        for (Var v : scopes.peek()) {
            if (v.type == T.DOUBLE) {
                terms.add(v.acc ? (chance(50) ? v.name : squash(new E(v.name, 1e9)).code()) : v.name);
            } else if (v.type == T.VECTOR && chance(50)) {
                terms.add(v.acc ? squash(new E(v.name + "[0]", 1e9)).code() : v.name + "[" + (v.length - 1) + "]");
            } else if (v.type == T.MATRIX && chance(50)) {
                terms.add(v.name + "[1][0]");
            }
        }
        for (Var v : scopes.getLast()) {
            if (v.type == T.DOUBLE && chance(50)) {
                terms.add(v.name);
            }
        }
        terms.add(doubleExpr(2).code());
        return sum(terms);
    }

    /** The terms added or subtracted, some scaled. */
    private String sum(List<String> terms) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < terms.size(); i++) {
            if (i > 0) {
                b.append(chance(80) ? " + " : " - ");
                if (chance(20)) {
                    b.append(lit(new double[] {0.5, 0.25, 2.0}[rnd.nextInt(3)])).append(" * ");
                }
            }
            String t = terms.get(i);
            b.append(isAtomic(t) ? t : "(" + t + ")");
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ switch

    /** The index in {@link #loops} of the innermost loop (not a switch), or -1. */
    private int innermostLoop() {
        for (int k = loops.size() - 1; k >= 0; k--) {
            if (!loops.get(k).isSwitch()) {
                return k;
            }
        }
        return -1;
    }

    /** Whether a switch is between the code being written and the loop at {@code at} in {@link #loops}. */
    private boolean switchAbove(int at) {
        for (int k = at + 1; k < loops.size(); k++) {
            if (loops.get(k).isSwitch()) {
                return true;
            }
        }
        return false;
    }

    /** The innermost labeled loop (not a switch) around the code being written, or null. */
    private Loop labeledLoop() {
        for (int k = loops.size() - 1; k >= 0; k--) {
            if (!loops.get(k).isSwitch() && loops.get(k).label() != null) {
                return loops.get(k);
            }
        }
        return null;
    }

    private void form(SwitchForm f) {
        switchForms.add(f);
    }

    /** What {@code r} writes, not written where the code is but returned. */
    private String captured(Runnable r) {
        StringBuilder saved = out;
        out = new StringBuilder();
        try {
            r.run();
            return out.toString();
        } finally {
            out = saved;
        }
    }

    /**
     * A switch on an int: a colon-form or arrow-form statement, a variable declared without a value and assigned in
     * every case, or a switch expression as a declaration's initializer or an assignment's value.
     */
    private void switchStatement(int depth) {
        switchCount++;
        if (current != null) {
            form(SwitchForm.IN_HELPER);
        }
        if (innermostLoop() >= 0) {
            form(SwitchForm.IN_LOOP);
        }
        if (switchNest > 0) {
            form(SwitchForm.NESTED);
        }
        switchNest++;
        try {
            int c = rnd.nextInt(100);
            if (c < 30) {
                colonSwitch(depth, null);
            } else if (c < 50) {
                arrowSwitch(depth, null);
            } else if (c < 62) {
                assignedInEveryCase(depth);
            } else if (c < 80) {
                switchDeclaration(depth);
            } else {
                switchAssignment(depth);
            }
        } finally {
            switchNest--;
        }
    }

    /** A selector: its code and the range of its values (which the labels mostly fall in). */
    private record Sel(String code, int lo, int hi) {}

    /**
     * What a switch is on: an int local or parameter, a loop's index, a double truncated by {@code (int)},
     * {@code Math.floorMod(i, k)}, an array's length, a counter incremented as it is read, an int expression.
     */
    private Sel switchSelector() {
        List<Var> ints = visible(T.INT);
        int c = rnd.nextInt(100);
        if (c < 30 && !ints.isEmpty()) {
            Var v = null;
            if (innermostLoop() >= 0 && chance(60)) {
                // the innermost int of known range: in a loop, most often its index
                outer:
                for (List<Var> s : scopes) {
                    for (int k = s.size() - 1; k >= 0; k--) {
                        if (s.get(k).type == T.INT && s.get(k).max != UNKNOWN) {
                            v = s.get(k);
                            break outer;
                        }
                    }
                }
                if (v != null) {
                    form(SwitchForm.SELECTOR_INDEX);
                    return new Sel(v.name, 0, v.max);
                }
            }
            v = pick(ints);
            form(SwitchForm.SELECTOR_INT);
            if (v.max == UNKNOWN) {
                int m = 2 + rnd.nextInt(4);
                return new Sel(v.name + " % " + m, 0, m - 1);
            }
            return new Sel(v.name, 0, v.max);
        }
        if (c < 50) {
            E e = wrap(doubleExpr(1), 2);
            if (!e.integral()) {
                form(SwitchForm.SELECTOR_CAST);
                int b = (int) Math.floor(e.bound());
                switch (rnd.nextInt(3)) {
                    case 0: {
                        int k = 2 + rnd.nextInt(2);
                        int bk = (int) Math.floor(e.bound() * k);
                        return new Sel("(int) (" + paren(e, true) + " * " + k + ")", -bk, bk);
                    }
                    case 1:
                        return new Sel("(int) " + paren(e, true), -b, b);
                    default:
                        return new Sel("(int) " + math("floor") + "(" + e.code() + ")", -b - 1, b);
                }
            }
        }
        if (c < 65) {
            form(SwitchForm.SELECTOR_FLOOR_MOD);
            I a = intExpr(1);
            int k = 2 + rnd.nextInt(4);
            String arg = chance(50) ? a.code() : a.code() + " - " + (1 + rnd.nextInt(3));
            return new Sel(math("floorMod") + "(" + arg + ", " + k + ")", 0, k - 1);
        }
        if (c < 78) {
            List<Var> arrays = visible(T.VECTOR);
            if (!arrays.isEmpty()) {
                form(SwitchForm.SELECTOR_LENGTH);
                Var v = pick(arrays);
                if (chance(50)) {
                    return new Sel(v.lengthCode, v.length, v.length);
                }
                return new Sel(v.lengthCode + " % 3", 0, 2);
            }
        }
        if (c < 90) {
            List<Var> counters = mutableInts();
            if (!counters.isEmpty()) {
                form(SwitchForm.SELECTOR_COUNTING);
                Var v = pick(counters);
                return chance(50) ? new Sel(v.name + "++ % 3", 0, 2) : new Sel("++" + v.name + " % 4", 0, 3);
            }
        }
        I e = intExpr(2);
        form(SwitchForm.SELECTOR_INT);
        return new Sel(e.code(), 0, Math.min(e.max(), 8));
    }

    /**
     * The labels of {@code groups} cases: distinct ints, mostly inside the selector's range, some outside it, one
     * or two per case, now and then a static final int constant.
     */
    private List<List<String>> switchLabels(Sel sel, int groups) {
        List<Integer> pool = new ArrayList<>();
        for (int v = Math.max(sel.lo() - 1, -9); v <= Math.min(sel.hi() + 1, Math.max(sel.lo(), -9) + 9); v++) {
            pool.add(v);
        }
        List<Integer> used = new ArrayList<>();
        List<List<String>> out = new ArrayList<>();
        for (int g = 0; g < groups && !pool.isEmpty(); g++) {
            List<String> ls = new ArrayList<>();
            int n = chance(20) && pool.size() > 1 ? 2 : 1;
            for (int k = 0; k < n; k++) {
                int v = pool.remove(rnd.nextInt(pool.size()));
                used.add(v);
                ls.add(Integer.toString(v));
            }
            out.add(ls);
        }
        if (chance(70)) {
            // as people write them, in order
            out.sort((a, b) -> Integer.compare(Integer.parseInt(a.get(0)), Integer.parseInt(b.get(0))));
            for (List<String> ls : out) {
                ls.sort((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b)));
            }
        }
        for (Var v : constantVars) {
            if (v.type == T.INT && !used.contains(v.max) && chance(30) && !out.isEmpty()) {
                // a constant label (its value is a label of no other case)
                out.get(rnd.nextInt(out.size())).add(v.name);
                used.add(v.max);
                form(SwitchForm.CONSTANT_LABEL);
            }
        }
        for (List<String> ls : out) {
            if (ls.size() > 1) {
                form(SwitchForm.SEVERAL_LABELS);
            }
        }
        return out;
    }

    /** Where default goes among {@code n} labeled cases: mostly last, else anywhere; -1 for none. */
    private int defaultAt(int n, boolean required) {
        if (!required && chance(25)) {
            form(SwitchForm.NO_DEFAULT);
            return -1;
        }
        int at = chance(65) ? n : rnd.nextInt(n + 1);
        if (at < n) {
            form(SwitchForm.DEFAULT_NOT_LAST);
        }
        return at;
    }

    /** The labels of case {@code g} of a switch whose default is at {@code defaultAt}, or null for the default. */
    private static List<String> labelsOf(List<List<String>> labels, int g, int defaultAt) {
        if (g == defaultAt) {
            return null;
        }
        return labels.get(defaultAt >= 0 && g > defaultAt ? g - 1 : g);
    }

    /** The lines of a colon case's labels: {@code case 1:}, {@code case 1, 2:}, {@code case 1: case 2:}, {@code default:}. */
    private void colonLabels(List<String> ls) {
        if (ls == null) {
            line("default:");
        } else if (ls.size() > 1 && chance(50)) {
            for (String l : ls) {
                line("case " + l + ":");
            }
        } else {
            line("case " + String.join(", ", ls) + ":");
        }
    }

    /** The names a colon case declared directly: in scope in the cases after it. */
    private void reserveCaseLocals() {
        for (Var v : scopes.peek()) {
            reserved.add(v.name);
        }
    }

    /** The statements of a case: now and then a loop, a call or an array write first; then 1 or 2 statements. */
    private void caseBody(int depth) {
        int r = rnd.nextInt(100);
        boolean special = false;
        if (r < 15 && depth + 1 < 3 && trips * 6 <= MAX_TRIPS) {
            forLoop(depth + 1);
            form(SwitchForm.CASE_LOOP);
            special = true;
        } else if (r < 30 && !helpers.isEmpty() && callStatement(depth + 1)) {
            form(SwitchForm.CASE_CALL);
            special = true;
        } else if (r < 45 && !writableArrays().isEmpty()) {
            arrayWrite();
            form(SwitchForm.CASE_ARRAY_WRITE);
            special = true;
        }
        body(depth, special ? 0 : 1, 2);
    }

    /** An if in a case that leaves the switch early: {@code if (c) break;}. */
    private void earlyBreak(int depth, String label) {
        Loop loop = labeledLoop();
        String what;
        if (loop != null && chance(35)) {
            // the loop around the switch, left from inside a case
            form(SwitchForm.BREAK_LOOP);
            what = "break " + loop.label() + ";";
        } else {
            form(SwitchForm.EARLY_BREAK);
            what = label != null && chance(30) ? "break " + label + ";" : "break;";
        }
        if (chance(50)) {
            line("if (" + condition(1) + ") " + what);
        } else {
            line("if (" + condition(1) + ") {");
            open();
            statement(3);
            line(what);
            close();
            line("}");
        }
    }

    /**
     * How a case of a switch statement that is not the last ends: a break, nothing (it falls through), a continue of
     * the loop around the switch, a labeled break of that loop, a return.
     */
    private void caseEnd(boolean last) {
        int r = rnd.nextInt(100);
        if (last) {
            if (r < 50) {
                line("break;");
            }
            return;
        }
        if (r < 45) {
            line("break;");
        } else if (r < 70) {
            form(SwitchForm.FALL_THROUGH);
        } else if (r < 80 && innermostLoop() >= 0) {
            form(SwitchForm.CONTINUE_LOOP);
            line("continue;");
        } else if (r < 88 && labeledLoop() != null) {
            form(SwitchForm.BREAK_LOOP);
            line("break " + labeledLoop().label() + ";");
        } else if (r >= 88 && inSwitchExpression == 0) {
            line("return " + returnValue() + ";");
        } else {
            line("break;");
        }
    }

    /** A value the method being written may return. */
    private String returnValue() {
        if (current != null) {
            return helperValue();
        }
        if (vectorResult) {
            return vectorValue();
        }
        return wrap(doubleExpr(2), VAR_CAP).code();
    }

    /**
     * A colon-form switch statement: cases that break, fall through, leave early from an if, continue or break the
     * loop around, return; default anywhere or missing; now and then a local of one case assigned in a later one.
     * With {@code assigned}, every case assigns it first (and there is a default), so that it is definitely assigned
     * after the switch.
     */
    private void colonSwitch(int depth, Var assigned) {
        form(SwitchForm.COLON);
        Sel sel = switchSelector();
        List<List<String>> labels = switchLabels(sel, 1 + rnd.nextInt(3));
        int n = labels.size();
        int defaultAt = defaultAt(n, assigned != null);
        int groups = n + (defaultAt >= 0 ? 1 : 0);
        String label = chance(12) ? fresh("cases", "choice", "pick") : null;
        if (label != null) {
            form(SwitchForm.LABELED);
            line(label + ":");
        }
        line("switch (" + sel.code() + ") {");
        indent = indent + "    ";
        int savedReserved = reserved.size();
        loops.add(new Loop(label, false, true));
        String shared = groups >= 2 && chance(15) ? fresh("part", "piece", "term") : null;
        for (int g = 0; g < groups; g++) {
            boolean last = g == groups - 1;
            colonLabels(labelsOf(labels, g, defaultAt));
            open();
            // (not when the first case's local is read in the later ones: a block would end its scope)
            boolean braces = chance(12) && shared == null;
            if (braces) {
                line("{");
                open();
            }
            if (assigned != null) {
                line(assigned.name + " = " + wrap(doubleExpr(2), assigned.bound).code() + ";");
            }
            if (shared != null) {
                sharedLocal(shared, g == 0);
            }
            caseBody(depth);
            if (chance(20)) {
                earlyBreak(depth, label);
                if (chance(50)) {
                    statement(depth + 1);
                }
            }
            if (braces) {
                close();
                line("}");
            }
            caseEnd(last);
            if (!braces) {
                reserveCaseLocals();
            }
            close();
        }
        loops.remove(loops.size() - 1);
        while (reserved.size() > savedReserved) {
            reserved.remove(reserved.size() - 1);
        }
        indent = indent.substring(4);
        line("}");
    }

    /**
     * A local of the first colon case ({@code double part = ...;}), assigned again and read in later ones: a
     * switch block is one scope, so the later cases see it, unassigned when they are entered directly.
     */
    private void sharedLocal(String name, boolean first) {
        if (!first && chance(40)) {
            return;
        }
        E e = wrap(doubleExpr(1), 2);
        line((first ? "double " : "") + name + " = " + e.code() + ";");
        declare(new Var(name, T.DOUBLE, 2, false, 0, 0, 0, false, true, null));
        if (first) {
            return;
        }
        form(SwitchForm.SHARED_LOCAL);
        List<Var> targets = new ArrayList<>();
        for (Var v : visible(T.DOUBLE)) {
            if (v.writable && !v.acc && !isConstant(v) && !v.name.equals(name)) {
                targets.add(v);
            }
        }
        if (!targets.isEmpty()) {
            Var v = pick(targets);
            line(v.name + " = " + wrap(new E("0.5 * " + v.name + " + 0.5 * " + name, 0.5 * v.bound + 1), v.bound)
                    .code() + ";");
        }
    }

    /**
     * An arrow-form switch statement: a statement or a block per case, blocks that break early or continue the loop
     * around; default anywhere or missing. With {@code assigned}, every case assigns it (and there is a default).
     */
    private void arrowSwitch(int depth, Var assigned) {
        form(SwitchForm.ARROW);
        Sel sel = switchSelector();
        List<List<String>> labels = switchLabels(sel, 1 + rnd.nextInt(3));
        int n = labels.size();
        int defaultAt = defaultAt(n, assigned != null);
        int groups = n + (defaultAt >= 0 ? 1 : 0);
        String label = chance(8) ? fresh("cases", "choice", "pick") : null;
        if (label != null) {
            form(SwitchForm.LABELED);
            line(label + ":");
        }
        line("switch (" + sel.code() + ") {");
        loops.add(new Loop(label, false, true));
        open();
        for (int g = 0; g < groups; g++) {
            boolean last = g == groups - 1;
            List<String> ls = labelsOf(labels, g, defaultAt);
            String head = ls == null ? "default" : "case " + String.join(", ", ls);
            if (assigned != null && chance(50)) {
                line(head + " -> " + assigned.name + " = " + wrap(doubleExpr(2), assigned.bound).code() + ";");
                continue;
            }
            if (assigned == null && chance(30)) {
                // one statement: an assignment, a compound assignment, an element written
                open();
                String text = captured(() -> {
                    switch (rnd.nextInt(3)) {
                        case 0: assignDouble(); break;
                        case 1: compound(); break;
                        default: arrayWrite(); break;
                    }
                });
                List<Var> declared = new ArrayList<>(scopes.peek());
                close();
                String t = text.trim();
                if (declared.isEmpty() && text.indexOf('\n') == text.length() - 1
                        && !t.matches("(?s)(double|var|int|final|boolean|for|if|while)\\b.*")) {
                    line(head + " -> " + t);
                    continue;
                }
                line(head + " -> {");
                out.append(text);
                line("}");
                continue;
            }
            line(head + " -> {");
            open();
            if (assigned != null) {
                line(assigned.name + " = " + wrap(doubleExpr(2), assigned.bound).code() + ";");
            }
            caseBody(depth);
            if (chance(20)) {
                earlyBreak(depth, label);
                statement(depth + 1);
            }
            if (!last && chance(15) && innermostLoop() >= 0) {
                form(SwitchForm.CONTINUE_LOOP);
                line("continue;");
            }
            close();
            line("}");
        }
        close();
        loops.remove(loops.size() - 1);
        line("}");
    }

    /** {@code double y;} then a switch that assigns y in every case; y is read after it. */
    private void assignedInEveryCase(int depth) {
        String name = fresh("y", "chosen", "picked", "val");
        line("double " + name + ";");
        Var v = new Var(name, T.DOUBLE, 2 + rnd.nextInt(3), false, 0, 0, 0, false, true, null);
        form(SwitchForm.ASSIGNED_IN_EVERY_CASE);
        if (chance(50)) {
            colonSwitch(depth, v);
        } else {
            arrowSwitch(depth, v);
        }
        declare(v);
    }

    /** A switch expression, written: its selector, its cases' lines, and whether every value it gives is an int. */
    private record SwitchText(String selector, String cases, boolean integral) {}

    /**
     * A switch expression's cases, each giving a value of {@code value}: arrow cases with a value or a block that
     * yields (now and then early, in an if), or colon cases that yield or fall through; default anywhere. Its cases
     * cannot return or jump out of it: the enclosing loops are put aside while they are written.
     */
    private SwitchText switchExpression(int depth, Supplier<E> value) {
        Sel sel = switchSelector();
        List<List<String>> labels = switchLabels(sel, 1 + rnd.nextInt(3));
        int n = labels.size();
        int defaultAt = defaultAt(n, true);
        int groups = n + 1;
        boolean colon = chance(30);
        boolean[] integral = {true};
        Supplier<String> give = () -> {
            E e = value.get();
            integral[0] &= e.integral();
            return e.code();
        };
        List<Loop> savedLoops = loops;
        loops = new ArrayList<>();
        inSwitchExpression++;
        int savedReserved = reserved.size();
        try {
            String cases = captured(() -> {
                open();
                for (int g = 0; g < groups; g++) {
                    boolean last = g == groups - 1;
                    List<String> ls = labelsOf(labels, g, defaultAt);
                    if (colon) {
                        form(SwitchForm.EXPR_COLON_YIELD);
                        colonLabels(ls);
                        open();
                        if (chance(60)) {
                            caseBody(depth);
                        }
                        if (chance(15)) {
                            earlyYield(give);
                        }
                        if (!last && chance(25)) {
                            form(SwitchForm.FALL_THROUGH);
                        } else {
                            line("yield " + give.get() + ";");
                        }
                        reserveCaseLocals();
                        close();
                        continue;
                    }
                    String head = ls == null ? "default" : "case " + String.join(", ", ls);
                    if (chance(55)) {
                        form(SwitchForm.EXPR_ARROW_VALUE);
                        line(head + " -> " + give.get() + ";");
                        continue;
                    }
                    form(SwitchForm.EXPR_BLOCK_YIELD);
                    line(head + " -> {");
                    open();
                    caseBody(depth);
                    if (chance(25)) {
                        earlyYield(give);
                    }
                    line("yield " + give.get() + ";");
                    close();
                    line("}");
                }
                close();
            });
            return new SwitchText(sel.code(), cases, integral[0]);
        } finally {
            while (reserved.size() > savedReserved) {
                reserved.remove(reserved.size() - 1);
            }
            inSwitchExpression--;
            loops = savedLoops;
        }
    }

    /** {@code if (c) { ...; yield e; }} in a case of a switch expression. */
    private void earlyYield(Supplier<String> give) {
        form(SwitchForm.EXPR_EARLY_YIELD);
        line("if (" + condition(1) + ") {");
        open();
        if (chance(40)) {
            statement(3);
        }
        line("yield " + give.get() + ";");
        close();
        line("}");
    }

    /** Writes {@code prefix switch (...) { ... };}. */
    private void writeSwitchExpression(String prefix, SwitchText t) {
        line(prefix + "switch (" + t.selector() + ") {");
        out.append(t.cases());
        line("};");
    }

    /** {@code double t = switch ...;} or {@code var t = switch ...;} (double when every case gives an int). */
    private void switchDeclaration(int depth) {
        form(SwitchForm.EXPR_DECLARATION);
        double bound = 1 + rnd.nextInt(3);
        SwitchText t = switchExpression(depth, () -> wrap(doubleExpr(1 + rnd.nextInt(2)), bound));
        String name = fresh("t", "u", "v", "s", "h", "g", "r");
        String type = doubleDecl();
        // javac (17) cannot infer a var's type from a switch expression with an array initializer in a case
        // ("array initializer needs an explicit target-type"), whatever its declared type there
        if (type.equals("var") && (t.integral() || t.cases().contains(" = {"))) {
            type = "double";
        }
        writeSwitchExpression(type + " " + name + " = ", t);
        declare(new Var(name, T.DOUBLE, bound, false, 0, 0, 0, false, !type.startsWith("final"), null));
    }

    /**
     * A switch expression assigned: {@code v = switch ...}, {@code v *= switch ...} (values within 1), an
     * accumulator's {@code +=}/{@code -=}, an element of a local array at a constant or a loop's index; the cases do
     * not assign the target's variables (nor rebind its array).
     */
    private void switchAssignment(int depth) {
        List<Var> bounded = new ArrayList<>();
        List<Var> accs = new ArrayList<>();
        for (Var v : visible(T.DOUBLE)) {
            if (v.writable && !isConstant(v)) {
                (v.acc ? accs : bounded).add(v);
            }
        }
        int r = rnd.nextInt(100);
        if (r < 45 && !bounded.isEmpty()) {
            Var v = pick(bounded);
            form(SwitchForm.EXPR_ASSIGNMENT);
            if (chance(70)) {
                writeSwitchExpression(v.name + " = ", switchExpression(depth, () -> wrap(doubleExpr(2), v.bound)));
            } else {
                v.writable = false;
                SwitchText t = switchExpression(depth, () -> wrap(doubleExpr(1), 1));
                v.writable = true;
                writeSwitchExpression(v.name + " *= ", t);
            }
            return;
        }
        if (r < 70 && !accs.isEmpty()) {
            Var v = pick(accs);
            form(SwitchForm.EXPR_ASSIGNMENT);
            v.writable = false;
            SwitchText t = switchExpression(depth, () -> wrap(doubleExpr(2), VAR_CAP));
            v.writable = true;
            writeSwitchExpression(v.name + (chance(70) ? " += " : " -= "), t);
            return;
        }
        List<Var> arrays = new ArrayList<>();
        for (Var v : visible(T.VECTOR)) {
            if (!v.param) {
                arrays.add(v);
            }
        }
        if (!arrays.isEmpty()) {
            Var a = pick(arrays);
            if (resultVar != null && chance(30)) {
                a = resultVar;
            }
            // a constant index, or an int that nothing assigns (a loop's index) inside the array
            List<String> indices = new ArrayList<>();
            indices.add(Integer.toString(rnd.nextInt(a.length)));
            for (Var v : visible(T.INT)) {
                if (!v.writable && v.max != UNKNOWN && v.max < a.length && !v.name.contains(".")) {
                    indices.add(v.name);
                }
            }
            String target = a.name + "[" + pick(indices) + "]";
            form(SwitchForm.EXPR_ASSIGNMENT);
            noRebind.add(a);
            Var array = a;
            SwitchText t;
            try {
                t = switchExpression(depth, () -> wrap(doubleExpr(2), array.acc ? VAR_CAP : array.bound));
            } finally {
                noRebind.remove(noRebind.size() - 1);
            }
            writeSwitchExpression(target + (a.acc ? " += " : " = "), t);
            return;
        }
        switchDeclaration(depth);
    }

    /** {@code return switch ...;}: values of the method's result. */
    private void returnSwitch() {
        switchCount++;
        form(SwitchForm.EXPR_RETURN);
        if (current != null) {
            form(SwitchForm.IN_HELPER);
        }
        if (innermostLoop() >= 0) {
            form(SwitchForm.IN_LOOP);
        }
        Helper h = current;
        Supplier<E> value = h != null ? () -> new E(helperValue(), h.bound, h.result == T.INT)
                : vectorResult ? () -> new E(vectorValue(), VAR_CAP)
                : () -> wrap(doubleExpr(2), VAR_CAP);
        switchNest++;
        try {
            writeSwitchExpression("return ", switchExpression(2, value));
        } finally {
            switchNest--;
        }
    }

    /**
     * The end of a scalar f: {@code return switch ...;} whose cases give what the body computed, or a switch
     * statement whose every case returns (and which has a default).
     */
    private void finalSwitchReturn() {
        List<String> values = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            values.add(finalReturn());
        }
        if (chance(50)) {
            returnSwitchOf(values);
            return;
        }
        switchCount++;
        form(SwitchForm.ALL_CASES_RETURN);
        Sel sel = switchSelector();
        List<List<String>> labels = switchLabels(sel, 1 + rnd.nextInt(3));
        int n = labels.size();
        int defaultAt = defaultAt(n, true);
        boolean colon = chance(50);
        form(colon ? SwitchForm.COLON : SwitchForm.ARROW);
        line("switch (" + sel.code() + ") {");
        int savedReserved = reserved.size();
        open();
        for (int g = 0; g <= n; g++) {
            List<String> ls = labelsOf(labels, g, defaultAt);
            if (colon) {
                colonLabels(ls);
            } else {
                line((ls == null ? "default" : "case " + String.join(", ", ls)) + " -> {");
            }
            open();
            if (chance(40)) {
                // a statement of the case, which the returned value reads
                switch (rnd.nextInt(3)) {
                    case 0: assignDouble(); break;
                    case 1: compound(); break;
                    default: arrayWrite(); break;
                }
            }
            line("return " + values.get(g % values.size()) + ";");
            if (colon) {
                reserveCaseLocals();
            }
            close();
            if (!colon) {
                line("}");
            }
        }
        close();
        while (reserved.size() > savedReserved) {
            reserved.remove(reserved.size() - 1);
        }
        line("}");
    }

    private void returnSwitchOf(List<String> values) {
        switchCount++;
        form(SwitchForm.EXPR_RETURN);
        int[] next = {0};
        writeSwitchExpression("return ", switchExpression(1,
                () -> new E(values.get(next[0]++ % values.size()), 1e9)));
    }

    // ------------------------------------------------------------------ helper methods

    /** A parameter of a helper: bound of |value| (doubles) or |element| (arrays), int range, array shape. */
    private record HParam(String name, T type, double bound, int max, int length, int cols, boolean written,
            boolean isFinal) {}

    /**
     * A generated helper: a static method of the fuzz class or of the second top-level class, called from f and
     * from later helpers with arguments inside its parameters' bounds, so that its result is inside its own.
     */
    private static final class Helper {
        final int index;
        final String name;
        /** In the second top-level class. */
        final boolean other;
        /** "private ", "" or "public ". */
        final String visibility;
        final List<HParam> params;
        /** DOUBLE, INT or VECTOR. */
        final T result;
        /** DOUBLE: bound of |result|; VECTOR: of its elements. */
        final double bound;
        /** INT: the result is in [0, max]. */
        final int max;
        /** VECTOR: the result's length. */
        final int length;
        /** VECTOR: every return is a new array, so the caller may write it; else it may be an argument's. */
        final boolean fresh;
        /** Calls itself (bounded by an int parameter that decreases): called with constant arguments only. */
        final boolean recursive;
        /** Written before f in the fuzz class (else after it). */
        final boolean beforeF;
        /** The method's text. */
        String source;
        /** Characters each call inlines (lowering puts the body in place): its body's, and its own calls'. */
        int cost;
        /** Call sites written, in f and in helpers. */
        int uses;

        Helper(int index, String name, boolean other, String visibility, List<HParam> params, T result,
                double bound, int max, int length, boolean fresh, boolean recursive, boolean beforeF) {
            this.index = index;
            this.name = name;
            this.other = other;
            this.visibility = visibility;
            this.params = params;
            this.result = result;
            this.bound = bound;
            this.max = max;
            this.length = length;
            this.fresh = fresh;
            this.recursive = recursive;
            this.beforeF = beforeF;
        }

        boolean isPrivate() {
            return visibility.equals("private ");
        }

        HParam written() {
            for (HParam p : params) {
                if (p.written()) {
                    return p;
                }
            }
            return null;
        }
    }

    /** Characters of helper code f's calls may inline, in all (a helper's calls: {@link #HELPER_INLINE_BUDGET}). */
    private static final int F_INLINE_BUDGET = 2000;
    private static final int HELPER_INLINE_BUDGET = 900;
    /** Calls inside calls' arguments, at most. */
    private static final int MAX_CALL_NEST = 2;
    /** The depth a recursive helper is called with, at most (two self-calls: 2^5 - 1 calls). */
    private static final int MAX_DEPTH = 4;

    /** Whether the second top-level class has a private constructor. */
    private boolean privateConstructor;

    /** How many helpers a seed's program has: none in 1 of 2, else 1, 2 or 3; from its own stream. */
    /**
     * Whether a program with a {@code double} result ends with a reduction ({@link #reductionLoop}), about a third
     * of them. The choice has its own random stream: a program without one is what it was before there were any.
     */
    static boolean hasReduction(long seed) {
        return new SplittableRandom(seed ^ 0x2545F4914F6CDD1DL).nextInt(100) < 35;
    }

    /**
     * The sum-reduction pattern of loss functions, just before the final return: a top-level loop whose trips only
     * add into a fresh accumulator, through a local of the trip and sometimes a scratch array each trip fills before
     * it reads it, in one of several forms ({@code s += e * e}, {@code s = f(e) + s}, {@code s -= e}, a branch
     * choosing between two). The reverse sweep reverses such a loop trip by trip when the result reads the
     * accumulator linearly (transform.IndependentIterations); most returned terms do, a few do not.
     *
     * @return the term the final return adds: the accumulator scaled, or a function of it
     */
    private String reductionLoop() {
        String acc = fresh("loss", "red", "objective");
        line("double " + acc + " = 0;");
        String scratch = null;
        int scratchLength = 0;
        if (chance(50)) {
            scratch = fresh("scratch", "z", "work");
            scratchLength = 2 + rnd.nextInt(3);
            line("double[] " + scratch + " = new double[" + scratchLength + "];");
        }
        List<Var> vecs = visible(T.VECTOR);
        String i = counterName();
        int max;
        String header;
        if (!vecs.isEmpty() && chance(70)) {
            Var v = pick(vecs);
            max = v.length - 1;
            header = chance(75) ? "for (int " + i + " = 0; " + i + " < " + v.lengthCode + "; " + inc(i) + ") {"
                    : "for (int " + i + " = " + v.lengthCode + " - 1; " + i + " >= 0; " + i + "--) {";
        } else {
            int n = 2 + rnd.nextInt(5);
            max = n - 1;
            header = "for (int " + i + " = 0; " + i + " < " + n + "; " + inc(i) + ") {";
        }
        line(header);
        open();
        declare(new Var(i, T.INT, 0, false, max, 0, 0, false, false, null));
        if (scratch != null) {
            String j = counterName();
            line("for (int " + j + " = 0; " + j + " < " + scratch + ".length; " + inc(j) + ") {");
            open();
            declare(new Var(j, T.INT, 0, false, scratchLength - 1, 0, 0, false, false, null));
            line(scratch + "[" + j + "] = " + wrap(doubleExpr(2), 2).code() + ";");
            close();
            line("}");
        }
        String e = fresh("err", "term", "residual");
        String value = wrap(doubleExpr(2), 2).code();
        if (scratch != null) {
            value = "(" + value + ") + " + scratch + "[" + rnd.nextInt(scratchLength) + "]";
        }
        if (chance(50)) {
            // a recurrence inside the trip (its state is saved at every inner step): the shape that the reverse
            // sweep reverses trip by trip, the loop's own reverse keeping those saves within the trip
            String run = fresh("run", "prod", "decay");
            int steps = 2 + rnd.nextInt(3);
            line("double " + run + " = 1;");
            String k = counterName();
            line("for (int " + k + " = 0; " + k + " < " + steps + "; " + inc(k) + ") {");
            open();
            declare(new Var(k, T.INT, 0, false, steps - 1, 0, 0, false, false, null));
            line(run + " = " + run + " * " + math("cos") + "(" + wrap(doubleExpr(1), 2).code() + ") + 0.25;");
            close();
            line("}");
            value = "(" + value + ") + 0.5 * " + run;
        }
        if (chance(40)) {
            // an element added into at a fixed index through an inner loop, in the forward sweep (part[1]) and, for
            // the element it multiplies, in the reverse sweep (basisBar[0]): what optimise.ScalarAccumulators keeps
            // in a local
            String part = fresh("part", "bin", "slot");
            String basis = fresh("basis", "pair", "coef");
            int steps = 1 + rnd.nextInt(3);
            line("double[] " + part + " = new double[2];");
            line("double[] " + basis + " = new double[2];");
            line(basis + "[0] = " + wrap(doubleExpr(1), 2).code() + ";");
            line(basis + "[1] = " + wrap(doubleExpr(1), 2).code() + ";");
            String k = counterName();
            line("for (int " + k + " = 0; " + k + " < " + steps + "; " + inc(k) + ") {");
            open();
            declare(new Var(k, T.INT, 0, false, steps - 1, 0, 0, false, false, null));
            line(part + "[1] += " + wrap(doubleExpr(1), 2).code() + " * " + basis + "[0];");
            close();
            line("}");
            value = "(" + value + ") + 0.5 * " + part + "[1] + " + basis + "[1]";
        }
        line("double " + e + " = " + value + ";");
        switch (rnd.nextInt(5)) {
            case 0 -> line(acc + " += " + e + " * " + e + ";");
            case 1 -> line(acc + " -= 0.5 * " + e + ";");
            case 2 -> line(acc + " = " + math("sin") + "(" + e + ") + " + acc + ";");
            case 3 -> {
                line("if (" + e + " > 0) {");
                line("    " + acc + " += " + e + ";");
                line("} else {");
                line("    " + acc + " -= " + e + " * " + e + ";");
                line("}");
            }
            default -> {
                line(acc + " += " + e + ";");
                line(acc + " += 0.25 * " + e + " * " + e + ";");
            }
        }
        close();
        line("}");
        List<Var> scalars = new ArrayList<>();
        for (Var v : visible(T.DOUBLE)) {
            if (v.param && v.type == T.DOUBLE) {
                scalars.add(v);
            }
        }
        int form = rnd.nextInt(10);
        if (form < 4) {
            return lit(new double[] {0.5, 2.0, 0.125}[rnd.nextInt(3)]) + " * " + acc;
        } else if (form < 6 && !scalars.isEmpty()) {
            return pick(scalars).name + " * " + acc; // the coefficient is a parameter: known before the loop
        } else if (form < 8) {
            return acc + " / " + (2 + rnd.nextInt(5));
        } else if (form < 9) {
            return acc;
        }
        return math("log") + "(1.0 + " + acc + " * " + acc + ")"; // not linear: reversed after the loop
    }

    static int helperCount(long seed) {
        int r = new SplittableRandom(seed ^ 0x7F4A7C159E3779B9L).nextInt(100);
        return r < 50 ? 0 : r < 75 ? 1 : r < 90 ? 2 : 3;
    }

    /** Writes {@code count} helpers, in order; places, visibilities and which one (if any) recurses first. */
    private void writeHelpers(int count) {
        otherName = cls + new String[] {"Ops", "Util", "Kernels", "Lib"}[rnd.nextInt(4)];
        privateConstructor = chance(50);
        boolean[] other = new boolean[count];
        for (int i = 0; i < count; i++) {
            other[i] = chance(35);
        }
        int recursiveAt = chance(22) ? rnd.nextInt(count) : -1;
        if (recursiveAt >= 0) {
            // A recursive helper stays a call, so the generated class (a file of its own) would call into the
            // second top-level class, an auxiliary class: javac warns with -Xlint:auxiliaryclass (found by this
            // fuzzer, reported; not fixed in the engine). Recursive helpers stay in the fuzz class until it is.
            other[recursiveAt] = false;
        }
        for (int i = 0; i < count; i++) {
            // a private helper of the second class can only be called there: only when a later helper there (which
            // then calls it) exists
            boolean calledThere = false;
            for (int k = i + 1; k < count; k++) {
                calledThere |= other[k] && k != recursiveAt;
            }
            int v = rnd.nextInt(100);
            String vis = v < 35 ? "private " : v < 75 ? "" : "public ";
            boolean recursive = i == recursiveAt;
            // a recursive helper stays a call in the generated class, which cannot call a private method
            if (vis.equals("private ") && (recursive || other[i] && !calledThere)) {
                vis = "";
            }
            Helper h = recursive ? recursiveSignature(i, other[i], vis) : signature(i, other[i], vis);
            helpers.add(h);
            writeHelper(h);
        }
    }

    /** The lengths a helper's arrays get: often those of f's arrays (so that they can be passed), else 2 to 5. */
    private int helperLength() {
        List<Integer> lengths = new ArrayList<>();
        for (Param p : params) {
            if (p.kind() == Kind.VECTOR) {
                lengths.add(p.length());
            } else if (p.kind() == Kind.MATRIX) {
                lengths.add(p.cols());
            }
        }
        if (resultLength > 0) {
            lengths.add(resultLength);
        }
        return !lengths.isEmpty() && chance(65) ? pick(lengths) : 2 + rnd.nextInt(4);
    }

    /**
     * A helper's signature: 1 to 3 parameters (double, int, double[], now and then double[][] or boolean; a
     * double[] it writes into now and then), its result (double, double[] or int) and their bounds.
     */
    private Helper signature(int index, boolean other, String vis) {
        int n = 1 + rnd.nextInt(3);
        List<HParam> ps = new ArrayList<>();
        List<String> used = new ArrayList<>();
        boolean numeric = false;
        boolean writes = false;
        for (int k = 0; k < n; k++) {
            int c = rnd.nextInt(100);
            if (c < 42 || k == n - 1 && !numeric) {
                String name = paramName(used, "t", "s", "gain", "rate", "bias", "scale");
                double bound = new double[] {1.5, 2, 3, VAR_CAP}[rnd.nextInt(4)];
                ps.add(new HParam(name, T.DOUBLE, bound, 0, 0, 0, false, chance(10)));
                numeric = true;
            } else if (c < 60) {
                String name = paramName(used, "n", "len", "steps", "count");
                // some are counters the helper changes (range unknown, read through %), others read-only
                int max = chance(30) ? UNKNOWN : 2 + rnd.nextInt(4);
                ps.add(new HParam(name, T.INT, 0, max, 0, 0, false, false));
            } else if (c < 88) {
                boolean written = !writes && chance(35);
                writes |= written;
                String name = written ? paramName(used, "dst", "into", "work") : paramName(used, "v", "src", "xs", "coef");
                // a written array's elements are read and written within its bound, so the caller's array must have
                // that bound exactly; one only read may be any array (every array not an accumulator is within 4)
                double bound = written ? 2 + rnd.nextInt(3) : VAR_CAP;
                ps.add(new HParam(name, T.VECTOR, bound, 0, helperLength(), 0, written, false));
                numeric = true;
            } else if (c < 95) {
                String name = paramName(used, "mat", "table");
                int rows;
                int cols;
                Param m = null;
                for (Param p : params) {
                    if (p.kind() == Kind.MATRIX) {
                        m = p;
                    }
                }
                if (m != null && chance(70)) {
                    rows = m.length();
                    cols = m.cols();
                } else {
                    rows = 2 + rnd.nextInt(2);
                    cols = 2 + rnd.nextInt(2);
                }
                ps.add(new HParam(name, T.MATRIX, VAR_CAP, 0, rows, cols, false, false));
                numeric = true;
            } else {
                ps.add(new HParam(paramName(used, "on", "flip", "clamp"), T.BOOLEAN, 0, 0, 0, 0, false, false));
            }
        }
        int r = rnd.nextInt(100);
        String[] bases;
        Helper h;
        if (r < 55) {
            bases = writes ? new String[] {"fill", "relax", "update"} : new String[] {"smooth", "blend", "score",
                "kernel", "soft", "poly", "damp", "energy"};
            double bound = new double[] {1, 2, 3, VAR_CAP}[rnd.nextInt(4)];
            h = new Helper(index, bases[rnd.nextInt(bases.length)] + (index + 1), other, vis, ps, T.DOUBLE, bound, 0,
                    0, false, false, !other && chance(20));
        } else if (r < 80) {
            bases = new String[] {"scaled", "mapped", "shifted", "smoothed", "step", "layer"};
            h = new Helper(index, bases[rnd.nextInt(bases.length)] + (index + 1), other, vis, ps, T.VECTOR, VAR_CAP, 0,
                    helperLength(), chance(50), false, !other && chance(20));
        } else {
            bases = new String[] {"bucket", "pick", "clampIndex", "count", "slot"};
            h = new Helper(index, bases[rnd.nextInt(bases.length)] + (index + 1), other, vis, ps, T.INT, 0,
                    2 + rnd.nextInt(5), 0, false, false, !other && chance(20));
        }
        return h;
    }

    private String paramName(List<String> used, String... names) {
        List<String> free = new ArrayList<>();
        for (String n : names) {
            if (!used.contains(n)) {
                free.add(n);
            }
        }
        String name = free.isEmpty() ? names[0] + used.size() : pick(free);
        used.add(name);
        return name;
    }

    /**
     * A recursive helper's signature: a double (or two) and an int depth that each call lowers by one; it
     * returns double (bound 2) or int.
     */
    private Helper recursiveSignature(int index, boolean other, String vis) {
        List<HParam> ps = new ArrayList<>();
        ps.add(new HParam(chance(50) ? "t" : "s", T.DOUBLE, 2, 0, 0, 0, false, false));
        String depth = new String[] {"depth", "level", "k"}[rnd.nextInt(3)];
        HParam d = new HParam(depth, T.INT, 0, MAX_DEPTH, 0, 0, false, false);
        if (chance(50)) {
            ps.add(0, d);
        } else {
            ps.add(d);
        }
        if (chance(30)) {
            ps.add(new HParam("w", T.DOUBLE, 1.5, 0, 0, 0, false, false));
        }
        if (chance(70)) {
            String[] bases = {"series", "refine", "nest", "unroll"};
            return new Helper(index, bases[rnd.nextInt(bases.length)] + (index + 1), other, vis, ps, T.DOUBLE, 2, 0, 0,
                    false, true, !other && chance(20));
        }
        String[] bases = {"depthCount", "digits", "hops"};
        return new Helper(index, bases[rnd.nextInt(bases.length)] + (index + 1), other, vis, ps, T.INT, 0,
                2 + rnd.nextInt(5), 0, false, true, !other && chance(20));
    }

    private static String typeName(T t) {
        switch (t) {
            case DOUBLE: return "double";
            case INT: return "int";
            case BOOLEAN: return "boolean";
            case VECTOR: return "double[]";
            default: return "double[][]";
        }
    }

    /**
     * Writes a helper's body with the generator's statement and expression machinery, f's state put aside: its
     * parameters are the outer scope, the fuzz class's constants are qualified (and private ones left out) in the
     * second class, it calls only the helpers before it, and its returns are inside its result's bound.
     */
    private void writeHelper(Helper h) {
        StringBuilder savedOut = out;
        Deque<List<Var>> savedScopes = scopes;
        List<Loop> savedLoops = loops;
        List<Var> savedConstants = constantVars;
        int savedTrips = trips;
        int savedStatements = statements;
        int savedBudget = statementBudget;
        String savedIndent = indent;
        Var savedResultVar = resultVar;
        int savedResultLength = resultLength;
        int savedInlined = inlined;

        out = new StringBuilder();
        scopes = new ArrayDeque<>();
        loops = new ArrayList<>();
        constantVars = constantsSeenFrom(h.other, savedConstants);
        // its loops multiply with those it is called in: fewer trips of its own
        trips = 4;
        statements = 0;
        statementBudget = 1 + rnd.nextInt(5);
        indent = "        ";
        resultVar = null;
        resultLength = h.result == T.VECTOR ? h.length : 0;
        inlined = 0;
        current = h;
        home = h.other ? cls + "." : "";

        scopes.push(new ArrayList<>());
        StringBuilder sig = new StringBuilder();
        for (HParam p : h.params) {
            sig.append(sig.length() > 0 ? ", " : "").append(p.isFinal() ? "final " : "").append(typeName(p.type()))
                    .append(' ').append(p.name());
            declare(paramVar(p));
        }
        scopes.push(new ArrayList<>());
        if (h.recursive) {
            recursiveBody(h);
        } else {
            while (statements < statementBudget) {
                statement(0);
            }
            if (chance(30)) {
                searchLoop();
            }
            helperReturn(h);
        }
        String type = h.result == T.VECTOR ? "double[]" : h.result == T.INT ? "int" : "double";
        h.source = "    " + h.visibility + "static " + type + " " + h.name + "(" + sig + ") {\n" + out + "    }\n";
        h.cost = out.length() + inlined;

        out = savedOut;
        scopes = savedScopes;
        loops = savedLoops;
        constantVars = savedConstants;
        trips = savedTrips;
        statements = savedStatements;
        statementBudget = savedBudget;
        indent = savedIndent;
        resultVar = savedResultVar;
        resultLength = savedResultLength;
        inlined = savedInlined;
        current = null;
        home = "";
    }

    /** The constants as code in the fuzz class sees them, or in the second class (qualified; not the private). */
    private List<Var> constantsSeenFrom(boolean other, List<Var> own) {
        if (!other) {
            return own;
        }
        List<Var> vs = new ArrayList<>();
        for (int i = 0; i < own.size(); i++) {
            if (!constants.get(i).startsWith("private ")) {
                Var c = own.get(i);
                vs.add(new Var(cls + "." + c.name, c.type, c.bound, false, c.max, 0, 0, false, false, null));
            }
        }
        return vs;
    }

    /** A helper's parameter as a variable of its body. */
    private Var paramVar(HParam p) {
        switch (p.type()) {
            case DOUBLE:
                // assigned now and then, as people do with parameters (not when final)
                return new Var(p.name(), T.DOUBLE, p.bound(), false, 0, 0, 0, true, !p.isFinal(), null);
            case INT:
                return p.max() == UNKNOWN
                        ? new Var(p.name(), T.INT, 0, false, UNKNOWN, 0, 0, false, true, null)
                        : new Var(p.name(), T.INT, 0, false, p.max(), 0, 0, true, false, null);
            case BOOLEAN:
                return new Var(p.name(), T.BOOLEAN, 0, false, 0, 0, 0, true, false, null);
            case VECTOR:
                // a written array: not a parameter to the generator (arrayWrite writes it); a read one may be f's
                return new Var(p.name(), T.VECTOR, p.bound(), false, 0, p.length(), 0, !p.written(), false,
                        p.name() + ".length");
            default:
                return new Var(p.name(), T.MATRIX, p.bound(), false, 0, p.length(), p.cols(), true, false,
                        p.name() + ".length");
        }
    }

    /** A value the helper being written may return: inside its result's bound, and fresh when it must be. */
    private String helperValue() {
        Helper h = current;
        switch (h.result) {
            case DOUBLE:
                return wrap(doubleExpr(2), h.bound).code();
            case INT:
                return boundedInt(intResult(), h.max);
            default:
                return h.fresh ? "new double[] {" + elements(VAR_CAP) + "}" : vectorValue();
        }
    }

    /** An int a helper computes: from its ints, a truncated double, or a choice. */
    private I intResult() {
        int c = rnd.nextInt(100);
        if (c < 45) {
            return intExpr(2);
        }
        if (c < 80) {
            E e = wrap(doubleExpr(2), 3);
            int k = 1 + rnd.nextInt(3);
            return new I("(int) (" + math("abs") + "(" + e.code() + ") * " + k + ")", (int) (e.bound() * k));
        }
        I a = intExpr(1);
        I b = intExpr(1);
        return new I("(" + condition(1) + " ? " + a.code() + " : " + b.code() + ")", Math.max(a.max(), b.max()));
    }

    /** An int expression brought into [0, max]. */
    private String boundedInt(I e, int max) {
        if (e.max() <= max) {
            return e.code();
        }
        switch (rnd.nextInt(3)) {
            case 0: return math("min") + "(" + e.code() + ", " + max + ")";
            case 1: return "(" + e.code() + ") % " + (max + 1);
            default: return math("floorMod") + "(" + e.code() + ", " + (max + 1) + ")";
        }
    }

    /** Terms added up, some scaled, with the bound of the sum. */
    private E sumOf(List<E> terms) {
        StringBuilder b = new StringBuilder();
        double bound = 0;
        for (int i = 0; i < terms.size(); i++) {
            E t = terms.get(i);
            double scale = 1;
            if (i > 0) {
                b.append(chance(80) ? " + " : " - ");
                if (chance(20)) {
                    scale = new double[] {0.5, 0.25, 2.0}[rnd.nextInt(3)];
                    b.append(lit(scale)).append(" * ");
                }
            }
            b.append(paren(t, true));
            bound += scale * t.bound();
        }
        return new E(b.toString(), bound);
    }

    /**
     * The last return of a helper: for double, what its body computed (its doubles, elements of its arrays, its
     * parameters) added up and brought into the bound, with a call to each earlier helper that only this class
     * can call and nothing called yet; for int, an int inside the range; for double[], a new array filled in a
     * loop or element by element, or (when it need not be fresh) any array of the right length.
     */
    private void helperReturn(Helper h) {
        List<Var> body = scopes.peek();
        // each earlier private helper of this class nothing calls yet is called here (only this class can)
        List<E> forced = new ArrayList<>();
        for (Helper o : helpers) {
            if (o.index < h.index && o.uses == 0 && o.isPrivate() && o.other && h.other) {
                E e = term(o);
                String name = fresh("t", "u", "v", "s", "h", "g", "r");
                line("double " + name + " = " + e.code() + ";");
                declare(new Var(name, T.DOUBLE, e.bound(), false, 0, 0, 0, false, true, null));
                forced.add(new E(name, e.bound()));
            }
        }
        if (h.result == T.DOUBLE) {
            List<E> terms = new ArrayList<>(forced);
            for (Var v : body) {
                if (forced.stream().anyMatch(f -> f.code().equals(v.name))) {
                    continue;
                }
                if (v.type == T.DOUBLE && chance(60)) {
                    terms.add(v.acc ? squash(new E(v.name, 1e9)) : new E(v.name, v.bound));
                } else if (v.type == T.VECTOR && !v.acc && chance(30)) {
                    terms.add(new E(v.name + "[" + rnd.nextInt(v.length) + "]", v.bound));
                }
            }
            for (Var v : scopes.getLast()) {
                if (v.type == T.DOUBLE && chance(50)) {
                    terms.add(new E(v.name, v.bound));
                }
            }
            terms.add(doubleExpr(2));
            line("return " + wrap(sumOf(terms), h.bound).code() + ";");
            return;
        }
        if (h.result == T.INT) {
            line("return " + boundedInt(intResult(), h.max) + ";");
            return;
        }
        int form = rnd.nextInt(100);
        if (!h.fresh && form < 35) {
            line("return " + vectorValue() + ";");
        } else if (form < 70) {
            String r = fresh("res", "ret", "outv");
            line(arrayDecl() + " " + r + " = new double[" + h.length + "];");
            String i = counterName();
            line("for (int " + i + " = 0; " + i + " < " + r + ".length; " + inc(i) + ") {");
            open();
            declare(new Var(i, T.INT, 0, false, h.length - 1, 0, 0, false, false, null));
            List<E> terms = new ArrayList<>();
            for (String t : atIndex(i)) {
                terms.add(new E(t, VAR_CAP));
            }
            terms.add(doubleExpr(2));
            line(r + "[" + i + "] = " + wrap(sumOf(terms), VAR_CAP).code() + ";");
            close();
            line("}");
            line("return " + r + ";");
        } else if (form < 85) {
            String r = fresh("res", "ret", "outv");
            line(arrayDecl() + " " + r + " = new double[" + h.length + "];");
            for (int k = 0; k < h.length; k++) {
                if (h.length == 1 || chance(85)) {
                    line(r + "[" + k + "] = " + wrap(doubleExpr(2), VAR_CAP).code() + ";");
                }
            }
            line("return " + r + ";");
        } else {
            line("return new double[] {" + elements(VAR_CAP) + "};");
        }
    }

    /**
     * A search loop returning from inside, changing a parameter as it goes (as {@code for (...) { if (v[i] >
     * limit) return ...; limit = limit * 0.9; }}).
     */
    private void searchLoop() {
        Var v = plainVector();
        int len = v != null ? v.length : 2 + rnd.nextInt(4);
        if (trips * len > MAX_TRIPS) {
            return;
        }
        String i = counterName();
        line("for (int " + i + " = 0; " + i + " < " + (v != null ? v.lengthCode : Integer.toString(len)) + "; "
                + inc(i) + ") {");
        open();
        declare(new Var(i, T.INT, 0, false, len - 1, 0, 0, false, false, null));
        int saved = trips;
        trips *= len;
        loops.add(new Loop(null, true));
        String test = v != null ? v.name + "[" + i + "] " + (chance(50) ? ">" : "<") + " "
                + paren(wrap(doubleExpr(1), 2), false) : condition(1);
        line("if (" + test + ") {");
        line("    return " + helperValue() + ";");
        line("}");
        List<Var> ps = new ArrayList<>();
        for (Var p : scopes.getLast()) {
            if (p.type == T.DOUBLE && p.writable) {
                ps.add(p);
            }
        }
        if (!ps.isEmpty()) {
            Var p = pick(ps);
            // |0.9 p + 0.1 e| ≤ 0.9 B + 0.1 B
            line(p.name + " = 0.9 * " + p.name + " + 0.1 * " + paren(wrap(doubleExpr(1), p.bound), true) + ";");
        } else {
            statement(2);
        }
        loops.remove(loops.size() - 1);
        trips = saved;
        close();
        line("}");
    }

    /**
     * A recursive helper: {@code if (depth <= 0) return base; ...; return 0.5 * self(t', depth - 1) + e;} (or two
     * self-calls, or for int {@code (self(...) + i) % (max + 1)}), each return inside the bound.
     */
    private void recursiveBody(Helper h) {
        String d = null;
        for (HParam p : h.params) {
            if (p.type() == T.INT) {
                d = p.name();
            }
        }
        line("if (" + d + (chance(50) ? " <= 0" : " < 1") + ") {");
        line("    return " + helperValue() + ";");
        line("}");
        for (int n = rnd.nextInt(3); n > 0; n--) {
            statement(1);
        }
        String self = qualifier(h) + h.name;
        if (h.result == T.INT) {
            line("return (" + self + "(" + selfArguments(h, d) + ") + " + boundedInt(intExpr(1), h.max) + ") % "
                    + (h.max + 1) + ";");
            return;
        }
        E rest = wrap(doubleExpr(1), h.bound / 2);
        if (chance(35)) {
            line("return 0.25 * (" + self + "(" + selfArguments(h, d) + ") + " + self + "(" + selfArguments(h, d)
                    + ")) + " + paren(rest, true) + ";");
        } else {
            line("return 0.5 * " + self + "(" + selfArguments(h, d) + ") + " + paren(rest, true) + ";");
        }
    }

    /** The arguments of a recursive call: the depth one less, the doubles any expressions inside their bounds. */
    private String selfArguments(Helper h, String depth) {
        List<String> args = new ArrayList<>();
        for (HParam p : h.params) {
            args.add(p.type() == T.INT ? depth + " - 1" : wrap(doubleExpr(1), p.bound()).code());
        }
        return String.join(", ", args);
    }

    /** Whether code is being written in the second class. */
    private boolean inOther() {
        return current != null && current.other;
    }

    /**
     * The helpers the code being written may call: in f all, in a helper those before it (no cycles but a
     * recursive helper's own calls); private ones only from their own class; while their inlined size fits.
     */
    private List<Helper> callable() {
        List<Helper> hs = new ArrayList<>();
        if (speculative > 0 || callNest >= MAX_CALL_NEST) {
            return hs;
        }
        int budget = current == null ? F_INLINE_BUDGET : HELPER_INLINE_BUDGET;
        for (Helper h : helpers) {
            if (current != null && h.index >= current.index) {
                break;
            }
            if (h.isPrivate() && h.other != inOther()) {
                continue;
            }
            // a recursive helper stays a call: it inlines nothing
            if (!h.recursive && inlined + h.cost > budget) {
                continue;
            }
            hs.add(h);
        }
        return hs;
    }

    /** Now and then a call of a helper returning double or double[] (an element of it), as a double leaf. */
    private E callLeaf() {
        if (!chance(current == null ? 6 : 5)) {
            return null;
        }
        List<Helper> hs = new ArrayList<>();
        for (Helper h : callable()) {
            if (h.result != T.INT) {
                hs.add(h);
            }
        }
        if (hs.isEmpty()) {
            return null;
        }
        Helper h = pick(hs);
        if (chance(20)) {
            // in an arm of ?:, so that it runs only on one side
            String c = condition(1);
            E t = term(h);
            E other = doubleExpr(1);
            boolean first = chance(50);
            return new E("(" + c + " ? " + (first ? t : other).code() + " : " + (first ? other : t).code() + ")",
                    Math.max(t.bound(), other.bound()));
        }
        return term(h);
    }

    /** Now and then a call of a helper returning int, as an int leaf. */
    private I intCall() {
        List<Helper> hs = new ArrayList<>();
        for (Helper h : callable()) {
            if (h.result == T.INT) {
                hs.add(h);
            }
        }
        if (hs.isEmpty() || !chance(15)) {
            return null;
        }
        Helper h = pick(hs);
        return new I(call(h), h.max);
    }

    /** A call as a double term: its value, a quarter of an int result, an element of an array result. */
    private E term(Helper h) {
        String c = call(h);
        switch (h.result) {
            case DOUBLE:
                return new E(c, h.bound);
            case INT:
                return new E(c + " * 0.25", h.max * 0.25);
            default:
                return new E(c + "[" + index(h.length, Integer.toString(h.length)) + "]", h.bound);
        }
    }

    /** {@code name(args)}, qualified when called from the other class (or now and then anyway); counted. */
    private String call(Helper h) {
        callNest++;
        List<String> args = new ArrayList<>();
        // a recursive helper's call: differentiated through its entry points, so any arguments; constant ones now
        // and then (the call is then simply made)
        boolean constant = h.recursive && chance(25);
        for (HParam p : h.params) {
            args.add(argument(p, constant));
        }
        callNest--;
        if (!h.recursive) {
            inlined += h.cost;
        }
        h.uses++;
        if (current == null) {
            fCalls++;
            fRecursiveCalls += h.recursive ? 1 : 0;
            fActiveRecursiveCalls += h.recursive && reads(args, false) ? 1 : 0;
            fWriteCalls += h.written() != null ? 1 : 0;
            fActiveCalls += reads(args, false) ? 1 : 0;
            fParamCalls += reads(args, true) ? 1 : 0;
        }
        return qualifier(h) + h.name + "(" + String.join(", ", args) + ")";
    }

    /** "" for a helper of this class (now and then qualified anyway), else its class's name and a dot. */
    private String qualifier(Helper h) {
        String owner = h.other ? otherName : cls;
        return h.other == inOther() && !chance(10) ? "" : owner + ".";
    }

    /**
     * Whether an argument reads a differentiated parameter of f (only those, or also any double or array local:
     * textually, so approximately).
     */
    private boolean reads(List<String> args, boolean paramsOnly) {
        List<Var> fParams = scopes.getLast();
        for (List<Var> s : scopes) {
            for (Var v : s) {
                if (v.type != T.DOUBLE && v.type != T.VECTOR && v.type != T.MATRIX) {
                    continue;
                }
                boolean param = fParams.contains(v);
                if (param ? v.inactive || wrt != null && !wrt.contains(v.name) : paramsOnly) {
                    continue;
                }
                java.util.regex.Pattern name = java.util.regex.Pattern.compile(
                        "(?<![\\w.])" + java.util.regex.Pattern.quote(v.name) + "(?!\\w)(?!\\.length)");
                for (String a : args) {
                    if (name.matcher(a).find()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * An argument inside the parameter's bound; a {@code constant} one is constant with respect to differentiation
     * (literals, constants, ints, f's parameters outside wrt), as a quarter of a recursive helper's calls have: the
     * others carry derivatives, through the helper's generated pullback and pushforward.
     */
    private String argument(HParam p, boolean constant) {
        switch (p.type()) {
            case DOUBLE:
                if (constant || chance(15)) {
                    return constantDouble(p.bound()).code();
                }
                return wrap(doubleExpr(1 + rnd.nextInt(2)), p.bound()).code();
            case INT: {
                if (constant) {
                    // ints carry no derivative; still, only int variables, lengths and literals, no calls
                    int saved = callNest;
                    callNest = MAX_CALL_NEST;
                    I e = intLeaf();
                    callNest = saved;
                    return boundedInt(e, p.max());
                }
                I e = intExpr(1);
                return p.max() == UNKNOWN ? e.code() : boundedInt(e, p.max());
            }
            case BOOLEAN:
                return condition(1);
            case VECTOR:
                return vectorArgument(p);
            default:
                return matrixArgument(p);
        }
    }

    /** A double that is constant with respect to differentiation, inside the bound. */
    private E constantDouble(double bound) {
        List<E> options = new ArrayList<>();
        double c = new double[] {0.5, 1.0, 0.25, 1.5, 0.75, 2.0}[rnd.nextInt(6)];
        options.add(new E(chance(50) ? lit(c) : "-" + lit(c), c));
        for (Var v : constantVars) {
            if (v.type == T.DOUBLE) {
                options.add(new E(v.name, v.bound));
            }
        }
        for (Var v : visible(T.INT)) {
            if (v.max != UNKNOWN) {
                options.add(chance(50) ? new E("(double) " + v.name, v.max) : new E(v.name + " * 0.25", v.max * 0.25));
            }
        }
        for (Var v : visible(T.DOUBLE)) {
            if (v.inactive) {
                options.add(new E(v.name, v.bound));
            }
        }
        E e = pick(options);
        if (chance(25)) {
            E o = pick(options);
            e = new E(math("sin") + "(" + e.code() + ") + " + paren(o, true), 1 + o.bound());
        }
        return wrap(e, bound);
    }

    /**
     * An array argument of the parameter's length: an array in scope (for a written one only a local of exactly
     * its bound), a matrix's row, another helper's result, or a new array.
     */
    private String vectorArgument(HParam p) {
        List<Var> arrays = new ArrayList<>();
        for (Var v : visible(T.VECTOR)) {
            if (!v.acc && v.length == p.length() && (!p.written() || !v.param && v.bound == p.bound())) {
                arrays.add(v);
            }
        }
        List<Var> rows = new ArrayList<>();
        List<Helper> results = new ArrayList<>();
        if (!p.written()) {
            for (Var m : visible(T.MATRIX)) {
                if (!m.acc && m.cols == p.length()) {
                    rows.add(m);
                }
            }
            for (Helper h : callable()) {
                if (h.result == T.VECTOR && h.length == p.length()) {
                    results.add(h);
                }
            }
        }
        int c = rnd.nextInt(100);
        if (!arrays.isEmpty() && c < 65) {
            return pick(arrays).name;
        }
        if (!rows.isEmpty() && c < 78) {
            Var m = pick(rows);
            return m.name + "[" + index(m.length, m.lengthCode) + "]";
        }
        if (!results.isEmpty() && c < 88) {
            return call(pick(results));
        }
        if (p.written() && chance(50)) {
            return "new double[" + p.length() + "]";
        }
        double bound = p.written() ? p.bound() : 2;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < p.length(); i++) {
            b.append(i > 0 ? ", " : "").append(wrap(doubleExpr(1), bound).code());
        }
        return "new double[] {" + b + "}";
    }

    /** A matrix argument of the parameter's shape: one in scope, or a new one. */
    private String matrixArgument(HParam p) {
        List<Var> ms = new ArrayList<>();
        for (Var m : visible(T.MATRIX)) {
            if (!m.acc && m.length == p.length() && m.cols == p.cols()) {
                ms.add(m);
            }
        }
        if (!ms.isEmpty() && chance(80)) {
            return pick(ms).name;
        }
        StringBuilder b = new StringBuilder("new double[][] {");
        for (int r = 0; r < p.length(); r++) {
            b.append(r > 0 ? ", {" : "{");
            for (int c = 0; c < p.cols(); c++) {
                b.append(c > 0 ? ", " : "").append(wrap(doubleExpr(0), 2).code());
            }
            b.append('}');
        }
        return b.append('}').toString();
    }

    /**
     * A statement around a call: a loop whose condition calls a helper, a local array filled element by element
     * from calls, an element of one written with a call's value, or the call on its own line (see
     * {@link #callLine}).
     *
     * @return false when no helper may be called here
     */
    private boolean callStatement(int depth) {
        List<Helper> hs = callable();
        if (hs.isEmpty()) {
            return false;
        }
        Helper h = pick(hs);
        int form = rnd.nextInt(100);
        if (form < 30 && depth < 3 && callLoop(h, depth)) {
            return true;
        }
        if (form < 50 && mapLoop(h)) {
            return true;
        }
        if (form < 65) {
            List<Var> arrays = writableArrays();
            if (!arrays.isEmpty()) {
                Var a = pick(arrays);
                String target = a.name + "[" + index(a.length, a.lengthCode) + "]";
                E e = wrap(term(h), a.bound);
                line(chance(60) ? target + " = " + e.code() + ";"
                        : target + " = 0.5 * " + target + " + 0.5 * " + paren(e, true) + ";");
                return true;
            }
        }
        callLine(h);
        return true;
    }

    /** The local arrays that may be written (not a parameter's, not an accumulator). */
    private List<Var> writableArrays() {
        List<Var> arrays = new ArrayList<>();
        for (Var v : visible(T.VECTOR)) {
            if (!v.param && !v.acc) {
                arrays.add(v);
            }
        }
        return arrays;
    }

    /**
     * A loop whose condition calls the helper, bounded by a counter: {@code while (it < N && h(...) < c)},
     * {@code for (...; i < N && h(...) > c; ...)}, {@code do ... while (h(...) > c && ++it < N)}, {@code while
     * (it++ < N && (cond || h(...) < c))}: the call on the right of && or ||, on the left, evaluated each trip.
     *
     * @return false when the loop would have too many trips
     */
    private boolean callLoop(Helper h, int depth) {
        int n = 2 + rnd.nextInt(5);
        if (trips * n > MAX_TRIPS) {
            return false;
        }
        E t = term(h);
        String test = paren(t, false) + " " + new String[] {"<", "<=", ">", ">="}[rnd.nextInt(4)] + " "
                + (chance(50) ? new String[] {"0.0", "0.5", "-0.25", "1.0"}[rnd.nextInt(4)]
                        : paren(doubleExpr(1), false));
        String it = fresh("it", "iter", "tries");
        String footer = "}";
        boolean isFor = false;
        String counterInside = null;
        switch (rnd.nextInt(4)) {
            case 0:
                line("int " + it + " = 0;");
                line("while (" + it + " < " + n + " && " + test + ") {");
                counterInside = it;
                break;
            case 1: {
                String i = counterName();
                line("for (int " + i + " = 0; " + i + " < " + n + " && " + test + "; " + inc(i) + ") {");
                isFor = true;
                it = i;
                break;
            }
            case 2:
                line("int " + it + " = 0;");
                line("do {");
                footer = "} while (" + test + " && ++" + it + " < " + n + ");";
                break;
            default:
                line("int " + it + " = 0;");
                line("while (" + it + "++ < " + n + " && ((" + condition(1) + ") || " + test + ")) {");
                break;
        }
        // it++ < n leaves it at n + 1 at most
        Var counter = new Var(it, T.INT, 0, false, n + 1, 0, 0, false, false, null);
        if (!isFor) {
            declare(counter);
        }
        open();
        if (isFor) {
            declare(new Var(it, T.INT, 0, false, n - 1, 0, 0, false, false, null));
        }
        if (counterInside != null) {
            line(inc(counterInside) + ";");   // first: a continue in the body must not skip it
        }
        int saved = trips;
        trips *= n;
        loops.add(new Loop(null, isFor));
        body(depth, 1, 2);
        loops.remove(loops.size() - 1);
        trips = saved;
        close();
        line(footer);
        return true;
    }

    /** {@code for (int i = 0; i < a.length; i++) { a[i] = h(... i ...); }} into a local array (declared here or not). */
    private boolean mapLoop(Helper h) {
        List<Var> arrays = writableArrays();
        Var a;
        if (arrays.isEmpty() || chance(40)) {
            int len = helperLength();
            if (trips * len > MAX_TRIPS) {
                return false;
            }
            String name = fresh("vals", "mapped", "ys");
            line(arrayDecl() + " " + name + " = new double[" + len + "];");
            a = new Var(name, T.VECTOR, 2 + rnd.nextInt(3), false, 0, len, 0, false, false, name + ".length");
            declare(a);
        } else {
            a = pick(arrays);
            if (trips * a.length > MAX_TRIPS) {
                return false;
            }
        }
        String i = counterName();
        line("for (int " + i + " = 0; " + i + " < " + a.lengthCode + "; " + inc(i) + ") {");
        open();
        declare(new Var(i, T.INT, 0, false, a.length - 1, 0, 0, false, false, null));
        int saved = trips;
        trips *= a.length;
        line(a.name + "[" + i + "] = " + wrap(term(h), a.bound).code() + ";");
        trips = saved;
        close();
        line("}");
        return true;
    }

    /**
     * The call on a line of its own: a helper writing into a local array (declared here when none fits), its
     * result ignored or kept; a double[] result kept in a local (written later only when it is fresh); a double
     * or int result in a local.
     */
    private void callLine(Helper h) {
        HParam w = h.written();
        if (w != null) {
            boolean fits = false;
            for (Var v : visible(T.VECTOR)) {
                fits |= !v.acc && !v.param && v.length == w.length() && v.bound == w.bound();
            }
            if (!fits || chance(30)) {
                String buf = fresh("buf", "work", "scratch");
                line(arrayDecl() + " " + buf + " = new double[" + w.length() + "];");
                declare(new Var(buf, T.VECTOR, w.bound(), false, 0, w.length(), 0, false, false, buf + ".length"));
            }
        }
        String c = call(h);
        if (w != null && chance(40)) {
            line(c + ";");   // for what it writes
            return;
        }
        switch (h.result) {
            case DOUBLE: {
                String name = fresh("t", "u", "v", "s", "h", "g", "r");
                String type = doubleDecl();
                line(type + " " + name + " = " + c + ";");
                declare(new Var(name, T.DOUBLE, h.bound, false, 0, 0, 0, false, !type.startsWith("final"), null));
                break;
            }
            case INT: {
                String name = fresh("k", "m", "p", "off", "pos");
                line((preferVar && chance(50) ? "var " : "int ") + name + " = " + c + ";");
                declare(new Var(name, T.INT, 0, false, h.max, 0, 0, false, false, null));
                break;
            }
            default: {
                String name = fresh("y", "z", "cur", "mapped");
                line(arrayDecl() + " " + name + " = " + c + ";");
                // an array that may be an argument's is read only
                declare(new Var(name, T.VECTOR, h.bound, false, 0, h.length, 0, !h.fresh, false, name + ".length"));
                break;
            }
        }
    }

    /** In f, a local for each helper nothing calls yet (so that each is called), before the last return. */
    private void callUncalled() {
        for (Helper h : helpers) {
            if (h.uses > 0 || h.isPrivate() && h.other || !h.recursive && inlined + h.cost > 2 * F_INLINE_BUDGET) {
                continue;
            }
            E e = term(h);
            String name = fresh("t", "u", "v", "s", "h", "g", "r");
            line("double " + name + " = " + e.code() + ";");
            declare(new Var(name, T.DOUBLE, e.bound(), false, 0, 0, 0, false, true, null));
        }
    }

    /** The counts of calls written so far, to undo those in code that is then thrown away. */
    private int[] callMark() {
        int[] m = new int[7 + helpers.size()];
        m[0] = inlined;
        m[1] = fCalls;
        m[2] = fActiveCalls;
        m[3] = fParamCalls;
        m[4] = fRecursiveCalls;
        m[5] = fWriteCalls;
        m[6] = fActiveRecursiveCalls;
        for (int i = 0; i < helpers.size(); i++) {
            m[7 + i] = helpers.get(i).uses;
        }
        return m;
    }

    private void callReset(int[] m) {
        inlined = m[0];
        fCalls = m[1];
        fActiveCalls = m[2];
        fParamCalls = m[3];
        fRecursiveCalls = m[4];
        fWriteCalls = m[5];
        fActiveRecursiveCalls = m[6];
        for (int i = 0; i < helpers.size(); i++) {
            helpers.get(i).uses = m[7 + i];
        }
    }

    // ------------------------------------------------------------------ double[] results

    /**
     * The length of every array a vector program returns: often a parameter's length or a matrix parameter's row
     * length (so that a parameter's own array, or a row, can be returned), else 2 to 5, now and then 1.
     */
    private int chooseResultLength() {
        List<Integer> options = new ArrayList<>();
        for (Var v : visible(T.VECTOR)) {
            options.add(v.length);
        }
        for (Var m : visible(T.MATRIX)) {
            options.add(m.cols);
        }
        if (!options.isEmpty() && chance(50)) {
            return pick(options);
        }
        return chance(8) ? 1 : 2 + rnd.nextInt(4);
    }

    /** The length of the result as code: a parameter's {@code x.length} when it has that length, or the number. */
    private String resultLengthCode() {
        List<String> codes = new ArrayList<>();
        for (Var v : scopes.getLast()) {
            if (v.type == T.VECTOR && v.length == resultLength) {
                codes.add(v.lengthCode);
            }
        }
        return !codes.isEmpty() && chance(50) ? pick(codes) : Integer.toString(resultLength);
    }

    private String arrayDecl() {
        return preferVar && chance(60) ? "var" : "double[]";
    }

    /** {@code double[] out = new double[K];} at the top of the body: the statements write it, the end returns it. */
    private void declareResult() {
        String name = fresh("out", "res", "result", "ys");
        double bound = 2 + rnd.nextInt(3);
        String type = arrayDecl();
        if (chance(25)) {
            String init = elements(bound);
            line(type.equals("var") ? "var " + name + " = new double[] {" + init + "};"
                    : "double[] " + name + " = {" + init + "};");
        } else {
            line(type + " " + name + " = new double[" + resultLengthCode() + "];");
        }
        // acc: resultWrite assigns unbounded sums (resultElement), so later reads go through a squash
        resultVar = new Var(name, T.VECTOR, bound, true, 0, resultLength, 0, false, false, name + ".length");
        declare(resultVar);
    }

    /** K bounded element expressions, comma separated. */
    private String elements(double bound) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < resultLength; i++) {
            b.append(i > 0 ? ", " : "").append(wrap(doubleExpr(2), bound).code());
        }
        return b.toString();
    }

    /**
     * The arrays in scope that may be returned (their length is the result's, not accumulators): parameters'
     * own arrays, local arrays, aliases, rows of matrices ({@code m[i]}).
     */
    private List<String> returnableArrays() {
        speculative++;   // one is picked, the others' index expressions are thrown away
        try {
            return returnables();
        } finally {
            speculative--;
        }
    }

    private List<String> returnables() {
        List<String> arrays = new ArrayList<>();
        for (Var v : visible(T.VECTOR)) {
            if (!v.acc && v.length == resultLength) {
                arrays.add(v.name);
            }
        }
        for (Var m : visible(T.MATRIX)) {
            if (!m.acc && m.cols == resultLength) {
                arrays.add(m.name + "[" + index(m.length, m.lengthCode) + "]");
            }
        }
        return arrays;
    }

    /** A double[] of the result's length: an array in scope, an initializer, or a {@code ?:} of them. */
    private String vectorValue() {
        if (!helpers.isEmpty()) {
            // what a helper returns, returned as it is
            List<Helper> hs = new ArrayList<>();
            for (Helper h : callable()) {
                if (h.result == T.VECTOR && h.length == resultLength) {
                    hs.add(h);
                }
            }
            if (!hs.isEmpty() && callNest == 0 && chance(15)) {
                return call(pick(hs));
            }
        }
        List<String> arrays = returnableArrays();
        int c = rnd.nextInt(100);
        if (!arrays.isEmpty() && c < 45) {
            return pick(arrays);
        }
        if (!arrays.isEmpty() && c < 60) {
            String other = chance(50) ? pick(arrays) : "new double[] {" + elements(VAR_CAP) + "}";
            return condition(1) + " ? " + pick(arrays) + " : " + other;
        }
        return "new double[] {" + elements(VAR_CAP) + "}";
    }

    /**
     * One element of the result: what the body computed (its doubles, elements of its arrays, the parameters),
     * each with some chance, plus a random expression; {@code extra} terms first (an element at a loop's index).
     */
    private String resultElement(List<Var> body, List<String> extra) {
        List<String> terms = new ArrayList<>(extra);
        for (Var v : body) {
            if (v.type == T.DOUBLE && chance(40)) {
                terms.add(v.acc ? (chance(50) ? v.name : squash(new E(v.name, 1e9)).code()) : v.name);
            } else if (v.type == T.VECTOR && chance(25)) {
                String read = v.name + "[" + rnd.nextInt(v.length) + "]";
                terms.add(v.acc ? squash(new E(read, 1e9)).code() : read);
            } else if (v.type == T.MATRIX && chance(15)) {
                String read = v.name + "[" + rnd.nextInt(v.length) + "][" + rnd.nextInt(v.cols) + "]";
                terms.add(v.acc ? squash(new E(read, 1e9)).code() : read);
            }
        }
        for (Var v : scopes.getLast()) {
            if (v.type == T.DOUBLE && chance(40)) {
                terms.add(v.name);
            }
        }
        terms.add(doubleExpr(2).code());
        return sum(terms);
    }

    /** Reads of element {@code i} of the arrays at least as long as the result ({@code i} is below its length). */
    private List<String> atIndex(String i) {
        List<String> terms = new ArrayList<>();
        for (Var v : visible(T.VECTOR)) {
            if (v.length >= resultLength && chance(50)) {
                String read = v.name + "[" + i + "]";
                terms.add(v.acc ? squash(new E(read, 1e9)).code() : read);
            }
        }
        for (Var m : visible(T.MATRIX)) {
            if (m.length >= resultLength && chance(30)) {
                String read = m.name + "[" + i + "][" + rnd.nextInt(m.cols) + "]";
                terms.add(m.acc ? squash(new E(read, 1e9)).code() : read);
            }
        }
        return terms.size() > 2 ? terms.subList(0, 2) : terms;
    }

    /** A write into an element of a result array: assigned, scaled, relaxed towards or nudged by a new value. */
    private void resultWrite(Var res, String target, List<Var> body) {
        switch (rnd.nextInt(5)) {
            case 0:
                line(target + " *= " + math("cos") + "(" + doubleExpr(1).code() + ");");
                break;
            case 1:
                line(target + " = 0.5 * " + target + " + 0.5 * " + paren(wrap(doubleExpr(2), res.bound), true) + ";");
                break;
            case 2:
                line(target + " -= " + wrap(doubleExpr(2), 1).code() + ";");
                break;
            default:
                line(target + " = " + resultElement(body, List.of()) + ";");
                break;
        }
    }

    /** A new local result array, declared here. */
    private Var newResult(boolean initializer) {
        String name = fresh("res", "ret", "outv", "vals");
        String type = arrayDecl();
        if (initializer) {
            String init = elements(VAR_CAP);
            line(type.equals("var") ? "var " + name + " = new double[] {" + init + "};"
                    : "double[] " + name + " = {" + init + "};");
        } else {
            line(type + " " + name + " = new double[" + resultLengthCode() + "];");
        }
        // acc: resultWrite assigns unbounded sums (resultElement), so later reads go through a squash
        Var v = new Var(name, T.VECTOR, VAR_CAP, true, 0, resultLength, 0, false, false, name + ".length");
        declare(v);
        return v;
    }

    /**
     * The end of a vector program: the result array the statements wrote, finished and returned; or an initializer;
     * a new array filled element by element, in a loop, or accumulated over a second loop ({@code y[i] += a[i][j] *
     * x[j]}); an array modified in branches; an array in scope (a parameter's own, a row, a local) or a {@code ?:}
     * of two.
     */
    private void vectorFinalReturn() {
        List<Var> body = new ArrayList<>(scopes.peek());
        if (resultVar != null) {
            for (int k = 0; k < resultLength; k++) {
                if (chance(60)) {
                    resultWrite(resultVar, resultVar.name + "[" + k + "]", body);
                }
            }
            if (chance(30)) {
                branches(resultVar, body);
            }
            if (chance(15)) {
                // the variable rebound to another array (a parameter's, a row) last: nothing writes it after
                List<String> arrays = returnableArrays();
                arrays.remove(resultVar.name);
                if (!arrays.isEmpty()) {
                    line("if (" + condition(1) + ") {");
                    line("    " + resultVar.name + " = " + pick(arrays) + ";");
                    line("}");
                }
            }
            line("return " + resultVar.name + ";");
            return;
        }
        int form = rnd.nextInt(100);
        if (form < 18) {
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < resultLength; k++) {
                b.append(k > 0 ? ", " : "").append(resultElement(body, List.of()));
            }
            line("return new double[] {" + b + "};");
        } else if (form < 33) {
            // element by element, in some order, now and then one left 0
            Var res = newResult(false);
            int start = rnd.nextInt(resultLength);
            for (int k = 0; k < resultLength; k++) {
                int e = (start + k) % resultLength;
                if (resultLength > 1 && chance(10)) {
                    continue;
                }
                line(res.name + "[" + e + "] = " + resultElement(body, List.of()) + ";");
            }
            line("return " + res.name + ";");
        } else if (form < 52) {
            Var res = newResult(false);
            String i = counterName();
            line("for (int " + i + " = 0; " + i + " < " + res.lengthCode + "; " + inc(i) + ") {");
            open();
            declare(new Var(i, T.INT, 0, false, resultLength - 1, 0, 0, false, false, null));
            int saved = trips;
            trips *= resultLength;
            loops.add(new Loop(null, true));
            for (int n = rnd.nextInt(3); n > 0; n--) {
                statement(2);
            }
            loops.remove(loops.size() - 1);
            trips = saved;
            line(res.name + "[" + i + "] = " + resultElement(body, atIndex(i)) + ";");
            close();
            line("}");
            line("return " + res.name + ";");
        } else if (form < 64) {
            accumulated(body);
        } else if (form < 84) {
            Var res = newResult(chance(50));
            for (int k = 0; k < resultLength; k++) {
                if (chance(40)) {
                    line(res.name + "[" + k + "] = " + resultElement(body, List.of()) + ";");
                }
            }
            branches(res, body);
            line("return " + res.name + ";");
        } else {
            line("return " + vectorValue() + ";");
        }
    }

    /** {@code if (c) { res[i] = ...; } else { res[j] *= ...; }}, with a random statement now and then. */
    private void branches(Var res, List<Var> body) {
        line("if (" + condition(2) + ") {");
        open();
        branchWrites(res, body);
        close();
        int shape = rnd.nextInt(3);
        if (shape == 1) {
            line("} else {");
            open();
            branchWrites(res, body);
            close();
        } else if (shape == 2) {
            line("} else if (" + condition(2) + ") {");
            open();
            branchWrites(res, body);
            close();
            line("} else {");
            open();
            branchWrites(res, body);
            close();
        }
        line("}");
    }

    private void branchWrites(Var res, List<Var> body) {
        if (chance(25)) {
            statement(2);
        }
        for (int n = 1 + rnd.nextInt(2); n > 0; n--) {
            resultWrite(res, res.name + "[" + index(res.length, res.lengthCode) + "]", body);
        }
    }

    /** {@code y[i] += e(i, j)} over a second loop, as a matrix-vector product is written; then returned. */
    private void accumulated(List<Var> body) {
        List<Var> over = new ArrayList<>();
        for (Var v : visible(T.VECTOR)) {
            if (!v.acc) {
                over.add(v);
            }
        }
        Var v = over.isEmpty() ? null : pick(over);
        int inner = v == null ? 2 + rnd.nextInt(3) : v.length;
        String innerCode = v == null ? Integer.toString(inner) : v.lengthCode;
        Var res = newResult(false);
        String i = counterName();
        line("for (int " + i + " = 0; " + i + " < " + res.lengthCode + "; " + inc(i) + ") {");
        open();
        declare(new Var(i, T.INT, 0, false, resultLength - 1, 0, 0, false, false, null));
        String j = counterName();
        line("for (int " + j + " = 0; " + j + " < " + innerCode + "; " + inc(j) + ") {");
        open();
        declare(new Var(j, T.INT, 0, false, inner - 1, 0, 0, false, false, null));
        E coef = wrap(doubleExpr(2), 2);
        String term = v == null ? wrap(doubleExpr(1), 2).code() : v.name + "[" + j + "]";
        line(res.name + "[" + i + "] += " + paren(coef, true) + " * " + (isAtomic(term) ? term : "(" + term + ")")
                + ";");
        close();
        line("}");
        if (chance(40)) {
            line(res.name + "[" + i + "] = " + math("tanh") + "(" + res.name + "[" + i + "]" + ") + "
                    + paren(wrap(new E(resultElement(body, List.of()), 1e9), VAR_CAP), true) + ";");
        }
        close();
        line("}");
        line("return " + res.name + ";");
    }
}
