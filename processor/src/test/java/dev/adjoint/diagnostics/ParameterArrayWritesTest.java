package dev.adjoint.diagnostics;

import static dev.adjoint.diagnostics.Expect.clean;
import static dev.adjoint.diagnostics.Expect.cls;
import static dev.adjoint.diagnostics.Expect.one;

import dev.adjoint.processor.diagnostics.DiagnosticId;
import org.junit.jupiter.api.Test;

/**
 * ADJ010 follows what each array variable holds at the write (and ADJ008 what an array argument holds at the call):
 * a write is into a parameter's array only where its target may be that array, or a row of it. Each real case,
 * directly or through an alias, a row, a swap, a branch or a call, is one error at the write; code that writes only
 * fresh arrays, or a local container of rows, compiles.
 */
class ParameterArrayWritesTest {
    private static final String COPY_H0 = copyH0("i");
    private static final String COPY_M = "copy m into a local, and write and read the copy where m was written and "
            + "read after: double[][] copy = new double[m.length][]; for (int i = 0; i < m.length; i++) { copy[i] = "
            + "new double[m[i].length]; for (int j = 0; j < m[i].length; j++) { copy[i][j] = m[i][j]; } }";

    /** The way out of a write into h0, with its index named {@code i} (or {@code i2} where i is taken). */
    private static String copyH0(String i) {
        return "copy h0 into a local, and write and read the copy where h0 was written and read after: double[] copy "
                + "= new double[h0.length]; for (int " + i + " = 0; " + i + " < h0.length; " + i + "++) { copy[" + i
                + "] = h0[" + i + "]; }";
    }

    // ------------------------------------------------------------------ the real cases: one error each

    /** The JDK's array operations are their loops: a copy into a parameter's array writes it, at the call. */
    @Test
    void arraycopyAndFillIntoADifferentiatedParameter() {
        String copy = cls("    @Differentiable static double f(double[] h0, double[] x) {",
                "        System.arraycopy(x, 0, h0, 1, x.length - 1);",
                "        return h0[1] * x[0];",
                "    }");
        // the loop the call is has its own index, i: the copy's index is i2
        one(copy, DiagnosticId.ADJ010, 5, "(x, 0", "the element written belongs to parameter 'h0'", copyH0("i2"));
        clean(copy.replace("        System.arraycopy(x, 0, h0, 1, x.length - 1);\n        return h0[1] * x[0];",
                "        double[] h = h0.clone();\n        System.arraycopy(x, 0, h, 1, x.length - 1);\n"
                        + "        return h[1] * x[0];"));
        one(cls("    @Differentiable static double f(double[] h0, double x) {",
                "        java.util.Arrays.fill(h0, 1, 2, x);",
                "        return h0[1];",
                "    }"), DiagnosticId.ADJ010, 5, "(h0, 1", "the element written belongs to parameter 'h0'",
                copyH0("i2"));
    }

    /** A clone of a double[][] shares its rows (as in Java): writing an element of one writes the parameter's row. */
    @Test
    void writeIntoARowOfAMatrixClone() {
        String source = cls("    @Differentiable static double f(double[][] m) {",
                "        double[][] c = m.clone();",
                "        c[0][0] = c[0][0] * 2;",
                "        return c[0][0];",
                "    }");
        one(source, DiagnosticId.ADJ010, 6, "= c", "the element written belongs to parameter 'm'",
                "copy m into a local, and write and read the copy where m was written and read after: double[][] "
                        + "copy2 = new double[m.length][]; for (int i2 = 0; i2 < m.length; i2++) { copy2[i2] = new "
                        + "double[m[i2].length]; for (int j = 0; j < m[i2].length; j++) { copy2[i2][j] = m[i2][j]; } "
                        + "}");
        // a copy of each row is a new row (the rows of a matrix are followed as one set: a clone's rows stay m's
        // even where one is replaced)
        clean(source.replace("double[][] c = m.clone();", "double[][] c = new double[m.length][]; for (int i = 0; "
                + "i < m.length; i++) { c[i] = m[i].clone(); }"));
    }


    @Test
    void writeThroughALocalAlias() {
        one(cls("    @Differentiable static double f(double[] h0) {",
                "        double[] h = h0;",
                "        h[0] = 2 * h[0];",
                "        return h[0];",
                "    }"), DiagnosticId.ADJ010, 6, "= 2", "the element written belongs to parameter 'h0'", COPY_H0);
    }

    @Test
    void inPlaceUpdateBeforeTheRebindingOfALayerLoop() {
        // the first iteration writes into h0's array, the later ones into the previous layer's
        one(cls("    @Differentiable static double f(double[] h0, int layers) {",
                "        double[] h = h0;",
                "        for (int l = 0; l < layers; l++) {",
                "            h[0] = Math.tanh(h[0]);",
                "            double[] next = new double[h.length];",
                "            for (int i = 0; i < h.length; i++) { next[i] = h[i] * 0.5; }",
                "            h = next;",
                "        }",
                "        return h[0];",
                "    }"), DiagnosticId.ADJ010, 7, "= Math", "the element written may belong to parameter 'h0'",
                copyH0("i2"));
    }

    @Test
    void writeAfterARebindingLoopThatMayNotRun() {
        String source = cls("    @Differentiable static double f(double[] h0, int layers) {",
                "        double[] h = h0;",
                "        for (int l = 0; l < layers; l++) {",
                "            double[] next = new double[h.length];",
                "            for (int i = 0; i < h.length; i++) { next[i] = Math.sin(h[i]); }",
                "            h = next;",
                "        }",
                "        h[0] = h[0] * 3;",
                "        return h[0];",
                "    }");
        one(source, DiagnosticId.ADJ010, 11, "= h[0]", "may belong to parameter 'h0'", copyH0("i2"));
        // a fresh array before the loop: h never holds h0's array
        clean(source.replace("double[] h = h0;", "double[] h = new double[h0.length]; h[0] = h0[0];"));
    }

    @Test
    void pingPongBuffersWhereOneStartsAsTheParameter() {
        // after the first swap, b holds x's array, and the second sweep writes into it
        one(cls("    @Differentiable static double f(double[] x, int sweeps) {",
                "        double[] a = x;",
                "        double[] b = new double[x.length];",
                "        for (int s = 0; s < sweeps; s++) {",
                "            for (int i = 0; i < a.length; i++) { b[i] = Math.cos(a[i]); }",
                "            double[] t = a;",
                "            a = b;",
                "            b = t;",
                "        }",
                "        return a[0];",
                "    }"), DiagnosticId.ADJ010, 8, "= Math", "may belong to parameter 'x'",
                "copy x into a local, and write and read the copy where x was written and read after: double[] copy = "
                        + "new double[x.length]; for (int i2 = 0; i2 < x.length; i2++) { copy[i2] = x[i2]; }");
    }

    @Test
    void writeThroughARowStoredInALocalMatrix() {
        // rows[0] = m[0] stores a reference; rows[0][1] = ... writes into m's row
        one(cls("    @Differentiable static double f(double[][] m) {",
                "        double[][] rows = new double[2][];",
                "        rows[0] = m[0];",
                "        rows[1] = m[1];",
                "        rows[0][1] = 3 * rows[1][0];",
                "        return rows[0][1];",
                "    }"), DiagnosticId.ADJ010, 8, "= 3", "the element written belongs to parameter 'm'", COPY_M);
    }

    @Test
    void writeThroughARowOfTheParameterInAForEach() {
        one(cls("    @Differentiable static double f(double[][] m) {",
                "        double s = 0;",
                "        for (double[] row : m) {",
                "            row[0] = row[0] * row[0];",
                "            s += row[0];",
                "        }",
                "        return s;",
                "    }"), DiagnosticId.ADJ010, 7, "= row", "belongs to parameter 'm'", COPY_M);
    }

    @Test
    void writeThroughAnArrayChosenOnABranch() {
        one(cls("    @Differentiable static double f(double[] h0, double y) {",
                "        double[] v = new double[h0.length];",
                "        double[] h = y > 0 ? h0 : v;",
                "        h[0] = y;",
                "        return h[0] + h0[1];",
                "    }"), DiagnosticId.ADJ010, 7, "= y", "may belong to parameter 'h0'", COPY_H0);
    }

    @Test
    void differentiatedValueWrittenIntoAParameterLeftOutOfWrt() {
        // buf is not differentiated, but it would carry x's derivative
        one(cls("    @Differentiable(wrt = \"x\") static double f(double x, double[] buf) {",
                "        double[] b = buf;",
                "        b[0] = x * x;",
                "        return b[0] + buf[1];",
                "    }"), DiagnosticId.ADJ010, 6, "= x", "belongs to parameter 'buf'",
                "copy buf into a local, and write and read the copy where buf was written and read after: double[] "
                        + "copy = new double[buf.length]; for (int i = 0; i < buf.length; i++) { copy[i] = buf[i]; }");
    }

    @Test
    void differentiatedRowStoredIntoAParameterLeftOutOfWrt() {
        one(cls("    @Differentiable(wrt = \"x\") static double f(double[] x, double[][] m) {",
                "        double[] v = new double[2];",
                "        v[0] = x[0] * 2;",
                "        m[0] = v;",
                "        return m[0][0] + m[1][0];",
                "    }"), DiagnosticId.ADJ010, 7, "= v", "belongs to parameter 'm'", COPY_M);
    }

    @Test
    void writeIntoAnArrayACallMayHaveReturnedFromItsArgument() {
        // same(h0) stays a call (it formats a string, outside the subset): it may return h0's array itself, and the
        // write would carry y's derivative into it
        one(cls("    static double[] same(double[] a) { return (\"\" + a.length).isEmpty() ? null : a; }",
                "    @Differentiable(wrt = \"y\") static double f(double y, double[] h0) {",
                "        double[] b = same(h0);",
                "        b[0] = y * y;",
                "        return b[0];",
                "    }"), DiagnosticId.ADJ010, 7, "= y", "may belong to parameter 'h0'", COPY_H0);
        // inlined, the helper is seen to return h0's array itself
        one(cls("    static double[] same(double[] a) { return a; }",
                "    @Differentiable(wrt = \"y\") static double f(double y, double[] h0) {",
                "        double[] b = same(h0);",
                "        b[0] = y * y;",
                "        return b[0];",
                "    }"), DiagnosticId.ADJ010, 7, "= y", "belongs to parameter 'h0'", COPY_H0);
    }

    @Test
    void callReceivingAnArrayThatMayHoldADifferentiatedOne() {
        // a method without source here (the JDK's Arrays.hashCode) receiving h, which may hold a differentiated layer
        one(cls("    @Differentiable(wrt = \"w\") static double f(double[] w, double[] h0, int layers) {",
                "        double[] h = h0;",
                "        for (int l = 0; l < layers; l++) {",
                "            double[] next = new double[h.length];",
                "            for (int i = 0; i < h.length; i++) { next[i] = Math.tanh(w[i] * h[i]); }",
                "            h = next;",
                "        }",
                "        return java.util.Arrays.hashCode(h) * w[0];",
                "    }"), DiagnosticId.ADJ008, 11, "h)", "hashCode(...) receives a value that depends on a "
                + "differentiated parameter, and Adjoint has neither its source in this compilation nor a custom "
                + "rule for it", "(a) make the source of Arrays.hashCode part of this compilation (Adjoint then "
                + "differentiates through it), or (b) write its computation in place of the call (a custom rule, "
                + "@Pullback or @Pushforward, is only for a static method returning double whose parameters are "
                + "double, double[], double[][], int, long, boolean or int[])");
    }

    // ------------------------------------------------------------------ not writes into a parameter's array

    @Test
    void layerLoopWritesOnlyItsFreshArrays() {
        // issue 7: h = h0; ... next[i] = ...; h = next; with h0 differentiated or not
        String layers = cls("    @Differentiable(wrt = {\"w\", \"h0\"}) static double f(double[] w, double[] h0, "
                        + "int layers) {",
                "        double[] h = h0;",
                "        for (int l = 0; l < layers; l++) {",
                "            double[] next = new double[h.length];",
                "            for (int i = 0; i < h.length; i++) { next[i] = Math.tanh(w[i] * h[i]); }",
                "            h = next;",
                "        }",
                "        return h[0];",
                "    }");
        clean(layers);
        clean(layers.replace("wrt = {\"w\", \"h0\"}", "wrt = \"w\""));
    }

    @Test
    void rowsStoredInALocalMatrixAreNotWritten() {
        clean(cls("    @Differentiable static double f(double[][] m) {",
                "        double[][] rows = new double[2][];",
                "        rows[0] = m[1];",
                "        rows[1] = m[0];",
                "        double[] t = rows[0];",
                "        rows[0] = rows[1];",
                "        rows[1] = t;",
                "        return rows[0][0] * rows[1][1];",
                "    }"));
    }

    @Test
    void writeAfterTheVariableIsRebound() {
        clean(cls("    @Differentiable static double f(double[] h0) {",
                "        double[] h = h0;",
                "        double s = h[0];",
                "        h = new double[2];",
                "        h[0] = s * h0[1];",
                "        return h[0];",
                "    }"));
    }

    @Test
    void callReceivingTheParameterBeforeTheRebinding() {
        // here h still holds h0's array, which is not differentiated
        clean(cls("    static double norm(double[] a) { return Math.sqrt(a[0] * a[0] + a[1] * a[1]); }",
                "    @Differentiable(wrt = \"w\") static double f(double[] w, double[] h0, int layers) {",
                "        double[] h = h0;",
                "        double scale = norm(h);",
                "        for (int l = 0; l < layers; l++) {",
                "            double[] next = new double[h.length];",
                "            for (int i = 0; i < h.length; i++) { next[i] = Math.tanh(w[i] * h[i] / scale); }",
                "            h = next;",
                "        }",
                "        return h[0];",
                "    }"));
    }
}
