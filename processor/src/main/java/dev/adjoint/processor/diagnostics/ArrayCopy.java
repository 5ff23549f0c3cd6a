package dev.adjoint.processor.diagnostics;

import dev.adjoint.processor.ir.Ty;
import java.util.function.UnaryOperator;

/**
 * The loops that copy an array, as ways out write them (for {@code a.clone()}, and for a parameter's array that
 * must not be written): statements of the subset, so that following the way out compiles.
 */
public final class ArrayCopy {
    private ArrayCopy() {}

    /**
     * @param array the array as written, e.g. {@code a} or {@code m[0]}
     * @param type  its type
     * @param fresh gives a name that clashes with no variable of the method, from a preferred one
     * @return the declaration of the copy and its loops, e.g.
     *         {@code double[] copy = new double[a.length]; for (int i = 0; i < a.length; i++) { copy[i] = a[i]; }}
     */
    public static String loops(String array, Ty type, UnaryOperator<String> fresh) {
        String copy = fresh.apply("copy");
        String i = fresh.apply("i");
        String a = array.matches("[A-Za-z_$][A-Za-z_$0-9.]*(\\[[A-Za-z_$0-9]+\\])*") ? array : "(" + array + ")";
        if (type == Ty.DOUBLE_MATRIX) {
            String j = fresh.apply(i.equals("j") ? "k" : "j");
            return "double[][] " + copy + " = new double[" + a + ".length][]; for (int " + i + " = 0; " + i + " < "
                    + a + ".length; " + i + "++) { " + copy + "[" + i + "] = new double[" + a + "[" + i + "].length]; "
                    + "for (int " + j + " = 0; " + j + " < " + a + "[" + i + "].length; " + j + "++) { " + copy + "["
                    + i + "][" + j + "] = " + a + "[" + i + "][" + j + "]; } }";
        }
        String element = type == Ty.INT_ARRAY ? "int" : "double";
        return element + "[] " + copy + " = new " + element + "[" + a + ".length]; for (int " + i + " = 0; " + i
                + " < " + a + ".length; " + i + "++) { " + copy + "[" + i + "] = " + a + "[" + i + "]; }";
    }
}
