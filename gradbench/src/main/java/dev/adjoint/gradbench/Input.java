package dev.adjoint.gradbench;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reading an eval's input with its shape checked: each reader names the path of what is wrong
 * ({@code input.x[3] is not a finite number}), so a bad input is one clear {@code success:false}.
 */
public final class Input {
    private Input() {
    }

    /** The input itself, which must be a JSON object. */
    public static JsonNode object(JsonNode input) throws BadInput {
        if (input == null || !input.isObject()) {
            throw new BadInput("input must be a JSON object, not " + describe(input));
        }
        return input;
    }

    /** A field of an object, which must be present. */
    public static JsonNode field(JsonNode object, String name) throws BadInput {
        JsonNode v = object.get(name);
        if (v == null || v.isNull()) {
            throw new BadInput("input." + name + " is missing");
        }
        return v;
    }

    /** A finite number. */
    public static double number(JsonNode v, String path) throws BadInput {
        if (v == null || !v.isNumber()) {
            throw new BadInput(path + " must be a number, not " + describe(v));
        }
        double d = v.doubleValue();
        if (!Double.isFinite(d)) {
            throw new BadInput(path + " is not a finite number (" + v.asText() + ")");
        }
        return d;
    }

    /** A finite number field. */
    public static double numberField(JsonNode object, String name) throws BadInput {
        return number(field(object, name), "input." + name);
    }

    /** An integer field in [min, max]. */
    public static int integerField(JsonNode object, String name, int min, int max) throws BadInput {
        return integer(field(object, name), "input." + name, min, max);
    }

    /** An integer in [min, max] (a float with an integral value, such as {@code 3.0}, is accepted). */
    public static int integer(JsonNode v, String path, int min, int max) throws BadInput {
        if (v == null || !v.isNumber()) {
            throw new BadInput(path + " must be an integer, not " + describe(v));
        }
        double d = v.doubleValue();
        if (d != Math.rint(d) || d < min || d > max) {
            throw new BadInput(path + " must be an integer from " + min + " to " + max + ", not " + v.asText());
        }
        return (int) d;
    }

    /** An array of finite numbers, of the given length unless {@code length} is negative. */
    public static double[] vector(JsonNode v, String path, int length) throws BadInput {
        if (v == null || !v.isArray()) {
            throw new BadInput(path + " must be an array of numbers, not " + describe(v));
        }
        if (length >= 0 && v.size() != length) {
            throw new BadInput(path + " must have " + length + " elements, not " + v.size());
        }
        double[] a = new double[v.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = number(v.get(i), path + "[" + i + "]");
        }
        return a;
    }

    /** An array field of finite numbers. */
    public static double[] vectorField(JsonNode object, String name, int length) throws BadInput {
        return vector(field(object, name), "input." + name, length);
    }

    /** An array field of finite numbers with at least one element. */
    public static double[] nonEmptyVectorField(JsonNode object, String name) throws BadInput {
        double[] a = vectorField(object, name, -1);
        if (a.length == 0) {
            throw new BadInput("input." + name + " must not be empty");
        }
        return a;
    }

    /** An array of integers in [min, max]. */
    public static int[] integers(JsonNode v, String path, int length, int min, int max) throws BadInput {
        if (v == null || !v.isArray()) {
            throw new BadInput(path + " must be an array of integers, not " + describe(v));
        }
        if (length >= 0 && v.size() != length) {
            throw new BadInput(path + " must have " + length + " elements, not " + v.size());
        }
        int[] a = new int[v.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = integer(v.get(i), path + "[" + i + "]", min, max);
        }
        return a;
    }

    /**
     * A list of {@code rows} lists of {@code cols} finite numbers each ({@code rows} or {@code cols} negative: any
     * number, the same for every row).
     */
    public static double[][] matrix(JsonNode v, String path, int rows, int cols) throws BadInput {
        if (v == null || !v.isArray()) {
            throw new BadInput(path + " must be an array of arrays of numbers, not " + describe(v));
        }
        if (rows >= 0 && v.size() != rows) {
            throw new BadInput(path + " must have " + rows + " rows, not " + v.size());
        }
        double[][] m = new double[v.size()][];
        int width = cols;
        for (int i = 0; i < m.length; i++) {
            m[i] = vector(v.get(i), path + "[" + i + "]", width);
            width = m[i].length;
        }
        return m;
    }

    /** A matrix field. */
    public static double[][] matrixField(JsonNode object, String name, int rows, int cols) throws BadInput {
        return matrix(field(object, name), "input." + name, rows, cols);
    }

    /** A short description of a JSON value for an error message: its type, and its text when short. */
    public static String describe(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "nothing";
        }
        String type = v.isObject() ? "an object" : v.isArray() ? "an array of " + v.size()
                : v.isTextual() ? "a string" : v.isBoolean() ? "a boolean" : v.isNull() ? "null" : "a number";
        String text = v.toString();
        return text.length() <= 40 ? type + " (" + text + ")" : type;
    }
}
