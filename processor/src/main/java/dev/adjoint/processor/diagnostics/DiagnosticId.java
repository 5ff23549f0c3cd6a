package dev.adjoint.processor.diagnostics;

/**
 * Every error Adjoint reports, with a stable ID. IDs are never reused or renumbered; new ones are added at the end;
 * docs/DIAGNOSTICS.md lists them with examples. Each carries its usual way out, the end of its message; a cause
 * whose remedy differs (or can name the user's code) reports its own (see {@link #format(String, String)}).
 */
public enum DiagnosticId {
    ADJ001("unsupported statement", "rewrite it with declarations, assignments, if/else, switch, for, while, "
            + "do/while, break, continue, return and throw"),
    ADJ002("unsupported expression", "rewrite it with arithmetic, comparisons, casts, arrays and Math functions"),
    ADJ003("unsupported type", "use double, int, long, boolean, double[], double[][] or int[] instead"),
    ADJ004("wrt names no parameter", "name a parameter of the method in @Differentiable(wrt = ...)"),
    ADJ005("wrt names a parameter that cannot be differentiated",
            "name only double, double[] or double[][] parameters in wrt"),
    ADJ006("method is not static", "make the method static and pass what it reads from the object as parameters"),
    ADJ007("result is not a double or double[]", "declare the method to return double (for its gradient) or "
            + "double[] (for its Jacobian)"),
    ADJ008("call with a differentiated argument",
            "make the callee's source part of the compilation (it is then differentiated through), or declare its "
                    + "derivative with a custom rule (@Pullback, @Pushforward); a call is allowed when no argument "
                    + "depends on a differentiated parameter"),
    ADJ009("recursive call that cannot be differentiated",
            "rewrite the recursion as a loop, or make the recursive method one the generated class can call back: "
                    + "a double result, double, double[] or double[][] parameters (others int, long, boolean or "
                    + "int[]), not private, in the class being differentiated"),
    ADJ010("write into a parameter's array",
            "copy the array into a local (double[] c = new double[a.length]; then a loop) and write to the copy"),
    ADJ011("lambda or method reference", "write the computation as a loop"),
    ADJ012("try/catch/finally", "move error handling out of the @Differentiable method; throw as a guard is fine"),
    ADJ013("switch", "rewrite the switch as if/else"),
    ADJ014("synchronized", "synchronize outside the @Differentiable method"),
    ADJ015("string", "compute strings outside the @Differentiable method (a thrown exception's message is fine)"),
    ADJ016("field access", "pass the value as a parameter; only static final constants can be read"),
    ADJ017("varargs", "take a double[] parameter instead"),
    ADJ018("generic method", "remove the type parameters"),
    ADJ019("no Tree API", "compile with javac (the JDK's compiler): Adjoint reads method bodies through javac's Tree API"),
    ADJ020("internal error", "this is a bug in Adjoint: please report it with the method's source; meanwhile, "
            + "remove @Differentiable from the method to compile without its gradient"),
    ADJ021("unknown name", "declare it, import it, or correct the spelling: Adjoint must know what each name is"),
    ADJ022("unsupported Math function", "rewrite it with arithmetic and the supported Math functions"),
    ADJ023("method has no body", "annotate a static method with a body"),
    ADJ024("unsupported call", "compute it with statements of the @Differentiable method (loops, assignments, Math "
            + "functions), or, when it does not depend on a differentiated parameter, call it before that method and "
            + "pass its result in as a parameter"),
    ADJ025("assertion", "check the condition with if and throw"),
    ADJ026("unsupported operator on these operands", "use operands the operation takes: numbers for arithmetic, "
            + "booleans for conditions and && || !, int or long for indexes, sizes and bit operations"),
    ADJ027("missing return value", "return a double on every path"),
    ADJ028("unsupported parameter type", "take double, int, long, boolean, double[], double[][] or int[] parameters"),
    ADJ029("method in a local or anonymous class", "move the method into a named top-level or static nested class"),
    ADJ030("nested too deeply",
            "split the expression or the statements into several statements with local variables (the gradient "
                    + "nests deeper than the method, and javac and Adjoint recurse over the nesting)"),
    ADJ031("generated class name clash", "rename one of the two classes"),
    ADJ032("generated class already exists",
            "remove the stale generated source from the inputs (clean the build's generated-sources directory) "
                    + "and compile again"),
    ADJ033("method too large to differentiate",
            "write repeated statements as a loop (a loop body is differentiated once, however often it runs), or "
                    + "split the computation into several @Differentiable methods and combine their gradients by the "
                    + "chain rule (the JVM limits a method to 64 KB of bytecode, and a gradient method is several "
                    + "times the size of the original)"),
    ADJ034("no parameter to differentiate",
            "add a double, double[] or double[][] parameter that the result depends on: the gradient is taken with "
                    + "respect to such parameters"),
    ADJ035("called method cannot be differentiated",
            "fix the errors reported in the called method (it is differentiated through where it is called, so it "
                    + "must stay inside the subset a @Differentiable method may use), or compute its value before "
                    + "the @Differentiable method and pass it in when it does not depend on a differentiated "
                    + "parameter"),
    ADJ036("custom rule does not match its method",
            "declare the rule with the method's parameters, then (a pushforward) one double tangent per double "
                    + "parameter, returning double, or (a pullback) one double adjoint of the result, returning the "
                    + "double parameter's adjoint (a double[] of them when there are several)"),
    ADJ037("field of the object cannot be read",
            "declare the field without private, of type double, int, long, boolean, double[], double[][] or int[] "
                    + "(the generated class reads it from the object it is given), or pass its value to the method "
                    + "as a parameter");

    private final String title;
    private final String wayOut;

    DiagnosticId(String title, String wayOut) {
        this.title = title;
        this.wayOut = wayOut;
    }

    /** @return a short name of the problem */
    public String title() {
        return title;
    }

    /** @return what the user can do instead */
    public String wayOut() {
        return wayOut;
    }

    /**
     * The full message with this ID's usual way out: {@code [ADJ008] call with a differentiated argument: helper(x)
     * ... Way out: make the callee's source ...}.
     *
     * @param detail what exactly, naming the user's construct
     * @return the message javac prints
     */
    public String format(String detail) {
        return format(detail, wayOut);
    }

    /**
     * The full message with a way out of its own, for a cause of this ID whose remedy differs from the usual one
     * (or can name the user's code).
     *
     * @param detail what exactly, naming the user's construct
     * @param wayOut what to do instead, complete in itself (a jar user has no docs at hand); null for the usual one
     * @return the message javac prints
     */
    public String format(String detail, String wayOut) {
        return "[" + name() + "] " + title + ": " + detail + ". Way out: " + (wayOut == null ? this.wayOut : wayOut)
                + ".";
    }
}
