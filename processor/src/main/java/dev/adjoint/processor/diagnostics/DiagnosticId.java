package dev.adjoint.processor.diagnostics;

/**
 * Every error Adjoint reports, with a stable ID. IDs are never reused or renumbered; docs/DIAGNOSTICS.md lists
 * them with examples. Each carries the way out that its message ends with.
 */
public enum DiagnosticId {
    ADJ001("unsupported statement", "rewrite it with if/else, for, while, do/while, break, continue or return"),
    ADJ002("unsupported expression", "rewrite it with arithmetic, comparisons, casts, arrays and Math functions"),
    ADJ003("unsupported type", "use double, int, long, boolean, double[], double[][] or int[]"),
    ADJ004("wrt names no parameter", "name a parameter of the method in @Differentiable(wrt = ...)"),
    ADJ005("wrt names a parameter that cannot be differentiated",
            "differentiate only double, double[] or double[][] parameters"),
    ADJ006("method is not static", "make the @Differentiable method static"),
    ADJ007("result is not a double", "return a double: Adjoint differentiates scalar-valued methods"),
    ADJ008("call with a differentiated argument",
            "inline the callee, or use a Math function; a call is allowed only when no argument depends on a "
                    + "differentiated parameter"),
    ADJ009("recursive call", "rewrite the recursion as a loop"),
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
    ADJ020("internal error", "please report it with the method; meanwhile, rewrite the construct named"),
    ADJ021("unknown name", "use parameters, locals, static final constants and static methods that javac can resolve"),
    ADJ022("unsupported Math function", "use one of the supported Math functions (see docs/DIAGNOSTICS.md)"),
    ADJ023("method has no body", "annotate a method with a body"),
    ADJ024("unsupported call", "call Math functions or static methods of classes; instance methods are not supported"),
    ADJ025("assertion", "check the condition with if and throw"),
    ADJ026("unsupported operator on these operands", "rewrite the operation on int, long or double values"),
    ADJ027("missing return value", "return a double on every path"),
    ADJ028("unsupported parameter type", "take double, int, long, boolean, double[], double[][] or int[] parameters"),
    ADJ029("method in a local or anonymous class", "move the method into a named top-level or static nested class"),
    ADJ030("nested too deeply",
            "split the expression or the statements into several statements with local variables (the gradient "
                    + "nests deeper than the method, and javac and Adjoint recurse over the nesting)"),
    ADJ031("generated class name clash", "rename one of the two classes (p.Outer.Inner and p.Outer_Inner both "
            + "get p.Outer_InnerGrad)"),
    ADJ032("generated class already exists",
            "remove the stale generated source from the inputs (clean the build's generated-sources directory) "
                    + "and compile again"),
    ADJ033("method too large to differentiate",
            "split the method into several @Differentiable methods or loops (the JVM limits a method to 64 KB of "
                    + "bytecode, and a gradient method is several times the size of the original)");

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
     * ... Way out: inline the callee ...}.
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
