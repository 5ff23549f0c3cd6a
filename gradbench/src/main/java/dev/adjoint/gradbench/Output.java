package dev.adjoint.gradbench;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Writes an eval's output ({@link Eval.Call#run()}'s result) as JSON; a non-finite number is refused. */
public final class Output {
    private Output() {
    }

    /** A non-finite number in an output: GradBench's intermediary rejects NaN and Infinity. */
    public static final class NonFinite extends Exception {
        private static final long serialVersionUID = 1L;

        NonFinite(String path, double value) {
            super("the output " + path + " is " + value + ", which JSON cannot carry");
        }
    }

    /** Checks that every number of {@code value} is finite, naming the first that is not. */
    public static void check(Object value, String path) throws NonFinite {
        if (value instanceof Double d) {
            if (!Double.isFinite(d)) {
                throw new NonFinite(path, d);
            }
        } else if (value instanceof double[] a) {
            for (int i = 0; i < a.length; i++) {
                if (!Double.isFinite(a[i])) {
                    throw new NonFinite(path + "[" + i + "]", a[i]);
                }
            }
        } else if (value instanceof double[][] m) {
            for (int i = 0; i < m.length; i++) {
                check(m[i], path + "[" + i + "]");
            }
        } else if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                check(e.getValue(), path + "." + e.getKey());
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                check(list.get(i), path + "[" + i + "]");
            }
        }
    }

    /**
     * Writes {@code value}: a number, boolean or string, a {@code double[]}, {@code double[][]} or {@code int[]}, or a
     * {@code Map} or {@code List} of those (an output is checked by {@link #check} first).
     */
    public static void write(JsonGenerator g, Object value) throws IOException {
        if (value instanceof Double d) {
            g.writeNumber(d);
        } else if (value instanceof Integer i) {
            g.writeNumber(i);
        } else if (value instanceof Long l) {
            g.writeNumber(l);
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof String t) {
            g.writeString(t);
        } else if (value instanceof double[] a) {
            g.writeArray(a, 0, a.length);
        } else if (value instanceof int[] a) {
            g.writeArray(a, 0, a.length);
        } else if (value instanceof double[][] m) {
            g.writeStartArray();
            for (double[] row : m) {
                g.writeArray(row, 0, row.length);
            }
            g.writeEndArray();
        } else if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName(e.getKey().toString());
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof List<?> list) {
            g.writeStartArray();
            for (Object o : list) {
                write(g, o);
            }
            g.writeEndArray();
        } else {
            throw new IllegalArgumentException("no JSON form for " + (value == null ? "null" : value.getClass()));
        }
    }
}
